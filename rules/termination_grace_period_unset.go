package rules

import "fmt"

var terminationGracePeriodUnset = &Rule{
	Meta: Meta{
		ID:       "termination-grace-period-unset",
		Severity: Warning,
		Summary:  "The pod template does not set terminationGracePeriodSeconds, so shutdown gets the implicit 30 seconds",
		Rationale: `When a pod is deleted the kubelet runs the preStop hook, sends SIGTERM and kills whatever is
still running when the grace period ends. The preStop delay and the application's drain of
in-flight requests both have to fit inside that period. The default of 30 seconds is an accident,
not a decision: too short for long requests or slow drains (they are cut off by SIGKILL), and
often longer than needed. Set it explicitly to preStop delay + longest drain + a margin.`,
		Bad: `spec:
  template:
    spec:
      containers:
        - name: web
          image: example/web:1.2`,
		Fix: `spec:
  template:
    spec:
      terminationGracePeriodSeconds: 45   # 10 s preStop + 30 s drain + margin
      containers:
        - name: web
          image: example/web:1.2`,
		Defaults: []string{
			"terminationGracePeriodSeconds defaults to 30",
			"The grace period starts before the preStop hook runs; SIGKILL follows when it ends (plus a one-off 2 s extension for a running preStop)",
		},
		Kinds: LongRunningKinds,
		Since: "0.1.0",
		Fixes: []FixNote{
			{FixUnsafe, "every finding", "sets terminationGracePeriodSeconds to the longest preStop sleep plus 30 s (30 without a sleep): the default drain time, now written down; how long the application really needs is the author's to check"},
		},
	},
	Run: func(p *Pass) {
		w, ok := WorkloadOf(p.Obj)
		if !ok || w.TemplateRef { // the template is linted where it is written
			return
		}
		if _, set := GracePeriod(w.PodSpec()); set {
			return
		}
		drain := "the preStop delay plus the longest request drain"
		for _, c := range w.ServingContainers() {
			if ps := PreStopOf(c.Container); ps.Sleeps {
				drain = fmt.Sprintf("the %d s preStop sleep plus the longest request drain", ps.Seconds)
				break
			}
		}
		p.Report(Report{
			At:  w.SpecPath.Key("terminationGracePeriodSeconds"),
			Fix: graceFix(w, FixUnsafe, DefaultTerminationGracePeriodSeconds),
			Message: fmt.Sprintf("%s does not set terminationGracePeriodSeconds, so pods get the implicit %d s to shut down; set it to cover %s", p.Obj,
				DefaultTerminationGracePeriodSeconds, drain),
		})
	},
}
