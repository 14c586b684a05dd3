package rules

var readinessProbeMissing = &Rule{
	Meta: Meta{
		ID:       "readiness-probe-missing",
		Severity: Error,
		Summary:  "A container has no readinessProbe, so it receives traffic before it can serve",
		Rationale: `Without a readiness probe a container counts as Ready the moment its process starts.
The Service sends it requests while the application is still loading, and a rolling update
treats the new pod as available at once and goes on to stop an old, working pod. Every
rollout then drops the requests that reach pods which are not listening yet.`,
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
    readinessProbe:
      httpGet:
        path: /healthz/ready
        port: 8080
      periodSeconds: 5
      failureThreshold: 3`,
		Defaults: []string{
			"No readinessProbe means the container is Ready as soon as it starts",
			"minReadySeconds defaults to 0: a Ready pod counts as available at once",
		},
		Kinds: LongRunningKinds,
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		ForServingContainers(p, func(_ *Workload, c Container) {
			if c.ReadinessProbe != nil {
				return
			}
			p.Report(Report{
				At:        c.Path.Key("readinessProbe"),
				Container: c.Name,
				Message:   c.Label() + " of " + p.Obj.String() + " has no readinessProbe; add one that succeeds only when the app can serve requests",
			})
		})
	},
}
