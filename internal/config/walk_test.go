package config

import (
	"path/filepath"
	"testing"
)

// "!" globs re-include, the last matching glob decides, and a re-include
// glob that names a directory lets walks enter it.
func TestReinclude(t *testing.T) {
	dir := t.TempDir()
	c := &Config{File: filepath.Join(dir, ".zdlint.yaml"), Exclude: []string{"k8s/**", "!k8s/keep/**", "!**/testdata/**", "!.deploy", "!*.keep.yaml"}}
	excluded := map[string]bool{
		"k8s/a.yaml":                     true,
		"k8s/keep/a.yaml":                false,
		"other/a.yaml":                   false,
		filepath.Join(dir, "k8s/x"):      true,
		filepath.Join(dir, "k8s/keep/x"): false,
	}
	for file, want := range excluded {
		if got := c.Excluded(file); got != want {
			t.Errorf("Excluded(%s) = %v, want %v", file, got, want)
		}
	}
	entered := map[string]bool{
		"tool/testdata":                  true,
		filepath.Join(dir, "a/testdata"): true,
		".deploy":                        true,
		"a/.deploy":                      true, // a glob without "/" names base names anywhere
		".git":                           false,
		"vendor":                         false,
		"k8s/keep":                       true,
		"x.keep.yaml.d":                  false,
	}
	for d, want := range entered {
		if got := c.Reincluded(d); got != want {
			t.Errorf("Reincluded(%s) = %v, want %v", d, got, want)
		}
	}
	var nilConfig *Config
	if nilConfig.Reincluded("testdata") {
		t.Error("a nil config re-includes")
	}
}
