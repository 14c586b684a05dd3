package config

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/zdlint/zdlint/rules"
)

// Selection is the rules the command line enables and disables.
type Selection struct {
	Enable, Disable []string
}

// selectRules decides which rules run and fills s from the configuration
// (c may be nil) and the flags, for Resolve. Order, lowest precedence
// first: rule defaults; the file's all/default switches; the file's
// per-rule enabled; the flags' "all"; the flags' rule IDs (validated by
// Resolve).
func selectRules(c *Config, sel Selection, s *rules.Settings) []*rules.Rule {
	on := map[string]bool{}
	for _, r := range rules.All() {
		on[r.ID] = !r.Disabled
	}
	if c != nil {
		if c.Default != nil {
			for _, r := range rules.All() {
				if !r.Disabled {
					on[r.ID] = *c.Default
				}
			}
		}
		if c.All != nil {
			for id := range on {
				on[id] = *c.All
			}
		}
		for id, set := range c.Rules {
			if set.Enabled != nil {
				on[id] = *set.Enabled
			}
			if set.Severity != 0 {
				if s.Severity == nil {
					s.Severity = map[string]rules.Severity{}
				}
				s.Severity[id] = set.Severity
			}
			if len(set.Options) > 0 {
				if s.Options == nil {
					s.Options = map[string]map[string]int64{}
				}
				s.Options[id] = set.Options
			}
			if len(set.ListOptions) > 0 {
				if s.ListOptions == nil {
					s.ListOptions = map[string]map[string][]string{}
				}
				s.ListOptions[id] = set.ListOptions
			}
		}
		if c.KubernetesVersion != "" {
			s.KubeVersion = c.KubernetesVersion
		}
	}
	for _, pass := range []struct {
		ids []string
		v   bool
	}{{sel.Enable, true}, {sel.Disable, false}} {
		for _, id := range pass.ids {
			if strings.TrimSpace(id) == "all" {
				for k := range on {
					on[k] = pass.v
				}
			}
		}
	}
	for _, pass := range []struct {
		ids []string
		v   bool
	}{{sel.Enable, true}, {sel.Disable, false}} {
		for _, id := range pass.ids {
			if id = strings.TrimSpace(id); id != "" && id != "all" {
				on[id] = pass.v
			}
		}
	}
	var out []*rules.Rule
	for _, r := range rules.All() {
		if on[r.ID] {
			out = append(out, r)
		}
	}
	return out
}

// Excluded reports whether a file matches one of the exclude globs. A glob
// matches the path as given on the command line, or the path relative to
// the configuration file's directory (the repository root, usually), so
// "vendor/**" works from any working directory. A glob starting with "!"
// re-includes what it matches; the last matching glob decides, as in
// .gitignore.
func (c *Config) Excluded(file string) bool {
	if c == nil {
		return false
	}
	excluded := false
	for _, g := range c.Exclude {
		if neg, ok := strings.CutPrefix(g, "!"); ok {
			if excluded && c.Matches(neg, file) {
				excluded = false
			}
		} else if !excluded && c.Matches(g, file) {
			excluded = true
		}
	}
	return excluded
}

// Matches reports whether a path glob from this configuration matches file,
// as given or relative to the configuration's directory.
func (c *Config) Matches(glob, file string) bool {
	dir := ""
	if c.File != "" {
		dir = filepath.Dir(c.File)
	}
	return MatchPath(glob, file, dir)
}

// MatchPath reports whether glob matches file as given on the command line
// or, when dir is set, file relative to dir (the configuration's
// directory). Exclude globs and ignore entries both match this way.
func MatchPath(glob, file, dir string) bool {
	if MatchGlob(glob, file) {
		return true
	}
	if dir == "" {
		return false
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return false
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(absDir, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return false
	}
	return MatchGlob(glob, rel)
}

// MatchGlob matches a slash-separated path against a glob where "**"
// matches any number of path segments (including none) and "*", "?" and
// "[...]" match within one segment. A pattern without a slash also matches
// the path's base name, so "*.generated.yaml" works anywhere.
func MatchGlob(pattern, name string) bool {
	name = filepath.ToSlash(path.Clean(filepath.ToSlash(name)))
	name = strings.TrimPrefix(name, "./")
	pattern = strings.TrimPrefix(filepath.ToSlash(pattern), "./")
	if !strings.Contains(pattern, "/") {
		if ok, _ := path.Match(pattern, path.Base(name)); ok {
			return true
		}
	}
	return matchSegments(strings.Split(pattern, "/"), strings.Split(name, "/"))
}

func matchSegments(pat, segs []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			if len(pat) == 1 {
				return true
			}
			for i := 0; i <= len(segs); i++ {
				if matchSegments(pat[1:], segs[i:]) {
					return true
				}
			}
			return false
		}
		if len(segs) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], segs[0]); !ok {
			return false
		}
		pat, segs = pat[1:], segs[1:]
	}
	return len(segs) == 0
}
