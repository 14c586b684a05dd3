package engine

import (
	"strings"
	"testing"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

const threeDeployments = `apiVersion: apps/v1
kind: Deployment
metadata: {name: first}
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: boom}
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: last}
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx
`

// panicky is a test-only rule that reports on every object, and panics on
// the object named "boom", directly or in its deferred check.
func panicky(id string, deferred bool) *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{ID: id, Severity: rules.Warning, Kinds: []string{"Deployment"}},
		Resolve: func(r *rules.Resolution) (string, bool) {
			if r.Fact.About().Name == "boom" {
				panic("deferred check exploded")
			}
			return "deferred " + r.Fact.About().Name, true
		},
		Run: func(p *rules.Pass) {
			if deferred {
				p.Later(rules.Report{At: loader.P("spec")})
				return
			}
			if p.Obj.Name == "boom" {
				var containers []string
				_ = containers[len(p.Obj.Name)] // a real runtime panic: index out of range
			}
			p.Reportf(loader.P("spec"), "seen %s", p.Obj.Name)
		},
	}
}

// TestRulePanicIsContained: a panic in one rule on one object becomes an
// internal error naming the rule, the object and the file; every other
// finding, of that rule on other objects and of other rules on the same
// object, is still reported.
func TestRulePanicIsContained(t *testing.T) {
	probe, _ := rules.ByID("readiness-probe-missing")
	for _, jobs := range []int{1, 4} {
		in := []loader.Input{
			{Name: "a.yaml", Stdin: strings.NewReader(threeDeployments)},
			{Name: "b.yaml", Stdin: strings.NewReader(strings.ReplaceAll(threeDeployments, "boom", "calm"))},
			{Name: "c.yaml", Stdin: strings.NewReader(threeDeployments)},
		}
		res := Run(in, Options{Rules: []*rules.Rule{panicky("test-panic", false), panicky("test-deferred-panic", true), probe}, Jobs: jobs})

		count := map[string]int{}
		for _, f := range res.Findings {
			count[f.Rule]++
		}
		// 9 objects: the direct rule reports on 7 (not twice on boom), the
		// deferred one on 7, the probe rule on all 9.
		if count["test-panic"] != 7 || count["test-deferred-panic"] != 7 || count["readiness-probe-missing"] != 9 {
			t.Errorf("jobs %d: findings per rule %v, want 7, 7 and 9", jobs, count)
		}
		var direct, deferred int
		for _, e := range res.Errors {
			switch {
			case strings.Contains(e.Msg, "internal error in rule test-panic on Deployment \"boom\"") && strings.Contains(e.Msg, "index out of range"):
				direct++
				if e.Pos != (loader.Pos{Line: 11, Col: 1}) {
					t.Errorf("internal error at %v, want the object's first line 11:1", e.Pos)
				}
			case strings.Contains(e.Msg, "internal error in rule test-deferred-panic on Deployment \"boom\"") && strings.Contains(e.Msg, "deferred check exploded"):
				deferred++
				if e.Pos != (loader.Pos{Line: 14, Col: 1}) {
					t.Errorf("deferred internal error at %v, want the finding's position 14:1", e.Pos)
				}
			default:
				t.Errorf("unexpected error %v", e)
			}
			if e.File != "a.yaml" && e.File != "c.yaml" {
				t.Errorf("internal error names file %q", e.File)
			}
		}
		if direct != 2 || deferred != 2 {
			t.Errorf("jobs %d: %d direct and %d deferred internal errors, want 2 and 2: %v", jobs, direct, deferred, res.Errors)
		}
	}
}

// TestLoaderPanicKeepsRecords: a panic that escapes the rules while a
// file is loaded (here: a deferred finding of a rule the run's record
// table does not know, which appendDeferred refuses) ends that file with
// an internal error, and the findings of the objects linted before it are
// kept and decode whole. The parser contains this one; processFile keeps
// the records on the panics that reach it too.
func TestLoaderPanicKeepsRecords(t *testing.T) {
	reporter := panicky("test-report", false)
	stray := panicky("test-stray", true)
	opts := Options{Rules: []*rules.Rule{reporter, stray}, Settings: rules.DefaultSettings()}
	opts.rules = newRuleTable([]*rules.Rule{reporter}, opts.Settings) // the stray rule is not in the table
	k := newKeeper(0, &opts)
	res := k.processFile(loader.Input{Name: "a.yaml", Stdin: strings.NewReader(threeDeployments)})
	if len(res.errors) != 1 || !strings.Contains(res.errors[0].Msg, "internal error") || !strings.Contains(res.errors[0].Msg, "test-stray") {
		t.Fatalf("errors: %v", res.errors)
	}
	if res.nFound != 1 {
		t.Fatalf("%d findings before the panic, want 1 (the first object's)", res.nFound)
	}
	var r reader
	r.Reset(k.records.get(res.found))
	if f := opts.rules.readFinding(&r); f.Message != "seen first" || f.Rule != "test-report" || r.S != "" {
		t.Errorf("kept finding %+v, %d bytes left", f, len(r.S))
	}
}
