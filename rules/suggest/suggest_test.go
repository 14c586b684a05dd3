package suggest

import "testing"

func TestClosest(t *testing.T) {
	tests := []struct {
		word       string
		candidates []string
		want       string
	}{
		{"readynessProbe", []string{"livenessProbe", "readinessProbe", "startupProbe"}, "readinessProbe"},
		{"terminationGracePeriodSecond", []string{"terminationGracePeriodSeconds", "containers"}, "terminationGracePeriodSeconds"},
		{"ReadinessProbe", []string{"readinessProbe"}, "readinessProbe"},
		{"zzzzzz", []string{"readinessProbe", "image"}, ""},
		{"x", nil, ""},
	}
	for _, tt := range tests {
		if got := Closest(tt.word, tt.candidates); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
	if d := Distance("kitten", "sitting"); d != 3 {
		t.Errorf("Distance = %d, want 3", d)
	}
}
