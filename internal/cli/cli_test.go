package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/internal/testutil"
)

// runCLI runs zdlint in-process and returns exit code, stdout and stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	var in *strings.Reader
	if stdin != "" {
		in = strings.NewReader(stdin)
	}
	var code int
	if in != nil {
		code = Main(args, in, &out, &errOut)
	} else {
		code = Main(args, nil, &out, &errOut)
	}
	return code, out.String(), errOut.String()
}

func TestExitCodes(t *testing.T) {
	root := testutil.RepoRoot(t)
	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		stdout   []string // substrings
		stderr   []string
		noStdout bool
	}{
		{name: "findings", args: []string{"testdata/mixed.yaml"}, code: ExitFindings,
			stdout: []string{"testdata/mixed.yaml:11:11: error: container \"api\" of Deployment \"api\" has no readinessProbe"},
			stderr: []string{"1 file, 2 objects (2 linted), "}},
		{name: "clean", args: []string{filepath.Join(root, "examples", "after")}, code: ExitClean, noStdout: true},
		{name: "broken and findings", args: []string{"testdata/broken.yaml", "testdata/mixed.yaml"}, code: ExitError,
			stdout: []string{"mixed.yaml:11:11"}, stderr: []string{"testdata/broken.yaml:7:12: error: invalid YAML"}},
		{name: "kind typo", args: []string{"--stdin-filename", "typo.yaml", "-"}, code: ExitError,
			stdin:  "apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: web}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
			stderr: []string{"typo.yaml:2:7: error: Deploymnet \"web\": kind `Deploymnet` does not exist in apps/v1; did you mean `Deployment`?", "1 file, 2 objects (0 linted, 1 not recognised), 0 findings, 1 error"}},
		{name: "missing path", args: []string{"testdata/nope.yaml"}, code: ExitError, stderr: []string{"testdata/nope.yaml: error: no such file or directory"}},
		{name: "no input", args: nil, code: ExitError, stderr: []string{"no PATH given"}},
		{name: "unknown flag", args: []string{"--frobnicate", "x"}, code: ExitError, stderr: []string{"unknown flag: --frobnicate"}},
		{name: "unknown rule", args: []string{"--enable", "readines-probe-missing", "testdata/mixed.yaml"}, code: ExitError, stderr: []string{`did you mean "readiness-probe-missing"`}},
		{name: "disabled rule", args: []string{"--disable", "all", "testdata/mixed.yaml"}, code: ExitClean, noStdout: true},
		{name: "bad format", args: []string{"--format", "xml", "testdata/mixed.yaml"}, code: ExitError, stderr: []string{"unknown format"}},
		{name: "stdin", args: []string{"--stdin-filename", "k8s/api.yaml", "-"}, stdin: readFile(t, "testdata/mixed.yaml"), code: ExitFindings,
			stdout: []string{"k8s/api.yaml:11:11: error:"}},
		{name: "stdin default name", args: []string{"-"}, stdin: readFile(t, "testdata/mixed.yaml"), code: ExitFindings, stdout: []string{"<stdin>:11:11:"}},
		{name: "quiet", args: []string{"-q", "testdata/mixed.yaml"}, code: ExitFindings, stdout: []string{"mixed.yaml"}},
		{name: "help", args: []string{"--help"}, code: ExitClean, stdout: []string{"Examples:", "--stdin-filename"}},
		{name: "version flag", args: []string{"--version"}, code: ExitClean, stdout: []string{"zdlint ", "k8s.io/api: "}},
		{name: "version command", args: []string{"version"}, code: ExitClean, stdout: []string{"commit: "}},
		{name: "rules", args: []string{"rules"}, code: ExitClean, stdout: []string{"readiness-probe-missing", "SEVERITY"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			if tt.noStdout && stdout != "" {
				t.Errorf("unexpected stdout:\n%s", stdout)
			}
			if strings.Contains(stderr, "panic") || strings.Contains(stdout, "\x1b[") {
				t.Errorf("panic or colour codes in output:\n%s%s", stdout, stderr)
			}
		})
	}
	if _, _, stderr := runCLI(t, "", "-q", "testdata/mixed.yaml"); stderr != "" {
		t.Errorf("--quiet still printed %q", stderr)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestJSONFormat(t *testing.T) {
	code, stdout, _ := runCLI(t, "", "-q", "--format", "json", "testdata/mixed.yaml", "testdata/broken.yaml")
	if code != ExitError {
		t.Errorf("exit code %d, want %d", code, ExitError)
	}
	var rep struct {
		Version  int `json:"version"`
		Findings []struct {
			Rule, Severity, Message, File, Container, Path string
			Line, Column                                   int
			Object                                         struct{ APIVersion, Kind, Namespace, Name string }
		} `json:"findings"`
		Errors []struct {
			File, Message string
			Line, Column  int
		} `json:"errors"`
		Summary struct{ Files, Objects, Findings, Errors int } `json:"summary"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, stdout)
	}
	if rep.Version != 1 {
		t.Errorf("schema version %d, want 1", rep.Version)
	}
	if len(rep.Findings) == 0 || len(rep.Errors) != 1 {
		t.Fatalf("findings %d, errors %d", len(rep.Findings), len(rep.Errors))
	}
	f := rep.Findings[0]
	for _, x := range rep.Findings {
		if x.Rule == "readiness-probe-missing" {
			f = x
		}
	}
	if f.Rule != "readiness-probe-missing" || f.Line != 11 || f.Column != 11 || f.Path != "spec.template.spec.containers[0].readinessProbe" ||
		f.Container != "api" || f.Object.Kind != "Deployment" || f.Object.Namespace != "prod" || f.Object.Name != "api" || f.Object.APIVersion != "apps/v1" {
		t.Errorf("unexpected first finding %+v", f)
	}
	if e := rep.Errors[0]; e.File != "testdata/broken.yaml" || e.Line != 7 {
		t.Errorf("unexpected error %+v", e)
	}
	if rep.Summary.Files != 2 || rep.Summary.Findings != len(rep.Findings) || rep.Summary.Errors != 1 {
		t.Errorf("summary %+v", rep.Summary)
	}
}

// TestGolden pins the exact text and JSON output for the examples.
func TestGolden(t *testing.T) {
	root := testutil.RepoRoot(t)
	t.Chdir(root)
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			_, stdout, _ := runCLI(t, "", "-q", "--format", format, "examples/", "internal/cli/testdata/broken.yaml")
			testutil.Golden(t, filepath.Join(root, "internal", "cli", "testdata", "examples."+format+".golden"), []byte(stdout))
		})
	}
}

// TestDeterministic runs the fixture corpus serially and in parallel and
// expects byte-identical output.
func TestDeterministic(t *testing.T) {
	root := testutil.RepoRoot(t)
	dir := filepath.Join(root, "fixtures")
	_, one, _ := runCLI(t, "", "-q", "--enable", "all", "--jobs", "1", "--format", "json", dir)
	_, four, _ := runCLI(t, "", "-q", "--enable", "all", "--jobs", "4", "--format", "json", dir)
	if one != four {
		t.Error("output differs between --jobs 1 and --jobs 4")
	}
	if !strings.Contains(one, `"findings"`) {
		t.Error("no output")
	}
}

// TestSharedCorpusSmoke lints the shared real-manifest corpus: no internal
// errors, and identical output on two runs. Skipped when the corpus is absent.
func TestSharedCorpusSmoke(t *testing.T) {
	dir := testutil.SharedCorpus(t, "real")
	if dir == "" {
		t.Skip("../shared/corpus/real not present")
	}
	code, out1, err1 := runCLI(t, "", "--enable", "all", dir)
	_, out2, _ := runCLI(t, "", "--enable", "all", dir)
	if code > ExitError {
		t.Errorf("exit code %d", code)
	}
	if strings.Contains(err1, "internal error") || strings.Contains(err1, "panic") {
		t.Errorf("internal errors:\n%s", err1)
	}
	if out1 != out2 {
		t.Error("two runs over the corpus differ")
	}
}

func TestExplain(t *testing.T) {
	code, out, _ := runCLI(t, "", "explain", "max-unavailable-nonzero")
	if code != ExitClean {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"max-unavailable-nonzero (error, on by default)", "Why it matters\n--------------", "maxUnavailable: 0", "Kubernetes defaults it relies on", "docs/rules/max-unavailable-nonzero.md"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q:\n%s", want, out)
		}
	}
	if _, out, _ := runCLI(t, "", "explain", "pdb-missing"); !strings.Contains(out, "off by default (enable with --enable pdb-missing)") {
		t.Errorf("disabled rule not marked:\n%s", out)
	}
	code, _, stderr := runCLI(t, "", "explain", "readyness-probe-missing")
	if code != ExitError || !strings.Contains(stderr, `did you mean "readiness-probe-missing"`) {
		t.Errorf("unknown rule: exit %d, stderr %q", code, stderr)
	}
}

func TestRulesJSONAndSelection(t *testing.T) {
	code, out, _ := runCLI(t, "", "rules", "--format", "json")
	var list []struct {
		ID      string `json:"id"`
		Enabled bool   `json:"enabledByDefault"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != ExitClean {
		t.Fatalf("rules --format json: exit %d, %v", code, err)
	}
	states := map[string]bool{}
	for _, r := range list {
		states[r.ID] = r.Enabled
	}
	if !states["readiness-probe-missing"] || states["pdb-missing"] {
		t.Errorf("default states wrong: %v", states)
	}
	// "all" switches first, then the named IDs: only one rule runs here.
	_, stdout, _ := runCLI(t, "", "-q", "--disable", "all", "--enable", "progress-deadline-too-long", "testdata/mixed.yaml")
	if lines := strings.Split(strings.TrimSpace(stdout), "\n"); len(lines) != 1 || !strings.HasSuffix(lines[0], "[progress-deadline-too-long]") {
		t.Errorf("--disable all --enable X ran more than X:\n%s", stdout)
	}
}

// TestRenderedHelmInput: `helm template | zdlint -` names the template each
// finding came from, and a raw template gets one error that says to render it.
func TestRenderedHelmInput(t *testing.T) {
	rendered := `---
# Source: shop/templates/service.yaml
apiVersion: v1
kind: Service
metadata: {name: shop}
spec: {selector: {app: shop}, ports: [{port: 80}]}
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop}
spec:
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers:
        - name: shop
          image: example/shop:1
`
	code, stdout, _ := runCLI(t, rendered, "-q", "--disable", "all", "--enable", "readiness-probe-missing", "--stdin-filename", "chart.yaml", "-")
	if code != ExitFindings || !strings.Contains(stdout, "chart.yaml:17:11: error: container \"shop\" of Deployment \"shop\" has no readinessProbe; add one that succeeds only when the app can serve requests (from shop/templates/deployment.yaml) [readiness-probe-missing]") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
	code, stdout, _ = runCLI(t, rendered, "-q", "--format", "json", "--disable", "all", "--enable", "readiness-probe-missing", "-")
	if code != ExitFindings || !strings.Contains(stdout, `"source": "shop/templates/deployment.yaml"`) {
		t.Errorf("json lacks the source:\n%s", stdout)
	}
	raw := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.hpa }}\nspec: {}\n{{- end }}\n"
	code, _, stderr := runCLI(t, raw, "-q", "--stdin-filename", "templates/deployment.yaml", "-")
	if code != ExitError || strings.Count(stderr, "error:") != 1 || !strings.Contains(stderr, "helm template") || !strings.HasPrefix(stderr, "templates/deployment.yaml:") {
		t.Errorf("raw template: exit %d, stderr %q", code, stderr)
	}
}
