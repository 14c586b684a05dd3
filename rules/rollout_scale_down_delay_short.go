package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/crd"
)

var rolloutScaleDownDelayShort = &Rule{
	Meta: Meta{
		ID:       "rollout-scale-down-delay-short",
		Severity: Error,
		Summary:  "An Argo Rollout scales the old pods down before the traffic switch has reached every node",
		Rationale: `A blue-green Rollout promotes by changing the active Service's selector to the new
ReplicaSet's pod-template hash; a canary with traffic routing promotes by pointing the stable
Service and the mesh or ingress at the new pods. Either way the change reaches kube-proxy on every
node, the ingress controllers and the mesh some seconds later, and until then they keep sending
requests to the old pods. scaleDownDelaySeconds is how long Argo Rollouts keeps the old
ReplicaSet running after the switch; its default of 30 seconds is there to cover that
propagation, and Argo's specification recommends at least 30. A shorter delay (0 is common,
copied to save resources) deletes the old pods while they still receive traffic, and every
request routed to them in that window fails.

A preStop sleep on the old pods keeps them serving that much longer, so zdlint counts it:
the delay plus the shortest preStop sleep of the serving containers must reach minSeconds.
For a Rollout with workloadRef the sleep is the referenced Deployment's, when the input or a
--context file holds it (none is assumed otherwise).
A basic canary (no traffic routing) ignores the field and is not checked, nor is a canary with
dynamicStableScale, which scales the stable pods down without this delay (and may not set it):
rollout-dynamic-stable-scale-drain covers it.`,
		Bad: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example/web:1.2
  strategy:
    blueGreen:
      activeService: web
      scaleDownDelaySeconds: 0`,
		Fix: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example/web:1.2
  strategy:
    blueGreen:
      activeService: web
      scaleDownDelaySeconds: 30`,
		Defaults: []string{
			"scaleDownDelaySeconds defaults to 30 for blue-green and for canary with traffic routing, and is ignored by a basic canary (argo-rollouts utils/defaults/defaults.go:30 and GetScaleDownDelaySecondsOrDefault; docs/features/specification.md, which recommends at least 30 s for iptables propagation); docs/k8s-facts.md §13",
			"Endpoint removal reaches kube-proxy, ingress controllers and meshes after a delay, during which they still route to the removed pods (docs/k8s-facts.md §3)",
			"A preStop hook delays SIGTERM, so a pod with a preStop sleep keeps serving for that long after its deletion starts (docs/k8s-facts.md §3)",
		},
		Kinds: []string{"Rollout"},
		Options: []Option{
			{Name: "minSeconds", Default: 30, Doc: "shortest time, in seconds, the old pods must keep serving after the switch (scaleDownDelaySeconds plus their preStop sleep)"},
		},
		Since: "0.1.0",
		Fixes: []FixNote{
			{FixSafe, "every finding", "sets scaleDownDelaySeconds to minSeconds less the pods' preStop sleep: the old ReplicaSet only runs a little longer; for a Rollout with workloadRef, minSeconds itself (the preStop sleep is in the referenced Deployment, read after the fix is chosen)"},
		},
	},
	Run: func(p *Pass) {
		r, ok := p.Obj.Typed.(*crd.Rollout)
		if !ok {
			return
		}
		var delay *int32
		var at loader.Path
		var what string
		switch s := r.Spec.Strategy; {
		case s.BlueGreen != nil:
			delay, at, what = s.BlueGreen.ScaleDownDelaySeconds, loader.P("spec", "strategy", "blueGreen"), "the active Service switches to the new pods"
		case s.Canary != nil && s.Canary.TrafficRouting != nil && !s.Canary.DynamicStableScale:
			// With dynamicStableScale the delay does not apply (and is
			// invalid): rollout-dynamic-stable-scale-drain judges it.
			delay, at, what = s.Canary.ScaleDownDelaySeconds, loader.P("spec", "strategy", "canary"), "the stable Service and the traffic router switch to the new pods"
		default:
			return
		}
		d, shown := int64(30), "defaults to 30"
		if delay != nil {
			d, shown = int64(*delay), "is "+strconv.Itoa(int(*delay))
		}
		if d < 0 {
			return
		}
		field := at.Key("scaleDownDelaySeconds")
		if delay != nil {
			at = field
		}
		rolloutDelayCheck{At: at, Field: field, Delay: d,
			Message: fmt.Sprintf("scaleDownDelaySeconds %s: %s deletes the old pods %d s{sleep} after %s, before every node and proxy routes away from them, so requests still sent there fail; set scaleDownDelaySeconds: {advise}",
				shown, p.Obj, d, what)}.run(p)
	},
	Resolve: resolveRolloutDelay,
}

// rolloutDelayCheck is the verdict of the Rollout rules that count the
// pods' preStop sleep: Delay seconds plus the shortest preStop sleep of
// the serving containers must reach the rule's minSeconds. Message holds
// {sleep} (" plus their N s preStop sleep", or nothing), {now} ("no
// preStop sleep", "a preStop sleep of N s") and {advise} (the delay to
// set); Field is the delay the fix sets, nil for none.
type rolloutDelayCheck struct {
	At, Field loader.Path
	Delay     int64
	Message   string
}

// run reports the finding, or, for a Rollout whose pod template is another
// workload's (workloadRef), defers it: that workload's preStop sleep is in
// the Rollout's fact once the Index has resolved the reference
// (WorkloadFact.TemplateKind), and resolveRolloutDelay decides.
func (c rolloutDelayCheck) run(p *Pass) {
	min := p.Option("minSeconds")
	if c.Delay >= min {
		return
	}
	w, ok := WorkloadOf(p.Obj)
	if ok && w.TemplateRef {
		// The fix cannot wait for the sleep: it writes minSeconds, which
		// covers the propagation whatever the sleep.
		p.Later(Report{At: c.At, Fix: c.fix(min), Detail: strconv.FormatInt(c.Delay, 10) + "\n" + c.Message})
		return
	}
	var sleep int64
	if ok {
		sleep, _ = ShortestPreStopSleep(w)
	}
	if c.Delay+sleep >= min {
		return
	}
	p.Report(Report{At: c.At, Fix: c.fix(min - sleep), Message: expandDelayMessage(c.Message, sleep, min-sleep, "")})
}

func (c rolloutDelayCheck) fix(v int64) *FixSpec {
	if c.Field == nil {
		return nil
	}
	return NewFix(FixSafe, Set(c.Field, strconv.FormatInt(v, 10)))
}

// resolveRolloutDelay decides a rolloutDelayCheck deferred for a Rollout
// with workloadRef, with the template workload's preStop sleep (0 when the
// input does not hold that workload).
func resolveRolloutDelay(r *Resolution) (string, bool) {
	f := r.Fact.(*WorkloadFact)
	ds, msg, _ := strings.Cut(r.Detail, "\n")
	d, _ := strconv.ParseInt(ds, 10, 64)
	min := r.Option("minSeconds")
	if d+f.PreStopSleep >= min {
		return "", false
	}
	from := ""
	if f.TemplateFile != "" && f.PreStopSleep > 0 {
		from = fmt.Sprintf(" (from %s %q)", f.TemplateKind, f.TemplateName)
	}
	return expandDelayMessage(msg, f.PreStopSleep, min, from), true
}

// expandDelayMessage fills in a rolloutDelayCheck's message; from says
// where the sleep was read, when not from the Rollout itself.
func expandDelayMessage(msg string, sleep, advise int64, from string) string {
	sleepText, now := "", "no preStop sleep"
	if sleep > 0 {
		sleepText = fmt.Sprintf(" plus their %d s preStop sleep%s", sleep, from)
		now = fmt.Sprintf("a preStop sleep of %d s%s", sleep, from)
	}
	return strings.NewReplacer("{sleep}", sleepText, "{now}", now, "{advise}", strconv.FormatInt(advise, 10)).Replace(msg)
}
