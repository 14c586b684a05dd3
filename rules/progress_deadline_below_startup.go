package rules

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/zdlint/zdlint/loader"
)

var progressDeadlineBelowStartup = &Rule{
	Meta: Meta{
		ID:       "progress-deadline-below-startup",
		Severity: Warning,
		Summary:  "progressDeadlineSeconds is shorter than a new pod may take to become ready, so healthy rollouts are reported as failed",
		Rationale: `The Deployment controller declares a rollout failed (ProgressDeadlineExceeded) when no new pod
became available within progressDeadlineSeconds. The probes allow a pod much longer than that
when they are generous: a startup probe may wait failureThreshold × periodSeconds, a readiness
probe initialDelaySeconds plus failureThreshold × periodSeconds, and minReadySeconds is added on
top. A deadline below that budget fails a rollout that would have succeeded, and pipelines that
roll back on the condition undo a good release.`,
		Bad: `progressDeadlineSeconds: 120
template:
  spec:
    containers:
      - name: app
        startupProbe:
          httpGet: {path: /started, port: 8080}
          periodSeconds: 10
          failureThreshold: 30   # up to 300 s to start`,
		Fix: `progressDeadlineSeconds: 420
template:
  spec:
    containers:
      - name: app
        startupProbe:
          httpGet: {path: /started, port: 8080}
          periodSeconds: 10
          failureThreshold: 30`,
		Defaults: []string{
			"progressDeadlineSeconds defaults to 600; minReadySeconds to 0",
			"Probe defaults: initialDelaySeconds 0, periodSeconds 10, failureThreshold 3",
			"Readiness is not probed until the startup probe has succeeded",
		},
		Kinds: []string{"Deployment"},
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		d, ok := p.Obj.Typed.(*appsv1.Deployment)
		if !ok {
			return
		}
		deadline := int64(DefaultProgressDeadlineSeconds)
		if d.Spec.ProgressDeadlineSeconds != nil {
			deadline = int64(*d.Spec.ProgressDeadlineSeconds)
		}
		var worst int64
		var who, how string
		for _, c := range ServingContainers(&d.Spec.Template.Spec, specTemplateSpec) {
			var budget int64
			var desc string
			if sp := c.StartupProbe; sp != nil {
				t := TimingOf(sp)
				budget = int64(t.InitialDelay) + int64(t.Failure)*int64(t.Period)
				desc = fmt.Sprintf("its startupProbe allows %d s", budget)
			} else if rp := c.ReadinessProbe; rp != nil {
				t := TimingOf(rp)
				budget = int64(t.InitialDelay) + int64(t.Failure)*int64(t.Period)
				desc = fmt.Sprintf("its readinessProbe allows %d s", budget)
			}
			if budget > worst {
				worst, who, how = budget, c.Label(), desc
			}
		}
		if worst == 0 {
			return
		}
		total := worst + int64(d.Spec.MinReadySeconds)
		if d.Spec.MinReadySeconds > 0 {
			how += fmt.Sprintf(" plus minReadySeconds %d", d.Spec.MinReadySeconds)
		}
		if deadline >= total {
			return
		}
		at := loader.P("spec", "progressDeadlineSeconds")
		p.Report(Report{At: at, Message: fmt.Sprintf("progressDeadlineSeconds is %d but %s may need %d s to become ready (%s), so a healthy rollout can be reported as failed; raise the deadline above %d or tighten the probe",
			deadline, who, total, how, total)})
	},
}
