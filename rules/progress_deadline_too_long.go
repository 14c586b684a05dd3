package rules

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/zdlint/zdlint/loader"
)

var progressDeadlineTooLong = &Rule{
	Meta: Meta{
		ID:       "progress-deadline-too-long",
		Severity: Warning,
		Summary:  "A Deployment's progressDeadlineSeconds is unset (600 s) or too long, so a stuck rollout is reported late",
		Rationale: `When new pods never become ready (a crash loop, a bad config, an image that cannot be pulled)
the Deployment controller reports ProgressDeadlineExceeded only after progressDeadlineSeconds
without progress. Until then ` + "`kubectl rollout status`" + ` and CD pipelines wait, and automated
rollback does not start. The default is ten minutes: ten minutes of a half-finished rollout,
reduced capacity and a blocked pipeline before anyone is told.`,
		Bad: `apiVersion: apps/v1
kind: Deployment
spec:
  replicas: 3`,
		Fix: `apiVersion: apps/v1
kind: Deployment
spec:
  replicas: 3
  progressDeadlineSeconds: 180`,
		Defaults: []string{
			"progressDeadlineSeconds defaults to 600",
			"Exceeding it sets the Progressing condition to False with reason ProgressDeadlineExceeded; nothing is rolled back automatically",
		},
		Kinds: []string{"Deployment"},
		Options: []Option{
			{Name: "maxSeconds", Default: 300, Doc: "longest acceptable progressDeadlineSeconds"},
		},
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		d, ok := p.Obj.Typed.(*appsv1.Deployment)
		if !ok {
			return
		}
		max := p.Option("maxSeconds")
		if d.Spec.ProgressDeadlineSeconds == nil {
			p.Report(Report{
				At: loader.P("spec"),
				Message: fmt.Sprintf("%s does not set progressDeadlineSeconds (default %d s), so a stuck rollout is reported only after 10 minutes; set it to %d or less",
					p.Obj, DefaultProgressDeadlineSeconds, max),
			})
			return
		}
		if v := int64(*d.Spec.ProgressDeadlineSeconds); v > max {
			p.Report(Report{
				At:      loader.P("spec", "progressDeadlineSeconds"),
				Message: fmt.Sprintf("progressDeadlineSeconds is %d, so a stuck rollout of %s is reported only after %s; set it to %d or less", v, p.Obj, humanSeconds(v), max),
			})
		}
	},
}

// humanSeconds renders a duration for messages: "45 s", "10 minutes".
func humanSeconds(s int64) string {
	if s >= 120 && s%60 == 0 {
		return fmt.Sprintf("%d minutes", s/60)
	}
	return fmt.Sprintf("%d s", s)
}
