package rules

import "testing"

func TestRuleKind(t *testing.T) {
	tests := []struct{ apiVersion, kind, want string }{
		{"apps/v1", "StatefulSet", "StatefulSet"},
		{"apps/v1", "DaemonSet", "DaemonSet"},
		{"apps.kruise.io/v1beta1", "StatefulSet", "AdvancedStatefulSet"},
		{"apps.kruise.io/v1alpha1", "StatefulSet", "AdvancedStatefulSet"},
		{"apps.kruise.io/v1alpha1", "DaemonSet", "AdvancedDaemonSet"},
		{"apps.kruise.io/v1alpha1", "CloneSet", "CloneSet"},
		// Another group that merely starts the same way.
		{"apps.kruise.io.example.com/v1", "StatefulSet", "StatefulSet"},
	}
	for _, tt := range tests {
		if got := RuleKind(tt.apiVersion, tt.kind); got != tt.want {
			t.Errorf("RuleKind(%q, %q) = %q, want %q", tt.apiVersion, tt.kind, got, tt.want)
		}
	}
}

// TestUnresolvableAdvancedStatefulSet: the HPA controller resolves a
// StatefulSet in apps and in apps.kruise.io (OpenKruise's Advanced
// StatefulSet has a scale subresource), and in no other group.
func TestUnresolvableAdvancedStatefulSet(t *testing.T) {
	tests := []struct {
		apiVersion string
		ok         bool
	}{
		{"apps/v1", true},
		{"apps.kruise.io/v1beta1", true},
		{"apps.kruise.io/v1alpha1", true},
		{"argoproj.io/v1alpha1", false},
		{"", false},
	}
	for _, tt := range tests {
		why, _ := ScaleTarget{Kind: "StatefulSet", Name: "db", APIVersion: tt.apiVersion}.Unresolvable()
		if (why == "") != tt.ok {
			t.Errorf("StatefulSet in %q: Unresolvable() = %q, want resolvable %v", tt.apiVersion, why, tt.ok)
		}
	}
	// A CloneSet is only in apps.kruise.io.
	if why, _ := (ScaleTarget{Kind: "CloneSet", Name: "web", APIVersion: "apps/v1"}).Unresolvable(); why == "" {
		t.Error("CloneSet in apps/v1 resolves; want it reported")
	}
}
