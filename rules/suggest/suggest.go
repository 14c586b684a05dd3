// Package suggest finds the closest match for a misspelled name, for
// "did you mean" hints on rule IDs, configuration keys and manifest fields.
package suggest

import "strings"

// Closest returns the candidate nearest to word by edit distance (case
// ignored), or "" when none is close enough to be a plausible typo.
func Closest(word string, candidates []string) string {
	best, bestD := "", len(word)/2+2
	lw := strings.ToLower(word)
	for _, c := range candidates {
		if d := Distance(lw, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// Distance is the Levenshtein edit distance between a and b, in bytes.
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
