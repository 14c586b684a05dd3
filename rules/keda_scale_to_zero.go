package rules

import (
	"fmt"
	"strings"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/crd"
)

var kedaScaleToZero = &Rule{
	Meta: Meta{
		ID:       "keda-scale-to-zero",
		Severity: Error,
		Summary:  "A KEDA ScaledObject scales a workload that serves requests down to zero pods",
		Rationale: `KEDA scales the target of a ScaledObject to zero replicas when all its triggers are
inactive, and minReplicaCount defaults to 0, so a ScaledObject that does not set it (or sets
idleReplicaCount: 0) removes every pod while nothing is queued. For a worker that consumes a
queue this is the point. For a workload that serves requests (a Service routes to it, or it
declares a port that is not a metrics or health endpoint: docs/serving.md) it is an outage:
while it is at zero its Service has no endpoints and every request is refused, and the first
request does not wake it, since KEDA only looks at its triggers every pollingInterval and the new
pod still has to start and become ready. Keep minReplicaCount at 1 or more, or put an HTTP
activator in front (the KEDA HTTP add-on's interceptor holds requests while it scales up from
zero).

A ScaledObject whose triggers are all cpu or memory cannot scale to zero at all: the metrics
of a workload without pods cannot be measured, and KEDA's admission webhook rejects it; zdlint
says so instead.`,
		Bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      containers:
        - name: api
          image: registry.example/api:1.0
          ports: [{containerPort: 8080}]
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: api}
spec:
  scaleTargetRef: {name: api}
  maxReplicaCount: 10
  triggers:
    - type: prometheus
      metadata:
        serverAddress: http://prometheus.monitoring:9090
        query: sum(rate(http_requests_total{app="api"}[1m]))
        threshold: "50"`,
		Fix: `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      containers:
        - name: api
          image: registry.example/api:1.0
          ports: [{containerPort: 8080}]
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: api}
spec:
  scaleTargetRef: {name: api}
  minReplicaCount: 2
  maxReplicaCount: 10
  triggers:
    - type: prometheus
      metadata:
        serverAddress: http://prometheus.monitoring:9090
        query: sum(rate(http_requests_total{app="api"}[1m]))
        threshold: "50"`,
		Defaults: []string{
			"minReplicaCount defaults to 0: with every trigger inactive KEDA scales the target to 0, or to idleReplicaCount when set (kedacore/keda pkg/scaling/executor/scale_scaledobjects.go:57-61); docs/k8s-facts.md §14",
			"scaleTargetRef kind and apiVersion default to Deployment and apps/v1 (apis/keda/v1alpha1/gvkr.go:24-27)",
			"A ScaledObject with only cpu and memory triggers and minReplicaCount 0 is rejected by KEDA's webhook (apis/keda/v1alpha1/scaledobject_webhook.go, \"scale to zero doesn't work in this case\")",
			"Whether a workload serves follows the serving model (docs/serving.md)",
			"A ScaledObject that a Flagger Canary names in autoscalerRef is copied for the Canary's -primary with autoscalerRef.primaryScalerReplicas.minReplicas as its minReplicaCount when set, and idleReplicaCount as it is (fluxcd/flagger pkg/canary/scaled_object_reconciler.go); with that minimum at 1 or more and no idleReplicaCount 0 it is not reported (docs/k8s-facts.md §17)",
		},
		Kinds: []string{"ScaledObject"},
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		so, ok := p.Obj.Typed.(*crd.ScaledObject)
		if !ok || so.Spec.ScaleTargetRef == nil || so.Spec.ScaleTargetRef.Name == "" {
			return
		}
		at, what := loader.P("spec"), "minReplicaCount is unset (KEDA's default is 0)"
		switch {
		case so.Spec.IdleReplicaCount != nil && *so.Spec.IdleReplicaCount == 0:
			at, what = at.Key("idleReplicaCount"), "idleReplicaCount is 0"
		case so.Spec.MinReplicaCount != nil && *so.Spec.MinReplicaCount == 0:
			at, what = at.Key("minReplicaCount"), "minReplicaCount is 0"
		case so.Spec.MinReplicaCount != nil:
			return
		}
		if len(so.Spec.Triggers) > 0 && onlyResourceTriggers(so.Spec.Triggers) {
			p.Reportf(at, "%s but every trigger of %s is cpu or memory, which cannot scale to zero (a workload without pods has no usage to measure): KEDA's admission webhook rejects it; set minReplicaCount: 1 or more", what, p.Obj)
			return
		}
		if httpActivated(so.Spec.Triggers) {
			return
		}
		p.Later(Report{At: at, Detail: what})
	},
	Resolve: func(r *Resolution) (string, bool) {
		f := r.Fact.(*HPAFact)
		// A ScaledObject a Flagger Canary names in autoscalerRef is
		// copied for the -primary, which serves, with
		// primaryScalerReplicas.minReplicas as its minReplicaCount when
		// set; the original scales only the canary pods, during an
		// analysis. idleReplicaCount is copied as it is, so 0 there
		// still scales the primary to zero.
		if c := r.Index.CanaryCopying(f); c != nil && c.PrimaryMin != nil && *c.PrimaryMin >= 1 && !strings.HasPrefix(r.Detail, "idleReplicaCount") {
			return "", false
		}
		w := r.Index.WorkloadNear(f.Ref().Namespace, f.Target.Kind, f.Target.Name, f.File)
		if w == nil {
			return "", false
		}
		s := r.Index.ServingOf(w)
		switch s.Pod {
		case RoleNone, RoleScrape:
			return "", false
		case RoleMaybe:
			r.Severity = Warning
		}
		r.Relate(w, fmt.Sprintf("%s, which it scales to zero", w.Ref().ObjectString()))
		s.RelateRoute(r, -1)
		return fmt.Sprintf("%s: %s scales %s %q to zero pods when its triggers go idle, and %s serves requests, which are refused until KEDA's next poll scales it up and a pod is ready; set minReplicaCount: 1 or more (2 to survive a disruption), or front it with the KEDA HTTP add-on",
			r.Detail, f.Ref().ObjectString(), w.Kind, w.Name, w.Name), true
	},
}

// onlyResourceTriggers reports whether every trigger is cpu or memory.
func onlyResourceTriggers(ts []crd.ScaleTriggers) bool {
	for _, t := range ts {
		if t.Type != "cpu" && t.Type != "memory" {
			return false
		}
	}
	return true
}

// httpActivated reports whether a trigger is the KEDA HTTP add-on's
// external scaler, whose interceptor holds requests while the workload
// scales up from zero.
func httpActivated(ts []crd.ScaleTriggers) bool {
	for _, t := range ts {
		if strings.HasPrefix(t.Type, "external") && strings.Contains(t.Metadata["scalerAddress"], "keda-add-ons-http") {
			return true
		}
	}
	return false
}
