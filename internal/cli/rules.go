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

// selectRules returns the rules to run: the default set, plus --enable,
// minus --disable. Unknown IDs are usage errors that suggest the closest.
func selectRules(enable, disable []string) ([]*rules.Rule, error) {
	on := map[string]bool{}
	for _, r := range rules.All() {
		on[r.ID] = !r.Disabled
	}
	set := func(ids []string, v bool) error {
		for _, id := range ids {
			id = strings.TrimSpace(id)
			switch id {
			case "":
				continue
			case "all":
				for k := range on {
					on[k] = v
				}
				continue
			}
			if _, ok := rules.ByID(id); !ok {
				return fmt.Errorf("unknown rule %q%s", id, suggest(id))
			}
			on[id] = v
		}
		return nil
	}
	if err := set(enable, true); err != nil {
		return nil, err
	}
	if err := set(disable, false); err != nil {
		return nil, err
	}
	var out []*rules.Rule
	for _, r := range rules.All() {
		if on[r.ID] {
			out = append(out, r)
		}
	}
	return out, nil
}

// suggest returns "; did you mean X?" for the closest rule ID.
func suggest(id string) string {
	best, bestD := "", len(id)/2+2
	for _, r := range rules.All() {
		if d := editDistance(id, r.ID); d < bestD {
			best, bestD = r.ID, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

type ruleInfo struct {
	ID       string         `json:"id"`
	Severity rules.Severity `json:"severity"`
	Enabled  bool           `json:"enabledByDefault"`
	Summary  string         `json:"summary"`
	Kinds    []string       `json:"kinds,omitempty"`
	Options  []rules.Option `json:"options,omitempty"`
}

func cmdRules(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("zdlint rules", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.StringP("format", "f", "text", "text or json")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitClean
		}
		return ExitError
	}
	all := append([]*rules.Rule(nil), rules.All()...)
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	switch *format {
	case "json":
		out := make([]ruleInfo, 0, len(all))
		for _, r := range all {
			out = append(out, ruleInfo{ID: r.ID, Severity: r.Severity, Enabled: !r.Disabled, Summary: r.Summary, Kinds: r.Kinds, Options: r.Options})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return ExitError
		}
	case "text":
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "RULE\tSEVERITY\tDEFAULT\tSUMMARY")
		for _, r := range all {
			state := "on"
			if r.Disabled {
				state = "off"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, state, r.Summary)
		}
		tw.Flush()
	default:
		fmt.Fprintf(stderr, "zdlint rules: unknown format %q (want text or json)\n", *format)
		return ExitError
	}
	return ExitClean
}
