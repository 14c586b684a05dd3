package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/internal/testutil"
)

// The install snippets work as written: nothing pins a release tag that
// does not exist, the Action builds from its own checkout, and the Go
// version the docs state is the one go.mod requires.
func TestInstallSnippets(t *testing.T) {
	root := testutil.RepoRoot(t)
	read := func(name string) string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	goMod := regexp.MustCompile(`(?m)^go (\S+)$`).FindStringSubmatch(read("go.mod"))
	if goMod == nil {
		t.Fatal("go.mod has no go line")
	}
	// Once a release is tagged, pinning it is right.
	out, _ := exec.Command("git", "-C", root, "tag", "--list", "v*").Output()
	tags := strings.Fields(string(out))
	for _, name := range []string{"README.md", "docs/ci.md", ".pre-commit-hooks.yaml", "action.yml", "CONTRIBUTING.md"} {
		text := read(name)
		if len(tags) == 0 {
			for _, bad := range []string{"@v0.", "rev: v0.", "@latest   #"} {
				if strings.Contains(text, bad) {
					t.Errorf("%s pins %q, but no release is tagged", name, bad)
				}
			}
		}
		for _, m := range regexp.MustCompile(`Go (1\.\d+(?:\.\d+)?) or newer|golang:(1\.\d+(?:\.\d+)?)`).FindAllStringSubmatch(text, -1) {
			if v := m[1] + m[2]; v != goMod[1] {
				t.Errorf("%s states Go %s; go.mod requires %s", name, v, goMod[1])
			}
		}
	}
	action := read("action.yml")
	if !strings.Contains(action, `go build -C "$ACTION_PATH"`) || !strings.Contains(action, "github.action_path") || strings.Contains(action, "go install") {
		t.Errorf("action.yml does not build zdlint from its own checkout:\n%s", action)
	}
	if !strings.Contains(read("README.md"), "Go "+goMod[1]+" or newer") {
		t.Errorf("README.md does not state the Go version go.mod requires (%s)", goMod[1])
	}
}

// CONTRIBUTING.md lists every step .ci/run runs, in order, with its
// duration.
func TestContributingListsCISteps(t *testing.T) {
	root := testutil.RepoRoot(t)
	run, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	contrib, err := os.ReadFile(filepath.Join(root, "CONTRIBUTING.md"))
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, m := range regexp.MustCompile(`(?m)^step "([^"]+)"`).FindAllStringSubmatch(string(run), -1) {
		steps = append(steps, m[1])
	}
	rows := regexp.MustCompile(`(?m)^\| ([^|]+?) \| [^|]+ \| ([0-9]+ s) \|$`).FindAllStringSubmatch(string(contrib), -1)
	if len(rows) != len(steps) {
		t.Fatalf("CONTRIBUTING.md lists %d steps with durations, .ci/run runs %d: %q", len(rows), len(steps), steps)
	}
	for i, r := range rows {
		if !strings.HasPrefix(steps[i], r[1]) {
			t.Errorf("row %d of CONTRIBUTING.md is %q, but .ci/run's step %d is %q", i+1, r[1], i+1, steps[i])
		}
	}
}
