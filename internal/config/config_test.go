package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/rules"
)

func TestParseValid(t *testing.T) {
	c, err := Parse(".zdlint.yaml", []byte(`version: 1
rules:
  liveness-probe-missing: {enabled: false}
  progress-deadline-too-long: {severity: error, options: {maxSeconds: 180}}
  pdb-missing: {enabled: true}
  replicas-not-spread:
    options:
      topologyKeys: [topology.kubernetes.io/zone]
  all: {enabled: true}
kubernetesVersion: "1.29"
exclude: ["vendor/**", "charts/*/templates/**"]
ignore:
  - {kind: Deployment, namespace: kube-system, name: "coredns*", rules: [single-replica], reason: "managed by the cloud provider"}
  - path: third_party/**
    container: istio-proxy
    reason: injected
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := *c.Rules["liveness-probe-missing"].Enabled; got {
		t.Errorf("liveness-probe-missing enabled = %v", got)
	}
	pd := c.Rules["progress-deadline-too-long"]
	if pd.Severity != rules.Error || pd.Options["maxSeconds"] != 180 {
		t.Errorf("progress-deadline-too-long = %+v", pd)
	}
	if pd.Pos != (Pos{4, 3}) {
		t.Errorf("position of the rule entry = %v, want 4:3", pd.Pos)
	}
	if got := c.Rules["replicas-not-spread"].ListOptions["topologyKeys"]; !reflect.DeepEqual(got, []string{"topology.kubernetes.io/zone"}) {
		t.Errorf("topologyKeys = %v", got)
	}
	if c.All == nil || !*c.All {
		t.Errorf("all = %v", c.All)
	}
	if c.KubernetesVersion != "1.29" {
		t.Errorf("kubernetesVersion = %q", c.KubernetesVersion)
	}
	if !reflect.DeepEqual(c.Exclude, []string{"vendor/**", "charts/*/templates/**"}) {
		t.Errorf("exclude = %v", c.Exclude)
	}
	if len(c.Ignore) != 2 {
		t.Fatalf("ignore = %+v", c.Ignore)
	}
	want := Ignore{Kind: "Deployment", Namespace: "kube-system", Name: "coredns*", Rules: []string{"single-replica"}, Reason: "managed by the cloud provider", Pos: Pos{13, 5}}
	if !reflect.DeepEqual(c.Ignore[0], want) {
		t.Errorf("ignore[0] = %+v\nwant       %+v", c.Ignore[0], want)
	}
	if c.Ignore[1].Path != "third_party/**" || c.Ignore[1].Container != "istio-proxy" || c.Ignore[1].Pos != (Pos{14, 5}) {
		t.Errorf("ignore[1] = %+v", c.Ignore[1])
	}
}

func TestParseEmpty(t *testing.T) {
	for _, data := range []string{"", "# only a comment\n", "---\n"} {
		c, err := Parse("c.yaml", []byte(data))
		if err != nil || len(c.Rules) != 0 || c.All != nil {
			t.Errorf("Parse(%q) = %+v, %v", data, c, err)
		}
	}
}

// Every problem is an error at the offending key or value, with the
// closest valid key where one is close.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"unknown top key", "rulez: {}\n", `c.yaml:1:1: unknown key "rulez"; did you mean "rules"?`},
		{"unknown far key", "frobnicate: 1\n", `c.yaml:1:1: unknown key "frobnicate" (valid keys: version, kubernetesVersion, failOn, minSeverity, exclude, ignore, render, helmValues, siblingContext, rules)`},
		{"bad failOn", "failOn: fatal\n", `c.yaml:1:9: unknown severity "fatal"`},
		{"unknown rule", "rules:\n  readines-probe-missing: {enabled: false}\n", `c.yaml:2:3: unknown key "readines-probe-missing"; did you mean "readiness-probe-missing"?`},
		{"unknown rule key", "rules:\n  pdb-missing: {enable: true}\n", `c.yaml:2:17: unknown key "enable"; did you mean "enabled"?`},
		{"bad bool", "rules:\n  pdb-missing: {enabled: yes}\n", `c.yaml:2:26: expected true or false, got "yes"`},
		{"bad severity", "rules:\n  pdb-missing: {severity: fatal}\n", `c.yaml:2:27: unknown severity "fatal" (want error, warning or info)`},
		{"unknown option", "rules:\n  progress-deadline-too-long: {options: {maxSecond: 1}}\n", `c.yaml:2:42: unknown key "maxSecond"; did you mean "maxSeconds"?`},
		{"option on rule without options", "rules:\n  readiness-probe-missing: {options: {x: 1}}\n", `c.yaml:2:29: rule readiness-probe-missing has no options`},
		{"option not a number", "rules:\n  progress-deadline-too-long:\n    options: {maxSeconds: soon}\n", `c.yaml:3:27: expected an integer, got "soon"`},
		{"option quoted number", "rules:\n  progress-deadline-too-long:\n    options: {maxSeconds: \"300\"}\n", `c.yaml:3:27: expected an integer, got "300"`},
		{"negative option", "rules:\n  progress-deadline-too-long:\n    options: {maxSeconds: -1}\n", `c.yaml:3:27: option maxSeconds must not be negative`},
		{"list option scalar", "rules:\n  replicas-not-spread:\n    options: {topologyKeys: zone}\n", `c.yaml:3:29: option topologyKeys takes a list of strings`},
		{"list option empty", "rules:\n  replicas-not-spread:\n    options: {topologyKeys: []}\n", `c.yaml:3:29: option topologyKeys needs at least one value`},
		{"severity on all", "rules:\n  all: {severity: error}\n", `c.yaml:2:9: "all" selects rules; only enabled can be set for it`},
		{"rules not a mapping", "rules: [a]\n", `c.yaml:1:8: expected a mapping`},
		{"bad version", "version: 2\n", `c.yaml:1:10: unsupported configuration version 2 (this zdlint reads version 1)`},
		{"bad kube version", "kubernetesVersion: latest\n", `c.yaml:1:20: `},
		{"bad glob", "exclude: [\"[\"]\n", `c.yaml:1:11: bad glob "["`},
		{"ignore not a list", "ignore: {kind: Deployment}\n", `c.yaml:1:9: expected a list of ignore entries`},
		{"ignore unknown key", "ignore:\n  - {kind: Deployment, reasn: x}\n", `c.yaml:2:24: unknown key "reasn"; did you mean "reason"?`},
		{"ignore unknown rule", "ignore:\n  - {rules: [single-replika], reason: x}\n", `c.yaml:2:14: unknown rule "single-replika"; did you mean "single-replica"?`},
		{"duplicate key", "rules:\n  pdb-missing: {enabled: true}\n  pdb-missing: {enabled: false}\n", `c.yaml:3:3: duplicate key "pdb-missing"`},
		{"invalid YAML", "rules: {\n", `c.yaml: invalid YAML`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.data))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error\n  %s\nwant prefix\n  %s", err, tt.want)
			}
		})
	}
}

// The file zdlint init writes decodes cleanly and, applied, changes
// nothing: every rule keeps its default state, severity and options.
func TestTemplateIsTheDefaults(t *testing.T) {
	c, err := Parse("init.yaml", []byte(Template()))
	if err != nil {
		t.Fatalf("the init template does not decode: %v", err)
	}
	s := rules.DefaultSettings()
	enabled := selectRules(c, Selection{}, s)
	plain := selectRules(nil, Selection{}, rules.DefaultSettings())
	if !reflect.DeepEqual(ids(enabled), ids(plain)) {
		t.Errorf("template enables %v, defaults are %v", ids(enabled), ids(plain))
	}
	for _, r := range rules.All() {
		if sev, ok := s.Severity[r.ID]; ok && sev != r.Severity {
			t.Errorf("%s: template severity %s, default %s", r.ID, sev, r.Severity)
		}
		for _, o := range r.Options {
			if o.IsList() {
				if got := s.ListOptions[r.ID][o.Name]; !reflect.DeepEqual(got, o.DefaultList) {
					t.Errorf("%s.%s: template %v, default %v", r.ID, o.Name, got, o.DefaultList)
				}
				continue
			}
			if got, ok := s.Options[r.ID][o.Name]; !ok || got != o.Default {
				t.Errorf("%s.%s: template %d (set %v), default %d", r.ID, o.Name, got, ok, o.Default)
			}
		}
	}
	if s.KubeVersion != rules.NewestKubeVersion {
		t.Errorf("template kubernetesVersion %q, want %q", s.KubeVersion, rules.NewestKubeVersion)
	}
}

func ids(rs []*rules.Rule) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func boolp(b bool) *bool { return &b }

// Precedence, lowest first: rule defaults, the file's default/all
// switches, the file's per-rule enabled, the flags' "all", the flags' IDs.
func TestApplyPrecedence(t *testing.T) {
	on := func(enabled []*rules.Rule, id string) bool {
		for _, r := range enabled {
			if r.ID == id {
				return true
			}
		}
		return false
	}
	tests := []struct {
		name string
		cfg  *Config
		sel  Selection
		want map[string]bool
	}{
		{"defaults", nil, Selection{}, map[string]bool{"readiness-probe-missing": true, "pdb-missing": false}},
		{"file enables", &Config{Rules: map[string]RuleSetting{"pdb-missing": {Enabled: boolp(true)}}}, Selection{}, map[string]bool{"pdb-missing": true}},
		{"flag disables what the file enables", &Config{Rules: map[string]RuleSetting{"pdb-missing": {Enabled: boolp(true)}}}, Selection{Disable: []string{"pdb-missing"}}, map[string]bool{"pdb-missing": false}},
		{"flag enables what the file disables", &Config{Rules: map[string]RuleSetting{"liveness-probe-missing": {Enabled: boolp(false)}}}, Selection{Enable: []string{"liveness-probe-missing"}}, map[string]bool{"liveness-probe-missing": true}},
		{"file all then per-rule", &Config{All: boolp(true), Rules: map[string]RuleSetting{"startup-probe-missing": {Enabled: boolp(false)}}}, Selection{}, map[string]bool{"pdb-missing": true, "startup-probe-missing": false}},
		{"file default off keeps off-by-default rules off", &Config{Default: boolp(false)}, Selection{}, map[string]bool{"readiness-probe-missing": false, "pdb-missing": false}},
		{"flag all beats file", &Config{Rules: map[string]RuleSetting{"pdb-missing": {Enabled: boolp(false)}}}, Selection{Enable: []string{"all"}}, map[string]bool{"pdb-missing": true}},
		{"flag disable all, enable one", &Config{All: boolp(true)}, Selection{Enable: []string{"pdb-missing"}, Disable: []string{"all"}}, map[string]bool{"pdb-missing": true, "readiness-probe-missing": false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enabled := selectRules(tt.cfg, tt.sel, rules.DefaultSettings())
			for id, want := range tt.want {
				if got := on(enabled, id); got != want {
					t.Errorf("%s enabled = %v, want %v", id, got, want)
				}
			}
		})
	}
}

func TestApplySettings(t *testing.T) {
	c := &Config{KubernetesVersion: "1.24", Rules: map[string]RuleSetting{
		"progress-deadline-too-long": {Severity: rules.Error, Options: map[string]int64{"maxSeconds": 120}},
		"replicas-not-spread":        {ListOptions: map[string][]string{"topologyKeys": {"zone"}}},
	}}
	s := rules.DefaultSettings()
	selectRules(c, Selection{}, s)
	if s.Severity["progress-deadline-too-long"] != rules.Error || s.Options["progress-deadline-too-long"]["maxSeconds"] != 120 ||
		s.ListOptions["replicas-not-spread"]["topologyKeys"][0] != "zone" || s.KubeVersion != "1.24" {
		t.Errorf("settings = %+v", s)
	}
}

func TestMatchGlob(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"vendor/**", "vendor/a.yaml", true},
		{"vendor/**", "vendor/x/y/a.yaml", true},
		{"vendor/**", "./vendor/a.yaml", true},
		{"vendor/**", "src/vendor/a.yaml", false},
		{"**/vendor/**", "src/vendor/a.yaml", true},
		{"charts/*/templates/**", "charts/web/templates/d.yaml", true},
		{"charts/*/templates/**", "charts/web/x/templates/d.yaml", false},
		{"*.generated.yaml", "deep/dir/x.generated.yaml", true},
		{"*.generated.yaml", "x.yaml", false},
		{"k8s/*.yaml", "k8s/a.yaml", true},
		{"k8s/*.yaml", "k8s/sub/a.yaml", false},
		{"**/*.yaml", "a.yaml", true},
		{"a/**/b.yaml", "a/b.yaml", true},
		{"a/**/b.yaml", "a/x/y/b.yaml", true},
	}
	for _, tt := range tests {
		if got := MatchGlob(tt.pattern, tt.name); got != tt.want {
			t.Errorf("MatchGlob(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}

func TestExcludedRelativeToConfig(t *testing.T) {
	dir := t.TempDir()
	c := &Config{File: filepath.Join(dir, ".zdlint.yaml"), Exclude: []string{"vendor/**"}}
	if !c.Excluded(filepath.Join(dir, "vendor", "a.yaml")) {
		t.Error("an absolute path under the config's vendor/ is not excluded")
	}
	if c.Excluded(filepath.Join(dir, "k8s", "a.yaml")) {
		t.Error("k8s/a.yaml is excluded")
	}
	var nilConfig *Config
	if nilConfig.Excluded("vendor/a.yaml") {
		t.Error("a nil config excludes")
	}
}

// Find walks up from the working directory and stops at the repository
// root, so a configuration above the repository never applies.
func TestFind(t *testing.T) {
	root := t.TempDir()
	repo := filepath.Join(root, "repo")
	deep := filepath.Join(repo, "a", "b")
	for _, d := range []string{filepath.Join(repo, ".git"), deep} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// Above the repository: must not be found.
	if err := os.WriteFile(filepath.Join(root, ".zdlint.yaml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := Find(deep); got != "" {
		t.Errorf("Find found %q above the repository root", got)
	}
	want := filepath.Join(repo, ".zdlint.yml")
	if err := os.WriteFile(want, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := Find(deep); got != want {
		t.Errorf("Find = %q, want %q", got, want)
	}
	nearer := filepath.Join(repo, "a", ".zdlint.yaml")
	if err := os.WriteFile(nearer, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := Find(deep); got != nearer {
		t.Errorf("Find = %q, want the nearer %q", got, nearer)
	}
}
