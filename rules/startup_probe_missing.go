package rules

import "fmt"

var startupProbeMissing = &Rule{
	Meta: Meta{
		ID:       "startup-probe-missing",
		Severity: Warning,
		Summary:  "A liveness probe waits a long initialDelaySeconds instead of using a startupProbe",
		Rationale: `A long livenessProbe initialDelaySeconds is a guess at the slowest start-up. Guess low and slow
starts are killed in a loop; guess high and a container that hangs later is detected late,
because the delay is the same for every start. A startupProbe waits exactly as long as start-up
takes (up to its budget) and hands over to the liveness probe as soon as the app is up.`,
		Bad: `livenessProbe:
  httpGet: {path: /live, port: 8080}
  initialDelaySeconds: 120`,
		Fix: `startupProbe:
  httpGet: {path: /live, port: 8080}
  periodSeconds: 5
  failureThreshold: 30   # up to 150 s to start
livenessProbe:
  httpGet: {path: /live, port: 8080}`,
		Defaults: []string{
			"initialDelaySeconds defaults to 0",
			"Liveness and readiness probes do not run until the startup probe has succeeded",
		},
		Kinds: LongRunningKinds,
		Options: []Option{
			{Name: "maxInitialDelaySeconds", Default: 30, Doc: "longest liveness initialDelaySeconds accepted without a startupProbe"},
		},
		Disabled: true,
		Since:    "0.1.0",
		Fixes:    []FixNote{{FixNone, "every finding", "the probe's endpoint and the startup budget are the application's; the message says what to add"}},
	},
	Run: func(p *Pass) {
		w, ok := WorkloadOf(p.Obj)
		if !ok {
			return
		}
		max := p.Option("maxInitialDelaySeconds")
		for _, c := range w.ServingContainers() {
			lp := c.LivenessProbe
			if lp == nil || c.StartupProbe != nil || int64(lp.InitialDelaySeconds) <= max {
				continue
			}
			p.Report(Report{At: c.Path.Key("livenessProbe", "initialDelaySeconds"), Container: c.Name,
				Message: fmt.Sprintf("the livenessProbe of %s waits initialDelaySeconds %d; add a startupProbe that covers start-up and drop the delay", c.Label(), lp.InitialDelaySeconds)})
		}
	},
}
