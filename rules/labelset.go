package rules

import "sort"

// LabelSet is a compact, read-only set of labels: keys and values
// alternating, sorted by key. Cross-object facts keep one per workload and
// Service for the whole run, and a slice of strings costs a fraction of a
// Go map (a map of three labels takes about 300 bytes before its strings).
// It implements labels.Labels, so selectors match it directly.
type LabelSet []string

// NewLabelSet copies m into a LabelSet; nil for an empty map.
func NewLabelSet(m map[string]string) LabelSet { return newLabelSet(nil, m) }

// newLabelSet is NewLabelSet allocating in a (see Arena).
func newLabelSet(a *Arena, m map[string]string) LabelSet {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := LabelSet(a.stringList(2 * len(keys)))
	for _, k := range keys {
		out = append(out, a.String(k), a.String(m[k]))
	}
	return out
}

// Len is the number of labels.
func (l LabelSet) Len() int { return len(l) / 2 }

// At returns the i-th label in key order.
func (l LabelSet) At(i int) (key, value string) { return l[2*i], l[2*i+1] }

// Lookup returns the value of key and whether it is set.
func (l LabelSet) Lookup(key string) (string, bool) {
	i := sort.Search(l.Len(), func(i int) bool { return l[2*i] >= key })
	if i < l.Len() && l[2*i] == key {
		return l[2*i+1], true
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
	for i := range l.Len() {
		k, v := l.At(i)
		m[k] = v
	}
	return m
}
