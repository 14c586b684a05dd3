package rules

import (
	"encoding/binary"
	"iter"
	"sort"
	"strings"
)

// LabelSet is a compact, read-only set of labels, sorted by key, packed in
// one string: the number of labels, then each key and value, each preceded
// by its length (uvarints). Cross-object facts keep one per workload and
// Service, and a budget one for its selector's labels, for the whole run:
// a Go map of three labels takes about 300 bytes before its strings, a
// slice of their strings 96; the packed set takes 16 and its bytes, which
// share one allocation. It implements labels.Labels, so selectors match it
// directly. The zero value is the empty set.
type LabelSet string

// NewLabelSet packs m; the empty set for an empty map.
func NewLabelSet(m map[string]string) LabelSet {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pairs := make([]string, 0, 2*len(keys))
	for _, k := range keys {
		pairs = append(pairs, k, m[k])
	}
	return packPairs(pairs)
}

// packPairs packs key, value pairs in the order given.
func packPairs(pairs []string) LabelSet {
	if len(pairs) == 0 {
		return ""
	}
	n := binary.MaxVarintLen64
	for _, s := range pairs {
		n += binary.MaxVarintLen64 + len(s)
	}
	b := binary.AppendUvarint(make([]byte, 0, n), uint64(len(pairs)/2))
	for _, s := range pairs {
		b = append(binary.AppendUvarint(b, uint64(len(s))), s...)
	}
	return LabelSet(b)
}

// Len is the number of labels.
func (l LabelSet) Len() int {
	if l == "" {
		return 0
	}
	r := labelReader{s: string(l)}
	return int(r.uvarint())
}

// All yields the labels in key order.
func (l LabelSet) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		if l == "" {
			return
		}
		r := labelReader{s: string(l)}
		for range r.uvarint() {
			k := r.str()
			if !yield(k, r.str()) {
				return
			}
		}
	}
}

// At returns the i-th label in key order.
func (l LabelSet) At(i int) (key, value string) {
	j := 0
	for k, v := range l.All() {
		if j == i {
			return k, v
		}
		j++
	}
	panic("rules: LabelSet index out of range")
}

// Lookup returns the value of key and whether it is set.
func (l LabelSet) Lookup(key string) (string, bool) {
	for k, v := range l.All() {
		if k == key {
			return v, true
		}
		if k > key {
			break // sorted
		}
	}
	return "", false
}

// Has reports whether key is set.
func (l LabelSet) Has(key string) bool {
	_, ok := l.Lookup(key)
	return ok
}

// Get returns the value of key, "" when unset.
func (l LabelSet) Get(key string) string {
	v, _ := l.Lookup(key)
	return v
}

// Map returns the labels as a map, for APIs that need one.
func (l LabelSet) Map() map[string]string {
	m := make(map[string]string, l.Len())
	for k, v := range l.All() {
		m[k] = v
	}
	return m
}

// String renders the set as key=value pairs, like labels.Set.
func (l LabelSet) String() string {
	var b strings.Builder
	for k, v := range l.All() {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(v)
	}
	return b.String()
}

// labelReader reads a packed LabelSet; the strings it returns are
// substrings of it. The set is made by NewLabelSet, so it is well formed.
type labelReader struct{ s string }

func (r *labelReader) uvarint() uint64 {
	var v uint64
	for shift := 0; ; shift += 7 {
		c := r.s[0]
		r.s = r.s[1:]
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
}

func (r *labelReader) str() string {
	n := r.uvarint()
	s := r.s[:n]
	r.s = r.s[n:]
	return s
}
