package packed

import (
	"encoding/binary"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	long := strings.Repeat("é", 200) // a length that takes two varint bytes
	var b []byte
	b = binary.AppendUvarint(b, 1<<40)
	b = binary.AppendVarint(b, -7)
	b = AppendString(b, "")
	b = AppendString(b, long)
	r := Reader{S: string(b)}
	if u, v, e, l := r.Uvarint(), r.Varint(), r.String(), r.String(); u != 1<<40 || v != -7 || e != "" || l != long || r.S != "" {
		t.Errorf("read %d, %d, %q, %d bytes; %d left", u, v, e, len(l), len(r.S))
	}
	defer func() {
		if recover() == nil {
			t.Error("reading past the end did not panic")
		}
	}()
	r.Uvarint()
}

func TestDict(t *testing.T) {
	long := strings.Repeat("m", DictMax+1)
	in := []string{"web", "", "web", "api", long, "web", long, "api", strings.Repeat("x", DictMax), strings.Repeat("x", DictMax)}
	var d Dict
	var b []byte
	for i, s := range in {
		b = d.Append(b, s)
		b = binary.AppendUvarint(b, uint64(i)) // interleaved with other fields
	}
	// New strings take their length's varint and their bytes, repeats of
	// short ones one byte, "" one byte; plus the ten interleaved fields.
	want := (1 + 3) + 1 + 1 + (1 + 3) + (2 + DictMax + 1) + 1 + (2 + DictMax + 1) + 1 + (2 + DictMax) + 1 + 10
	if len(b) != want {
		t.Errorf("%d bytes, want %d: repeats of short strings are written once", len(b), want)
	}
	var r DictReader
	for round := range 2 { // Reset reads a second stream from scratch
		r.Reset(string(b))
		for i, want := range in {
			if got := r.Str(); got != want {
				t.Fatalf("round %d, string %d: got %.10q, want %.10q", round, i, got, want)
			}
			if n := r.Uvarint(); n != uint64(i) {
				t.Fatalf("field after string %d: %d", i, n)
			}
		}
		if r.S != "" {
			t.Errorf("%d bytes left", len(r.S))
		}
	}
	// A second stream starts with an empty table: no reference into the
	// first.
	d.Reset()
	b2 := d.Append(nil, "web")
	if r.Reset(string(b2)); r.Str() != "web" || len(b2) != 4 {
		t.Errorf("after Reset, %q was not written anew", "web")
	}
}
