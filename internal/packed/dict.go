package packed

import "encoding/binary"

// A stream of records repeats its strings: every finding of a file names
// the file and its object, and a workload's name comes back as its
// Service's, its budget's, its HPA's target and a pod label. A Dict writes
// each short string once per stream and then a reference to it; a
// DictReader, reading the same stream, keeps the table the references
// point into.
//
// A string is a uvarint v: 0 for "", 2n+1 for a new string of n bytes
// (which follow), 2i+2 for the i-th short string seen in the stream. A new
// string is short, and so entered in the table, when it has at most
// DictMax bytes: long ones (messages) rarely repeat.

// DictMax is the length up to which strings are shared.
const DictMax = 128

// Dict is the writing side; its zero value starts a stream.
type Dict struct {
	seen map[string]uint64
}

// Reset starts a new stream, keeping the table's memory.
func (d *Dict) Reset() { clear(d.seen) }

// Append appends s, or a reference to it when the stream holds it.
func (d *Dict) Append(b []byte, s string) []byte {
	if s == "" {
		return append(b, 0)
	}
	if len(s) <= DictMax {
		if i, ok := d.seen[s]; ok {
			return binary.AppendUvarint(b, 2*i+2)
		}
		if d.seen == nil {
			d.seen = make(map[string]uint64)
		}
		d.seen[s] = uint64(len(d.seen))
	}
	return append(binary.AppendUvarint(b, 2*uint64(len(s))+1), s...)
}

// DictReader reads a stream that Dict wrote, interleaved with what the
// embedded Reader reads.
type DictReader struct {
	Reader
	table []string
}

// Reset reads a new stream s.
func (r *DictReader) Reset(s string) {
	r.S = s
	r.table = r.table[:0]
}

// Str reads a string that Dict.Append wrote.
func (r *DictReader) Str() string {
	v := r.Uvarint()
	switch {
	case v == 0:
		return ""
	case v&1 == 0:
		return r.table[v/2-1]
	}
	n := v / 2
	s := r.S[:n]
	r.S = r.S[n:]
	if n <= DictMax {
		r.table = append(r.table, s)
	}
	return s
}
