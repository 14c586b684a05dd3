package rules_test

import (
	"strings"
	"testing"

	"github.com/zdlint/zdlint/internal/engine"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

const twoReplicas = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  template:
    spec:
      containers:
        - {name: web, image: example/web:1, ports: [{containerPort: 8080}]}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: other}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: other}
  minReplicas: 2
  maxReplicas: 4
`

// The replica thresholds are options, not constants.
func TestReplicaThresholdOptions(t *testing.T) {
	var enabled []*rules.Rule
	for _, id := range []string{"single-replica", "hpa-min-replicas-low"} {
		r, ok := rules.ByID(id)
		if !ok {
			t.Fatalf("no rule %s", id)
		}
		enabled = append(enabled, r)
	}
	run := func(opts map[string]map[string]int64) []string {
		s := rules.DefaultSettings()
		s.Options = opts
		res := engine.Run([]loader.Input{{Name: "in.yaml", Stdin: strings.NewReader(twoReplicas)}}, engine.Options{Rules: enabled, Settings: s})
		var got []string
		for _, f := range res.Findings {
			got = append(got, f.Rule)
		}
		return got
	}
	if got := run(nil); len(got) != 0 {
		t.Errorf("defaults (2): got %v", got)
	}
	got := run(map[string]map[string]int64{"single-replica": {"minReplicas": 3}, "hpa-min-replicas-low": {"minReplicas": 3}})
	if strings.Join(got, ",") != "single-replica,hpa-min-replicas-low" {
		t.Errorf("threshold 3: got %v", got)
	}
}

// The Bad snippet of every rule whose snippets are whole manifests (those
// of the rules that relate objects, which need them all) is flagged by
// it and the Fix snippet is not, so the generated docs show what the rule
// does. The set comes from rules.All, so a new rule is covered.
func TestRuleSnippets(t *testing.T) {
	covered := 0
	for _, r := range rules.All() {
		if r.Engine || !wholeManifests(r.Bad) || !wholeManifests(r.Fix) {
			continue
		}
		covered++
		count := func(snippet string) int {
			res := engine.Run([]loader.Input{{Name: r.ID + ".yaml", Stdin: strings.NewReader(snippet)}}, engine.Options{Rules: []*rules.Rule{r}})
			if len(res.Errors) > 0 {
				t.Errorf("%s: %v", r.ID, res.Errors[0])
			}
			return len(res.Findings)
		}
		if n := count(r.Bad); n == 0 {
			t.Errorf("%s: the Bad snippet is not flagged", r.ID)
		}
		if n := count(r.Fix); n != 0 {
			t.Errorf("%s: the Fix snippet is flagged %d times", r.ID, n)
		}
	}
	t.Logf("%d rules with whole-manifest snippets", covered)
}

// wholeManifests reports whether every document of a snippet is an object
// (apiVersion, kind and metadata), not a fragment of one.
func wholeManifests(snippet string) bool {
	for _, doc := range strings.Split(snippet, "\n---\n") {
		if !strings.Contains(doc, "apiVersion:") || !strings.Contains(doc, "kind:") || !strings.Contains(doc, "metadata:") {
			return false
		}
	}
	return true
}

// Images listed in prestop-sleep-missing's delayingImages need no preStop
// delay, whatever their tag or registry.
func TestDelayingImages(t *testing.T) {
	const doc = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - {name: web, image: "registry.example.com/team/web:1.4@sha256:abc", ports: [{containerPort: 8080}]}
        - {name: api, image: team/api:2, ports: [{containerPort: 9090}]}
`
	r, _ := rules.ByID("prestop-sleep-missing")
	run := func(list []string) []string {
		s := rules.DefaultSettings()
		if list != nil {
			s.ListOptions = map[string]map[string][]string{"prestop-sleep-missing": {"delayingImages": list}}
		}
		res := engine.Run([]loader.Input{{Name: "in.yaml", Stdin: strings.NewReader(doc)}}, engine.Options{Rules: []*rules.Rule{r}, Settings: s})
		var got []string
		for _, f := range res.Findings {
			got = append(got, f.Container)
		}
		return got
	}
	if got := strings.Join(run(nil), ","); got != "web,api" {
		t.Errorf("no list: findings on %q, want web,api", got)
	}
	if got := strings.Join(run([]string{"team/web"}), ","); got != "api" {
		t.Errorf("team/web listed: findings on %q, want api", got)
	}
}
