package rules

import "fmt"

var probeTimeoutExceedsPeriod = &Rule{
	Meta: Meta{
		ID:       "probe-timeout-exceeds-period",
		Severity: Warning,
		Summary:  "A probe's timeoutSeconds is longer than its periodSeconds, so a hanging endpoint is detected late",
		Rationale: `The kubelet runs one check of a probe at a time: while a check waits for its answer, the
ticks of periodSeconds that fall in that time are dropped, not queued. A timeout equal to the
period therefore piles nothing up, and zdlint does not report it. A timeout longer than the
period is what costs: every failing check takes timeoutSeconds, so an endpoint that stopped
answering is detected after about failureThreshold × timeoutSeconds instead of
failureThreshold × periodSeconds. A readiness probe keeps routing requests to the hung pod for
that long, and a liveness probe restarts it that much later. Every probe of every container
(readiness, liveness, startup; native sidecars included) is checked; injected mesh proxies are
left to the mesh.`,
		Bad: `readinessProbe:
  httpGet: {path: /ready, port: 8080}
  periodSeconds: 5
  timeoutSeconds: 20       # a hung pod is noticed after 60 s, not 15 s`,
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
		w, ok := WorkloadOf(p.Obj)
		if !ok {
			return
		}
		for _, c := range w.Containers() {
			if IsMeshProxy(c.Container) {
				continue
			}
			for _, pr := range probesOf(c) {
				t := TimingOf(pr.Probe)
				if t.Timeout <= t.Period {
					continue // the kubelet drops ticks while a check runs: nothing piles up
				}
				p.Report(Report{At: pr.Path.Key("timeoutSeconds"), Container: c.Name, Message: fmt.Sprintf(
					"the %s of %s has timeoutSeconds %d, longer than periodSeconds %d: a hanging endpoint is detected after about %d s (failureThreshold %d × timeout) instead of %d s; make the timeout at most the period",
					pr.Kind, c.Label(), t.Timeout, t.Period, int64(t.Failure)*int64(t.Timeout), t.Failure, int64(t.Failure)*int64(t.Period))})
			}
		}
	},
}
