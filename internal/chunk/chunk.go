// Package chunk hands out slices and strings from shared backing arrays, so
// data that a run keeps to its end is allocated in a few large blocks rather
// than one small allocation at a time among short-lived garbage (see
// rules.Arena).
package chunk

import "unsafe"

// Sizes in elements: small first so a one-file run allocates little,
// doubling up to Max.
const (
	Min = 8
	Max = 512
)

// Take returns n zeroed elements from *c, starting a new backing array when
// the current one has too little room. The result's capacity is n, so an
// append to it never writes into its neighbours.
func Take[T any](c *[]T, n int) []T {
	if cap(*c)-len(*c) < n {
		size := min(max(2*cap(*c), Min), Max)
		if n > size {
			return make([]T, n)
		}
		*c = make([]T, 0, size)
	}
	l := len(*c)
	*c = (*c)[:l+n]
	return (*c)[l : l+n : l+n]
}

// Copy returns a copy of src in *c; nil when src is empty.
func Copy[T any](c *[]T, src []T) []T {
	if len(src) == 0 {
		return nil
	}
	out := Take(c, len(src))
	copy(out, src)
	return out
}

// Texts stores strings in shared blocks of bytes that hold no pointers and
// that nothing writes again once a string is in them.
type Texts struct {
	// Size is the block size; a string of more than Size/4 bytes keeps an
	// allocation of its own.
	Size  int
	block []byte
}

// Store returns s as a string in t's current block.
func Store[T ~string | ~[]byte](t *Texts, s T) string {
	if len(s) == 0 {
		return ""
	}
	if len(s) > t.Size/4 {
		return string(s)
	}
	if cap(t.block)-len(t.block) < len(s) {
		t.block = make([]byte, 0, t.Size)
	}
	i := len(t.block)
	t.block = append(t.block, s...)
	// Later strings are appended past i+len(s) within the block's
	// capacity, so these bytes never change.
	return unsafe.String(&t.block[i], len(s))
}
