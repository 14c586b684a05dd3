package rules

import "fmt"

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
until routing has converged. The finding is an error for containers that declare ports and a
warning for the others, which may still serve traffic on undeclared ports.`,
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
			if w.Kind == "DaemonSet" && !c.Serving() {
				continue // node agents without ports receive no Service traffic
			}
			sev := Warning
			if c.Serving() {
				sev = Error
			}
			ps := PreStopOf(c.Container)
			hook := c.Path.Key("lifecycle", "preStop")
			who := c.Label() + " of " + p.Obj.String()
			switch {
			case !ps.Present:
				p.Report(Report{At: hook, Container: c.Name, Severity: sev,
					Message: fmt.Sprintf("%s has no preStop hook, so it gets SIGTERM while endpoints are still being removed; add lifecycle.preStop.sleep.seconds: %d", who, min)})
			case !ps.Sleeps:
				p.Report(Report{At: hook.Key(ps.Form), Container: c.Name, Severity: sev,
					Message: fmt.Sprintf("the %s preStop hook of %s does not wait, so it stops serving while endpoints are still being removed; sleep at least %d s first (lifecycle.preStop.sleep.seconds, or sleep %d at the start of the command)", ps.Form, who, min, min)})
			case ps.Seconds < min:
				at := hook.Key("sleep", "seconds")
				if ps.Form == "exec" {
					at = hook.Key("exec", "command").Index(ps.Arg)
				}
				p.Report(Report{At: at, Container: c.Name, Severity: sev,
					Message: fmt.Sprintf("the preStop hook of %s sleeps %d s, less than the %d s endpoint removal needs to propagate; sleep at least %d s", who, ps.Seconds, min, min)})
			}
		}
	},
}
