package rules

import (
	"fmt"

	"github.com/zdlint/zdlint/loader"
)

var preStopSleepMissing = &Rule{
	Meta: Meta{
		ID:       "prestop-sleep-missing",
		Severity: Error,
		Summary:  "A container has no preStop delay, so it stops serving while traffic is still routed to it",
		Rationale: `Deleting a pod starts two things at once: the kubelet runs the preStop hook and then sends
SIGTERM, while the control plane removes the pod from the Service's endpoints. kube-proxy on
every node, ingress controllers and cloud load balancers hear about the removal seconds later,
and keep sending requests in the meantime. An application that exits (or stops accepting
connections) on SIGTERM fails those requests. A preStop sleep of a few seconds keeps it serving
until routing has converged.

Which containers need it comes from the serving model (docs/serving.md), the same answer every
traffic rule uses. The finding is an error for a container that serves: a Service in the input
routes to one of its ports (by targetPort number or name; a targetPort no container declares
reaches the only container that can listen on it), or it declares a port that is not named for
metrics or health and nothing in the input says otherwise. It is a warning when the signals
disagree: a metrics-named port that a Service routes to under another name, a declared port
that no Service routes to while Services select the pod or share its file, a Service port
that several containers may be listening on.

Not reported, on purpose: containers that nothing routes requests to (no declared port and no
Service selecting the pod: workers, node agents, loops, placeholders), helpers next to the
container a Service routes to (config reloaders, content writers), containers whose only ports
are metrics, health or profiling endpoints (scraped, not load-balanced), containers bound to
127.0.0.1/localhost by their args or only reached through a proxy in the same pod, UDP-only
agents, and injected mesh proxies (mesh-sidecar-drain judges those). None of them is in a
Service's endpoints, so there is no endpoint removal to wait for.`,
		Bad: `containers:
  - name: web
    image: example/web:1.2
    ports:
      - containerPort: 8080`,
		Fix: `containers:
  - name: web
    image: example/web:1.2
    ports:
      - containerPort: 8080
    lifecycle:
      preStop:
        sleep:
          seconds: 10   # or exec: {command: ["sleep", "10"]} before Kubernetes 1.30`,
		Defaults: []string{
			"No preStop hook: SIGTERM is sent as soon as the pod is deleted, while endpoint removal is still propagating",
			"lifecycle.preStop.sleep is beta (on by default) since 1.30 and GA since 1.34; exec commands run without a shell, so [\"sleep\",\"5\"] needs a sleep binary in the image",
			"terminationGracePeriodSeconds (default 30) must cover the sleep and the drain",
		},
		Kinds: LongRunningKinds,
		Options: []Option{
			{Name: "minSleepSeconds", Default: 5, Doc: "shortest preStop sleep accepted, in seconds"},
		},
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		w, ok := WorkloadOf(p.Obj)
		if !ok {
			return
		}
		min := p.Option("minSleepSeconds")
		for _, c := range w.ServingContainers() {
			ps := PreStopOf(c.Container)
			hook := c.Path.Key("lifecycle", "preStop")
			who := c.Label() + " of " + p.Obj.String()
			// Whether the container serves, and so whether and how
			// severely this is reported, is decided once every Service
			// is known (ServingOf); the message is made now.
			later := func(at loader.Path, msg string) {
				p.Later(Report{At: at, Container: c.Name, Detail: servingDetail(w, c, msg)})
			}
			switch {
			case !ps.Present:
				later(hook, fmt.Sprintf("%s has no preStop hook, so it gets SIGTERM while endpoints are still being removed; add lifecycle.preStop.sleep.seconds: %d", who, min))
			case !ps.Sleeps:
				later(hook.Key(ps.Form), fmt.Sprintf("the %s preStop hook of %s does not wait, so it stops serving while endpoints are still being removed; sleep at least %d s first (lifecycle.preStop.sleep.seconds, or sleep %d at the start of the command)", ps.Form, who, min, min))
			case ps.Seconds < min:
				at := hook.Key("sleep", "seconds")
				if ps.Form == "exec" {
					at = hook.Key("exec", "command").Index(ps.Arg)
				}
				later(at, fmt.Sprintf("the preStop hook of %s sleeps %d s, less than the %d s endpoint removal needs to propagate; sleep at least %d s", who, ps.Seconds, min, min))
			}
		}
	},
	Resolve: func(r *Resolution) (string, bool) {
		i, msg := splitServingDetail(r.Detail)
		s := r.Index.ServingOf(r.Fact.(*WorkloadFact))
		switch s.Of(i) {
		case RoleServes:
			r.Severity = Error
		case RoleMaybe:
			r.Severity = Warning
			if why := s.WhyMaybe(i); why != "" {
				msg += " (a warning: " + why + ")"
			}
		default:
			return "", false // nothing routes requests to it: no endpoint to leave
		}
		return msg, true
	},
}
