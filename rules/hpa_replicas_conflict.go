package rules

import (
	"fmt"
	"strings"
)

var hpaReplicasConflict = &Rule{
	Meta: Meta{
		ID:       "hpa-replicas-conflict",
		Severity: Warning,
		Summary:  "A workload sets spec.replicas while an HPA manages its scale",
		Rationale: `An HorizontalPodAutoscaler owns spec.replicas of the workload it targets: it writes the
number it computed. If the manifest also sets spec.replicas, every kubectl apply, Helm upgrade
or GitOps sync writes the manifest's number back. Under load that is a sudden scale-down to
the written value (pods terminated while they serve), and the HPA needs a sync period or more
to scale out again. Leave spec.replicas out of the manifest and let the HPA's minReplicas set
the floor.`,
		Bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3   # the HPA below manages this
  template:
    spec:
      containers:
        - {name: web, image: example/web:1.2}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 3
  maxReplicas: 10`,
		Fix: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  # no replicas: the HPA sets them (minReplicas 3)
  template:
    spec:
      containers:
        - {name: web, image: example/web:1.2}`,
		Defaults: []string{
			"An HPA or PDB governs a workload only when their files are related: the same file or directory, one directory inside the other, or a --context file; never across sibling directories or into a testdata directory (rules/model_index.go Related)",
			"The HPA writes the target's spec.replicas; an apply resets it to the manifest's value (docs/k8s-facts.md §7)",
			"Omitting spec.replicas on create gives 1 until the HPA acts (docs/k8s-facts.md §1, §7)",
		},
		Kinds: scalableKinds,
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		w, ok := WorkloadOf(p.Obj)
		if !ok || w.Replicas == nil {
			return
		}
		p.Later(Report{At: replicasPath})
	},
	Resolve: func(r *Resolution) (string, bool) {
		w := r.Fact.(*WorkloadFact)
		hpas := r.Index.HPAsFor(w.Ref(), w.File)
		if len(hpas) == 0 || w.Replicas == nil {
			return "", false
		}
		n := *w.Replicas
		names := make([]string, len(hpas))
		for i, h := range hpas {
			names[i] = fmt.Sprintf("%s %q (minReplicas %d, maxReplicas %d)", h.Ref().Kind, h.Ref().Name, h.EffectiveMinReplicas(), h.MaxReplicas)
			r.Relate(h, fmt.Sprintf("%s manages the replica count of this %s", h.Ref().ObjectString(), w.Kind))
		}
		return fmt.Sprintf("%s sets replicas: %d but %s manages its scale: every apply resets it to %d; remove spec.replicas",
			w.Ref().ObjectString(), n, strings.Join(names, ", "), n), true
	},
}
