// Package packed writes and reads the compact encodings zdlint keeps data
// in until the end of a run: varints and length-prefixed strings appended
// to a byte slice, read back from the string the bytes were stored as. The
// strings a Reader returns are substrings of it, so nothing is copied.
package packed

import (
	"encoding/binary"
	"unsafe"
)

// AppendString appends s, preceded by its length.
func AppendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// Reader reads what was appended, in the same order. The encodings are
// zdlint's own, written by the same run, so malformed input is a bug: the
// reader panics on it.
type Reader struct{ S string }

func (r *Reader) bytes() []byte { return unsafe.Slice(unsafe.StringData(r.S), len(r.S)) }

func (r *Reader) skip(n int) {
	if n <= 0 {
		panic("packed: malformed data")
	}
	r.S = r.S[n:]
}

// Uvarint reads an unsigned varint.
func (r *Reader) Uvarint() uint64 {
	v, n := binary.Uvarint(r.bytes())
	r.skip(n)
	return v
}

// Varint reads a signed varint.
func (r *Reader) Varint() int64 {
	v, n := binary.Varint(r.bytes())
	r.skip(n)
	return v
}

// String reads a length-prefixed string.
func (r *Reader) String() string {
	n := r.Uvarint()
	s := r.S[:n]
	r.S = r.S[n:]
	return s
}
