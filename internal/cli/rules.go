package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	flag "github.com/spf13/pflag"

	"github.com/zdlint/zdlint/rules"
)

type ruleInfo struct {
	ID       string         `json:"id"`
	Severity rules.Severity `json:"severity"`
	Enabled  bool           `json:"enabledByDefault"`
	Summary  string         `json:"summary"`
	Kinds    []string       `json:"kinds,omitempty"`
	Options  []rules.Option `json:"options,omitempty"`
	// Fix is the most --fix can do for the rule's findings (safe, unsafe
	// or none); Fixes says which findings get which fix.
	Fix   rules.Applicability `json:"fix"`
	Fixes []rules.FixNote     `json:"fixes,omitempty"`
}

func cmdRules(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("zdlint rules", flag.ContinueOnError)
	var flagOut strings.Builder
	fs.SetOutput(&flagOut)
	format := fs.StringP("format", "f", "text", "`FORMAT`: text or json")
	fs.Usage = func() {
		fmt.Fprint(&flagOut, "Usage: zdlint rules [--format text|json]\n\nList every rule with its severity, whether it is on by default and its summary.\n\nFlags:\n")
		fmt.Fprint(&flagOut, fs.FlagUsages())
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, flagOut.String())
			return ExitClean
		}
		fmt.Fprintf(stderr, "zdlint rules: %v\nRun 'zdlint rules --help' for usage.\n", err)
		return ExitError
	}
	all := append([]*rules.Rule(nil), rules.All()...)
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	switch *format {
	case "json":
		out := make([]ruleInfo, 0, len(all))
		for _, r := range all {
			out = append(out, ruleInfo{ID: r.ID, Severity: r.Severity, Enabled: !r.Disabled, Summary: r.Summary, Kinds: r.Kinds, Options: r.Options,
				Fix: rules.FixLevel(r.Fixes), Fixes: r.Fixes})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return ExitError
		}
	case "text":
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "RULE\tSEVERITY\tDEFAULT\tFIX\tSUMMARY")
		for _, r := range all {
			state := "on"
			if r.Disabled {
				state = "off"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, state, rules.FixLevel(r.Fixes), r.Summary)
		}
		tw.Flush()
	default:
		fmt.Fprintf(stderr, "zdlint rules: unknown format %q (want text or json)\n", *format)
		return ExitError
	}
	return ExitClean
}
