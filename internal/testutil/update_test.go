package testutil

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// 'go test ./... -update' (CONTRIBUTING.md) fails in any package whose test
// binary does not define -update. Each directory with tests must define
// the flag or import this package, which does.
func TestEveryTestBinaryAcceptsUpdate(t *testing.T) {
	root := RepoRoot(t)
	tests := map[string]string{} // dir -> concatenated test sources
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, "_test.go") {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			tests[filepath.Dir(path)] += string(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for dir, src := range tests {
		if dir == filepath.Join(root, "internal", "testutil") {
			continue // defines it
		}
		if !strings.Contains(src, `flag.Bool("update"`) && !strings.Contains(src, `"github.com/zdlint/zdlint/internal/testutil"`) {
			rel, _ := filepath.Rel(root, dir)
			t.Errorf("%s: its tests neither define -update nor import internal/testutil; 'go test ./... -update' fails there", rel)
		}
	}
}
