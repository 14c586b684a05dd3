package cli

import (
	"os"
	"strings"
	"testing"

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
