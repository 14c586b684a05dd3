package rules

import (
	"fmt"
	"strconv"

	"github.com/zdlint/zdlint/loader"
)

var preStopExceedsGracePeriod = &Rule{
	Meta: Meta{
		ID:       "prestop-exceeds-grace-period",
		Severity: Error,
		Summary:  "The preStop sleep uses up the termination grace period, so the app is killed before it can drain",
		Rationale: `The grace period starts when the pod is deleted, before the preStop hook runs. The kubelet sends
SIGTERM only after the hook returns and sends SIGKILL when the grace period ends (with a one-off
2 s extension for a hook still running). A preStop sleep as long as the grace period leaves the
application no time at all to finish in-flight requests: it is killed mid-request. Keep the sleep
short and the grace period long enough for sleep plus drain; a finding with less than the margin
left is a warning.`,
		Bad: `terminationGracePeriodSeconds: 30
containers:
  - name: web
    lifecycle:
      preStop:
        sleep: {seconds: 30}`,
		Fix: `terminationGracePeriodSeconds: 45
containers:
  - name: web
    lifecycle:
      preStop:
        sleep: {seconds: 10}`,
		Defaults: []string{
			"terminationGracePeriodSeconds defaults to 30",
			"The grace period includes the preStop hook; SIGTERM follows the hook, SIGKILL follows the grace period (plus a one-off 2 s extension for a running hook)",
		},
		Kinds: LongRunningKinds,
		Options: []Option{
			{Name: "marginSeconds", Default: 5, Doc: "time that must remain for the application to drain after the preStop sleep, in seconds"},
		},
		Since: "0.1.0",
		Fixes: []FixNote{
			{FixSafe, "every finding", "sets terminationGracePeriodSeconds to the longest preStop sleep of the pod plus 30 s (the drain time Kubernetes gives by default), or plus marginSeconds when that is longer"},
		},
	},
	Run: func(p *Pass) {
		w, ok := WorkloadOf(p.Obj)
		if !ok || w.TemplateRef { // the template is linted where it is written
			return
		}
		grace, explicit := GracePeriod(w.PodSpec())
		if grace == 0 {
			return // the hook does not run at all; nothing to compare
		}
		graceText := fmt.Sprintf("terminationGracePeriodSeconds is %d", grace)
		if !explicit {
			graceText = fmt.Sprintf("terminationGracePeriodSeconds defaults to %d", grace)
		}
		margin := p.Option("marginSeconds")
		fix := graceFix(w, FixSafe, max(DefaultTerminationGracePeriodSeconds, margin))
		for _, c := range w.ServingContainers() {
			ps := PreStopOf(c.Container)
			if !ps.Sleeps {
				continue
			}
			at := preStopValuePath(c, ps)
			switch left := grace - ps.Seconds; {
			case left <= 0:
				p.Report(Report{At: at, Container: c.Name, Fix: fix, Message: fmt.Sprintf("the preStop hook of %s sleeps %d s but %s, so it is killed before it can drain; raise the grace period to the sleep plus the longest drain (for example %d)",
					c.Label(), ps.Seconds, graceText, ps.Seconds+30)})
			case left < margin:
				p.Report(Report{At: at, Container: c.Name, Severity: Warning, Fix: fix, Message: fmt.Sprintf("the preStop hook of %s sleeps %d s and %s, leaving %d s to drain in-flight requests; raise the grace period to the sleep plus the longest drain (for example %d)",
					c.Label(), ps.Seconds, graceText, left, ps.Seconds+30)})
			}
		}
	},
}

// graceFix sets the pod's terminationGracePeriodSeconds to its longest
// preStop sleep plus drain seconds; a new key goes before containers.
func graceFix(w *Workload, a Applicability, drain int64) *FixSpec {
	longest := int64(0)
	for _, c := range w.ServingContainers() {
		if ps := PreStopOf(c.Container); ps.Sleeps {
			longest = max(longest, ps.Seconds)
		}
	}
	return NewFix(a, Set(w.SpecPath.Key("terminationGracePeriodSeconds"), strconv.FormatInt(longest+drain, 10), Before("containers")))
}

// preStopValuePath is where a preStop sleep's duration is written.
func preStopValuePath(c Container, ps PreStop) loader.Path {
	hook := c.Path.Key("lifecycle", "preStop")
	if ps.Form == "exec" {
		return hook.Key("exec", "command").Index(ps.Arg)
	}
	return hook.Key("sleep", "seconds")
}
