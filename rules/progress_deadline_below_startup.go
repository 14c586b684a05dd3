package rules

import (
	"fmt"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/crd"
)

var progressDeadlineBelowStartup = &Rule{
	Meta: Meta{
		ID:       "progress-deadline-below-startup",
		Severity: Warning,
		Summary:  "progressDeadlineSeconds is shorter than a new pod may take to become ready, so healthy rollouts are reported as failed",
		Rationale: `The Deployment controller declares a rollout failed (ProgressDeadlineExceeded) when no new pod
became available within progressDeadlineSeconds. The probes set a floor under that time. A
startup probe may take up to initialDelaySeconds + failureThreshold × periodSeconds before it
succeeds (readiness is not probed until it has). Without one, the readiness probe first runs
after initialDelaySeconds, and the pod is Ready at its first success: probing adds at most
initialDelaySeconds + periodSeconds (failureThreshold does not delay readiness, it only counts
failures). minReadySeconds is added on top, since a pod counts as available only after being
Ready that long. A deadline below that floor fails a rollout that would have succeeded, and
pipelines that roll back on the condition undo a good release.

Not reported: how long the application itself takes to start beyond what its probes say, which
the manifest does not tell. progress-deadline-too-long uses the same floor, so the two rules never
give contradicting advice for one Deployment.`,
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
			"An Argo Rollout's progressDeadlineSeconds has the same default (600) and meaning (docs/k8s-facts.md §13)",
			"An Argo Rollout with workloadRef runs the referenced Deployment's pods: their probes count when the input or a --context file holds that Deployment, with the Rollout's own minReadySeconds (docs/k8s-facts.md §13)",
			"progressDeadlineSeconds defaults to 600; minReadySeconds to 0",
			"Probe defaults: initialDelaySeconds 0, periodSeconds 10, failureThreshold 3",
			"Readiness is not probed until the startup probe has succeeded; a pod is Ready at the first successful readiness check",
		},
		Kinds: []string{"Deployment", "Rollout"},
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		d, ok := progressOf(p.Obj)
		if !ok {
			return
		}
		deadline, what := int64(DefaultProgressDeadlineSeconds), fmt.Sprintf("progressDeadlineSeconds is unset (defaults to %d)", DefaultProgressDeadlineSeconds)
		if d.Deadline != nil {
			deadline = int64(*d.Deadline)
			what = fmt.Sprintf("progressDeadlineSeconds is %d", deadline)
		}
		at := loader.P("spec", "progressDeadlineSeconds")
		if d.TemplateRef {
			// The probes are the referenced Deployment's: decided once
			// the Index has resolved it (WorkloadFact.StartupSeconds).
			p.Later(Report{At: at, Detail: fmt.Sprintf("%d\n%d\n%s", deadline, d.MinReady, what)})
			return
		}
		b := startupBudgetOf(d)
		if b.Total == 0 || deadline >= b.Total {
			return
		}
		p.Report(Report{At: at, Message: belowStartupMessage(what, b)})
	},
	Resolve: func(r *Resolution) (string, bool) {
		parts := strings.SplitN(r.Detail, "\n", 3)
		if len(parts) != 3 {
			return "", false
		}
		deadline, err1 := strconv.ParseInt(parts[0], 10, 64)
		minReady, err2 := strconv.ParseInt(parts[1], 10, 32)
		if err1 != nil || err2 != nil {
			return "", false
		}
		b := r.Fact.(*WorkloadFact).startupBudget(int32(minReady))
		if b.Total == 0 || deadline >= b.Total {
			return "", false
		}
		return belowStartupMessage(parts[2], b), true
	},
}

func belowStartupMessage(what string, b startupBudget) string {
	return fmt.Sprintf("%s but %s may need %d s to become available (%s), so a healthy rollout can be reported as failed; raise the deadline above %d or tighten the probe",
		what, b.Who, b.Total, b.How, b.Total)
}

// startupBudget is startupBudgetOf for a Rollout whose template is
// another workload's (workloadRef), from its resolved fact, with the
// Rollout's own minReadySeconds; none when the input lacks that workload.
func (f *WorkloadFact) startupBudget(minReady int32) startupBudget {
	if f.TemplateFile == "" || f.StartupSeconds == 0 {
		return startupBudget{}
	}
	b := startupBudget{Total: f.StartupSeconds, Who: fmt.Sprintf("%s (of %s %q)", f.StartupWho, f.TemplateKind, f.TemplateName), How: f.StartupHow}
	if minReady > 0 {
		b.Total += int64(minReady)
		b.How += fmt.Sprintf(", plus minReadySeconds %d", minReady)
	}
	return b
}

// startupBudget is the longest a new pod of a Deployment may take to
// become available by what its probes and minReadySeconds allow.
type startupBudget struct {
	Total    int64  // seconds; 0 when no probe sets a floor
	Who, How string // the container, and how the total is made up
}

// startupBudgetOf computes the budget of the slowest container: a startup
// probe allows initialDelaySeconds + failureThreshold × periodSeconds, a
// readiness probe alone initialDelaySeconds + periodSeconds (the pod is
// Ready at the first success); minReadySeconds is added.
func startupBudgetOf(d progress) startupBudget {
	var worst startupBudget
	for _, c := range Containers(&d.Template.Spec, specTemplateSpec) {
		if IsMeshProxy(c.Container) {
			continue
		}
		var b startupBudget
		if sp := c.StartupProbe; sp != nil {
			t := TimingOf(sp)
			b.Total = int64(t.InitialDelay) + int64(t.Failure)*int64(t.Period)
			b.How = fmt.Sprintf("its startupProbe allows %d s", b.Total)
		} else if rp := c.ReadinessProbe; rp != nil {
			t := TimingOf(rp)
			b.Total = int64(t.InitialDelay) + int64(t.Period)
			b.How = fmt.Sprintf("its readinessProbe first runs after %d s and then every %d s", t.InitialDelay, t.Period)
		}
		if b.Total > worst.Total {
			worst, worst.Who = b, c.Label()
		}
	}
	if worst.Total == 0 {
		return worst
	}
	if m := int64(d.MinReady); m > 0 {
		worst.Total += m
		worst.How += fmt.Sprintf(", plus minReadySeconds %d", m)
	}
	return worst
}

// progress is what the progress-deadline rules read from a Deployment,
// a Flagger Canary or an Argo Rollout, whose progressDeadlineSeconds has the same default and
// meaning (argo-rollouts utils/defaults/defaults.go:28, docs/k8s-facts.md
// §13).
type progress struct {
	Deadline *int32
	Template *corev1.PodTemplateSpec
	MinReady int32
	// TemplateRef: an Argo Rollout with workloadRef, whose probes are
	// the referenced workload's (see WorkloadFact.StartupSeconds).
	TemplateRef bool
}

func progressOf(obj *loader.Object) (progress, bool) {
	switch o := obj.Typed.(type) {
	case *appsv1.Deployment:
		return progress{Deadline: o.Spec.ProgressDeadlineSeconds, Template: &o.Spec.Template, MinReady: o.Spec.MinReadySeconds}, true
	case *crd.Rollout:
		return progress{Deadline: o.Spec.ProgressDeadlineSeconds, Template: &o.Spec.Template, MinReady: o.Spec.MinReadySeconds, TemplateRef: o.Spec.WorkloadRef != nil}, true
	case *crd.Canary:
		// Flagger's deadline has the same default (600) and bounds how
		// long the canary may make no progress before Flagger rolls it
		// back (docs/k8s-facts.md §16). Its pods' template is the
		// target Deployment's, which its own findings judge: none here.
		return progress{Deadline: o.Spec.ProgressDeadlineSeconds, Template: &corev1.PodTemplateSpec{}}, true
	}
	return progress{}, false
}
