package rules

import (
	"fmt"
	"strconv"

	"github.com/zdlint/zdlint/loader"
)

var hpaMinReplicasLow = &Rule{
	Meta: Meta{
		ID:       "hpa-min-replicas-low",
		Severity: Warning,
		Summary:  "An HPA may scale its workload down to a single pod",
		Rationale: `An HorizontalPodAutoscaler decides how many replicas run, down to minReplicas. With
minReplicas 1 (also what you get when the field is left out) every quiet period scales the
workload to one pod, and from then on a node drain, an eviction or a crash takes the whole
service down until a new pod is Ready. Keeping at least two replicas costs one pod and turns
those events into a capacity dip.`,
		Bad: `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 10`,
		Fix: `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10`,
		Defaults: []string{
			"HPA minReplicas defaults to 1 in every autoscaling version (docs/k8s-facts.md §7)",
			"An HPA that a Flagger Canary names in autoscalerRef is copied for the Canary's -primary, with autoscalerRef.primaryScalerReplicas.minReplicas instead of its own when set; the HPA itself then scales only the canary pods during an analysis, and is not reported when that override is high enough (docs/k8s-facts.md §17)",
		},
		Kinds: []string{"HorizontalPodAutoscaler"},
		Options: []Option{
			{Name: "minReplicas", Default: 2, Doc: "the lowest minReplicas that is not reported"},
		},
		Since: "0.1.0",
		Fixes: []FixNote{
			{FixUnsafe, "minReplicas below the option's value, when maxReplicas allows it", "sets minReplicas to the option's value (2): more pods run at quiet times, which costs money, so a person decides"},
		},
	},
	Run: func(p *Pass) {
		h, ok := HPAOf(p.Obj)
		if !ok {
			return
		}
		want := p.Option("minReplicas")
		n := int32(DefaultHPAMinReplicas)
		how := fmt.Sprintf("minReplicas is not set (default %d)", DefaultHPAMinReplicas)
		if h.MinReplicas != nil {
			n = *h.MinReplicas
			how = fmt.Sprintf("minReplicas is %d", n)
		}
		if int64(n) >= want {
			return
		}
		var fix *FixSpec
		if int64(h.MaxReplicas) >= want {
			fix = NewFix(FixUnsafe, Set(loader.P("spec", "minReplicas"), strconv.FormatInt(want, 10), Before("maxReplicas")))
		}
		// Deferred: a Flagger Canary may copy this HPA for the pods
		// that serve with other bounds (primaryScalerReplicas).
		p.Later(Report{At: loader.P("spec", "minReplicas"), Fix: fix, Detail: fmt.Sprintf("%s: %s, so %s %q can scale down to %s and a drain or crash takes it down; set minReplicas to at least %d",
			p.Obj, how, h.Target.Kind, h.Target.Name, pods(n), want)})
	},
	Resolve: func(r *Resolution) (string, bool) {
		// An HPA a Canary names in autoscalerRef is copied for the
		// -primary, which serves; the HPA itself scales the canary pods
		// only during an analysis. With primaryScalerReplicas.minReplicas
		// high enough, the pods that serve never drop to one.
		if c := r.Index.CanaryCopying(r.Fact.(*HPAFact)); c != nil && c.PrimaryMin != nil && int64(*c.PrimaryMin) >= r.Option("minReplicas") {
			return "", false
		}
		return r.Detail, true
	},
}
