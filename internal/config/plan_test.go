package config

import (
	"errors"
	"slices"
	"testing"

	"github.com/zdlint/zdlint/rules"
)

// TestResolvePrecedence is the one table of precedence: defaults, then the
// file, then the flags.
func TestResolvePrecedence(t *testing.T) {
	const fileSets = `failOn: error
minSeverity: warning
kubernetesVersion: "1.20"
rules:
  single-replica: {enabled: false, severity: info, options: {minReplicas: 3}}
  replicas-not-spread: {enabled: true}
`
	type want struct {
		failOn, minSev rules.Severity
		kube, ns       string
		on, off        []string // rule IDs that must be enabled, disabled
		sev            map[string]rules.Severity
		alone          bool // named files judged without sibling context
	}
	for _, tt := range []struct {
		name  string
		file  string // "" for no configuration
		flags Flags
		want  want
		err   string // a *FlagError with this message
	}{
		{name: "defaults", want: want{failOn: rules.Warning, minSev: rules.Info, ns: "default",
			on: []string{"single-replica"}, off: []string{"replicas-not-spread"}}},
		{name: "file beats defaults", file: fileSets, want: want{failOn: rules.Error, minSev: rules.Warning, kube: "1.20", ns: "default",
			on: []string{"replicas-not-spread"}, off: []string{"single-replica"}, sev: map[string]rules.Severity{"single-replica": rules.Info}}},
		{name: "flags beat file", file: fileSets,
			flags: Flags{FailOn: "info", MinSeverity: "error", KubeVersion: "1.33", Namespace: "shop", Enable: []string{"single-replica"}, Disable: []string{"replicas-not-spread"}},
			want: want{failOn: rules.Info, minSev: rules.Error, kube: "1.33", ns: "shop",
				on: []string{"single-replica"}, off: []string{"replicas-not-spread"}, sev: map[string]rules.Severity{"single-replica": rules.Info}}},
		{name: "flags beat defaults", flags: Flags{FailOn: "error", Disable: []string{"all"}, Enable: []string{"pdb-missing"}},
			want: want{failOn: rules.Error, minSev: rules.Info, ns: "default", on: []string{"pdb-missing"}, off: []string{"single-replica"}}},
		{name: "file all, then per rule", file: "rules: {all: {enabled: false}, pdb-missing: {enabled: true}}",
			want: want{failOn: rules.Warning, minSev: rules.Info, ns: "default", on: []string{"pdb-missing"}, off: []string{"single-replica"}}},
		{name: "flag all beats file per rule", file: "rules: {single-replica: {enabled: false}}", flags: Flags{Enable: []string{"all"}},
			want: want{failOn: rules.Warning, minSev: rules.Info, ns: "default", on: []string{"single-replica", "replicas-not-spread"}}},
		{name: "flag ID beats flag all", flags: Flags{Enable: []string{"all"}, Disable: []string{"single-replica"}},
			want: want{failOn: rules.Warning, minSev: rules.Info, ns: "default", on: []string{"replicas-not-spread"}, off: []string{"single-replica"}}},
		{name: "file turns sibling context off", file: "siblingContext: false",
			want: want{failOn: rules.Warning, minSev: rules.Info, ns: "default", alone: true}},
		{name: "file keeps sibling context on", file: "siblingContext: true",
			want: want{failOn: rules.Warning, minSev: rules.Info, ns: "default"}},
		{name: "flag turns sibling context off", file: "siblingContext: true", flags: Flags{NoSiblings: true},
			want: want{failOn: rules.Warning, minSev: rules.Info, ns: "default", alone: true}},
		{name: "bad fail-on", flags: Flags{FailOn: "fatal"}, err: `--fail-on: unknown severity "fatal" (want error, warning or info)`},
		{name: "bad min-severity", file: fileSets, flags: Flags{MinSeverity: "x"}, err: `--min-severity: unknown severity "x" (want error, warning or info)`},
		{name: "bad kube-version", flags: Flags{KubeVersion: "one"}, err: "--kube-version: "},
		{name: "unknown rule", flags: Flags{Enable: []string{"single-replicas"}}, err: `unknown rule "single-replicas"; did you mean "single-replica"?`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var c *Config
			if tt.file != "" {
				var err error
				if c, err = Parse(".zdlint.yaml", []byte(tt.file)); err != nil {
					t.Fatal(err)
				}
			}
			p, err := Resolve(c, tt.flags)
			if tt.err != "" {
				var fe *FlagError
				if !errors.As(err, &fe) || len(fe.Msg) < len(tt.err) || fe.Msg[:len(tt.err)] != tt.err {
					t.Fatalf("error %v, want a FlagError starting %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			w := tt.want
			if p.FailOn != w.failOn || p.MinSeverity != w.minSev || p.Settings.KubeVersion != w.kube || p.Settings.DefaultNamespace != w.ns {
				t.Errorf("failOn %v minSeverity %v kube %q namespace %q, want %v %v %q %q",
					p.FailOn, p.MinSeverity, p.Settings.KubeVersion, p.Settings.DefaultNamespace, w.failOn, w.minSev, w.kube, w.ns)
			}
			if p.Siblings == w.alone {
				t.Errorf("sibling context %v, want %v", p.Siblings, !w.alone)
			}
			var ids []string
			for _, r := range p.Rules {
				ids = append(ids, r.ID)
			}
			for _, id := range w.on {
				if !slices.Contains(ids, id) {
					t.Errorf("%s is not enabled", id)
				}
			}
			for _, id := range w.off {
				if slices.Contains(ids, id) {
					t.Errorf("%s is enabled", id)
				}
			}
			for id, sev := range w.sev {
				if p.Settings.Severity[id] != sev {
					t.Errorf("severity of %s: %v, want %v", id, p.Settings.Severity[id], sev)
				}
			}
		})
	}
}

// Rendering is on unless --no-render or render: false turns it off; the
// flag's values files follow the file's.
func TestResolveRender(t *testing.T) {
	off, _ := Parse(".zdlint.yaml", []byte("render: false\nhelmValues: [a.yaml]\n"))
	for _, tt := range []struct {
		c      *Config
		f      Flags
		render bool
		values []string
	}{
		{nil, Flags{}, true, nil},
		{nil, Flags{NoRender: true, HelmValues: []string{"b.yaml"}}, false, []string{"b.yaml"}},
		{off, Flags{HelmValues: []string{"b.yaml"}}, false, []string{"a.yaml", "b.yaml"}},
	} {
		p, err := Resolve(tt.c, tt.f)
		if err != nil || p.Render != tt.render || !slices.Equal(p.HelmValues, tt.values) {
			t.Errorf("Resolve(%v, %+v): render %v values %v (%v), want %v %v", tt.c != nil, tt.f, p.Render, p.HelmValues, err, tt.render, tt.values)
		}
	}
}
