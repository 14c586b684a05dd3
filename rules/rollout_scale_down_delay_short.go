package rules

import (
	"fmt"
	"strconv"

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
			{FixSafe, "every finding", "sets scaleDownDelaySeconds to minSeconds less the pods' preStop sleep: the old ReplicaSet only runs a little longer"},
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
		min := p.Option("minSeconds")
		d, shown := int64(30), "defaults to 30"
		if delay != nil {
			d, shown = int64(*delay), "is "+strconv.Itoa(int(*delay))
		}
		sleep, sleepText := rolloutPreStopSleep(p.Obj)
		if d < 0 || d+sleep >= min {
			return
		}
		field := at.Key("scaleDownDelaySeconds")
		if delay != nil {
			at = field
		}
		advise := min - sleep
		p.Report(Report{
			At:  at,
			Fix: NewFix(FixSafe, Set(field, strconv.FormatInt(advise, 10))),
			Message: fmt.Sprintf("scaleDownDelaySeconds %s: %s deletes the old pods %d s%s after %s, before every node and proxy routes away from them, so requests still sent there fail; set scaleDownDelaySeconds: %d",
				shown, p.Obj, d, sleepText, what, advise),
		})
	},
}

// rolloutPreStopSleep returns the shortest preStop sleep of a Rollout's
// serving containers (0 for none, or when the template is a referenced
// Deployment's) and its wording for a message.
func rolloutPreStopSleep(obj *loader.Object) (int64, string) {
	w, ok := WorkloadOf(obj)
	if !ok || w.TemplateRef {
		return 0, ""
	}
	sleep, _ := ShortestPreStopSleep(w)
	if sleep == 0 {
		return 0, ""
	}
	return sleep, fmt.Sprintf(" plus their %d s preStop sleep", sleep)
}
