package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/internal/testutil"
)

// An ignore entry is reported unused only when the run walked every file
// its path could match: pre-commit and editors lint a few files, and an
// entry about the others silenced nothing because it had nothing to do.
func TestIgnoreUnusedOnlyOnFullWalks(t *testing.T) {
	root := testutil.RepoRoot(t)
	good, err := os.ReadFile(filepath.Join(root, "examples", "after", "shop.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := repo(t, map[string]string{
		"k8s/good.yaml":   string(good),
		"third/good.yaml": string(good),
		".deploy/x.yaml":  string(good),
		".zdlint.yaml": `ignore:
  - path: "third/**"
    reason: vendored
  - kind: StatefulSet
    reason: matches nothing anywhere
  - path: ".deploy/*.yaml"
    reason: walks do not enter hidden directories
`,
	})
	const (
		third    = ".zdlint.yaml:2:5: warning: the ignore entry silenced no finding"
		anywhere = ".zdlint.yaml:4:5: warning: the ignore entry silenced no finding"
		hidden   = ".zdlint.yaml:6:5: warning"
	)
	tests := []struct {
		name  string
		dir   string // working directory, relative to the repository
		stdin string
		args  []string
		want  []string // unused entries reported
	}{
		{name: "full walk", args: []string{"."}, want: []string{third, anywhere}},
		{name: "named file", args: []string{"k8s/good.yaml"}},
		{name: "named file in the entry's directory", args: []string{"third/good.yaml"}},
		{name: "walk of another directory", args: []string{"k8s"}},
		{name: "walk of the entry's directory", args: []string{"third"}, want: []string{third}},
		{name: "context run", args: []string{"--context", ".", "k8s/good.yaml"}},
		{name: "context with a walk", args: []string{"--context", "k8s", "."}},
		{name: "stdin", stdin: string(good), args: []string{"--stdin-filename", "k8s/good.yaml", "-"}},
		{name: "walk from a subdirectory", dir: "k8s", args: []string{"--config", "../.zdlint.yaml", ".."},
			want: []string{"../" + third, "../" + anywhere}},
		{name: "subdirectory walk from a subdirectory", dir: "k8s", args: []string{"."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(filepath.Join(dir, tc.dir))
			code, stdout, stderr := runCLI(t, tc.stdin, append([]string{"-q"}, tc.args...)...)
			var got []string
			for _, l := range findingLines(stdout) {
				if strings.Contains(l, "unused-suppression") {
					got = append(got, l)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("exit %d, unused entries:\n%s\nwant %q\nstderr %s", code, strings.Join(got, "\n"), tc.want, stderr)
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("got %s, want prefix %s", got[i], w)
				}
			}
			if wantCode := map[bool]int{true: ExitClean, false: ExitFindings}[len(tc.want) == 0]; code != wantCode {
				t.Errorf("exit %d, want %d\n%s%s", code, wantCode, stdout, stderr)
			}
		})
	}
}

// A --context file that cannot be read is a warning naming the file; the
// run's exit code is the linted files' own.
func TestContextOnlyErrorsAreWarnings(t *testing.T) {
	root := testutil.RepoRoot(t)
	good, err := os.ReadFile(filepath.Join(root, "examples", "after", "shop.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	repo(t, map[string]string{
		"k8s/good.yaml":   string(good),
		"k8s/broken.yaml": "kind: Deployment\nspec: [\n",
	})
	code, stdout, stderr := runCLI(t, "", "--context", "k8s", "--context", "nope/", "k8s/good.yaml")
	if code != ExitClean || stdout != "" {
		t.Errorf("exit %d, want 0\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"k8s/broken.yaml:",
		": warning: invalid YAML",
		"a --context file: this does not fail the run",
		"nope/: warning: no such file or directory",
		"2 warnings",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	// The same file linted, not only context, is an error.
	if code, _, stderr := runCLI(t, "", "--context", "k8s", "k8s/broken.yaml"); code != ExitError || strings.Count(stderr, "k8s/broken.yaml:") != 1 || !strings.Contains(stderr, ": error: invalid YAML") {
		t.Errorf("a linted broken file: exit %d\n%s", code, stderr)
	}
}

// exclude applies to standard input by its --stdin-filename, as it would
// to the file on disk: an editor checking a generated file reports nothing.
func TestExcludeAppliesToStdinFilename(t *testing.T) {
	repo(t, map[string]string{".zdlint.yaml": "exclude: [\"generated/**\"]\n"})
	code, stdout, stderr := runCLI(t, cfgDeployment, "--stdin-filename", "generated/web.yaml", "-")
	if code != ExitClean || stdout != "" {
		t.Errorf("excluded stdin: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, cfgDeployment, "--stdin-filename", "k8s/web.yaml", "-")
	if code != ExitFindings || !strings.Contains(stdout, "k8s/web.yaml:") {
		t.Errorf("stdin not excluded: exit %d\n%s", code, stdout)
	}
}

// What a pre-commit hook or a walk meets in an ordinary repository besides
// manifests: JSON files of other tools (VS Code's settings with comments
// and trailing commas) yield nothing, and a Helm chart's raw templates are
// set aside with one warning per chart, never a YAML error per template.
func TestRepositoryNeighbours(t *testing.T) {
	repo(t, map[string]string{
		".vscode/settings.json":        "{\n  // editor settings\n  \"editor.tabSize\": 2,\n}\n",
		"tsconfig.json":                "{\"compilerOptions\": {\"strict\": true,},}\n",
		"broken-manifest.json":         "{\"apiVersion\": \"v1\", \"kind\": \"Service\",\n",
		"chart/Chart.yaml":             "apiVersion: v2\nname: web\nversion: 1.0.0\n",
		"chart/templates/deploy.yaml":  "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n{{- if .Values.x }}\n  replicas: 2\n{{- end }}\n",
		"chart/templates/sub/svc.yaml": "{{ include \"x\" . }}\n",
		"chart/templates/_helpers.tpl": "{{- define \"x\" -}}\n{{- end -}}\n",
		"templates/plain.yaml":         "kind: ConfigMap\ndata: [\n", // no chart: a plain file
	})
	// With rendering off, the templates are set aside with one warning.
	code, stdout, stderr := runCLI(t, "", "--no-render", ".vscode/settings.json", "tsconfig.json", "chart/templates/deploy.yaml", "chart/templates/sub/svc.yaml")
	if code != ExitClean || stdout != "" {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
	if n := strings.Count(stderr, "chart: warning: Helm chart: its templates are not plain YAML"); n != 1 {
		t.Errorf("%d chart warnings, want 1:\n%s", n, stderr)
	}
	// Rendered (package render), the staged templates are judged on the
	// chart's objects: findings, never an input error.
	if _, err := exec.LookPath("helm"); err == nil {
		code, stdout, stderr = runCLI(t, "", ".vscode/settings.json", "tsconfig.json", "chart/templates/deploy.yaml", "chart/templates/sub/svc.yaml")
		if code == ExitError || !strings.Contains(stdout, "chart/templates/deploy.yaml:") {
			t.Errorf("rendered: exit %d\n%s%s", code, stdout, stderr)
		}
	}
	code, _, stderr = runCLI(t, "", ".")
	if code != ExitError || !strings.Contains(stderr, "broken-manifest.json:") || !strings.Contains(stderr, "templates/plain.yaml:") ||
		strings.Contains(stderr, "chart/templates") || strings.Contains(stderr, "tsconfig") {
		t.Errorf("walk: exit %d\n%s", code, stderr)
	}
}

// Directory walks skip testdata, vendor, node_modules and hidden
// directories, as the Go tool does; a directory or file named on the
// command line is linted, an exclude pattern with "!" re-includes one, and
// a directory that yields nothing says what the walk skipped.
func TestWalkSkips(t *testing.T) {
	dir := repo(t, map[string]string{
		"k8s/web.yaml":                    cfgDeployment,
		"tool/testdata/golden.yaml":       cfgDeployment,
		"vendor/k8s.io/x/deploy.yaml":     cfgDeployment,
		"web/node_modules/pkg/chart.yaml": cfgDeployment,
		".deploy/web.yaml":                cfgDeployment,
	})
	files := func(args ...string) []string {
		t.Helper()
		_, stdout, stderr := runCLI(t, "", append([]string{"-q", "--disable", "all", "--enable", "liveness-probe-missing"}, args...)...)
		_ = stderr
		seen := map[string]bool{}
		var out []string
		for _, l := range findingLines(stdout) {
			f, _, _ := strings.Cut(l, ":")
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
		return out
	}
	tests := []struct {
		name, config string
		args         []string
		want         string
	}{
		{name: "walk", args: []string{"."}, want: "k8s/web.yaml"},
		{name: "named directory", args: []string{"tool/testdata"}, want: "tool/testdata/golden.yaml"},
		{name: "named file", args: []string{"tool/testdata/golden.yaml", "vendor/k8s.io/x/deploy.yaml"}, want: "tool/testdata/golden.yaml vendor/k8s.io/x/deploy.yaml"},
		{name: "named hidden directory", args: []string{".deploy"}, want: ".deploy/web.yaml"},
		{name: "re-included", config: "exclude: [\"!**/testdata/**\", \"!.deploy\"]\n", args: []string{"."}, want: ".deploy/web.yaml k8s/web.yaml tool/testdata/golden.yaml"},
		{name: "excluded then re-included", config: "exclude: [\"k8s/**\", \"!k8s/web.yaml\"]\n", args: []string{"."}, want: "k8s/web.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := filepath.Join(dir, ".zdlint.yaml")
			if tc.config != "" {
				if err := os.WriteFile(cfg, []byte(tc.config), 0o644); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() {
					if err := os.Remove(cfg); err != nil {
						t.Error(err)
					}
				})
			}
			got := files(tc.args...)
			if strings.Join(got, " ") != tc.want {
				t.Errorf("linted %q, want %q", got, tc.want)
			}
		})
	}
}

// A directory named on the command line that yields nothing says so, with
// the directories its walk skipped.
func TestDirectoryYieldingNothing(t *testing.T) {
	repo(t, map[string]string{
		"app/.deploy/web.yaml":     cfgDeployment,
		"app/testdata/golden.yaml": cfgDeployment,
		"tools/compose.yaml":       "services: {web: {image: nginx}}\n",
		"tools/.deploy/web.yaml":   cfgDeployment,
	})
	code, _, stderr := runCLI(t, "", "app")
	if code != ExitError || !strings.Contains(stderr, "app: error: no *.yaml, *.yml or *.json files found in this directory; the walk skipped app/.deploy/ (hidden), app/testdata/ (test data): name a directory on the command line") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	code, _, stderr = runCLI(t, "", "tools")
	if code != ExitClean || !strings.Contains(stderr, "tools: warning: no Kubernetes objects found in this directory's *.yaml, *.yml and *.json files; the walk skipped tools/.deploy/ (hidden)") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}
