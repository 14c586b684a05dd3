package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/internal/testutil"
)

// vscodeMatcher extracts the problem-matcher regexp from docs/editors.md,
// so the documented setting is what is tested.
func vscodeMatcher(t *testing.T) *regexp.Regexp {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testutil.RepoRoot(t), "docs", "editors.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`"regexp": ("(?:[^"\\]|\\.)*")`).FindSubmatch(data)
	if m == nil {
		t.Fatal(`docs/editors.md has no "regexp": line`)
	}
	var pattern string
	if err := json.Unmarshal(m[1], &pattern); err != nil {
		t.Fatal(err)
	}
	return regexp.MustCompile(pattern)
}

func TestVSCodeProblemMatcher(t *testing.T) {
	re := vscodeMatcher(t)
	root := testutil.RepoRoot(t)
	t.Chdir(root)
	_, stdout, stderr := runCLI(t, "", "--quiet", "--enable", "all", "examples/before", "internal/cli/testdata/broken.yaml")
	lines := strings.Split(strings.TrimSpace(stdout+stderr), "\n")
	if len(lines) < 5 {
		t.Fatalf("too little output to test:\n%s%s", stdout, stderr)
	}
	for _, l := range lines {
		m := re.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("VS Code matcher does not parse %q", l)
			continue
		}
		if !strings.HasPrefix(m[1], "examples/") && !strings.HasPrefix(m[1], "internal/") {
			t.Errorf("file %q parsed from %q", m[1], l)
		}
		if strings.HasSuffix(l, "]") && (m[6] == "" || strings.Contains(m[5], "[")) {
			t.Errorf("rule not split from the message in %q: message %q, code %q", l, m[5], m[6])
		}
	}
	// A line with a Helm source suffix still parses, rule and all.
	if m := re.FindStringSubmatch(`a.yaml:3:5: warning: msg (from chart/templates/x.yaml) [single-replica]`); m == nil || m[6] != "single-replica" || m[4] != "warning" {
		t.Errorf("matcher fails on a line with a source suffix: %q", m)
	}
}

// TestEditorLineShape checks the shape Vim's default errorformat (%f:%l:%c:%m),
// ALE's HandleAsError and Emacs compilation mode expect.
func TestEditorLineShape(t *testing.T) {
	t.Chdir(testutil.RepoRoot(t))
	shape := regexp.MustCompile(`^[^:\s][^:]*:[1-9][0-9]*:[1-9][0-9]*: (error|warning|info): \S`)
	data, err := os.ReadFile("examples/before/shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, stdout, _ := runCLI(t, string(data), "--quiet", "--enable", "all", "--stdin-filename", "k8s/shop.yaml", "-")
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if !shape.MatchString(l) || !strings.HasPrefix(l, "k8s/shop.yaml:") {
			t.Errorf("line %q does not have the file:line:col: severity: shape", l)
		}
	}
}
