package rules

import "fmt"

var livenessEqualsReadiness = &Rule{
	Meta: Meta{
		ID:       "liveness-equals-readiness",
		Severity: Warning,
		Summary:  "The liveness probe is the readiness probe, so an overload restarts pods instead of shedding traffic",
		Rationale: `Readiness answers "should this pod get traffic now?"; liveness answers "is this process broken
beyond repair?". When both run the same check with the same thresholds they fail at the same
moment: a slow database or a burst of load that should only take a pod out of rotation also
restarts it, every replica at once, and a brownout becomes an outage. Give liveness a cheap check
of the process itself and a higher failure threshold, and let readiness include dependencies.`,
		Bad: `readinessProbe:
  httpGet: {path: /health, port: 8080}
livenessProbe:
  httpGet: {path: /health, port: 8080}`,
		Fix: `readinessProbe:
  httpGet: {path: /health/ready, port: 8080}
  failureThreshold: 2
livenessProbe:
  httpGet: {path: /health/live, port: 8080}
  failureThreshold: 6`,
		Defaults: []string{
			"Probe defaults: periodSeconds 10, timeoutSeconds 1, failureThreshold 3, successThreshold 1",
			"A failing readiness probe removes the pod from Service endpoints; a failing liveness probe restarts the container",
		},
		Kinds: LongRunningKinds,
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		ForServingContainers(p, func(_ *Workload, c Container) {
			r, l := c.ReadinessProbe, c.LivenessProbe
			if r == nil || l == nil || !sameHandler(&r.ProbeHandler, &l.ProbeHandler) {
				return
			}
			tr, tl := TimingOf(r), TimingOf(l)
			// Success threshold must be 1 for liveness, so it is not compared.
			if tr.Period != tl.Period || tr.Timeout != tl.Timeout || tr.Failure != tl.Failure || tr.InitialDelay != tl.InitialDelay {
				return
			}
			p.Report(Report{At: c.Path.Key("livenessProbe"), Container: c.Name,
				Message: fmt.Sprintf("the livenessProbe of %s is identical to its readinessProbe, so an overload restarts it instead of only taking it out of rotation; check the process itself and use a higher failureThreshold", c.Label())})
		})
	},
}
