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
