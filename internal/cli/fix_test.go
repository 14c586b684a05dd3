package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/loader/yamledit"
	"github.com/zdlint/zdlint/rules"
)

// fixInput has safe fixes (strategy, deadline), unsafe ones (preStop,
// grace period) and findings without a fix (probes).
const fixInput = `# web, as first written
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  strategy:
    rollingUpdate: {maxUnavailable: 1}   # one at a time
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: example/web:1
        ports:
        - containerPort: 8080
        resources:
          requests: {cpu: 100m, memory: 64Mi}
`

func writeTemp(t *testing.T, name, text string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFixInPlace(t *testing.T) {
	path := writeTemp(t, "web.yaml", fixInput, 0o640)
	code, out, errOut := runCLI(t, "", "--no-config", "--fix", path)
	if code != ExitFindings {
		t.Errorf("exit %d, want %d (the probes are left)\n%s%s", code, ExitFindings, out, errOut)
	}
	got, _ := os.ReadFile(path)
	want := strings.Replace(strings.Replace(fixInput,
		"rollingUpdate: {maxUnavailable: 1}", "rollingUpdate: {maxUnavailable: 0, maxSurge: 1}", 1),
		"  replicas: 3\n", "  replicas: 3\n  progressDeadlineSeconds: 300\n", 1)
	if string(got) != want {
		t.Errorf("fixed file:\n%s\nwant:\n%s", got, want)
	}
	if strings.Contains(out, "max-unavailable-nonzero") || !strings.Contains(out, "readiness-probe-missing") {
		t.Errorf("the report should list what is left, not what was fixed:\n%s", out)
	}
	if !strings.Contains(out, "prestop-sleep-missing") {
		t.Errorf("an unsafe fix was applied without --unsafe-fixes:\n%s", out)
	}
	if !strings.Contains(errOut, "fixed 2 findings in 1 file") {
		t.Errorf("no fix summary on stderr:\n%s", errOut)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o640 {
		t.Errorf("permissions not kept: %v %v", info.Mode(), err)
	}
	// Twice is once.
	runCLI(t, "", "--no-config", "--fix", path)
	again, _ := os.ReadFile(path)
	if string(again) != string(got) {
		t.Errorf("a second --fix changed the file:\n%s", again)
	}
}

func TestUnsafeFixesCompose(t *testing.T) {
	path := writeTemp(t, "web.yaml", fixInput, 0o644)
	runCLI(t, "", "--no-config", "--fix", "--unsafe-fixes", path)
	got, _ := os.ReadFile(path)
	for _, want := range []string{"terminationGracePeriodSeconds: 35\n      containers:", "        lifecycle:\n          preStop:\n            sleep:\n              seconds: 5\n        resources:"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	before := string(got)
	runCLI(t, "", "--no-config", "--fix", "--unsafe-fixes", path)
	if got, _ := os.ReadFile(path); string(got) != before {
		t.Errorf("a second run changed the file:\n%s", got)
	}
	// Before 1.30 the cluster lacks the native sleep action by default.
	path = writeTemp(t, "old.yaml", fixInput, 0o644)
	runCLI(t, "", "--no-config", "--fix", "--unsafe-fixes", "--kube-version", "1.29", path)
	if got, _ := os.ReadFile(path); !strings.Contains(string(got), `exec:
              command: ["sleep", "5"]`) {
		t.Errorf("no exec sleep for 1.29:\n%s", got)
	}
}

func TestFixDiffChangesNothing(t *testing.T) {
	path := writeTemp(t, "web.yaml", fixInput, 0o644)
	code, out, _ := runCLI(t, "", "--no-config", "--diff", path)
	if code != ExitFindings {
		t.Errorf("exit %d, want the lint's %d", code, ExitFindings)
	}
	if got, _ := os.ReadFile(path); string(got) != fixInput {
		t.Error("--diff changed the file")
	}
	for _, want := range []string{"--- " + path, "-    rollingUpdate: {maxUnavailable: 1}   # one at a time", "+    rollingUpdate: {maxUnavailable: 0, maxSurge: 1}   # one at a time", "+  progressDeadlineSeconds: 300"} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("diff lacks %q:\n%s", want, out)
		}
	}
}

func TestFixStdin(t *testing.T) {
	code, out, errOut := runCLI(t, fixInput, "--no-config", "--fix", "-")
	if code != ExitFindings {
		t.Errorf("exit %d", code)
	}
	if !strings.HasPrefix(out, "# web, as first written\n") || !strings.Contains(out, "maxSurge: 1") || strings.Contains(out, "readiness-probe-missing") {
		t.Errorf("stdout should be the fixed stream only:\n%s", out)
	}
	if !strings.Contains(errOut, "readiness-probe-missing") {
		t.Errorf("the report goes to stderr:\n%s", errOut)
	}
}

func TestFixFollowsSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks")
	}
	target := writeTemp(t, "real.yaml", fixInput, 0o644)
	link := filepath.Join(t.TempDir(), "link.yaml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	runCLI(t, "", "--no-config", "--fix", link)
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("the symlink was replaced")
	}
	if got, _ := os.ReadFile(target); !strings.Contains(string(got), "maxSurge: 1") {
		t.Errorf("target not fixed:\n%s", got)
	}
}

func TestFixLeavesBrokenFileAlone(t *testing.T) {
	broken := fixInput + "---\nkey: [unclosed\n"
	path := writeTemp(t, "web.yaml", broken, 0o644)
	_, _, errOut := runCLI(t, "", "--no-config", "--fix", path)
	if got, _ := os.ReadFile(path); string(got) != broken {
		t.Errorf("a file that does not parse was changed:\n%s", got)
	}
	if !strings.Contains(errOut, "not fixed: it does not parse as YAML") {
		t.Errorf("no reason given:\n%s", errOut)
	}
}

func TestFixConflictLeavesFileUntouched(t *testing.T) {
	fr := &fixRun{files: map[string]*fixFile{}}
	text := []byte("a: 1\n")
	fr.files["x.yaml"] = &fixFile{name: "x.yaml", path: "x.yaml", orig: text, text: text, fixed: map[string]int{}}
	fr.order = []string{"x.yaml"}
	fix := func(s string) *rules.Fix {
		return &rules.Fix{Applicability: rules.FixSafe, Edits: []yamledit.Edit{{Start: 3, End: 4, Text: s}}}
	}
	if fr.round([]rules.Finding{{Rule: "r1", File: "x.yaml", Fix: fix("2")}, {Rule: "r2", File: "x.yaml", Fix: fix("3")}}) {
		t.Error("conflicting fixes were applied")
	}
	if n := fr.notes(); len(n) != 1 || !strings.Contains(n[0].Msg, "r1") || !strings.Contains(n[0].Msg, "r2") {
		t.Errorf("notes = %v", n)
	}
	if string(fr.files["x.yaml"].text) != "a: 1\n" {
		t.Error("text changed")
	}
}
