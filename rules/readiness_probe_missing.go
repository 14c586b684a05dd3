package rules

var readinessProbeMissing = &Rule{
	Meta: Meta{
		ID:       "readiness-probe-missing",
		Severity: Error,
		Summary:  "A container has no readinessProbe, so it receives traffic before it can serve",
		Rationale: `Without a readiness probe a container counts as Ready the moment its process starts.
The Service sends it requests while the application is still loading, and a rolling update
treats the new pod as available at once and goes on to stop an old, working pod. Every
rollout then drops the requests that reach pods which are not listening yet.

The severity follows the serving model (docs/serving.md). An error for a container that serves
(a Service in the input routes to it, or it declares a port that is not a metrics or health
port); a warning when the signals disagree. For a container that serves nothing (no port and no
Service, metrics or health ports only, bound to localhost) the finding is a warning about the
rollout instead: new pods count as available as soon as they start, so a broken release replaces
every working pod. For a helper next to a container that serves (a config reloader, a content
writer) it is only info: the serving container's probe already decides when the pod gets
traffic.

Not reported, on purpose: init containers (they finish before the pod is Ready), native sidecars
without ports, and injected mesh proxies, whose probes the mesh manages.`,
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
		Fixes: []FixNote{{FixNone, "every finding", "the probe's path and port are the application's; the message says what to add"}},
	},
	Run: func(p *Pass) {
		ForServingContainers(p, func(w *Workload, c Container) {
			if c.ReadinessProbe != nil {
				return
			}
			// What the missing probe costs depends on what the
			// container serves, known once every Service is (ServingOf).
			p.Later(Report{At: c.Path.Key("readinessProbe"), Container: c.Name, Detail: servingDetail(w, c, c.Label()+" of "+p.Obj.String())})
		})
	},
	Resolve: func(r *Resolution) (string, bool) {
		i, who := splitServingDetail(r.Detail)
		s := r.Index.ServingOf(r.Fact.(*WorkloadFact))
		s.RelateRoute(r, i)
		switch role := s.Of(i); {
		case role == RoleServes:
			r.Severity = Error
		case role == RoleMaybe:
			r.Severity = Warning
			if why := s.WhyMaybe(i); why != "" {
				return who + " has no readinessProbe; add one that succeeds only when the app can serve requests (a warning: " + why + ")", true
			}
		case s.Pod >= RoleMaybe:
			// A helper next to a container that serves: the pod is
			// Ready only when every container is, and the serving
			// one's probe decides when traffic comes.
			r.Severity = Info
			return who + " has no readinessProbe; it serves nothing itself, so the pod's readiness rests on the container that does: add one only if the pod must not get traffic before this helper works", true
		default:
			r.Severity = Warning
			return who + " has no readinessProbe, so a new pod counts as available as soon as it starts and a rolling update stops an old pod before the new one works; add one that succeeds once the process is working", true
		}
		return who + " has no readinessProbe; add one that succeeds only when the app can serve requests", true
	},
}
