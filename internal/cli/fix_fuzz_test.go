package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/internal/testutil"
)

// FuzzFix: for any input, --fix --unsafe-fixes on standard input never
// panics, and when the input parsed, the fixed stream parses too.
func FuzzFix(f *testing.F) {
	f.Add([]byte(fixInput))
	f.Add([]byte(strings.ReplaceAll(fixInput, "\n", "\r\n")))
	f.Add([]byte("\ufeff" + strings.ReplaceAll(fixInput, "  ", "    ")))
	f.Add([]byte("apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec: {minAvailable: 1, selector: {matchLabels: {app: web}}}\n"))
	f.Add([]byte("apiVersion: v1\nkind: List\nitems:\n- " + strings.ReplaceAll(strings.TrimPrefix(fixInput, "# web, as first written\n"), "\n", "\n  ") + "\n"))
	root := testutil.RepoRoot(f)
	for _, dir := range []string{"examples/before", "fixtures/max-unavailable-nonzero", "fixtures/prestop-sleep-missing", "fixtures/duplicate-key", "fixtures/unknown-field"} {
		files, _ := filepath.Glob(filepath.Join(root, dir, "*.yaml"))
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 || len(data) > 1<<16 {
			return
		}
		var out, errOut bytes.Buffer
		code := Main([]string{"--no-config", "--fix", "--unsafe-fixes", "-q", "-"}, bytes.NewReader(data), &out, &errOut)
		if strings.Contains(errOut.String(), "internal error") {
			t.Fatalf("internal error:\n%s", errOut.String())
		}
		if code == ExitError && out.Len() == 0 {
			return // not linted at all (binary, too large)
		}
		if parses(data) && !parses(out.Bytes()) {
			t.Fatalf("the input parsed, the fixed stream does not:\n%s", out.String())
		}
	})
}
