package rules

import "fmt"

var probeTimeoutExceedsPeriod = &Rule{
	Meta: Meta{
		ID:       "probe-timeout-exceeds-period",
		Severity: Warning,
		Summary:  "A probe's timeoutSeconds is not shorter than its periodSeconds, so slow checks pile up and fail late",
		Rationale: `A probe runs every periodSeconds and fails when no answer comes within timeoutSeconds. When the
timeout is as long as the period or longer, a slow endpoint is probed again before the previous
check has given up, and a failing pod is detected only after failureThreshold full timeouts: a
readiness probe keeps sending traffic to a pod that stopped answering, and a liveness probe
restarts it late. Keep the timeout well below the period.`,
		Bad: `readinessProbe:
  httpGet: {path: /ready, port: 8080}
  periodSeconds: 5
  timeoutSeconds: 5`,
		Fix: `readinessProbe:
  httpGet: {path: /ready, port: 8080}
  periodSeconds: 5
  timeoutSeconds: 2`,
		Defaults: []string{
			"periodSeconds defaults to 10 and timeoutSeconds to 1",
			"A probe fails after failureThreshold (default 3) consecutive failures",
		},
		Kinds: LongRunningKinds,
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		ForServingContainers(p, func(_ *Workload, c Container) {
			for _, pr := range probesOf(c) {
				t := TimingOf(pr.Probe)
				if t.Timeout < t.Period {
					return
				}
				at := pr.Path.Key("timeoutSeconds")
				p.Report(Report{At: at, Container: c.Name, Message: fmt.Sprintf("the %s of %s has timeoutSeconds %d and periodSeconds %d; make the timeout shorter than the period",
					pr.Kind, c.Label(), t.Timeout, t.Period)})
			}
		})
	},
}
