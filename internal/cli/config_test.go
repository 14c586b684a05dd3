package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A Deployment with four findings under the default rules, on known lines:
//
//	 8:1  progress-deadline-too-long (spec)
//	11:5  termination-grace-period-unset (template spec)
//	13:11 liveness-probe-missing, prestop-sleep-missing, resource-requests-missing (container web)
const cfgDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations:
    team: web
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: example/web:1
          ports: [{containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
`

// lines returns the finding lines of a text report ("file:line:col: ...").
func findingLines(stdout string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

func hasLine(lines []string, prefix, rule string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) && strings.HasSuffix(l, "["+rule+"]") {
			return true
		}
	}
	return false
}

// repo makes a temporary repository (a .git directory marks its root) with
// the given files and makes it the working directory.
func repo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return dir
}

func TestConfigFileFoundAndApplied(t *testing.T) {
	dir := repo(t, map[string]string{
		"k8s/web.yaml": cfgDeployment,
		".zdlint.yaml": `rules:
  liveness-probe-missing: {enabled: false}
  progress-deadline-too-long: {severity: error, options: {maxSeconds: 180}}
  termination-grace-period-unset: {severity: info}
`,
	})
	// Run from a subdirectory: the file is found by walking up.
	t.Chdir(filepath.Join(dir, "k8s"))
	code, stdout, stderr := runCLI(t, "", "-q", "web.yaml")
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	lines := findingLines(stdout)
	if hasLine(lines, "", "liveness-probe-missing") {
		t.Errorf("a rule disabled in the configuration ran:\n%s", stdout)
	}
	if !hasLine(lines, "web.yaml:8:1: error: ", "progress-deadline-too-long") || !strings.Contains(stdout, "set it to 180 or less") {
		t.Errorf("severity or option from the configuration not applied:\n%s", stdout)
	}
	if !hasLine(lines, "web.yaml:11:5: info: ", "termination-grace-period-unset") {
		t.Errorf("info severity not applied:\n%s", stdout)
	}

	// Flags win over the file.
	_, stdout, _ = runCLI(t, "", "-q", "--enable", "liveness-probe-missing", "--disable", "progress-deadline-too-long", "web.yaml")
	lines = findingLines(stdout)
	if !hasLine(lines, "web.yaml:13:11:", "liveness-probe-missing") || hasLine(lines, "", "progress-deadline-too-long") {
		t.Errorf("flags did not win over the configuration:\n%s", stdout)
	}

	// --no-config ignores it.
	_, stdout, _ = runCLI(t, "", "-q", "--no-config", "web.yaml")
	if !hasLine(findingLines(stdout), "web.yaml:8:1: warning: ", "progress-deadline-too-long") || !strings.Contains(stdout, "300 or less") {
		t.Errorf("--no-config still applied the configuration:\n%s", stdout)
	}
}

func TestConfigFlagAndErrors(t *testing.T) {
	dir := repo(t, map[string]string{
		"web.yaml": cfgDeployment,
		"strict.yaml": `rules:
  progress-deadline-too-long: {severity: error}
`,
		"bad.yaml": `rules:
  progres-deadline-too-long: {enabled: false}
`,
	})
	code, stdout, _ := runCLI(t, "", "-q", "--config", "strict.yaml", "web.yaml")
	if code != ExitFindings || !hasLine(findingLines(stdout), "web.yaml:8:1: error: ", "progress-deadline-too-long") {
		t.Errorf("--config not applied (exit %d):\n%s", code, stdout)
	}
	code, stdout, stderr := runCLI(t, "", "--config", "bad.yaml", "web.yaml")
	if code != ExitError || stdout != "" {
		t.Errorf("bad configuration: exit %d, stdout %q", code, stdout)
	}
	if want := `bad.yaml:2:3: unknown key "progres-deadline-too-long"; did you mean "progress-deadline-too-long"?`; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	code, _, stderr = runCLI(t, "", "--config", "bad.yaml", "--no-config", "web.yaml")
	if code != ExitError || !strings.Contains(stderr, "cannot be used together") {
		t.Errorf("--config with --no-config: exit %d\n%s", code, stderr)
	}
	code, _, stderr = runCLI(t, "", "--config", filepath.Join(dir, "missing.yaml"), "web.yaml")
	if code != ExitError || !strings.Contains(stderr, "missing.yaml") {
		t.Errorf("missing --config file: exit %d\n%s", code, stderr)
	}
}

func TestFailOnAndMinSeverity(t *testing.T) {
	repo(t, map[string]string{"web.yaml": cfgDeployment})
	only := []string{"-q", "--disable", "all", "--enable", "liveness-probe-missing,progress-deadline-too-long"} // two warnings
	tests := []struct {
		args  []string
		code  int
		lines int
	}{
		{nil, ExitFindings, 2},
		{[]string{"--fail-on", "error"}, ExitClean, 2}, // printed, but not failing
		{[]string{"--fail-on", "warning"}, ExitFindings, 2},
		{[]string{"--min-severity", "error"}, ExitClean, 0}, // not even printed
		{[]string{"--fail-on", "info"}, ExitFindings, 2},
	}
	for _, tt := range tests {
		args := append(append(append([]string{}, only...), tt.args...), "web.yaml")
		code, stdout, stderr := runCLI(t, "", args...)
		if code != tt.code || len(findingLines(stdout)) != tt.lines {
			t.Errorf("%v: exit %d with %d lines, want %d with %d\n%s%s", tt.args, code, len(findingLines(stdout)), tt.code, tt.lines, stdout, stderr)
		}
	}
	code, _, stderr := runCLI(t, "", "--fail-on", "fatal", "web.yaml")
	if code != ExitError || !strings.Contains(stderr, "--fail-on") {
		t.Errorf("bad --fail-on: exit %d\n%s", code, stderr)
	}

	// The same gates in the file; the flags win.
	if err := os.WriteFile(".zdlint.yaml", []byte("failOn: error\nminSeverity: warning\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append(append([]string{}, only...), "web.yaml")
	if code, stdout, _ := runCLI(t, "", args...); code != ExitClean || len(findingLines(stdout)) != 2 {
		t.Errorf("failOn: error in the file: exit %d\n%s", code, stdout)
	}
	if code, _, _ := runCLI(t, "", append([]string{"--fail-on", "warning"}, args...)...); code != ExitFindings {
		t.Errorf("--fail-on warning over the file's failOn: error: exit %d", code)
	}
	if code, stdout, _ := runCLI(t, "", append([]string{"--min-severity", "error"}, args...)...); code != ExitClean || stdout != "" {
		t.Errorf("--min-severity error over the file's warning: exit %d\n%s", code, stdout)
	}
}

// Every suppression form, end to end, with the positions of the
// suppressions' own findings.
func TestSuppressionForms(t *testing.T) {
	repo(t, map[string]string{
		"web.yaml": `# zdlint:ignore-file liveness-probe-missing -- the platform restarts hung pods
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    zdlint.io/ignore: progress-deadline-too-long
    zdlint.io/ignore-reason: the deploy tool has its own deadline
spec:
  replicas: 2
  template:
    spec: # zdlint:ignore termination-grace-period-unset -- default 30 s is enough
      containers:
        # zdlint:ignore prestop-sleep-missing
        - name: web
          image: example/web:1
          ports: [{containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
        - name: helper # zdlint:ignore readiness-probe-missing -- batch helper, serves nothing
          image: example/helper:1
          resources: {requests: {cpu: 10m, memory: 16Mi}}
          lifecycle: {preStop: {sleep: {seconds: 5}}}
        # zdlint:ignore readiness-probe-missing -- it has one now
        - name: third
          image: example/third:1
          resources: {requests: {cpu: 10m, memory: 16Mi}}
          readinessProbe: {tcpSocket: {port: 9000}}
          lifecycle: {preStop: {sleep: {seconds: 5}}}
`,
	})
	code, stdout, stderr := runCLI(t, "", "-q", "web.yaml")
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	lines := findingLines(stdout)
	want := []struct{ prefix, rule string }{
		{"web.yaml:14:9: warning: zdlint:ignore prestop-sleep-missing has no reason", "suppression-missing-reason"},
		{"web.yaml:15:11: error: ", "resource-requests-missing"}, // not suppressed: the comment names another rule
		{"web.yaml:23:9: warning: zdlint:ignore readiness-probe-missing silenced no finding", "unused-suppression"},
	}
	for _, w := range want {
		if !hasLine(lines, w.prefix, w.rule) {
			t.Errorf("missing %s [%s] in:\n%s", w.prefix, w.rule, stdout)
		}
	}
	if len(lines) != len(want) {
		t.Errorf("got %d lines, want %d:\n%s", len(lines), len(want), stdout)
	}

	// --show-suppressed lists what was silenced and why, in text and JSON.
	_, stdout, _ = runCLI(t, "", "-q", "--show-suppressed", "web.yaml")
	for _, s := range []string{
		"web.yaml:9:1: suppressed: ",
		"(annotation: the deploy tool has its own deadline) [progress-deadline-too-long]",
		"web.yaml:12:5: suppressed: ",
		"(comment: default 30 s is enough) [termination-grace-period-unset]",
		"web.yaml:15:11: suppressed: ",
		"(file-comment: the platform restarts hung pods) [liveness-probe-missing]",
		"(comment: no reason given) [prestop-sleep-missing]",
		"web.yaml:19:11: suppressed: ",
		"(comment: batch helper, serves nothing) [readiness-probe-missing]",
	} {
		if !strings.Contains(stdout, s) {
			t.Errorf("--show-suppressed lacks %q:\n%s", s, stdout)
		}
	}
	_, stdout, _ = runCLI(t, "", "-q", "--show-suppressed", "--format", "json", "web.yaml")
	var rep struct {
		Suppressed []struct {
			Rule, File, Suppression, Reason string
			Line, Column                    int
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range rep.Suppressed {
		if s.Rule == "readiness-probe-missing" && s.Line == 19 && s.Column == 11 && s.Suppression == "comment" && s.Reason == "batch helper, serves nothing" {
			found = true
		}
	}
	if !found {
		t.Errorf("JSON suppressed lacks the helper's readiness finding:\n%s", stdout)
	}
	// Without --show-suppressed the JSON field is absent.
	_, stdout, _ = runCLI(t, "", "-q", "--format", "json", "web.yaml")
	if strings.Contains(stdout, `"suppressed"`) {
		t.Errorf("suppressed present without --show-suppressed")
	}

	// A suppression of a rule that did not run is not unused.
	_, stdout, _ = runCLI(t, "", "-q", "--disable", "prestop-sleep-missing", "web.yaml")
	if strings.Contains(stdout, "zdlint:ignore prestop-sleep-missing silenced no finding") {
		t.Errorf("suppression of a disabled rule reported as unused:\n%s", stdout)
	}
}

func TestConfigIgnoreEntries(t *testing.T) {
	repo(t, map[string]string{
		"third_party/chart.yaml": cfgDeployment,
		"k8s/web.yaml":           cfgDeployment,
		".zdlint.yaml": `ignore:
  - path: "third_party/**"
    reason: vendored chart, fixed upstream
  - kind: Deployment
    namespace: shop
    name: "w*"
    container: web
    rules: [liveness-probe-missing]
    reason: probes come from the mesh
  - kind: StatefulSet
    rules: [single-replica]
    reason: nothing matches this
  - kind: Deployment
    name: web
    rules: [prestop-sleep-missing]
`,
	})
	code, stdout, stderr := runCLI(t, "", "-q", "--show-suppressed", ".")
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	lines := findingLines(stdout)
	for _, l := range lines {
		if strings.HasPrefix(l, "third_party/chart.yaml") && !strings.Contains(l, ": suppressed: ") {
			t.Errorf("finding in an ignored path: %s", l)
		}
	}
	checks := []struct{ prefix, rule string }{
		{"k8s/web.yaml:13:11: suppressed: ", "liveness-probe-missing"},
		{"k8s/web.yaml:8:1: warning: ", "progress-deadline-too-long"},
		{".zdlint.yaml:10:5: warning: the ignore entry silenced no finding", "unused-suppression"},
		{".zdlint.yaml:13:5: warning: the ignore entry has no reason; add reason:", "suppression-missing-reason"},
		{"third_party/chart.yaml:8:1: suppressed: ", "progress-deadline-too-long"},
	}
	for _, c := range checks {
		if !hasLine(lines, c.prefix, c.rule) {
			t.Errorf("missing %s [%s]:\n%s", c.prefix, c.rule, stdout)
		}
	}
}

func TestExclude(t *testing.T) {
	dir := repo(t, map[string]string{
		"vendor/x/d.yaml": cfgDeployment,
		"k8s/web.yaml":    cfgDeployment,
		".zdlint.yaml":    "exclude: [\"vendor/**\"]\n",
	})
	_, stdout, stderr := runCLI(t, "", ".")
	if strings.Contains(stdout, "vendor/") || !strings.Contains(stdout, "k8s/web.yaml") || !strings.Contains(stderr, "1 object (1 linted),") {
		t.Errorf("exclude not applied:\n%s%s", stdout, stderr)
	}
	// Relative to the configuration, from another working directory.
	t.Chdir(filepath.Join(dir, "k8s"))
	_, stdout, _ = runCLI(t, "", "--config", "../.zdlint.yaml", "..")
	if strings.Contains(stdout, "vendor") {
		t.Errorf("exclude not applied relative to the configuration file:\n%s", stdout)
	}
}

func TestBaseline(t *testing.T) {
	repo(t, map[string]string{"web.yaml": cfgDeployment, "other.yaml": strings.ReplaceAll(cfgDeployment, "name: web", "name: other")})
	code, stdout, stderr := runCLI(t, "", "--write-baseline", "zdlint-baseline.json", ".")
	if code != ExitClean || stdout != "" || !strings.Contains(stderr, "recorded 10 findings in zdlint-baseline.json") {
		t.Fatalf("--write-baseline: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "", "--baseline", "zdlint-baseline.json", ".")
	if code != ExitClean || stdout != "" {
		t.Errorf("nothing new: exit %d\n%s%s", code, stdout, stderr)
	}

	// An unrelated edit moves every line down: old findings stay known.
	// A new problem (a second container without probes) is reported, and
	// the fixed termination-grace-period-unset becomes a stale entry.
	// (other.yaml keeps its five findings.)
	edited := strings.Replace(cfgDeployment, "    team: web\n", "    team: web\n    owner: alice\n    tier: frontend\n", 1)
	edited = strings.Replace(edited, "    spec:\n      containers:", "    spec:\n      terminationGracePeriodSeconds: 45\n      containers:", 1)
	edited += "        - name: cache\n          image: example/cache:1\n          ports: [{containerPort: 6379}]\n"
	if err := os.WriteFile("web.yaml", []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCLI(t, "", "--baseline", "zdlint-baseline.json", ".")
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	lines := findingLines(stdout)
	for _, l := range lines {
		if !strings.Contains(l, `container "cache"`) {
			t.Errorf("old or unrelated finding reported against the baseline: %s", l)
		}
	}
	if len(lines) != 4 { // readiness, liveness, preStop, requests of "cache"
		t.Errorf("got %d new findings, want 4:\n%s", len(lines), stdout)
	}
	if !strings.Contains(stderr, "1 baseline entry in zdlint-baseline.json no longer occurs;") {
		t.Errorf("stale entry not reported:\n%s", stderr)
	}
	_, stdout, _ = runCLI(t, "", "-q", "--format", "json", "--baseline", "zdlint-baseline.json", ".")
	if !strings.Contains(stdout, `"staleBaselineEntries"`) || !strings.Contains(stdout, `"rule": "termination-grace-period-unset"`) {
		t.Errorf("JSON lacks the stale entry:\n%s", stdout)
	}

	// Linting only one file (pre-commit) does not call the other file's
	// entries stale.
	_, _, stderr = runCLI(t, "", "--baseline", "zdlint-baseline.json", "other.yaml")
	if strings.Contains(stderr, "no longer occur") {
		t.Errorf("entries of files not linted reported as stale:\n%s", stderr)
	}

	code, _, stderr = runCLI(t, "", "--baseline", "missing.json", ".")
	if code != ExitError || !strings.Contains(stderr, "missing.json") {
		t.Errorf("missing baseline: exit %d\n%s", code, stderr)
	}
}

func TestInit(t *testing.T) {
	dir := repo(t, map[string]string{"web.yaml": cfgDeployment})
	code, stdout, stderr := runCLI(t, "", "init")
	if code != ExitClean || !strings.Contains(stdout, "wrote .zdlint.yaml") {
		t.Fatalf("init: exit %d\n%s%s", code, stdout, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, ".zdlint.yaml"))
	if err != nil || !strings.Contains(string(data), "readiness-probe-missing:") {
		t.Fatalf("init wrote %q (%v)", data, err)
	}
	// The written defaults change nothing.
	_, with, _ := runCLI(t, "", "-q", "web.yaml")
	_, without, _ := runCLI(t, "", "-q", "--no-config", "web.yaml")
	if with != without {
		t.Errorf("the init configuration changes the findings:\n%s\nvs\n%s", with, without)
	}
	code, _, stderr = runCLI(t, "", "init")
	if code != ExitError || !strings.Contains(stderr, "already exists") {
		t.Errorf("init over an existing file: exit %d\n%s", code, stderr)
	}
	code, stdout, _ = runCLI(t, "", "init", "-")
	if code != ExitClean || !strings.HasPrefix(stdout, "# zdlint configuration") {
		t.Errorf("init -: exit %d\n%s", code, stdout)
	}
}

// Malformed suppressions are reported where they are written and silence
// nothing.
func TestMalformedSuppressions(t *testing.T) {
	repo(t, map[string]string{"web.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    zdlint.io/ignore: "progress-deadline-to-long"
    zdlint.io/ignore-reason: typo in the rule ID
spec:
  replicas: 2
  template:
    spec:
      terminationGracePeriodSeconds: 30
      containers:
        - name: web # zdlint:ignore -- no rule named
          image: example/web:1
          ports: [{containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
          livenessProbe: {tcpSocket: {port: 8080}}
          lifecycle: {preStop: {sleep: {seconds: 5}}}
          resources: {requests: {cpu: 10m, memory: 16Mi}}
# zdlint:ignore-file progress-deadline-too-long -- below content, ignored
`})
	code, stdout, stderr := runCLI(t, "", "-q", "web.yaml")
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	lines := findingLines(stdout)
	want := []struct{ prefix, rule string }{
		{`web.yaml:6:23: warning: zdlint.io/ignore: progress-deadline-to-long is ignored: unknown rule "progress-deadline-to-long" (did you mean "progress-deadline-too-long"?)`, "unused-suppression"},
		{"web.yaml:8:1: warning: ", "progress-deadline-too-long"}, // nothing silenced it
		{"web.yaml:14:21: warning: zdlint:ignore is ignored: names no rule", "unused-suppression"},
		{"web.yaml:21:1: warning: zdlint:ignore-file progress-deadline-too-long is ignored: zdlint:ignore-file must be in the file's first comment block", "unused-suppression"},
	}
	for _, w := range want {
		if !hasLine(lines, w.prefix, w.rule) {
			t.Errorf("missing %s [%s] in:\n%s", w.prefix, w.rule, stdout)
		}
	}
	if len(lines) != len(want) {
		t.Errorf("got %d lines, want %d:\n%s", len(lines), len(want), stdout)
	}
}

// One run writes several formats: one to standard output, the others to
// files (a CI step that annotates the diff and uploads SARIF).
func TestSeveralFormats(t *testing.T) {
	dir := repo(t, map[string]string{"web.yaml": cfgDeployment})
	sarif, js := filepath.Join(dir, "out", "z.sarif"), filepath.Join(dir, "z.json")
	if err := os.Mkdir(filepath.Join(dir, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "", "-q", "--format", "github", "--format", "sarif="+sarif, "-f", "json="+js, "web.yaml")
	if code != ExitFindings || !strings.HasPrefix(stdout, "::warning file=web.yaml,line=8,col=1") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, p := range []string{sarif, js} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Errorf("%s is not JSON: %v", p, err)
		}
		if !strings.Contains(string(data), "progress-deadline-too-long") {
			t.Errorf("%s lacks the findings", p)
		}
	}
	// --output still names the file of a single format.
	if code, stdout, _ := runCLI(t, "", "-q", "-f", "json", "-o", js, "web.yaml"); code != ExitFindings || stdout != "" {
		t.Errorf("-o: exit %d, stdout %q", code, stdout)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-f", "text", "-f", "json"}, "--format text and json both write to standard output; give one a file (--format json=FILE)"},
		{[]string{"-f", "json=a.json", "-f", "sarif=a.json"}, "--format json and sarif both write to a.json"},
		{[]string{"-f", "sarif="}, "--format sarif=: no file after '='"},
		{[]string{"-f", "xml=a.xml"}, `unknown format "xml"`},
		{[]string{"-f", "sarif=" + filepath.Join(dir, "missing", "z.sarif")}, "cannot write the sarif report"},
	} {
		code, _, stderr := runCLI(t, "", append(tt.args, "web.yaml")...)
		if code != ExitError || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tt.args, code, stderr, tt.want)
		}
	}
}
