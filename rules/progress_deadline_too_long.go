package rules

import (
	"fmt"
	"strconv"
	"strings"

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
			"An Argo Rollout with workloadRef runs the referenced Deployment's pods: their probes count when the input or a --context file holds that Deployment, with the Rollout's own minReadySeconds (docs/k8s-facts.md §13)",
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
			{FixNone, "an Argo Rollout with workloadRef", "its probes are the referenced Deployment's, read from the other object after fixes are chosen; the message gives the value"},
		},
	},
	Run: func(p *Pass) {
		d, ok := progressOf(p.Obj)
		if !ok {
			return
		}
		var deadline *int64
		if d.Deadline != nil {
			v := int64(*d.Deadline)
			deadline = &v
		}
		if d.TemplateRef {
			// The probes are the referenced Deployment's: the advice
			// waits for the Index (WorkloadFact.StartupSeconds), and no
			// fix can be chosen before it.
			if at, _, ok := tooLongVerdict(p.Obj.String(), deadline, p.Option("maxSeconds"), startupBudget{}); ok {
				v := int64(-1)
				if deadline != nil {
					v = *deadline
				}
				p.Later(Report{At: at, Detail: fmt.Sprintf("%d\n%d\n%s", v, d.MinReady, p.Obj)})
			}
			return
		}
		if at, msg, ok := tooLongVerdict(p.Obj.String(), deadline, p.Option("maxSeconds"), startupBudgetOf(d)); ok {
			p.Report(Report{At: at, Fix: deadlineFix(adviseDeadline(p.Option("maxSeconds"), startupBudgetOf(d))), Message: msg})
		}
	},
	Resolve: func(r *Resolution) (string, bool) {
		parts := strings.SplitN(r.Detail, "\n", 3)
		if len(parts) != 3 {
			return "", false
		}
		v, err1 := strconv.ParseInt(parts[0], 10, 64)
		minReady, err2 := strconv.ParseInt(parts[1], 10, 32)
		if err1 != nil || err2 != nil {
			return "", false
		}
		var deadline *int64
		if v >= 0 {
			deadline = &v
		}
		_, msg, ok := tooLongVerdict(parts[2], deadline, r.Option("maxSeconds"), r.Fact.(*WorkloadFact).startupBudget(int32(minReady)))
		return msg, ok
	},
}

// adviseDeadline is the deadline to recommend: maxSeconds, or, never
// below what the probes need for a new pod to become available (else
// progress-deadline-below-startup would report the advice itself), the
// startup budget plus a margin.
func adviseDeadline(max int64, b startupBudget) int64 {
	if b.Total > max {
		return b.Total + startupMargin(b.Total)
	}
	return max
}

// tooLongVerdict judges deadline (nil: unset) of obj against maxSeconds
// and the pods' startup budget b: where to report and what, or false.
func tooLongVerdict(obj string, deadline *int64, max int64, b startupBudget) (loader.Path, string, bool) {
	advise, why := adviseDeadline(max, b), ""
	if b.Total > max {
		why = fmt.Sprintf(" (%s may need %d s to become available: %s)", b.Who, b.Total, b.How)
	}
	if deadline == nil {
		if advise >= DefaultProgressDeadlineSeconds {
			return nil, "", false
		}
		return loader.P("spec"), fmt.Sprintf("%s does not set progressDeadlineSeconds (default %d s), so a stuck rollout is reported only after 10 minutes; set it to %d or less%s",
			obj, DefaultProgressDeadlineSeconds, advise, why), true
	}
	if v := *deadline; v > advise {
		return loader.P("spec", "progressDeadlineSeconds"), fmt.Sprintf("progressDeadlineSeconds is %d, so a stuck rollout of %s is reported only after %s; set it to %d or less%s", v, obj, humanSeconds(v), advise, why), true
	}
	return nil, "", false
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
