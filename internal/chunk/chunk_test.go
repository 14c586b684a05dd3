package chunk

import (
	"testing"
)

func TestTake(t *testing.T) {
	var c []int
	a := Take(&c, 3)
	b := Take(&c, 2)
	if len(a) != 3 || cap(a) != 3 || len(b) != 2 || cap(b) != 2 {
		t.Fatalf("lengths/capacities: a %d/%d, b %d/%d", len(a), cap(a), len(b), cap(b))
	}
	a = append(a, 7) // must not write into b
	b[0] = 1
	if b[0] != 1 || b[1] != 0 || a[3] != 7 {
		t.Fatalf("append overwrote a neighbour: a %v, b %v", a, b)
	}
	if &b[0] != &c[3] {
		t.Error("b does not share the chunk with a")
	}
	// A request larger than a chunk gets its own array and leaves the
	// current chunk in use.
	big := Take(&c, Max+1)
	if len(big) != Max+1 || len(c) != 5 {
		t.Errorf("big request: len %d, chunk len %d (want %d, 5)", len(big), len(c), Max+1)
	}
	// A full chunk is replaced by one twice its size, up to Max.
	Take(&c, cap(c)-len(c))
	Take(&c, 1)
	if cap(c) != 2*Min {
		t.Errorf("next chunk cap %d, want %d", cap(c), 2*Min)
	}
}
