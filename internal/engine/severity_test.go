package engine

import (
	"strings"
	"testing"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

// TestResolvedSeverity: a deferred finding takes the severity its rule's
// Resolve decides (readiness-probe-missing: a warning for a container that
// serves nothing, an error for one a Service routes to), unless the
// configuration sets the rule's severity, which wins.
func TestResolvedSeverity(t *testing.T) {
	const doc = `apiVersion: apps/v1
kind: Deployment
metadata: {name: worker}
spec:
  template:
    metadata: {labels: {app: worker}}
    spec:
      containers:
        - {name: worker, image: example/worker:1}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: example/web:1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`
	r, _ := rules.ByID("readiness-probe-missing")
	run := func(s *rules.Settings) map[string]rules.Severity {
		res := Run([]loader.Input{{Name: "a.yaml", Stdin: strings.NewReader(doc)}}, Options{Rules: []*rules.Rule{r}, Settings: s})
		got := map[string]rules.Severity{}
		for _, f := range res.Findings {
			got[f.Container] = f.Severity
		}
		return got
	}
	if got := run(rules.DefaultSettings()); got["worker"] != rules.Warning || got["web"] != rules.Error {
		t.Errorf("default: %v, want worker warning, web error", got)
	}
	s := rules.DefaultSettings()
	s.Severity = map[string]rules.Severity{"readiness-probe-missing": rules.Error}
	if got := run(s); got["worker"] != rules.Error || got["web"] != rules.Error {
		t.Errorf("configured error: %v, want both error", got)
	}
}

// TestLoweredOneStep: a finding whose serving signals disagree is lowered
// one step from the severity it was deferred with (max-unavailable-nonzero:
// error to warning), not to the lowest.
func TestLoweredOneStep(t *testing.T) {
	const doc = `apiVersion: apps/v1
kind: Deployment
metadata: {name: echo}
spec:
  replicas: 4
  selector: {matchLabels: {app: echo}}
  strategy: {rollingUpdate: {maxUnavailable: 1}}
  template:
    metadata: {labels: {app: echo}}
    spec:
      containers:
        - {name: echo, image: example/echo:1, ports: [{name: metrics-9090, containerPort: 9090}]}
---
apiVersion: v1
kind: Service
metadata: {name: echo}
spec:
  selector: {app: echo}
  ports: [{name: http, port: 80, targetPort: 9090}]
`
	r, _ := rules.ByID("max-unavailable-nonzero")
	res := Run([]loader.Input{{Name: "a.yaml", Stdin: strings.NewReader(doc)}}, Options{Rules: []*rules.Rule{r}})
	if len(res.Findings) != 1 || res.Findings[0].Severity != rules.Warning {
		t.Errorf("findings %+v, want one warning", res.Findings)
	}
}
