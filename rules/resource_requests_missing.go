package rules

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
)

var resourceRequestsMissing = &Rule{
	Meta: Meta{
		ID:       "resource-requests-missing",
		Severity: Error,
		Summary:  "A container has no cpu or memory request, so it cannot be scheduled or autoscaled sanely",
		Rationale: `The scheduler places pods by their requests. A container without requests is packed onto nodes
that cannot actually hold it, is the first to be evicted under memory pressure (BestEffort), and
gives a surging rollout no guarantee that the extra pods fit. A HorizontalPodAutoscaler that
targets CPU or memory utilization computes it as a percentage of the request: without one it
cannot scale at all. Limits count: the API server copies a limit into a missing request.`,
		Bad: `containers:
  - name: web
    image: example/web:1.2`,
		Fix: `containers:
  - name: web
    image: example/web:1.2
    resources:
      requests:
        cpu: 250m
        memory: 256Mi
      limits:
        memory: 256Mi`,
		Defaults: []string{
			"A missing request defaults to the limit for the same resource, when a limit is set",
			"Without any requests or limits a pod is BestEffort: evicted first under node pressure",
			"HPA Utilization targets are a percentage of the containers' requests",
		},
		Kinds: LongRunningKinds,
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		w, ok := WorkloadOf(p.Obj)
		if !ok {
			return
		}
		// Native sidecars count for scheduling and autoscaling too, so
		// they are checked whether or not they serve.
		for _, c := range w.Containers() {
			if IsMeshProxy(c.Container) {
				continue
			}
			var missing []string
			for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
				if !HasRequest(c.Container, r) {
					missing = append(missing, string(r))
				}
			}
			if len(missing) == 0 {
				continue
			}
			what := strings.Join(missing, " and ")
			noun := "request"
			if len(missing) > 1 {
				noun = "requests"
			}
			p.Report(Report{
				At:        c.Path.Key("resources", "requests"),
				Container: c.Name,
				Message:   c.Label() + " of " + p.Obj.String() + " has no " + what + " " + noun + "; set resources.requests." + strings.Join(missing, " and resources.requests.") + " (a limit also counts as the request)",
			})
		}
	},
}
