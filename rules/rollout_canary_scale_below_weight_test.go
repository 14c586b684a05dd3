package rules

import (
	"fmt"
	"testing"

	"github.com/zdlint/zdlint/loader/crd"
)

// TestCanaryScaleGaps replays step lists against Argo's sizing
// (utils/replicaset/canary.go): which steps open a gap, and the canary's
// size there.
func TestCanaryScaleGaps(t *testing.T) {
	i32 := func(v int32) *int32 { return &v }
	weight := func(w int32) crd.CanaryStep { return crd.CanaryStep{SetWeight: i32(w)} }
	scaleW := func(w int32) crd.CanaryStep {
		return crd.CanaryStep{SetCanaryScale: &crd.SetCanaryScale{Weight: i32(w)}}
	}
	scaleR := func(r int32) crd.CanaryStep {
		return crd.CanaryStep{SetCanaryScale: &crd.SetCanaryScale{Replicas: i32(r)}}
	}
	match := crd.CanaryStep{SetCanaryScale: &crd.SetCanaryScale{MatchTrafficWeight: true}}
	tests := []struct {
		name     string
		replicas *int32
		maxW     *int32
		minPods  *int32
		dynamic  bool
		steps    []crd.CanaryStep
		want     string // "step:pods" per gap
	}{
		{name: "no setCanaryScale", replicas: i32(10), steps: []crd.CanaryStep{weight(10), weight(90)}, want: "[]"},
		{name: "docs example", replicas: i32(10), steps: []crd.CanaryStep{scaleW(10), weight(90)}, want: "[1:1]"},
		{name: "weight rounds up", replicas: i32(10), steps: []crd.CanaryStep{scaleW(11), weight(20)}, want: "[]"},
		{name: "exact share is enough", replicas: i32(8), steps: []crd.CanaryStep{scaleR(2), weight(25)}, want: "[]"},
		{name: "matchTrafficWeight ends it", replicas: i32(10), steps: []crd.CanaryStep{scaleR(1), weight(10), match, weight(90)}, want: "[]"},
		{name: "scale shrinks under weight", replicas: i32(4), steps: []crd.CanaryStep{weight(50), scaleR(1)}, want: "[1:1]"},
		{name: "weight zero never overloads", replicas: i32(4), steps: []crd.CanaryStep{weight(0), scaleR(0)}, want: "[]"},
		{name: "replicas unset is 1", steps: []crd.CanaryStep{scaleR(1), weight(100)}, want: "[]"},
		{name: "replicas 0 serves nothing", replicas: i32(0), steps: []crd.CanaryStep{scaleR(0), weight(50)}, want: "[]"},
		{name: "maxTrafficWeight", replicas: i32(10), maxW: i32(1000), steps: []crd.CanaryStep{scaleR(2), weight(250)}, want: "[1:2]"},
		{name: "minPods raises a weight", replicas: i32(10), minPods: i32(3), steps: []crd.CanaryStep{scaleW(10), weight(30)}, want: "[]"},
		{name: "minPods leaves replicas without dynamic", replicas: i32(10), minPods: i32(3), steps: []crd.CanaryStep{scaleR(1), weight(30)}, want: "[1:1]"},
		{name: "minPods raises replicas with dynamic", replicas: i32(10), minPods: i32(3), dynamic: true, steps: []crd.CanaryStep{scaleR(1), weight(30)}, want: "[]"},
		{name: "minPods capped at replicas", replicas: i32(2), minPods: i32(5), steps: []crd.CanaryStep{scaleW(1), weight(100)}, want: "[]"},
		{name: "every step past the share", replicas: i32(10), steps: []crd.CanaryStep{scaleW(10), weight(10), weight(20), weight(50)}, want: "[2:1 3:1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &crd.Rollout{}
			r.Spec.Replicas = tt.replicas
			r.Spec.Strategy.Canary = &crd.CanaryStrategy{
				TrafficRouting:       &crd.TrafficRouting{MaxTrafficWeight: tt.maxW},
				MinPodsPerReplicaSet: tt.minPods,
				DynamicStableScale:   tt.dynamic,
				Steps:                tt.steps,
			}
			var got []string
			for _, g := range canaryScaleGaps(r) {
				got = append(got, fmt.Sprintf("%d:%d", g.step, g.pods))
			}
			if s := fmt.Sprint(got); s != tt.want {
				t.Errorf("gaps = %s, want %s", s, tt.want)
			}
		})
	}
}
