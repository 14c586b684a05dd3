package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
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
		fmt.Fprintf(&flagOut, "Usage: zdlint rules [--format text|json]\n\nList every rule with its severity, whether it is on by default, what --fix can do,\nthe kinds it checks and its summary. KINDS uses kubectl short names; \"workloads\"\nis every pod-running controller:\n  %s\n\"workloads-ds\" all of them but DaemonSet, \"all\" every linted kind.\n--format json lists the full kind names.\n\nFlags:\n", strings.Join(rules.LongRunningKinds, ", "))
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
		fmt.Fprintln(tw, "RULE\tSEVERITY\tDEFAULT\tFIX\tKINDS\tSUMMARY")
		for _, r := range all {
			state := "on"
			if r.Disabled {
				state = "off"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, state, rules.FixLevel(r.Fixes), kindsColumn(r.Kinds), r.Summary)
		}
		tw.Flush()
	default:
		fmt.Fprintf(stderr, "zdlint rules: unknown format %q (want text or json)\n", *format)
		return ExitError
	}
	return ExitClean
}

// kindShort abbreviates kinds for the KINDS column of `zdlint rules`, with
// kubectl's short names where the kind has a familiar one, so the column
// stays narrow enough for the summary to fit a terminal line.
var kindShort = map[string]string{
	"Deployment": "deploy", "StatefulSet": "sts", "DaemonSet": "ds", "ReplicaSet": "rs",
	"ReplicationController": "rc", "Rollout": "rollout", "CloneSet": "cloneset",
	"AdvancedStatefulSet": "asts", "AdvancedDaemonSet": "ads", // OpenKruise's short names
	"HorizontalPodAutoscaler": "hpa", "ScaledObject": "scaledobject", "PodDisruptionBudget": "pdb",
	"Service": "svc", "Canary": "canary", "VirtualService": "vs",
}

// kindsColumn renders a rule's Meta.Kinds (the same list docs/rules.md's
// "Rules by kind" table is generated from) compactly: no kinds (the rule
// runs on every kind) is "all"; a list holding all but at most two of the
// long-running workload kinds is "workloads" minus the missing ones
// ("workloads-ds" for the kinds an HPA can scale); other kinds keep
// Meta.Kinds' order.
func kindsColumn(kinds []string) string {
	if len(kinds) == 0 {
		return "all"
	}
	var missing []string
	for _, k := range rules.LongRunningKinds {
		if !slices.Contains(kinds, k) {
			missing = append(missing, short(k))
		}
	}
	grouped := len(missing) <= 2
	var out []string
	if grouped {
		out = append(out, strings.Join(append([]string{"workloads"}, missing...), "-"))
	}
	for _, k := range kinds {
		if grouped && slices.Contains(rules.LongRunningKinds, k) {
			continue
		}
		out = append(out, short(k))
	}
	return strings.Join(out, ",")
}

func short(kind string) string {
	if s, ok := kindShort[kind]; ok {
		return s
	}
	return strings.ToLower(kind)
}
