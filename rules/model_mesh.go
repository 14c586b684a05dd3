package rules

import (
	"strings"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/crd"
)

// MeshFact records the parts of Istio's traffic objects that tell which
// pods a route reaches: a VirtualService's HTTP routes (the routes of a
// VirtualService another one delegates to take the place of the
// delegating route) and a DestinationRule's subsets (a route to a subset
// reaches only the host's pods with the subset's labels).
//
// Both were opaque custom resources before they were decoded, and the
// Index keeps counting them as such (SelectsPods, TargetsPlausible), so a
// Service beside them is judged as before.
type MeshFact struct {
	Subject
	// Routes are a VirtualService's spec.http, in order.
	Routes []MeshRoute
	// Host is a DestinationRule's spec.host; Subsets its subsets.
	Host    string
	Subsets []MeshSubset
}

// MeshRoute is one HTTP route of a VirtualService.
type MeshRoute struct {
	// Retries is true when the route has a retries block of its own.
	Retries      bool
	Destinations []MeshDestination
	// Delegate names the VirtualService the route delegates to
	// ("namespace/name"), or "".
	Delegate string
}

// MeshDestination is a route's destination host and subset.
type MeshDestination struct{ Host, Subset string }

// MeshSubset is one subset of a DestinationRule.
type MeshSubset struct {
	Name   string
	Labels LabelSet
}

// meshOf records a VirtualService or DestinationRule, or returns nil.
func meshOf(obj *loader.Object, sub Subject) *MeshFact {
	switch o := obj.Typed.(type) {
	case *crd.VirtualService:
		f := &MeshFact{Subject: sub}
		for _, h := range o.Spec.HTTP {
			r := MeshRoute{Retries: h.Retries != nil}
			for _, d := range h.Route {
				r.Destinations = append(r.Destinations, MeshDestination{Host: d.Destination.Host, Subset: d.Destination.Subset})
			}
			if d := h.Delegate; d != nil && d.Name != "" {
				ns := d.Namespace
				if ns == "" {
					ns = sub.Namespace
				}
				r.Delegate = ns + "/" + d.Name
			}
			f.Routes = append(f.Routes, r)
		}
		return f
	case *crd.DestinationRule:
		f := &MeshFact{Subject: sub, Host: o.Spec.Host}
		for _, s := range o.Spec.Subsets {
			f.Subsets = append(f.Subsets, MeshSubset{Name: s.Name, Labels: NewLabelSet(s.Labels)})
		}
		return f
	}
	return nil
}

// meshIndex holds the MeshFacts by what looks them up: VirtualServices by
// namespace and name (for delegation), DestinationRules by the Service
// their host names.
type meshIndex struct {
	virtualServices map[refID][]*MeshFact
	destRules       map[refID][]*MeshFact
}

func (ix *Index) addMesh(f *MeshFact) {
	m := &ix.mesh
	if m.virtualServices == nil {
		m.virtualServices, m.destRules = map[refID][]*MeshFact{}, map[refID][]*MeshFact{}
	}
	if f.Kind == "VirtualService" {
		k := key(f.Namespace, "VirtualService", f.Name)
		m.virtualServices[k] = append(m.virtualServices[k], f)
	} else if name, ns, ok := ServiceOfHost(f.Host, f.Namespace); ok {
		k := key(ns, "Service", name)
		m.destRules[k] = append(m.destRules[k], f)
	}
	// Still an opaque custom resource for the Service rules.
	ps := &PodSourceFact{Subject: f.Subject, Opaque: true}
	if ix.podSources == nil {
		ix.podSources = map[string][]*PodSourceFact{}
	}
	ix.podSources[f.Namespace] = append(ix.podSources[f.Namespace], ps)
	ix.addPodDir(&f.Subject)
}

// meshRelated reports whether the mesh object f applies together with an
// object read from file (see Related).
func meshRelated(f *MeshFact, file string, context bool) bool {
	return f.Context || context || Related(f.File, file)
}

// VirtualService returns the definition of VirtualService ns/name nearest
// to file among those related to it, or nil.
func (ix *Index) VirtualService(ns, name, file string, context bool) *MeshFact {
	var best *MeshFact
	bestScore := -1
	for _, f := range ix.mesh.virtualServices[key(ns, "VirtualService", name)] {
		if !meshRelated(f, file, context) {
			continue
		}
		if s := proximity(f.File, file); s > bestScore {
			best, bestScore = f, s
		}
	}
	return best
}

// SubsetLabels returns the labels of subset of the Service ns/name, read
// from the DestinationRules for it related to file. ok is false when no
// such DestinationRule defines the subset, or two define it differently:
// which pods the subset holds is then unknown.
func (ix *Index) SubsetLabels(ns, name, subset, file string, context bool) (labels LabelSet, ok bool) {
	for _, f := range ix.mesh.destRules[key(ns, "Service", name)] {
		if !meshRelated(f, file, context) {
			continue
		}
		for _, s := range f.Subsets {
			if s.Name != subset {
				continue
			}
			if ok && s.Labels != labels {
				return "", false
			}
			labels, ok = s.Labels, true
		}
	}
	return labels, ok
}

// ServiceOfHost returns the Service an Istio host names in the mesh: a
// short name in the namespace ns of the object that names it, or
// name.namespace with an optional .svc or .svc.cluster.local. Other hosts
// (external names, wildcards) name no Service of the input.
func ServiceOfHost(host, ns string) (name, namespace string, ok bool) {
	if host == "" || strings.Contains(host, "*") {
		return "", "", false
	}
	host = strings.TrimSuffix(strings.TrimSuffix(host, ".cluster.local"), ".svc")
	parts := strings.Split(host, ".")
	switch len(parts) {
	case 1:
		return parts[0], ns, true
	case 2:
		return parts[0], parts[1], true
	}
	return "", "", false
}
