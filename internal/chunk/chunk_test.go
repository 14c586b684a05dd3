package chunk

import (
	"strings"
	"testing"
	"unsafe"
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

func TestCopy(t *testing.T) {
	var c []string
	if Copy(&c, nil) != nil {
		t.Error("Copy of nothing is not nil")
	}
	src := []string{"a", "b"}
	got := Copy(&c, src)
	src[0] = "x"
	if got[0] != "a" || got[1] != "b" || cap(got) != 2 {
		t.Errorf("Copy = %v (cap %d)", got, cap(got))
	}
}

func TestTexts(t *testing.T) {
	ts := Texts{Size: 64}
	src := []byte("abc")
	a := Store(&ts, src)
	b := Store(&ts, "defg")
	src[0] = 'X' // a copy does not alias its source
	if a != "abc" || b != "defg" || Store(&ts, "") != "" {
		t.Fatalf("stored %q, %q", a, b)
	}
	if unsafe.StringData(b) != (*byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(a)), 3)) {
		t.Error("two small strings are not in one block")
	}
	// More than Size/4: its own allocation; a full block: a new one.
	if big := Store(&ts, strings.Repeat("x", 17)); len(big) != 17 || len(ts.block) != 7 {
		t.Errorf("big string went into the block (%d bytes used)", len(ts.block))
	}
	var all []string
	for i := range 40 {
		all = append(all, Store(&ts, strings.Repeat(string(rune('a'+i%26)), 5)))
	}
	for i, s := range all {
		if s != strings.Repeat(string(rune('a'+i%26)), 5) {
			t.Fatalf("string %d overwritten: %q", i, s)
		}
	}
}
