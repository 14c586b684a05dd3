package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/internal/testutil"
	"github.com/zdlint/zdlint/loader/yamledit"
)

// TestFixRendered runs --fix --unsafe-fixes over each tree of
// testdata/fixrender (Kustomize bases and overlays, a Helm chart) and
// compares what it changed in the sources, and what it said, with
// <tree>.golden (go test -update rewrites them). --diff must show the same
// change without writing, and a second --fix must change nothing.
func TestFixRendered(t *testing.T) {
	root := filepath.Join(testutil.RepoRoot(t), "internal", "cli", "testdata", "fixrender")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		n++
		t.Run(e.Name(), func(t *testing.T) {
			src := filepath.Join(root, e.Name())
			if _, err := os.Stat(filepath.Join(src, "web", "Chart.yaml")); err == nil {
				if _, err := exec.LookPath("helm"); err != nil {
					t.Skip("helm is not on PATH")
				}
			}
			dir := copyTree(t, src)
			before := relTree(t, dir)
			args := []string{"--no-config", "--unsafe-fixes", "-q"}

			code, diffOut, _ := runCLI(t, "", append(append(args, "--diff"), dir)...)
			if code == ExitError {
				t.Fatalf("--diff: exit %d", code)
			}
			if got := relTree(t, dir); !equalTrees(got, before) {
				t.Fatal("--diff changed files")
			}

			code, out, errOut := runCLI(t, "", append(append(args, "--fix"), dir)...)
			if code == ExitError {
				t.Fatalf("--fix: exit %d\n%s", code, errOut)
			}
			after := relTree(t, dir)
			var b strings.Builder
			var names []string
			for name := range after {
				names = append(names, name)
			}
			sort.Strings(names)
			var diff strings.Builder
			for _, name := range names {
				if after[name] != before[name] {
					diff.WriteString(yamledit.UnifiedDiff(name, name, []byte(before[name]), []byte(after[name])))
				}
			}
			b.WriteString("# changes\n" + diff.String())
			if strings.ReplaceAll(diffOut, dir+string(filepath.Separator), "") != diff.String() {
				t.Errorf("--diff printed\n%s\nbut --fix changed\n%s", diffOut, diff.String())
			}
			b.WriteString("# report after --fix\n" + out + errOut)
			got := strings.ReplaceAll(b.String(), dir+string(filepath.Separator), "")
			testutil.Golden(t, src+".golden", []byte(got))

			runCLI(t, "", append(append(args, "--fix"), dir)...)
			if again := relTree(t, dir); !equalTrees(again, after) {
				t.Error("a second --fix changed files")
			}
		})
	}
	if n == 0 {
		t.Fatal("no trees")
	}
}

// relTree is readTree keyed by slash-separated names relative to dir.
func relTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for p, data := range readTree(t, dir) {
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
	}
	return out
}

func equalTrees(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
