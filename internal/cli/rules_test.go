package cli

import (
	"regexp"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/rules"
)

func TestKindsColumn(t *testing.T) {
	tests := []struct {
		kinds []string
		want  string
	}{
		{nil, "all"},
		{[]string{"Service"}, "svc"},
		{rules.LongRunningKinds, "workloads"},
		// The kinds an HPA scales: every workload but the DaemonSets.
		{[]string{"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout", "CloneSet", "AdvancedStatefulSet", "HorizontalPodAutoscaler", "ScaledObject"},
			"workloads-ds-ads,hpa,scaledobject"},
		// Five of nine is listed, not grouped.
		{[]string{"Deployment", "StatefulSet", "Rollout", "CloneSet", "AdvancedStatefulSet"}, "deploy,sts,rollout,cloneset,asts"},
		{[]string{"Canary", "VirtualService"}, "canary,vs"},
		{[]string{"SomeNewKind"}, "somenewkind"},
	}
	for _, tt := range tests {
		if got := kindsColumn(tt.kinds); got != tt.want {
			t.Errorf("kindsColumn(%q) = %q, want %q", tt.kinds, got, tt.want)
		}
	}
}

// TestRulesKindsColumn checks the text table's KINDS column against each
// rule's Meta.Kinds, row by row.
func TestRulesKindsColumn(t *testing.T) {
	code, out, _ := runCLI(t, "", "rules")
	if code != ExitClean {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if !regexp.MustCompile(`^RULE +SEVERITY +DEFAULT +FIX +KINDS +SUMMARY$`).MatchString(lines[0]) {
		t.Fatalf("header %q", lines[0])
	}
	col := strings.Index(lines[0], "KINDS")
	rows := map[string]string{}
	for _, l := range lines[1:] {
		rows[strings.Fields(l)[0]] = strings.Fields(l[col:])[0]
	}
	for _, r := range rules.All() {
		if got, want := rows[r.ID], kindsColumn(r.Kinds); got != want {
			t.Errorf("%s: KINDS %q, want %q", r.ID, got, want)
		}
	}
	for id, want := range map[string]string{"keda-scale-to-zero": "scaledobject", "mesh-retries-missing": "canary,vs",
		"readiness-probe-missing": "workloads", "unknown-field": "all", "progress-deadline-too-long": "deploy,rollout,canary"} {
		if rows[id] != want {
			t.Errorf("%s: KINDS %q, want %q", id, rows[id], want)
		}
	}
}
