package rules

import (
	"fmt"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/crd"
)

var rolloutAbortScaleDown = &Rule{
	Meta: Meta{
		ID:       "rollout-abort-scale-down",
		Severity: Error,
		Summary:  "An aborted Argo Rollout canary is scaled down before the traffic router has stopped sending it requests",
		Rationale: `When a canary with traffic routing is aborted (by hand, or by a failed analysis), Argo
Rollouts sets the router's canary weight back to 0 and scales the canary ReplicaSet down
abortScaleDownDelaySeconds later (default 30). The weight change reaches the mesh, the ingress
controller or the cloud load balancer some seconds after it is written, and the delay's clock
starts as soon as the stable ReplicaSet is back at full size, without waiting for the router to
confirm the shift (argoproj/argo-rollouts#4867: an ALB target group still routing to a canary
scaled to zero returns 503s). A delay shorter than that propagation deletes canary pods that
still receive a share of the traffic, and those requests fail: the abort meant to protect users
from a bad version then drops requests of its own.

The canary pods' preStop sleep keeps them serving that much longer, so zdlint counts it: the
delay plus the shortest preStop sleep of the serving containers must reach minSeconds.
For a Rollout with workloadRef the sleep is the referenced Deployment's, when the input or a
--context file holds it (none is assumed otherwise).
abortScaleDownDelaySeconds: 0 means "never scale down on abort" (the canary keeps running until
the next update or a retry), which drops nothing and is not reported; neither is a basic canary
(no traffic routing), which ignores the field and removes canary pods like a Deployment does, nor
a blue-green Rollout, whose aborted preview pods take no production traffic. With
dynamicStableScale an unset abortScaleDownDelaySeconds means no delay at all (the canary is
drained as the weight moves back); rollout-dynamic-stable-scale-drain reports that case.`,
		Bad: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example/web:1.2
  strategy:
    canary:
      canaryService: web-canary
      stableService: web-stable
      abortScaleDownDelaySeconds: 5
      trafficRouting:
        istio:
          virtualService: {name: web}
      steps: [{setWeight: 20}, {pause: {}}]`,
		Fix: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example/web:1.2
  strategy:
    canary:
      canaryService: web-canary
      stableService: web-stable
      abortScaleDownDelaySeconds: 30
      trafficRouting:
        istio:
          virtualService: {name: web}
      steps: [{setWeight: 20}, {pause: {}}]`,
		Defaults: []string{
			"abortScaleDownDelaySeconds defaults to 30 for a canary with traffic routing and for blue-green, 0 means never scale down on abort, and a basic canary ignores it (argo-rollouts utils/defaults/defaults.go DefaultAbortScaleDownDelaySeconds and GetAbortScaleDownDelaySecondsOrDefault); docs/k8s-facts.md §13",
			"The abort delay starts once the stable ReplicaSet is available again, without verifying that the router stopped sending traffic to the canary (argoproj/argo-rollouts#4867); docs/k8s-facts.md §13",
			"A preStop hook delays SIGTERM, so a pod with a preStop sleep keeps serving for that long after its deletion starts (docs/k8s-facts.md §3)",
		},
		Kinds: []string{"Rollout"},
		Options: []Option{
			{Name: "minSeconds", Default: 30, Doc: "shortest time, in seconds, aborted canary pods must keep serving after the abort (abortScaleDownDelaySeconds plus their preStop sleep)"},
		},
		Since: "0.1.0",
		Fixes: []FixNote{
			{FixSafe, "every finding", "sets abortScaleDownDelaySeconds to minSeconds less the pods' preStop sleep: an aborted canary only runs a little longer; for a Rollout with workloadRef, minSeconds itself (the preStop sleep is in the referenced Deployment, read after the fix is chosen)"},
		},
	},
	Run: func(p *Pass) {
		r, ok := p.Obj.Typed.(*crd.Rollout)
		if !ok {
			return
		}
		c := r.Spec.Strategy.Canary
		if c == nil || c.TrafficRouting == nil || c.AbortScaleDownDelaySeconds == nil {
			return // unset: Argo's 30 s default
		}
		d := int64(*c.AbortScaleDownDelaySeconds)
		if d <= 0 {
			return // 0: never scaled down on abort
		}
		field := loader.P("spec", "strategy", "canary", "abortScaleDownDelaySeconds")
		rolloutDelayCheck{At: field, Field: field, Delay: d,
			Message: fmt.Sprintf("abortScaleDownDelaySeconds is %d: on an abort %s deletes the canary pods %d s{sleep} after the stable pods are back, while the traffic router may still send them requests, which fail; set abortScaleDownDelaySeconds: {advise}",
				d, p.Obj, d)}.run(p)
	},
	Resolve: resolveRolloutDelay,
}
