package output

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRelPaths(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	parent := filepath.Dir(wd)
	here := filepath.Base(wd)
	tests := []struct{ base, name, want string }{
		{"", "a/b.yaml", "a/b.yaml"},
		{"", "./a/../b.yaml", "b.yaml"},
		{"", filepath.Join(wd, "x", "y.yaml"), "x/y.yaml"},
		{"", filepath.Join(parent, "other.yaml"), filepath.ToSlash(filepath.Join(parent, "other.yaml"))}, // outside: as given
		{"", "../other.yaml", "../other.yaml"},
		{"", "<stdin>", "<stdin>"},
		{"", "", ""},
		{"..", "a.yaml", here + "/a.yaml"}, // a relative base is taken from the working directory
		{parent, filepath.Join(wd, "a.yaml"), here + "/a.yaml"},
		{wd, "a.yaml", "a.yaml"},
	}
	for _, tt := range tests {
		r := newRelPaths(tt.base)
		for range 2 { // the second answer comes from the cache
			if got := r.rel(tt.name); got != tt.want {
				t.Errorf("base %q: rel(%q) = %q, want %q", tt.base, tt.name, got, tt.want)
			}
		}
	}
	// The cache holds one name: alternating names still get their own.
	r := newRelPaths("")
	for range 2 {
		if r.rel("a.yaml") != "a.yaml" || r.rel("b/c.yaml") != "b/c.yaml" {
			t.Fatal("alternating names")
		}
	}
}
