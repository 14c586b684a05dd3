package rules

import (
	"math"
	"testing"

	"github.com/zdlint/zdlint/loader"
)

// A deferred finding keeps its position in 32 bits a coordinate: exact for
// any real file, clamped beyond.
func TestDeferredPositions(t *testing.T) {
	for _, c := range []struct{ pos, end, wantPos, wantEnd loader.Pos }{
		{loader.Pos{Line: 12, Col: 7}, loader.Pos{Line: 12, Col: 20}, loader.Pos{Line: 12, Col: 7}, loader.Pos{Line: 12, Col: 20}},
		{loader.Pos{}, loader.Pos{}, loader.Pos{}, loader.Pos{}},
		{loader.Pos{Line: math.MaxInt32 + 5, Col: -1}, loader.Pos{Line: 1 << 40, Col: 3},
			loader.Pos{Line: math.MaxInt32, Col: 0}, loader.Pos{Line: math.MaxInt32, Col: 3}},
	} {
		d := NewDeferred(nil, nil, "spec", "", c.pos, c.end, Warning, 0)
		if d.Pos() != c.wantPos || d.End() != c.wantEnd || d.Severity() != Warning {
			t.Errorf("NewDeferred(%v, %v): Pos %v End %v Severity %v", c.pos, c.end, d.Pos(), d.End(), d.Severity())
		}
	}
}
