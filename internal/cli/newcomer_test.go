package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/internal/testutil"
	"github.com/zdlint/zdlint/rules"
)

// Every subcommand answers --help on standard output, and "init --help"
// writes no file named --help.
func TestSubcommandHelp(t *testing.T) {
	dir := repo(t, nil)
	for _, cmd := range []string{"init", "explain", "rules", "version"} {
		for _, flag := range []string{"--help", "-h"} {
			code, stdout, stderr := runCLI(t, "", cmd, flag)
			if code != ExitClean || !strings.HasPrefix(stdout, "Usage: zdlint "+cmd) {
				t.Errorf("zdlint %s %s: exit %d\nstdout %q\nstderr %q", cmd, flag, code, stdout, stderr)
			}
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != ".git" {
			t.Errorf("a help request wrote %s", e.Name())
		}
	}
	// Any other dash argument is a usage error, not a file name.
	if code, _, stderr := runCLI(t, "", "init", "--force"); code != ExitError || !strings.Contains(stderr, "usage: zdlint init") {
		t.Errorf("init --force: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat("--force"); err == nil {
		t.Error("init --force wrote a file")
	}
}

// explain keeps the snippets' indentation: the first line of a YAML block
// is indented like the rest, so nested keys stay under their parent.
func TestExplainKeepsIndentation(t *testing.T) {
	for _, r := range rules.All() {
		out := explainText(r)
		for _, snippet := range []string{r.Bad, r.Fix} {
			want := indent(snippet)
			if !strings.Contains(out, "-\n"+want+"\n\n") {
				t.Errorf("%s: explain does not show the snippet as indented YAML:\nwant\n%s\nin\n%s", r.ID, want, out)
				break
			}
		}
	}
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 baseline entries", 1: "1 baseline entry", 2: "2 baseline entries"} {
		if got := plural(n, "baseline entry"); got != want {
			t.Errorf("plural(%d) = %q, want %q", n, got, want)
		}
	}
	if got := plural(2, "file"); got != "2 files" {
		t.Errorf("plural(2, file) = %q", got)
	}
}

// A baseline names files relative to itself: written at the repository
// root, it knows the same findings from a subdirectory and with absolute
// paths, and written from a subdirectory, at the root.
func TestBaselineFromAnotherDirectory(t *testing.T) {
	dir := repo(t, map[string]string{"k8s/web.yaml": cfgDeployment})
	if code, _, stderr := runCLI(t, "", "--write-baseline", "zdlint-baseline.json", "k8s"); code != ExitClean {
		t.Fatalf("--write-baseline: exit %d\n%s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "zdlint-baseline.json"))
	if err != nil || !strings.Contains(string(data), `"file": "k8s/web.yaml"`) {
		t.Fatalf("baseline %s (%v)", data, err)
	}
	runs := []struct {
		wd   string
		args []string
	}{
		{"k8s", []string{"--baseline", "../zdlint-baseline.json", "."}},
		{"k8s", []string{"--baseline", "../zdlint-baseline.json", "web.yaml"}},
		{".", []string{"--baseline", "zdlint-baseline.json", filepath.Join(dir, "k8s")}},
		{"k8s", []string{"--baseline", filepath.Join(dir, "zdlint-baseline.json"), filepath.Join(dir, "k8s", "web.yaml")}},
	}
	for _, r := range runs {
		t.Chdir(filepath.Join(dir, r.wd))
		code, stdout, stderr := runCLI(t, "", r.args...)
		if code != ExitClean || stdout != "" || strings.Contains(stderr, "no longer occur") {
			t.Errorf("from %s, zdlint %s: exit %d\n%s%s", r.wd, strings.Join(r.args, " "), code, stdout, stderr)
		}
	}
	// Written from the subdirectory, the entries still name k8s/web.yaml.
	t.Chdir(filepath.Join(dir, "k8s"))
	if code, _, stderr := runCLI(t, "", "--write-baseline", "../zdlint-baseline.json", "."); code != ExitClean {
		t.Fatalf("--write-baseline from k8s: exit %d\n%s", code, stderr)
	}
	again, _ := os.ReadFile(filepath.Join(dir, "zdlint-baseline.json"))
	if string(again) != string(data) {
		t.Errorf("the baseline written from k8s/ differs:\n%s\nvs\n%s", again, data)
	}
}

// --base-path applies to every format that prints paths: a job that runs
// in a subdirectory gets paths relative to the repository root.
func TestBasePathEveryFormat(t *testing.T) {
	dir := repo(t, map[string]string{"svc/k8s/web.yaml": cfgDeployment, "svc/k8s/bad.yaml": "kind: [\n"})
	t.Chdir(filepath.Join(dir, "svc"))
	want := map[string]string{
		"text":       "svc/k8s/web.yaml:8:1: warning:",
		"json":       `"file": "svc/k8s/web.yaml"`,
		"github":     "::warning file=svc/k8s/web.yaml,line=8",
		"junit":      `classname="svc/k8s/web.yaml"`,
		"checkstyle": `<file name="svc/k8s/web.yaml">`,
		"sarif":      `"uri": "svc/k8s/web.yaml"`,
		"gitlab":     `"path": "svc/k8s/web.yaml"`,
	}
	for format, w := range want {
		_, stdout, stderr := runCLI(t, "", "-q", "--format", format, "--base-path", "..", "k8s")
		if !strings.Contains(stdout, w) {
			t.Errorf("--format %s --base-path ..: no %s in\n%s", format, w, stdout)
		}
		// Input errors too, wherever the format puts them.
		if !strings.Contains(stdout+stderr, "svc/k8s/bad.yaml") {
			t.Errorf("--format %s --base-path ..: the error does not name svc/k8s/bad.yaml:\n%s%s", format, stdout, stderr)
		}
	}
	// Without --base-path, names are as given.
	if _, stdout, _ := runCLI(t, "", "-q", "--format", "github", "k8s"); !strings.Contains(stdout, "file=k8s/web.yaml,") {
		t.Errorf("github without --base-path:\n%s", stdout)
	}
}

// A clean run gives one passing JUnit test case per linted file, so CI
// test-report steps that refuse an empty report accept it.
func TestJUnitCleanRun(t *testing.T) {
	root := testutil.RepoRoot(t)
	good, err := os.ReadFile(filepath.Join(root, "examples", "after", "shop.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	repo(t, map[string]string{"k8s/a.yaml": string(good), "k8s/b.yaml": string(good)})
	code, stdout, stderr := runCLI(t, "", "-q", "--format", "junit", "k8s")
	if code != ExitClean {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{
		`<testsuites name="zdlint" tests="2" failures="0" errors="0">`,
		`<testsuite name="k8s/a.yaml" tests="1" failures="0" errors="0">`,
		`<testcase name="zdlint k8s/a.yaml" classname="k8s/a.yaml"></testcase>`,
		`<testsuite name="k8s/b.yaml" tests="1" failures="0" errors="0">`,
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("no %s in\n%s", want, stdout)
		}
	}
}
