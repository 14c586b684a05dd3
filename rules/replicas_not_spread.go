package rules

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
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
		if !ok || w.TemplateRef { // the template is linted where it is written
			return
		}
		if w.Replicas != nil && int64(*w.Replicas) < p.Option("minReplicas") {
			return
		}
		keys := p.ListOption("topologyKeys")
		if spreads(w, p.Obj.Namespace, keys) {
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
		f := r.Fact.(*WorkloadFact)
		s := r.Index.ServingOf(f)
		switch s.Pod {
		case RoleNone, RoleScrape:
			return "", false
		case RoleMaybe:
			r.Severity = Info
		}
		n, how := int32(DefaultReplicas), fmt.Sprintf("does not set replicas (default %d)", DefaultReplicas)
		hs, _ := r.Index.Autoscalers(f.Ref(), f.File)
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
		return spreadMessage(f.Ref().ObjectString(), how, r.Detail), true
	},
}

func spreadMessage(obj, count, keys string) string {
	if !strings.HasPrefix(count, "runs") && !strings.HasPrefix(count, "does") {
		count = "has " + count
	}
	return fmt.Sprintf("%s %s but no topologySpreadConstraints or podAntiAffinity on %s that selects its own pods, so one node or zone can hold them all; add a topology spread constraint whose labelSelector matches the pod labels",
		obj, count, keys)
}

// spreads reports whether a topology spread constraint or pod anti-affinity
// term on one of keys covers the workload's own pods: its labelSelector
// matches the pod template labels (a constraint without one selects no
// pods, unless matchLabelKeys fills it in), and, for anti-affinity, its
// namespaces include the pod's own. ns is the object's namespace as
// written; when it is unset, the namespace is not known and any namespaces
// list is taken to include it.
func spreads(w *Workload, ns string, keys []string) bool {
	spreadKey := func(k string) bool { return slices.Contains(keys, k) }
	own := labels.Set(w.Template.Labels)
	selects := func(sel *metav1.LabelSelector, matchLabelKeys []string) bool {
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
	spec := w.PodSpec()
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
