package rules

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/zdlint/zdlint/loader"
)

var replicasNotSpread = &Rule{
	Meta: Meta{
		ID:       "replicas-not-spread",
		Severity: Warning,
		Summary:  "Replicas have no anti-affinity or topology spread, so one node or zone failure can take them all",
		Rationale: `Nothing stops the scheduler from placing every replica on the same node or in the same zone:
its built-in spreading is a soft preference. Then one node drain, kernel upgrade or zone outage
takes all replicas down at once, and the second replica bought nothing. A topology spread
constraint (or pod anti-affinity) on kubernetes.io/hostname or topology.kubernetes.io/zone keeps
them apart.

A constraint or term only spreads the pods it selects, so it counts only when it covers the
workload's own pods: its labelSelector matches the pod template labels (a constraint with no
labelSelector selects no pods, unless matchLabelKeys has the API server build one), and an
anti-affinity term's namespaces include the pod's namespace (a namespaceSelector, or an object
without metadata.namespace, is taken to include it: zdlint cannot see namespace labels or the
namespace it will be applied to). When spec.replicas is unset, the count is the smallest
minReplicas of the HPAs that manage the workload (default 1 without one).

The target of a Flagger Canary runs no pods between analyses; its -primary copy serves, and
Flagger copies the constraints with a partial rewrite (see the defaults below). A target whose
constraints select its own pods but would not select the primary's (a Helm-style Deployment
whose name differs from its app.kubernetes.io/name, a constraint on app while Flagger renames
name) is reported.

Not reported, on purpose: workloads that serve nothing or only metrics and health endpoints, by
the serving model (docs/serving.md), since a node that takes all of them down loses throughput,
not requests; workloads whose signals disagree are reported as info.`,
		Bad: `spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: web`,
		Fix: `spec:
  replicas: 3
  template:
    spec:
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels: {app: web}
          matchLabelKeys: [pod-template-hash]
      containers:
        - name: web`,
		Defaults: []string{
			"An HPA or PDB governs a workload only when their files are related: the same file or directory, one directory inside the other, or a --context file; never across sibling directories or into a testdata directory (rules/model_index.go Related)",
			"Without constraints the scheduler only prefers spreading (hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway)",
			"replicas defaults to 1",
			"A Flagger Canary's target is judged as its <name>-primary copy: the selector label Flagger renames gets the value <value>-primary on the copy's pods, and the copy's topology spread and anti-affinity selectors get -primary appended to values of Flagger's selector labels (app, name, app.kubernetes.io/name) that equal the Deployment's name, and no other change (fluxcd/flagger pkg/canary/deployment_controller.go appendPrimarySuffixToValuesIfNeeded; docs/k8s-facts.md §17)",
			"An Argo Rollout with workloadRef runs its replicas with the referenced Deployment's template, labels and spreading included: judged when the input or a --context file holds that Deployment, reported at spec.workloadRef (argo-rollouts rollout/templateref.go; docs/k8s-facts.md §13)",
		},
		Kinds: []string{"Deployment", "StatefulSet", "Rollout", "CloneSet", "AdvancedStatefulSet"},
		Options: []Option{
			{Name: "minReplicas", Default: 2, Doc: "replica count from which spreading is required"},
			{Name: "topologyKeys", DefaultList: defaultSpreadKeys,
				Doc: "topology keys that count as spreading; any one of them satisfies the rule"},
		},
		Disabled: true,
		Since:    "0.1.0",
	},
	Run: func(p *Pass) {
		w, ok := WorkloadOf(p.Obj)
		if !ok {
			return
		}
		if w.Replicas != nil && int64(*w.Replicas) < p.Option("minReplicas") {
			return
		}
		keys := p.ListOption("topologyKeys")
		if w.TemplateRef {
			// An Argo Rollout running another workload's template
			// (workloadRef): its replicas, that template's spreading,
			// decided once the Index has resolved it (SpreadKeys).
			p.Later(Report{At: loader.P("spec", "workloadRef"), Detail: templateSpreadMark + strings.Join(keys, "\n")})
			return
		}
		if spreads(w, p.Obj.Namespace, keys) {
			// A Flagger Canary's target spreads its own pods, but its
			// -primary copy, which serves, has other labels and Flagger
			// rewrites the constraints only partly: decided once the
			// Index says whether a Canary targets it.
			if key := flaggerPrimaryLabel(selectorLabels(w)); key != "" && w.Kind == "Deployment" && !spreadsAsFlaggerPrimary(w, p.Obj.Name, key, p.Obj.Namespace, keys) {
				at := w.SpecPath.Key("topologySpreadConstraints")
				if len(w.PodSpec().TopologySpreadConstraints) == 0 {
					at = w.SpecPath.Key("affinity", "podAntiAffinity")
				}
				p.Later(Report{At: at, Detail: flaggerSpreadMark + keyList(keys)})
			}
			return
		}
		at := w.SpecPath.Key("topologySpreadConstraints")
		if w.Replicas == nil {
			// An HPA's minReplicas is the count when replicas is unset
			// (as hpa-replicas-conflict advises): decided with the Index.
			p.Later(Report{At: at, Detail: keyList(keys)})
			return
		}
		// Spreading matters for a workload that serves, known once every
		// Service is (ServingOf).
		LaterIfServing(p, Report{At: at, Message: spreadMessage(p.Obj.String(), fmt.Sprintf("%d replicas", *w.Replicas), keyList(keys))})
	},
	Resolve: func(r *Resolution) (string, bool) {
		if msg, keep, ok := ResolveServing(r, Warning); ok {
			return msg, keep
		}
		if keys, ok := strings.CutPrefix(r.Detail, flaggerSpreadMark); ok {
			return resolveFlaggerSpread(r, keys)
		}
		f := r.Fact.(*WorkloadFact)
		keysText, where := r.Detail, ""
		if raw, ok := strings.CutPrefix(r.Detail, templateSpreadMark); ok {
			keys := strings.Split(raw, "\n")
			if f.TemplateFile == "" || slices.ContainsFunc(keys, func(k string) bool { return slices.Contains(f.SpreadKeys, k) }) {
				return "", false // template unknown, or it spreads
			}
			keysText, where = keyList(keys), fmt.Sprintf(", in the template of %s %q that it runs through workloadRef", f.TemplateKind, f.TemplateName)
		}
		s := r.Index.ServingOf(f)
		switch s.Pod {
		case RoleNone, RoleScrape:
			return "", false
		case RoleMaybe:
			r.Severity = Info
		}
		n, how := int32(DefaultReplicas), fmt.Sprintf("does not set replicas (default %d)", DefaultReplicas)
		hs, _ := r.Index.Autoscalers(f.Ref(), f.File)
		if f.Replicas != nil { // a workloadRef Rollout's own count
			n, how, hs = *f.Replicas, fmt.Sprintf("%d replicas", *f.Replicas), nil
		}
		if len(hs) > 0 {
			n = hs[0].EffectiveMinReplicas()
			for _, h := range hs[1:] {
				n = min(n, h.EffectiveMinReplicas())
			}
			how = fmt.Sprintf("runs at least %s (HPA minReplicas)", pods(n))
		}
		if int64(n) < r.Option("minReplicas") {
			return "", false
		}
		for _, h := range hs {
			r.Relate(h, fmt.Sprintf("%s keeps at least %s running", h.Ref().ObjectString(), pods(h.EffectiveMinReplicas())))
		}
		s.RelateRoute(r, -1)
		return spreadMessage(f.Ref().ObjectString(), how, keysText) + where, true
	},
}

// templateSpreadMark starts the Detail of a finding deferred for a Rollout
// with workloadRef; the configured topology keys follow, one a line.
const templateSpreadMark = "template\x00"

// spreadKeysOf lists the topology keys on which a spread constraint or a
// pod anti-affinity term covers the workload's own pods (see spreads).
func spreadKeysOf(w *Workload, ns string) []string {
	var out []string
	for _, k := range spreadCandidates(w) {
		if !slices.Contains(out, k) && spreads(w, ns, []string{k}) {
			out = append(out, k)
		}
	}
	return out
}

// spreadCandidates are the topology keys a workload's constraints and
// anti-affinity terms name.
func spreadCandidates(w *Workload) []string {
	var keys []string
	spec := w.PodSpec()
	for _, c := range spec.TopologySpreadConstraints {
		keys = append(keys, c.TopologyKey)
	}
	if a := spec.Affinity; a != nil && a.PodAntiAffinity != nil {
		for _, t := range a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution {
			keys = append(keys, t.TopologyKey)
		}
		for _, t := range a.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution {
			keys = append(keys, t.PodAffinityTerm.TopologyKey)
		}
	}
	return keys
}

func spreadMessage(obj, count, keys string) string {
	if !strings.HasPrefix(count, "runs") && !strings.HasPrefix(count, "does") {
		count = "has " + count
	}
	return fmt.Sprintf("%s %s but no topologySpreadConstraints or podAntiAffinity on %s that selects its own pods, so one node or zone can hold them all; add a topology spread constraint whose labelSelector matches the pod labels",
		obj, count, keys)
}

// flaggerSpreadMark starts the Detail of a finding about a Flagger
// primary's spreading (see spreadsAsFlaggerPrimary).
const flaggerSpreadMark = "flagger\x00"

// resolveFlaggerSpread decides a finding deferred because a Deployment
// spreads its own pods but not those of the -primary copy a Flagger
// Canary would make of it: reported when a Canary does, for the primary's
// pod count.
func resolveFlaggerSpread(r *Resolution, keys string) (string, bool) {
	f := r.Fact.(*WorkloadFact)
	fp := r.Index.FlaggerPrimary(f.Ref(), f.File)
	if fp == nil || fp.Labels == "" {
		return "", false
	}
	s := r.Index.ServingOf(f)
	switch s.Pod {
	case RoleNone, RoleScrape:
		return "", false
	case RoleMaybe:
		r.Severity = Info
	}
	n := f.EffectiveReplicas()
	if hs, unknown := r.Index.Autoscalers(f.Ref(), f.File); unknown {
		return "", false
	} else if len(hs) > 0 {
		n = hs[0].EffectiveMinReplicas()
		for _, h := range hs[1:] {
			n = min(n, h.EffectiveMinReplicas())
		}
	}
	if int64(n) < r.Option("minReplicas") {
		return "", false
	}
	r.Relate(fp.Canary, fmt.Sprintf("%s serves its traffic from %q, whose pods have %s: %s", fp.Canary.Ref().ObjectString(), fp.Name, fp.LabelKey, fp.LabelValue))
	return fmt.Sprintf("%s spreads its own pods, but not those of %q, the copy Flagger Canary %q serves from (at least %s): the primary's pods have %s: %s, and Flagger rewrites the copy's spread and anti-affinity selectors only by appending -primary to values of app, name or app.kubernetes.io/name that equal the Deployment's name %q, so none on %s selects them and one node or zone can hold them all; select the pods by a label the primary keeps as it is, or with matchLabelKeys",
		f.Ref().ObjectString(), fp.Name, fp.Canary.Name, pods(n), fp.LabelKey, fp.LabelValue, f.Name, keys), true
}

// selectorLabels returns the workload's spec.selector.matchLabels.
func selectorLabels(w *Workload) map[string]string {
	if w.Selector == nil {
		return nil
	}
	return w.Selector.MatchLabels
}

// spreadsAsFlaggerPrimary reports whether the -primary copy a Flagger
// Canary makes of the Deployment name would still spread its own pods:
// the copy's pods carry the template labels with key's value suffixed
// -primary, and Flagger appends -primary to the values of topology
// spread and anti-affinity selectors, on its selector labels, that equal
// the Deployment's name (fluxcd/flagger pkg/canary/deployment_controller.go
// appendPrimarySuffixToValuesIfNeeded; docs/k8s-facts.md §17).
func spreadsAsFlaggerPrimary(w *Workload, name, key, ns string, keys []string) bool {
	own := map[string]string{}
	for k, v := range w.Template.Labels {
		if !strings.Contains(k, "toolkit.fluxcd.io") {
			own[k] = v
		}
	}
	own[key] += "-primary"
	rewrite := func(sel *metav1.LabelSelector) *metav1.LabelSelector {
		if sel == nil {
			return nil
		}
		out := &metav1.LabelSelector{}
		if len(sel.MatchLabels) > 0 {
			out.MatchLabels = map[string]string{}
			for k, v := range sel.MatchLabels {
				if v == name && slices.Contains(flaggerSelectorLabels, k) {
					v += "-primary"
				}
				out.MatchLabels[k] = v
			}
		}
		for _, e := range sel.MatchExpressions {
			e.Values = slices.Clone(e.Values)
			if slices.Contains(flaggerSelectorLabels, e.Key) {
				if i := slices.Index(e.Values, name); i >= 0 {
					e.Values[i] += "-primary"
				}
			}
			out.MatchExpressions = append(out.MatchExpressions, e)
		}
		return out
	}
	return spreadsWith(labels.Set(own), w.PodSpec(), ns, keys, rewrite)
}

// spreads reports whether a topology spread constraint or pod anti-affinity
// term on one of keys covers the workload's own pods: its labelSelector
// matches the pod template labels (a constraint without one selects no
// pods, unless matchLabelKeys fills it in), and, for anti-affinity, its
// namespaces include the pod's own. ns is the object's namespace as
// written; when it is unset, the namespace is not known and any namespaces
// list is taken to include it.
func spreads(w *Workload, ns string, keys []string) bool {
	return spreadsWith(labels.Set(w.Template.Labels), w.PodSpec(), ns, keys, nil)
}

// spreadsWith is spreads for pods with labels own and spec, whose
// selectors are first passed through rewrite when it is not nil.
func spreadsWith(own labels.Set, spec *corev1.PodSpec, ns string, keys []string, rewrite func(*metav1.LabelSelector) *metav1.LabelSelector) bool {
	spreadKey := func(k string) bool { return slices.Contains(keys, k) }
	selects := func(sel *metav1.LabelSelector, matchLabelKeys []string) bool {
		if rewrite != nil {
			sel = rewrite(sel)
		}
		if sel == nil {
			return len(matchLabelKeys) > 0 // the API server builds the selector from the pod's values
		}
		s, err := metav1.LabelSelectorAsSelector(sel)
		return err == nil && s.Matches(own)
	}
	inNamespace := func(t corev1.PodAffinityTerm) bool {
		if t.NamespaceSelector != nil || len(t.Namespaces) == 0 || ns == "" {
			return true // own namespace, or namespaces picked by labels zdlint cannot see
		}
		return slices.Contains(t.Namespaces, ns)
	}
	term := func(t corev1.PodAffinityTerm) bool {
		return spreadKey(t.TopologyKey) && selects(t.LabelSelector, t.MatchLabelKeys) && inNamespace(t)
	}
	for _, c := range spec.TopologySpreadConstraints {
		if spreadKey(c.TopologyKey) && selects(c.LabelSelector, c.MatchLabelKeys) {
			return true
		}
	}
	if a := spec.Affinity; a != nil && a.PodAntiAffinity != nil {
		for _, t := range a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution {
			if term(t) {
				return true
			}
		}
		for _, t := range a.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution {
			if term(t.PodAffinityTerm) {
				return true
			}
		}
	}
	return false
}

// defaultSpreadKeys are the well-known node and zone labels.
var defaultSpreadKeys = []string{corev1.LabelHostname, corev1.LabelTopologyZone, corev1.LabelFailureDomainBetaZone}

// keyList names the accepted topology keys the way the default reads best:
// "hostname or zone" for the default set, the keys themselves otherwise.
func keyList(keys []string) string {
	if strings.Join(keys, ",") == strings.Join(defaultSpreadKeys, ",") {
		return "hostname or zone"
	}
	return strings.Join(keys, " or ")
}
