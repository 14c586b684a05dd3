package rules

import (
	"fmt"
	"strings"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/crd"
)

var rolloutWorkloadRefReplicas = &Rule{
	Meta: Meta{
		ID:       "rollout-workload-ref-replicas",
		Severity: Warning,
		Summary:  "A Deployment migrated to an Argo Rollout through workloadRef still runs its own pods",
		Rationale: `An Argo Rollout with spec.workloadRef takes its pod template from a Deployment and makes
pods of its own; it does not manage the Deployment's pods. Unless the Deployment is scaled to
zero (by the manifest, or by Argo through workloadRef.scaleDown: onsuccess or progressively),
both sets run behind the same Service, which selects them by the same labels. Every later
release is then only half a release: Argo rolls its own pods through the canary or blue-green
steps while the Deployment rolls its pods with a plain rolling update at the same time, so the
analysis, the traffic weights and an abort only govern part of the traffic, and users keep
reaching pods the Rollout cannot roll back.

zdlint reports the Deployment's replica count (unset means 1) when the Rollout leaves
scaleDown at its default, never. Set the Deployment's replicas to 0 once the Rollout is
healthy, or let Argo scale it down with scaleDown: onsuccess (or progressively, which scales it
down as the Rollout's pods become ready).`,
		Bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example/web:1.2
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  strategy:
    canary:
      steps: [{setWeight: 20}, {pause: {}}]`,
		Fix: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example/web:1.2
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web, scaleDown: onsuccess}
  strategy:
    canary:
      steps: [{setWeight: 20}, {pause: {}}]`,
		Defaults: []string{
			"workloadRef.scaleDown defaults to never: Argo leaves the referenced Deployment's replicas alone; onsuccess scales it to zero once the Rollout is healthy (and back up if it fails), progressively as the Rollout's pods become available (argo-rollouts docs/features/specification.md, docs/migrating.md, rollout/scale_utils.go, ScaleDownNever/OnSuccess/Progressively in pkg/apis/rollouts/v1alpha1/types.go); docs/k8s-facts.md §13",
			"The Rollout does not manage the Deployment's existing pods (argo-rollouts docs/migrating.md); docs/k8s-facts.md §13",
			"A Deployment's replicas defaults to 1",
		},
		Kinds: []string{"Rollout"},
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		r, ok := p.Obj.Typed.(*crd.Rollout)
		if !ok || r.Spec.WorkloadRef == nil || r.Spec.WorkloadRef.Name == "" {
			return
		}
		ref := r.Spec.WorkloadRef
		if k := ref.Kind; k != "" && k != "Deployment" {
			return
		}
		at := loader.P("spec", "workloadRef")
		switch strings.ToLower(ref.ScaleDown) {
		case "", "never":
			if ref.ScaleDown != "" {
				at = at.Key("scaleDown")
			}
		default:
			return // Argo scales the Deployment down
		}
		p.Later(Report{At: at, Detail: ref.Name})
	},
	Resolve: func(r *Resolution) (string, bool) {
		sub := r.Fact.About()
		d := r.Index.WorkloadNear(sub.Namespace, "Deployment", r.Detail, sub.File)
		if d == nil {
			return "", false
		}
		n := d.EffectiveReplicas()
		if n <= 0 {
			return "", false
		}
		shown := fmt.Sprintf("%d pods (replicas: %d)", n, n)
		if d.Replicas == nil {
			shown = "1 pod (replicas is unset)"
		}
		r.Relate(d, fmt.Sprintf("%s keeps %s of its own", d.Ref().ObjectString(), shown))
		return fmt.Sprintf("Rollout %q takes its template from Deployment %q, which keeps %s of its own behind the same Service, outside the Rollout's steps and aborts; set workloadRef.scaleDown: onsuccess, or the Deployment's replicas to 0 once the Rollout is healthy",
			sub.Name, d.Name, shown), true
	},
}
