package loader

import (
	"fmt"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// findDuplicates gives the same answers whether a mapping is small (keys
// compared pairwise) or large (a map): each repeat is reported against the
// first occurrence, merge keys and non-scalar keys never count.
func TestFindDuplicates(t *testing.T) {
	big := func(n int, extra string) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "k%d: %d\n", i, i)
		}
		return b.String() + extra
	}
	tests := []struct {
		name string
		doc  string
		want []string // "key first-line second-line path"
	}{
		{"none", "a: 1\nb: 2\n", nil},
		{"small", "a: 1\nb: 2\na: 3\n", []string{"a 1 3 a"}},
		{"small, three times", "a: 1\na: 2\na: 3\n", []string{"a 1 2 a", "a 1 3 a"}},
		{"nested", "spec:\n  x: 1\n  x: 2\n", []string{"x 2 3 spec.x"}},
		{"in a list", "items:\n  - {n: 1, n: 2}\n", []string{"n 2 2 items[0].n"}},
		{"merge keys are not duplicates", "a: &a {x: 1}\nb:\n  <<: *a\n  <<: {y: 2}\n", nil},
		{"non-scalar keys are skipped", "? [a]\n: 1\n? [a]\n: 2\n", nil},
		{"large, no repeat", big(20, ""), nil},
		{"large", big(20, "k3: again\n"), []string{"k3 4 21 k3"}},
		{"large, three times", big(20, "k0: 1\nk0: 2\n"), []string{"k0 1 21 k0", "k0 1 22 k0"}},
		{"at the size limit", big(smallMapping-1, "k0: x\n"), []string{fmt.Sprintf("k0 1 %d k0", smallMapping)}},
		{"just past the limit", big(smallMapping, "k0: x\n"), []string{fmt.Sprintf("k0 1 %d k0", smallMapping+1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.doc), &doc); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range findDuplicates(doc.Content[0]) {
				got = append(got, fmt.Sprintf("%s %d %d %s", d.Key, d.First.Line, d.Second.Line, d.Path))
			}
			if strings.Join(got, "; ") != strings.Join(tt.want, "; ") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
