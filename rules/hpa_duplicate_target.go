package rules

import (
	"fmt"
	"path/filepath"
	"slices"
)

var hpaDuplicateTarget = &Rule{
	Meta: Meta{
		ID:       "hpa-duplicate-target",
		Severity: Error,
		Summary:  "Two HPAs target the same workload, so the HPA controller scales neither",
		Rationale: `The HPA controller refuses to act on pods that more than one HorizontalPodAutoscaler
controls: before it scales, it lists the pods of its target and the HPAs that control them, and
when there are several it records an AmbiguousSelector event, sets ScalingActive to False and does
nothing. Each of the HPAs sees the other, so the workload is not scaled at all and stays at its
current size through the next traffic peak. Two HPAs for one workload usually mean one for cpu
and one for memory, or a second one added by another team; one HPA can hold several metrics and
scales on whichever asks for the most replicas.

An HPA is reported when another HPA with a name that sorts before it, in the same directory,
targets the same workload (namespace, kind and name). HPAs in different directories are left
alone: they are usually the same application's overlays for different environments.

A Flagger Canary with autoscalerRef makes Flagger create a second HPA, <autoscalerRef>-primary,
on the <target>-primary Deployment it serves from; an HPA in the input that targets that
primary under another name is then reported too. Flagger's docs allow an HPA of one's own on the
primary only without autoscalerRef.`,
		Bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - {name: web, image: example/web:1.2, resources: {requests: {cpu: 250m, memory: 256Mi}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web-cpu}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web-memory}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}`,
		Fix: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - {name: web, image: example/web:1.2, resources: {requests: {cpu: 250m, memory: 256Mi}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
    - type: Resource
      resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}`,
		Defaults: []string{
			"The HPA controller does not scale pods that several HPAs control (AmbiguousSelector, ScalingActive=False) (docs/k8s-facts.md §7)",
			"scaleTargetRef refers to an object in the HPA's own namespace (docs/k8s-facts.md §7)",
			"A Flagger Canary with autoscalerRef makes Flagger create <autoscalerRef.name>-primary on its <target>-primary; an HPA of one's own on that primary under another name is a second one, and one under that name is taken over by Flagger (docs/k8s-facts.md §17)",
		},
		Kinds: []string{"HorizontalPodAutoscaler", "ScaledObject"},
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		h, ok := HPAOf(p.Obj)
		if !ok || h.Target.Name == "" || !slices.Contains(scalableKinds, h.Target.Kind) {
			return
		}
		p.Later(Report{At: targetNamePath})
	},
	Resolve: func(r *Resolution) (string, bool) {
		f := r.Fact.(*HPAFact)
		w := r.Index.WorkloadNear(f.Ref().Namespace, f.Target.Kind, f.Target.Name, f.File)
		if w == nil {
			// An HPA of one's own on a Flagger primary, while the
			// Canary's autoscalerRef makes Flagger create another
			// (<autoscalerRef>-primary) on the same pods. One of the
			// name Flagger uses is taken over by Flagger instead.
			c := r.Index.CanaryOfPrimary(f.Ref().Namespace, f.Target.Kind, f.Target.Name, f.File)
			if c == nil || c.AutoscalerName == "" || f.Kind == c.AutoscalerKind && f.Name == c.AutoscalerName+"-primary" {
				return "", false // unknown target: hpa-target-missing's case
			}
			r.Relate(c, fmt.Sprintf("%s names %s %q in autoscalerRef, which Flagger copies as %q for %s", c.Ref().ObjectString(), c.AutoscalerKind, c.AutoscalerName, c.AutoscalerName+"-primary", f.Target.Name))
			return fmt.Sprintf("%s targets %s %q, the primary Flagger makes from %s, which also gets Flagger's copy of its autoscalerRef, %s %q: %s; drop this one and set the Canary's autoscalerRef.primaryScalerReplicas, or remove autoscalerRef",
				f.Ref().ObjectString(), f.Target.Kind, f.Target.Name, c.Ref().ObjectString(), c.AutoscalerKind, c.AutoscalerName+"-primary",
				duplicateWhy(f, &HPAFact{Subject: Subject{Kind: c.AutoscalerKind}})), true
		}
		dir := filepath.Dir(f.File)
		for _, other := range r.Index.HPAsFor(w.Ref(), w.File) { // sorted by name
			if other.Ref().Name >= f.Ref().Name {
				break
			}
			if filepath.Dir(other.File) == dir {
				r.Relate(other, fmt.Sprintf("%s targets the same %s", other.Ref().ObjectString(), w.Kind))
				r.Relate(w, fmt.Sprintf("%s, which both autoscalers target", w.Ref().ObjectString()))
				return fmt.Sprintf("%s targets %s %q, as %s %q does: %s; %s",
					f.Ref().ObjectString(), f.Target.Kind, f.Target.Name, other.Ref().Kind, other.Ref().Name, duplicateWhy(f, other), duplicateFix(f, other)), true
			}
		}
		return "", false
	},
}

// duplicateWhy says why two autoscalers of one workload fail: KEDA turns
// a ScaledObject into an HPA of its own (keda-hpa-<name>), so a
// ScaledObject and an HPA are two HPAs as well.
func duplicateWhy(a, b *HPAFact) string {
	if a.Kind == "ScaledObject" || b.Kind == "ScaledObject" {
		return "KEDA makes an HPA of its own for a ScaledObject, and the HPA controller scales no pods that two HPAs control, so neither acts (KEDA's admission webhook, where installed, refuses the second)"
	}
	return "the HPA controller scales no pods that two HPAs control, so neither acts"
}

func duplicateFix(a, b *HPAFact) string {
	if a.Kind == "ScaledObject" || b.Kind == "ScaledObject" {
		return "keep one autoscaler (a ScaledObject can hold cpu and memory triggers next to its event triggers), or fix scaleTargetRef if it means another workload"
	}
	return "merge their metrics into one HPA, or fix scaleTargetRef if it means another workload"
}
