package rules

import (
	"fmt"
	"strconv"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/crd"
)

var rolloutCanaryScaleBelowWeight = &Rule{
	Meta: Meta{
		ID:       "rollout-canary-scale-below-weight",
		Severity: Error,
		Summary:  "An Argo Rollout canary gets a larger share of the traffic than setCanaryScale gives it of the pods",
		Rationale: `With traffic routing, a canary step setWeight: N tells the mesh or ingress to send N% of the
requests to the canary Service, and by default Argo Rollouts sizes the canary ReplicaSet to the
same share of spec.replicas, so each canary pod carries what a stable pod carries. A
setCanaryScale step (replicas, or weight as a percentage of spec.replicas) overrides that size
for every following step until a setCanaryScale with matchTrafficWeight: true: later setWeight
steps move the traffic but no longer the pods. Argo shifts the weight as soon as the canary has
the scale it was told, without comparing the two. When the canary's share of the pods is below
its share of the traffic, each canary pod receives more requests than it was sized for (Argo's
own documentation shows 90% of the traffic on 10% of the pods); they slow down, time out and
fail their readiness probes, and a canary with no pod at all (replicas: 0) behind a positive
weight has no endpoints, so the router answers that share of the requests with 503s. An analysis
then blames the new version for an overload the steps made.

zdlint replays the steps as Argo does (utils/replicaset/canary.go): the weight in force is the
last setWeight, the canary's size the last setCanaryScale (weight rounds up, then
minPodsPerReplicaSet), against spec.replicas (1 when unset) and the router's maxTrafficWeight
(100 unless set). A finding is an error when the canary has no pod or its pods carry at least
twice their normal share, a warning below that. It is reported at the step that opens the gap:
the setWeight value that raises the weight past the canary's share, or the setCanaryScale value
that shrinks the canary below the weight in force. A basic canary (no traffic routing) cannot
use setCanaryScale and is not checked; header routes and experiments are not modelled.`,
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
  strategy:
    canary:
      canaryService: web-canary
      stableService: web-stable
      trafficRouting:
        istio:
          virtualService: {name: web}
      steps:
        - setCanaryScale: {weight: 10}
        - setWeight: 90
        - pause: {}`,
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
      containers:
        - name: web
          image: registry.example/web:1.2
  strategy:
    canary:
      canaryService: web-canary
      stableService: web-stable
      trafficRouting:
        istio:
          virtualService: {name: web}
      steps:
        - setCanaryScale: {weight: 90}
        - setWeight: 90
        - pause: {}`,
		Defaults: []string{
			"With traffic routing the canary is sized to the current setWeight (rounded up) unless a setCanaryScale step is in force: its replicas, or its weight as a percentage of spec.replicas, hold for every following step until setCanaryScale: {matchTrafficWeight: true} (argo-rollouts utils/replicaset/canary.go CalculateReplicaCountsForTrafficRoutedCanary, UseSetCanaryScale, GetCurrentSetWeight; docs/features/canary/index.md, \"Dynamic Canary Scale\"); docs/k8s-facts.md §13",
			"The router's weight follows setWeight once the canary reaches the scale it was told, whatever that scale is (rollout/trafficrouting.go, AtDesiredReplicaCountsForCanary); docs/k8s-facts.md §13",
			"minPodsPerReplicaSet raises a weight-sized canary (and, with dynamicStableScale, any canary) to at least that many pods, capped at spec.replicas; maxTrafficWeight defaults to 100 (utils/replicaset/canary.go CheckMinPodsPerReplicaSet, utils/weightutil MaxTrafficWeight)",
			"spec.replicas defaults to 1 (argo-rollouts utils/defaults/defaults.go)",
		},
		Kinds: []string{"Rollout"},
		Since: "0.1.0",
		Fixes: []FixNote{
			{FixSafe, "a setCanaryScale given as weight", "raises its weight to the highest setWeight in force while it holds, so the canary's share of the pods matches its share of the traffic"},
			{FixUnsafe, "a setCanaryScale given as replicas", "raises its replicas to that share of spec.replicas; an autoscaler that changes the replica count makes the number wrong again"},
		},
	},
	Run: func(p *Pass) {
		r, ok := p.Obj.Typed.(*crd.Rollout)
		if !ok {
			return
		}
		c := r.Spec.Strategy.Canary
		if c == nil || c.TrafficRouting == nil {
			return
		}
		for _, g := range canaryScaleGaps(r) {
			p.Report(g.report(p.Obj))
		}
	},
}

// canaryScaleGap is one step after which the canary holds a smaller share
// of the pods than of the traffic.
type canaryScaleGap struct {
	step      int  // the setWeight or setCanaryScale step that opens the gap
	byWeight  bool // the step is a setWeight
	scaleStep int  // the setCanaryScale in force
	scale     *crd.SetCanaryScale
	weight    int32 // traffic weight in force, of maxWeight
	pods      int32 // canary pods
	replicas  int32 // spec.replicas
	maxWeight int32
	// peak is the highest weight in force while this setCanaryScale
	// holds: what the fix sizes the canary for.
	peak int32
}

// canaryScaleGaps replays the canary steps of a traffic-routed Rollout the
// way Argo Rollouts sizes the canary (CalculateReplicaCountsForTrafficRoutedCanary).
func canaryScaleGaps(r *crd.Rollout) []canaryScaleGap {
	c := r.Spec.Strategy.Canary
	replicas := int32(DefaultReplicas)
	if r.Spec.Replicas != nil {
		replicas = *r.Spec.Replicas
	}
	maxWeight := int32(100)
	if m := c.TrafficRouting.MaxTrafficWeight; m != nil && *m > 0 {
		maxWeight = *m
	}
	if replicas <= 0 {
		return nil
	}
	var gaps []canaryScaleGap
	weight := int32(0)
	var scale *crd.SetCanaryScale
	scaleStep := -1
	peaks := map[int]int32{} // setCanaryScale step -> highest weight while it holds
	for i, st := range c.Steps {
		byWeight := false
		switch {
		case st.SetWeight != nil:
			weight, byWeight = *st.SetWeight, true
		case st.SetCanaryScale != nil:
			scale, scaleStep = st.SetCanaryScale, i
			if scale.MatchTrafficWeight || (scale.Replicas == nil && scale.Weight == nil) {
				// Back to the default: the canary follows the weight
				// (UseSetCanaryScale, GetCanaryReplicasOrWeight).
				scale, scaleStep = nil, -1
			}
		default:
			continue
		}
		if scale == nil {
			continue
		}
		peaks[scaleStep] = max(peaks[scaleStep], weight)
		if weight <= 0 {
			continue
		}
		pods := canaryScalePods(c, scale, replicas, maxWeight)
		// The canary's share of the pods, pods/replicas, must reach its
		// share of the traffic, weight/maxWeight.
		if int64(pods)*int64(maxWeight) >= int64(weight)*int64(replicas) {
			continue
		}
		gaps = append(gaps, canaryScaleGap{step: i, byWeight: byWeight, scaleStep: scaleStep, scale: scale,
			weight: weight, pods: pods, replicas: replicas, maxWeight: maxWeight})
	}
	for i := range gaps {
		gaps[i].peak = peaks[gaps[i].scaleStep]
	}
	return gaps
}

// canaryScalePods is the canary's size under a setCanaryScale: explicit
// replicas as given (raised to minPodsPerReplicaSet only with
// dynamicStableScale), a weight rounded up and raised to
// minPodsPerReplicaSet (utils/replicaset/canary.go trafficWeightToReplicas,
// CheckMinPodsPerReplicaSet).
func canaryScalePods(c *crd.CanaryStrategy, s *crd.SetCanaryScale, replicas, maxWeight int32) int32 {
	var n int32
	minPods := c.MinPodsPerReplicaSet != nil
	if s.Replicas != nil {
		n = max(*s.Replicas, 0)
		minPods = minPods && c.DynamicStableScale
	} else {
		n = weightToReplicas(replicas, *s.Weight, maxWeight)
	}
	if minPods && n > 0 {
		n = max(n, min(*c.MinPodsPerReplicaSet, replicas))
	}
	return n
}

// weightToReplicas is Argo's trafficWeightToReplicas: weight's share of
// replicas, rounded up.
func weightToReplicas(replicas, weight, maxWeight int32) int32 {
	if weight <= 0 {
		return 0
	}
	return int32((int64(weight)*int64(replicas) + int64(maxWeight) - 1) / int64(maxWeight))
}

func (g canaryScaleGap) report(obj *loader.Object) Report {
	steps := loader.P("spec", "strategy", "canary", "steps")
	scaleAt := steps.Index(g.scaleStep).Key("setCanaryScale")
	size := fmt.Sprintf("%d of %d pods", g.pods, g.replicas)
	var fix *FixSpec
	if g.scale.Replicas != nil {
		scaleAt = scaleAt.Key("replicas")
		fix = NewFix(FixUnsafe, Set(scaleAt, strconv.Itoa(int(weightToReplicas(g.replicas, g.peak, g.maxWeight)))))
	} else {
		scaleAt = scaleAt.Key("weight")
		size = fmt.Sprintf("%d of %d pods (setCanaryScale weight %d)", g.pods, g.replicas, *g.scale.Weight)
		fix = NewFix(FixSafe, Set(scaleAt, strconv.Itoa(int(g.peak))))
	}
	share := fmt.Sprintf("%d%%", g.weight)
	if g.maxWeight != 100 {
		share = fmt.Sprintf("weight %d of %d", g.weight, g.maxWeight)
	}
	var effect string
	var sev Severity // the rule's
	if g.pods == 0 {
		effect = "the canary Service has no endpoints, so the router answers that share of the requests with 503s"
	} else {
		// Per-pod load relative to a pod of the full stable set:
		// (weight/maxWeight) / (pods/replicas).
		load := float64(g.weight) * float64(g.replicas) / (float64(g.maxWeight) * float64(g.pods))
		effect = fmt.Sprintf("each canary pod gets %.1f times the requests a pod gets at full scale, more than it was sized for", load)
		if load < 2 {
			sev = Warning
		}
	}
	if g.byWeight {
		msg := fmt.Sprintf("steps[%d] routes %s of the traffic to the canary of %s, which steps[%d].setCanaryScale holds at %s: %s; raise steps[%d].setCanaryScale to %s, or put setCanaryScale: {matchTrafficWeight: true} before this step",
			g.step, share, obj, g.scaleStep, size, effect, g.scaleStep, fixValue(g))
		return Report{At: steps.Index(g.step).Key("setWeight"), Severity: sev, Fix: fix, Message: msg}
	}
	msg := fmt.Sprintf("setCanaryScale holds the canary of %s at %s while %s of the traffic is routed to it: %s; set it to %s, or to matchTrafficWeight: true",
		obj, size, share, effect, fixValue(g))
	return Report{At: scaleAt, Severity: sev, Fix: fix, Message: msg}
}

// fixValue says what the setCanaryScale should be: the weight, or the
// replicas, of the highest setWeight in force while it holds.
func fixValue(g canaryScaleGap) string {
	if g.scale.Replicas != nil {
		return fmt.Sprintf("replicas: %d", weightToReplicas(g.replicas, g.peak, g.maxWeight))
	}
	return fmt.Sprintf("weight: %d", g.peak)
}
