package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/zdlint/zdlint/internal/config"
	"github.com/zdlint/zdlint/rules"
)

const explainUsage = `Usage: zdlint explain RULE-ID

Print why a rule matters, the manifest it flags, the fix, the Kubernetes
defaults it relies on and its options. 'zdlint rules' lists the rule IDs.
`

// cmdExplain prints a rule's documentation in the terminal: the same
// metadata docs/rules/<id>.md is generated from.
func cmdExplain(args []string, stdout, stderr io.Writer) int {
	if wantsHelp(args) {
		fmt.Fprint(stdout, explainUsage)
		return ExitClean
	}
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, "usage: zdlint explain RULE-ID\nRun 'zdlint rules' for the list of rules.")
		return ExitError
	}
	r, ok := rules.ByID(args[0])
	if !ok {
		fmt.Fprintf(stderr, "zdlint explain: unknown rule %q%s\nRun 'zdlint rules' for the list of rules.\n", args[0], config.SuggestID(args[0]))
		return ExitError
	}
	fmt.Fprint(stdout, explainText(r))
	return ExitClean
}

func explainText(r *rules.Rule) string {
	var b strings.Builder
	state := "on by default"
	if r.Disabled {
		state = "off by default (enable with --enable " + r.ID + ")"
	}
	fmt.Fprintf(&b, "%s (%s, %s)\n\n%s.\n\n", r.ID, r.Severity, state, r.Summary)
	section := func(title, body string) {
		fmt.Fprintf(&b, "%s\n%s\n", title, strings.Repeat("-", len(title)))
		// Only blank lines are trimmed: the YAML snippets are indented, and
		// trimming spaces would pull their first line out of the block.
		fmt.Fprintf(&b, "%s\n\n", strings.TrimRight(strings.TrimLeft(body, "\n"), " \n"))
	}
	section("Why it matters", r.Rationale)
	section("Flagged", indent(r.Bad))
	section("Fix", indent(r.Fix))
	var defaults strings.Builder
	for _, d := range r.Defaults {
		fmt.Fprintf(&defaults, "- %s\n", d)
	}
	section("Kubernetes defaults it relies on", defaults.String())
	if len(r.Options) > 0 {
		var opts strings.Builder
		for _, o := range r.Options {
			fmt.Fprintf(&opts, "- %s (default %s): %s\n", o.Name, o.DefaultText(), o.Doc)
		}
		section("Options (.zdlint.yaml: rules: "+r.ID+": options:)", opts.String())
	}
	fmt.Fprintf(&b, "Docs: https://github.com/zdlint/zdlint/blob/main/docs/rules/%s.md\n", r.ID)
	return b.String()
}

func indent(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n")
}
