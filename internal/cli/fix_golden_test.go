package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/internal/testutil"
)

// TestFixGolden applies --fix --unsafe-fixes to each testdata/fix/*.yaml
// (extra flags on a first line "# args: ...") and compares the result with
// its .golden file (go test -update rewrites them; review the diff: it is
// what a user's file becomes). A second run must change nothing.
func TestFixGolden(t *testing.T) {
	root := testutil.RepoRoot(t)
	inputs, _ := filepath.Glob(filepath.Join(root, "internal", "cli", "testdata", "fix", "*.yaml"))
	if len(inputs) == 0 {
		t.Fatal("no inputs")
	}
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			args := []string{"--no-config", "--fix", "--unsafe-fixes", "-q"}
			first := strings.TrimPrefix(string(data), "\ufeff")
			if rest, ok := strings.CutPrefix(first, "# args: "); ok {
				line, _, _ := strings.Cut(rest, "\n")
				args = append(args, strings.Fields(line)...)
			}
			path := filepath.Join(t.TempDir(), filepath.Base(in))
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, errOut := runCLI(t, "", append(args, path)...)
			if code == ExitError {
				t.Fatalf("exit %d\n%s", code, errOut)
			}
			fixed, _ := os.ReadFile(path)
			if bytes.Equal(fixed, data) {
				t.Error("nothing fixed")
			}
			if !parses(fixed) {
				t.Errorf("the result does not parse:\n%s", fixed)
			}
			testutil.Golden(t, in+".golden", fixed)
			runCLI(t, "", append(args, path)...)
			if again, _ := os.ReadFile(path); !bytes.Equal(again, fixed) {
				t.Errorf("a second run changed the file:\n%s", again)
			}
		})
	}
}
