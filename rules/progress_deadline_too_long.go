package rules

import (
	"fmt"
	"strconv"

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
reduced capacity and a blocked pipeline before anyone is told.

The advice never goes below what the Deployment's own probes need for a new pod to become
available (the startup budget that progress-deadline-below-startup computes, plus a quarter or at
least 60 s of margin): when that budget exceeds maxSeconds, the advised value is the budget with
its margin, and an unset deadline is not reported when that value is 600 s or more.`,
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
			"An Argo Rollout's progressDeadlineSeconds has the same default (600) and meaning (docs/k8s-facts.md §13)",
			"A Flagger Canary's progressDeadlineSeconds defaults to 600 too; when the canary makes no progress for that long Flagger rolls it back (fluxcd/flagger pkg/apis/flagger/v1beta1/canary.go, GetProgressDeadlineSeconds; docs/k8s-facts.md §16)",
			"progressDeadlineSeconds defaults to 600",
			"Exceeding it sets the Progressing condition to False with reason ProgressDeadlineExceeded; nothing is rolled back automatically",
		},
		Kinds: []string{"Deployment", "Rollout", "Canary"},
		Options: []Option{
			{Name: "maxSeconds", Default: 300, Doc: "longest acceptable progressDeadlineSeconds"},
		},
		Since: "0.1.0",
		Fixes: []FixNote{
			{FixSafe, "every finding", "sets progressDeadlineSeconds to the value the message recommends: maxSeconds, or the pods' startup budget plus a margin when that is longer, so progress-deadline-below-startup stays quiet"},
		},
	},
	Run: func(p *Pass) {
		d, ok := progressOf(p.Obj)
		if !ok {
			return
		}
		max := p.Option("maxSeconds")
		// Never advise a deadline below what the probes need for a new
		// pod to become available: progress-deadline-below-startup would
		// then report the advice itself.
		advise, why := max, ""
		if b := startupBudgetOf(d); b.Total > max {
			advise = b.Total + startupMargin(b.Total)
			why = fmt.Sprintf(" (%s may need %d s to become available: %s)", b.Who, b.Total, b.How)
		}
		if d.Deadline == nil {
			if advise >= DefaultProgressDeadlineSeconds {
				return
			}
			p.Report(Report{
				At:  loader.P("spec"),
				Fix: deadlineFix(advise),
				Message: fmt.Sprintf("%s does not set progressDeadlineSeconds (default %d s), so a stuck rollout is reported only after 10 minutes; set it to %d or less%s",
					p.Obj, DefaultProgressDeadlineSeconds, advise, why),
			})
			return
		}
		if v := int64(*d.Deadline); v > advise {
			p.Report(Report{
				At:      loader.P("spec", "progressDeadlineSeconds"),
				Fix:     deadlineFix(advise),
				Message: fmt.Sprintf("progressDeadlineSeconds is %d, so a stuck rollout of %s is reported only after %s; set it to %d or less%s", v, p.Obj, humanSeconds(v), advise, why),
			})
		}
	},
}

// deadlineFix sets progressDeadlineSeconds next to replicas, else before
// the strategy or the template.
func deadlineFix(seconds int64) *FixSpec {
	return NewFix(FixSafe, Set(loader.P("spec", "progressDeadlineSeconds"), strconv.FormatInt(seconds, 10),
		After("replicas"), Before("strategy"), Before("template")))
}

// startupMargin is the slack added above a startup budget when advising a
// deadline: a quarter of it, at least 60 s, so a pod that starts at the edge
// of its budget is not reported as failed.
func startupMargin(budget int64) int64 {
	return max(budget/4, 60)
}

func humanSeconds(s int64) string {
	if s >= 120 && s%60 == 0 {
		return fmt.Sprintf("%d minutes", s/60)
	}
	return fmt.Sprintf("%d s", s)
}
