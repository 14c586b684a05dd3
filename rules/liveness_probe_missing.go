package rules

var livenessProbeMissing = &Rule{
	Meta: Meta{
		ID:       "liveness-probe-missing",
		Severity: Warning,
		Summary:  "A container has no livenessProbe, so a hung process keeps its place in the Service",
		Rationale: `A process that deadlocks or wedges stays Running: without a liveness probe the kubelet
never restarts it. If its readiness probe keeps passing (or checks something shallow), the pod
keeps receiving a share of the traffic and fails it. A liveness probe that checks the process
itself, with a generous failure threshold, turns a hung replica into a restart instead of a
slow leak of failed requests.`,
		Bad: `containers:
  - name: web
    image: example/web:1.2
    readinessProbe:
      httpGet: {path: /ready, port: 8080}`,
		Fix: `containers:
  - name: web
    image: example/web:1.2
    readinessProbe:
      httpGet: {path: /ready, port: 8080}
    livenessProbe:
      httpGet: {path: /live, port: 8080}
      periodSeconds: 10
      failureThreshold: 6`,
		Defaults: []string{
			"No livenessProbe means the kubelet restarts the container only when its process exits",
			"Probe defaults: periodSeconds 10, timeoutSeconds 1, failureThreshold 3",
		},
		Kinds: LongRunningKinds,
		Since: "0.1.0",
		Fixes: []FixNote{{FixNone, "every finding", "what tells a hung process from a busy one is the application's; the message says what to add"}},
	},
	Run: func(p *Pass) {
		ForServingContainers(p, func(_ *Workload, c Container) {
			if c.LivenessProbe != nil {
				return
			}
			p.Report(Report{
				At:        c.Path.Key("livenessProbe"),
				Container: c.Name,
				Message:   c.Label() + " of " + p.Obj.String() + " has no livenessProbe; add one that checks the process itself (not its dependencies) so a hung replica is restarted",
			})
		})
	},
}
