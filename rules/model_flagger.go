package rules

import (
	"slices"
	"sort"
	"strings"

	"github.com/zdlint/zdlint/loader/crd"
)

// Flagger's picture of a workload (docs/k8s-facts.md §17). A Canary's
// targetRef names a Deployment (or DaemonSet) that Flagger does not serve
// from: it copies it into <name>-primary, points the Service at the copy's
// pods, and scales the target to zero between analyses. The copy has the
// target's replicas and strategy, the target's pod labels with one label,
// the selector label, renamed to <value>-primary, and, with an
// autoscalerRef, a copy of that HPA (or ScaledObject) named <hpa>-primary
// whose bounds primaryScalerReplicas may override. The rules that judge
// how many pods serve (single-replica, the PDB rules, the HPA arithmetic)
// judge the primary.

// flaggerSelectorLabels are Flagger's default -selector-labels, in the
// order it looks for them in the target's spec.selector.matchLabels
// (cmd/flagger/main.go; pkg/canary/deployment_controller.go
// getSelectorLabel).
var flaggerSelectorLabels = []string{"app", "name", "app.kubernetes.io/name"}

// flaggerPrimaryLabel returns the selector label Flagger renames in the
// -primary copy of a workload with this selector: the first of its
// default -selector-labels in matchLabels, or "" when none is (Flagger
// then needs a -selector-labels flag zdlint does not see).
func flaggerPrimaryLabel(matchLabels map[string]string) string {
	for _, k := range flaggerSelectorLabels {
		if _, ok := matchLabels[k]; ok {
			return k
		}
	}
	return ""
}

// flaggerTargetKinds are the targetRef kinds Flagger copies into a
// -primary workload (pkg/canary/factory.go; a Service target is a Knative
// or plain Service, which has no pods of its own).
var flaggerTargetKinds = []string{"Deployment", "DaemonSet"}

// CanaryFact records a Flagger Canary: the workload it rolls and the
// autoscaler it copies for that workload's -primary.
type CanaryFact struct {
	Subject
	TargetKind, TargetName string
	// AutoscalerKind and AutoscalerName are autoscalerRef's, empty
	// without one.
	AutoscalerKind, AutoscalerName string
	// PrimaryMin and PrimaryMax are autoscalerRef.primaryScalerReplicas:
	// when set, the primary's autoscaler has them instead of the copied
	// autoscaler's minReplicas and maxReplicas.
	PrimaryMin, PrimaryMax *int32
}

func extractCanary(sub Subject, c *crd.Canary) *CanaryFact {
	f := &CanaryFact{Subject: sub, TargetKind: c.Spec.TargetRef.Kind, TargetName: c.Spec.TargetRef.Name}
	if a := c.Spec.AutoscalerRef; a != nil && a.Name != "" {
		f.AutoscalerKind, f.AutoscalerName = a.Kind, a.Name
		if r := a.PrimaryScalerReplicas; r != nil {
			f.PrimaryMin, f.PrimaryMax = copyInt32(r.MinReplicas), copyInt32(r.MaxReplicas)
		}
	}
	return f
}

func copyInt32(p *int32) *int32 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// FlaggerPrimary is the -primary copy a Flagger Canary makes of its target
// and serves the traffic from.
type FlaggerPrimary struct {
	Canary *CanaryFact
	// Name is the copy's name, <target>-primary.
	Name string
	// LabelKey and LabelValue are the selector label Flagger renames and
	// its value on the primary's pods (<value>-primary); Labels are the
	// primary's pod labels. All are empty when the target's selector has
	// none of Flagger's default selector labels.
	LabelKey, LabelValue string
	Labels               LabelSet
	// Autoscalers are what bounds the primary's replicas: Flagger's copy
	// of autoscalerRef (named <name>-primary, with primaryScalerReplicas
	// applied) or, without autoscalerRef, the HPAs of the target, whose
	// replica count Flagger copies at every promotion; and HPAs in the
	// input that target the primary by name.
	Autoscalers []*HPAFact
	// AutoscalerMissing is true when autoscalerRef names an autoscaler
	// that is not in the input (or not related to the Canary), or the
	// target's HPA is ambiguous: the primary's bounds are unknown.
	AutoscalerMissing bool
	// PDBs are the budgets whose selector matches the primary's pods.
	PDBs []*PDBFact
}

// flaggerPrimaryOf builds the primary Canary c makes of the target w.
func (ix *Index) flaggerPrimaryOf(c *CanaryFact, w *workload) *FlaggerPrimary {
	fp := &FlaggerPrimary{Canary: c, Name: w.Name + "-primary"}
	if k := w.PrimaryLabel; k != "" {
		if v, ok := w.Labels.Lookup(k); ok {
			fp.LabelKey, fp.LabelValue = k, v+"-primary"
			m := map[string]string{}
			for key, value := range w.Labels.All() {
				// Flagger drops Flux's own labels from the copy
				// (pkg/canary/util.go makePrimaryLabels).
				if !strings.Contains(key, "toolkit.fluxcd.io") {
					m[key] = value
				}
			}
			m[k] = fp.LabelValue
			fp.Labels = NewLabelSet(m)
		}
	}
	if c.AutoscalerName != "" {
		var best *HPAFact
		bestScore := -1
		for _, h := range ix.hpas {
			if h.Kind != c.AutoscalerKind || h.Name != c.AutoscalerName || h.Namespace != c.Namespace || !relatedFiles(h.Subject, c.Subject) {
				continue
			}
			if s := proximity(h.File, c.File); s > bestScore {
				best, bestScore = h, s
			}
		}
		if best == nil {
			fp.AutoscalerMissing = true
		} else {
			cp := *best
			cp.Name = best.Name + "-primary"
			cp.Target = ScaleTarget{Kind: w.Kind, Name: fp.Name, APIVersion: best.Target.APIVersion}
			if c.PrimaryMin != nil {
				cp.MinReplicas = copyInt32(c.PrimaryMin)
			}
			if c.PrimaryMax != nil {
				cp.MaxReplicas = *c.PrimaryMax
			}
			fp.Autoscalers = append(fp.Autoscalers, &cp)
		}
	} else {
		// Without autoscalerRef Flagger creates the primary with the
		// target's replica count and copies that count again at every
		// promotion (pkg/canary/deployment_controller.go
		// createPrimaryDeployment, Promote), while the target runs: an
		// HPA on the target has scaled it by then, so the primary runs
		// at least that HPA's minReplicas.
		fp.Autoscalers = append(fp.Autoscalers, ix.HPAsFor(w.Ref(), w.File)...)
		fp.AutoscalerMissing = len(fp.Autoscalers) == 0 && ix.HPAAmbiguous(w.Ref(), w.File)
	}
	// Flagger's docs allow an HPA of one's own on the primary instead of
	// autoscalerRef ("create two HPAs, one for canary and one for the
	// primary").
	for _, h := range ix.hpas {
		if h.Namespace == c.Namespace && h.Target.Kind == w.Kind && h.Target.Name == fp.Name && relatedFiles(h.Subject, c.Subject) {
			fp.Autoscalers = append(fp.Autoscalers, h)
		}
	}
	if fp.Labels != "" {
		for i := range ix.pdbs {
			b := &ix.pdbs[i]
			if b.Namespace != c.Namespace || b.selector == nil || b.SelectorState == SelectorMissing || b.Beta && b.SelectorState == SelectorEmpty ||
				!relatedFacts(w, b.File, b.Context) || !b.selector.Matches(fp.Labels) {
				continue
			}
			fp.PDBs = append(fp.PDBs, b.PDBFact)
		}
	}
	return fp
}

// linkCanaries relates every Canary to the nearest definition of its
// target, once HPAs and budgets are linked; of two Canaries of one
// target, the first by namespace, name and file.
func (ix *Index) linkCanaries() {
	sort.SliceStable(ix.canaries, func(i, j int) bool {
		a, b := ix.canaries[i], ix.canaries[j]
		if a.Ref() != b.Ref() {
			return refLess(a.Ref(), b.Ref())
		}
		return a.File < b.File
	})
	for _, c := range ix.canaries {
		if !slices.Contains(flaggerTargetKinds, c.TargetKind) || c.TargetName == "" {
			continue
		}
		w, _, ok := ix.lookup(key(c.Namespace, c.TargetKind, c.TargetName)).nearest(c.File)
		if !ok || !relatedFacts(w, c.File, c.Context) {
			continue
		}
		// Of two Canaries of one definition (copies of an application
		// in one tree), the nearest to it.
		l := w.linked()
		switch {
		case l.flagger == nil:
			ix.flaggerTargets = append(ix.flaggerTargets, w)
		case proximity(c.File, w.File) <= proximity(l.flagger.Canary.File, w.File):
			continue
		}
		l.flagger = ix.flaggerPrimaryOf(c, w)
	}
}

// flaggerPrimary returns the -primary copy a Canary makes of w, or nil.
func (w *workload) flaggerPrimary() *FlaggerPrimary {
	if w == nil || w.links == nil {
		return nil
	}
	return w.links.flagger
}

// selectedBy reports whether the budget p selects the primary's pods.
func (fp *FlaggerPrimary) selectedBy(p *PDBFact) bool {
	for _, b := range fp.PDBs {
		if b.Ref() == p.Ref() && b.File == p.File {
			return true
		}
	}
	return false
}

// FlaggerPrimary returns the -primary copy a Flagger Canary in the input
// makes of the workload ref defined in file, or nil when no Canary
// targets that definition.
func (ix *Index) FlaggerPrimary(ref ObjectRef, file string) *FlaggerPrimary {
	return ix.def(ref, file).flaggerPrimary()
}

// relatedFiles reports whether two objects are taken to be deployed
// together (see Related; a --context object relates to every input).
func relatedFiles(a, b Subject) bool {
	return a.Context || b.Context || Related(a.File, b.File)
}

// CanaryOfPrimary returns the Canary in namespace ns, related to file,
// that targets a workload of this kind whose -primary copy is called
// name: the object an HPA written for the primary names, which only
// Flagger creates. Of several, the nearest to file; nil for none.
func (ix *Index) CanaryOfPrimary(ns, kind, name, file string) *CanaryFact {
	base, ok := strings.CutSuffix(name, "-primary")
	if !ok {
		return nil
	}
	var best *CanaryFact
	bestScore := -1
	for _, c := range ix.canaries {
		if c.Namespace == ns && c.TargetKind == kind && c.TargetName == base && (c.Context || Related(c.File, file)) {
			if s := proximity(c.File, file); s > bestScore {
				best, bestScore = c, s
			}
		}
	}
	return best
}

// Autoscalers returns the autoscalers that size the pods serving for the
// workload ref defined in file: HPAsFor, or, for the target of a Flagger
// Canary, its primary's (with autoscalerRef, an HPA that targets the
// target itself scales only the canary pods, which Flagger keeps at zero
// between analyses).
// unknown is true when which autoscalers apply cannot be told: an HPA
// ties between definitions, or autoscalerRef names one not in the input.
func (ix *Index) Autoscalers(ref ObjectRef, file string) (hpas []*HPAFact, unknown bool) {
	if fp := ix.FlaggerPrimary(ref, file); fp != nil {
		return fp.Autoscalers, fp.AutoscalerMissing
	}
	hpas = ix.HPAsFor(ref, file)
	return hpas, len(hpas) == 0 && ix.HPAAmbiguous(ref, file)
}

// FlaggerTargetOnly returns the Flagger targets whose pods the budget p
// selects while it selects none of their -primary copies' pods, with those
// copies: between analyses a target runs no pods, so p protects nothing
// that serves. Targets whose primary labels are unknown are left out.
func (ix *Index) FlaggerTargetOnly(p *PDBFact) (targets []*WorkloadFact, primaries []*FlaggerPrimary) {
	if len(ix.flaggerTargets) == 0 {
		return nil, nil
	}
	b := newBudget(p)
	nodes, _ := ix.selected(&b)
	for _, w := range nodes {
		if fp := w.flaggerPrimary(); fp != nil && fp.Labels != "" && !fp.selectedBy(p) {
			targets = append(targets, w.WorkloadFact)
			primaries = append(primaries, fp)
		}
	}
	return targets, primaries
}

// CanaryCopying returns the Canary whose autoscalerRef names the
// autoscaler h (the same kind, name and namespace, in a related file),
// which Flagger copies for the Canary's primary; of several, the nearest
// to h; nil when none does.
func (ix *Index) CanaryCopying(h *HPAFact) *CanaryFact {
	var best *CanaryFact
	bestScore := -1
	for _, c := range ix.canaries {
		if c.Namespace == h.Namespace && c.AutoscalerKind == h.Kind && c.AutoscalerName == h.Name && relatedFiles(c.Subject, h.Subject) {
			if s := proximity(c.File, h.File); s > bestScore {
				best, bestScore = c, s
			}
		}
	}
	return best
}
