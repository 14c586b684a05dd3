package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/internal/testutil"
	"github.com/zdlint/zdlint/rules"
)

func TestDocsUpToDate(t *testing.T) {
	stale, err := generate(testutil.RepoRoot(t), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range stale {
		t.Errorf("%s is stale; run go generate ./docs", name)
	}
}

// TestFixesDocListsEveryFix: docs/fixes.md has a row for every rule whose
// metadata declares a fix, so a new fix is documented with its
// applicability and why.
func TestFixesDocListsEveryFix(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testutil.RepoRoot(t), "docs", "fixes.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules.All() {
		if len(r.Fixes) == 0 {
			continue
		}
		if !strings.Contains(string(data), "["+r.ID+"](rules/"+r.ID+".md)") {
			t.Errorf("docs/fixes.md does not list the fixes of %s", r.ID)
		}
	}
}
