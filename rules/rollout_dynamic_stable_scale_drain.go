package rules

import (
	"fmt"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/crd"
)

var rolloutDynamicStableScaleDrain = &Rule{
	Meta: Meta{
		ID:       "rollout-dynamic-stable-scale-drain",
		Severity: Error,
		Summary:  "An Argo Rollout with dynamicStableScale deletes pods as soon as the traffic weight moves off them, before the router has caught up",
		Rationale: `A traffic-routed canary normally keeps the stable ReplicaSet at full size until the end and
then keeps the old pods for scaleDownDelaySeconds (30 by default) after the switch, which covers
the seconds the mesh, the ingress controller or the cloud load balancer takes to apply a new
weight. dynamicStableScale: true trades that for fewer pods: after each setWeight Argo Rollouts
scales the stable ReplicaSet down to the stable weight's share of spec.replicas, and after
promotion scales the old ReplicaSet to zero at once. It does so on the reconcile after it has
written the weight to the router, without waiting for the router to apply it, and the
Rollout cannot ask for a delay: Argo rejects scaleDownDelaySeconds together with
dynamicStableScale (argoproj/argo-rollouts#4828 and #4926 report the 503s this causes, still
open in August 2026). On an abort the same happens to the canary: unless
abortScaleDownDelaySeconds is set, its pods are deleted step by step as the weight moves back to
stable, again as soon as each weight is written.

Until the router catches up it keeps sending a share of the requests to the pods being deleted,
and those requests fail unless the pods keep serving: the only cover left is the containers'
preStop sleep. zdlint reports a traffic-routed canary with dynamicStableScale whose serving
containers' shortest preStop sleep is below minSeconds (the same 30 seconds Argo's
scaleDownDelaySeconds default gives a Rollout without dynamicStableScale). Either give every
serving container a preStop sleep of minSeconds (and a terminationGracePeriodSeconds that covers
it and the shutdown), or drop dynamicStableScale so scaleDownDelaySeconds applies again. For a Rollout with workloadRef the
sleep is the referenced Deployment's, when the input or a --context file holds it.

Setting abortScaleDownDelaySeconds keeps an aborted canary up until the traffic is back on stable
(docs/features/canary/index.md), but it is not suggested here: with dynamicStableScale it
deadlocked aborts, leaving traffic on the aborted canary, in every release up to v1.10.0-rc1
(argoproj/argo-rollouts#4898, fixed on the main branch by #4900 in July 2026).`,
		Bad: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  replicas: 10
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example/web:1.2
          ports: [{containerPort: 8080}]
  strategy:
    canary:
      canaryService: web-canary
      stableService: web-stable
      dynamicStableScale: true
      trafficRouting:
        istio:
          virtualService: {name: web}
      steps: [{setWeight: 20}, {pause: {}}, {setWeight: 60}, {pause: {}}]`,
		Fix: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  replicas: 10
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      terminationGracePeriodSeconds: 60
      containers:
        - name: web
          image: registry.example/web:1.2
          ports: [{containerPort: 8080}]
          lifecycle:
            preStop:
              sleep: {seconds: 30}
  strategy:
    canary:
      canaryService: web-canary
      stableService: web-stable
      dynamicStableScale: true
      trafficRouting:
        istio:
          virtualService: {name: web}
      steps: [{setWeight: 20}, {pause: {}}, {setWeight: 60}, {pause: {}}]`,
		Defaults: []string{
			"With dynamicStableScale the stable ReplicaSet is scaled to the larger of the desired and the last written stable weight's share of spec.replicas, and the old stable is scaled to zero at once after promotion (argo-rollouts utils/replicaset/canary.go CalculateReplicaCountsForTrafficRoutedCanary, rollout/canary.go scaleDownOldReplicaSetsForCanary); docs/k8s-facts.md §13",
			"scaleDownDelaySeconds together with dynamicStableScale is invalid (pkg/apis/rollouts/validation/validation.go InvalidCanaryDynamicStableScaleWithScaleDownDelay); docs/k8s-facts.md §13",
			"On an abort with dynamicStableScale and no explicit abortScaleDownDelaySeconds, the canary is scaled down as the weight steps back to stable, with no delay (rollout/replicaset.go shouldDelayScaleDownOnAbort, utils/replicaset/canary.go GetDesiredCanaryWeight); docs/k8s-facts.md §13",
			"A preStop hook delays SIGTERM, so a pod with a preStop sleep keeps serving for that long after its deletion starts (docs/k8s-facts.md §3)",
		},
		Kinds: []string{"Rollout"},
		Options: []Option{
			{Name: "minSeconds", Default: 30, Doc: "shortest preStop sleep, in seconds, that covers the traffic router's propagation when Argo deletes pods the moment it moves the weight"},
		},
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		r, ok := p.Obj.Typed.(*crd.Rollout)
		if !ok {
			return
		}
		c := r.Spec.Strategy.Canary
		if c == nil || c.TrafficRouting == nil || !c.DynamicStableScale {
			return
		}
		rolloutDelayCheck{At: loader.P("spec", "strategy", "canary", "dynamicStableScale"),
			Message: fmt.Sprintf("dynamicStableScale: %s deletes stable pods as soon as it writes each lower stable weight (and aborted canary pods as soon as it moves the weight back), with no scale-down delay, while the traffic router still sends them requests, which fail; its serving containers have {now}: give them a preStop sleep of %d s, or remove dynamicStableScale so scaleDownDelaySeconds keeps old pods up",
				p.Obj, p.Option("minSeconds"))}.run(p)
	},
	Resolve: resolveRolloutDelay,
}
