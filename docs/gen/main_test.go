package main

import (
	"testing"

	"github.com/zdlint/zdlint/internal/testutil"
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
