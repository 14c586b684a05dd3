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
		Defaults: []string{"HPA minReplicas defaults to 1 in every autoscaling version (docs/k8s-facts.md §7)"},
		Kinds:    []string{"HorizontalPodAutoscaler"},
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
		p.Report(Report{At: loader.P("spec", "minReplicas"), Fix: fix, Message: fmt.Sprintf("%s: %s, so %s %q can scale down to %s and a drain or crash takes it down; set minReplicas to at least %d",
			p.Obj, how, h.Target.Kind, h.Target.Name, pods(n), want)})
	},
}
