package config

import (
	"path"
	"path/filepath"
	"strings"
)

// Reincluded reports whether a "!" exclude glob names dir, so a directory
// walk enters it although it skips such directories by default (testdata,
// vendor, hidden ones): exclude: ["!.deploy/**"] or ["!testdata"].
// Like every exclude glob, it is matched against dir as given and relative
// to the configuration's directory.
func (c *Config) Reincluded(dir string) bool {
	if c == nil {
		return false
	}
	for _, g := range c.Exclude {
		neg, ok := strings.CutPrefix(g, "!")
		if !ok {
			continue
		}
		for _, d := range c.frames(dir) {
			if namesDir(neg, d) {
				return true
			}
		}
	}
	return false
}

// frames returns dir as given and relative to the configuration's
// directory (when it lies inside it), slash-separated.
func (c *Config) frames(dir string) []string {
	out := []string{cleanSlash(dir)}
	if c.File == "" {
		return out
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return out
	}
	base, err := filepath.Abs(filepath.Dir(c.File))
	if err != nil {
		return out
	}
	if rel, err := filepath.Rel(base, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		out = append(out, cleanSlash(rel))
	}
	return out
}

func cleanSlash(p string) string {
	return strings.TrimPrefix(path.Clean(filepath.ToSlash(p)), "./")
}

// namesDir reports whether a re-include glob names the directory: the glob
// itself or, without a trailing "/**", matches it ("!testdata",
// "!**/testdata/**", "!.deploy/**").
func namesDir(glob, dir string) bool {
	return MatchGlob(glob, dir) || MatchGlob(strings.TrimSuffix(filepath.ToSlash(glob), "/**"), dir)
}
