package rules

import (
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/zdlint/zdlint/loader"
)

// TestAboutUndecoded: findings that could come from a value the loader
// left out are dropped; findings about other fields stay.
func TestAboutUndecoded(t *testing.T) {
	c := loader.P("spec", "template", "spec", "containers").Index(0)
	obj := &loader.Object{Undecoded: []loader.Path{
		c.Key("resources", "limits", "memory"),
		loader.P("spec", "strategy", "rollingUpdate", "maxUnavailable"),
	}}
	tests := []struct {
		at   loader.Path
		drop bool
	}{
		{c.Key("resources", "limits", "memory"), true},        // the value
		{c.Key("resources", "limits"), true},                  // its mapping
		{c.Key("resources", "limits", "cpu"), true},           // a sibling
		{c.Key("resources", "requests"), true},                // a sibling of its mapping
		{loader.P("spec", "strategy", "rollingUpdate"), true}, // maxUnavailable's mapping
		{c.Key("readinessProbe"), false},
		{c.Key("lifecycle", "preStop"), false},
		{c, false},
		{loader.P("spec"), false},
		{loader.P("spec", "template", "spec", "terminationGracePeriodSeconds"), false},
		{loader.P("spec", "strategy"), false},
	}
	for _, tt := range tests {
		if got := aboutUndecoded(obj, tt.at); got != tt.drop {
			t.Errorf("aboutUndecoded(%s) = %v, want %v", tt.at, got, tt.drop)
		}
	}
	if !undecodedResource(obj, c, corev1.ResourceMemory) || undecodedResource(obj, c, corev1.ResourceCPU) {
		t.Errorf("undecodedResource: memory should count as set, cpu not")
	}
}
