package rules

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
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
them apart.`,
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
			"Without constraints the scheduler only prefers spreading (hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway)",
			"replicas defaults to 1",
		},
		Kinds: []string{"Deployment", "StatefulSet"},
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
		if !ok || int64(w.EffectiveReplicas()) < p.Option("minReplicas") {
			return
		}
		keys := p.ListOption("topologyKeys")
		spreadKey := func(k string) bool {
			for _, want := range keys {
				if k == want {
					return true
				}
			}
			return false
		}
		spec := w.PodSpec()
		for _, c := range spec.TopologySpreadConstraints {
			if spreadKey(c.TopologyKey) {
				return
			}
		}
		if a := spec.Affinity; a != nil && a.PodAntiAffinity != nil {
			for _, t := range a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution {
				if spreadKey(t.TopologyKey) {
					return
				}
			}
			for _, t := range a.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution {
				if spreadKey(t.PodAffinityTerm.TopologyKey) {
					return
				}
			}
		}
		p.Report(Report{At: w.SpecPath.Key("topologySpreadConstraints"), Message: fmt.Sprintf("%s has %d replicas but no topologySpreadConstraints or podAntiAffinity on %s, so one node or zone can hold them all; add a topology spread constraint",
			p.Obj, w.EffectiveReplicas(), keyList(keys))})
	},
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
