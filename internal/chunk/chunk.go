// Package chunk hands out slices from shared backing arrays, so many small
// values made together (the facts a run decodes for its Index, label
// groups) take a few large allocations rather than one each (see
// rules.Arena).
package chunk

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
