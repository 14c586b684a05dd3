package cli

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/zdlint/zdlint/internal/config"
	"github.com/zdlint/zdlint/internal/engine"
	"github.com/zdlint/zdlint/internal/suppress"
	"github.com/zdlint/zdlint/loader"
)

// Pre-commit hooks and editors lint a subset of a repository: the staged
// files, the buffer on standard input, a file with --context around it.
// What such a run cannot see must not fail it: an ignore entry whose files
// were not linted silenced nothing because it had nothing to silence, and a
// broken file given only as context is not the file being checked.

// walkedDirs returns the absolute directories this run walks as lint
// targets, or nil when the run lints a subset by design: a named file,
// standard input or --context (an editor or pre-commit run), where an
// ignore entry is never judged unused.
func walkedDirs(paths, context []string) []string {
	if len(context) > 0 {
		return nil
	}
	var dirs []string
	for _, p := range paths {
		if p == "-" {
			return nil
		}
		info, err := os.Stat(p)
		if err != nil {
			continue // reported by the loader
		}
		if !info.IsDir() {
			return nil
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil
		}
		dirs = append(dirs, abs)
	}
	return dirs
}

// markPartialIgnores marks the configuration's ignore entries whose every
// possible file this run did not walk, so an entry that silenced nothing
// here is not reported as unused.
// enter says whether walks enter a directory they skip by default
// (config.Reincluded).
func markPartialIgnores(sups []*suppress.Suppression, walked []string, configDir string, enter func(string) bool) {
	for _, sp := range sups {
		if sp.Kind != suppress.ConfigEntry || sp.Ignore == nil {
			continue
		}
		sp.Partial = !coversIgnore(walked, sp.Ignore.Path, configDir, enter)
	}
}

// coversIgnore reports whether walks of the walked directories reached every
// file that an ignore entry's path glob can match. A glob matches the path
// relative to the configuration's directory or as given on the command line
// (config.MatchPath), so both frames must be covered. The scope of a glob is
// the directory named by its literal leading segments: "k8s/**" and
// "k8s/web.yaml" can only match under k8s/, "*.yaml" and "**/x" anywhere.
func coversIgnore(walked []string, glob, configDir string, enter func(string) bool) bool {
	if len(walked) == 0 {
		return false
	}
	prefix := literalDir(glob)
	var scopes []string
	base, err := filepath.Abs(configDir)
	if err != nil {
		return false
	}
	scopes = append(scopes, filepath.Join(base, prefix))
	if glob != "" {
		if wd, err := os.Getwd(); err == nil && wd != base {
			scopes = append(scopes, filepath.Join(wd, prefix))
		}
	}
	for _, scope := range scopes {
		if !walkedInFull(walked, scope, enter) {
			return false
		}
	}
	return true
}

// literalDir is the directory part of a glob before its first wildcard.
func literalDir(glob string) string {
	glob = strings.TrimPrefix(filepath.ToSlash(glob), "./")
	segs := strings.Split(glob, "/")
	var lit []string
	for _, s := range segs[:len(segs)-1] { // the last segment names files
		if strings.ContainsAny(s, `*?[\`) {
			break
		}
		lit = append(lit, s)
	}
	return filepath.FromSlash(strings.Join(lit, "/"))
}

// walkedInFull reports whether a walk of one of the directories enters
// dir: dir is at or below it, and no directory in between is one that
// walks skip (.git, testdata, ...).
func walkedInFull(walked []string, dir string, enter func(string) bool) bool {
	for _, root := range walked {
		rel, err := filepath.Rel(root, dir)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		skipped := false
		if rel != "." {
			at := root
			for _, seg := range strings.Split(rel, string(filepath.Separator)) {
				at = filepath.Join(at, seg)
				if loader.SkipDirReason(seg) != "" && (enter == nil || !enter(at)) {
					skipped = true
					break
				}
			}
		}
		if !skipped {
			return true
		}
	}
	return false
}

// contextOnly returns the names of the inputs loaded only as --context.
func contextOnly(inputs []loader.Input) map[string]bool {
	linted := map[string]bool{}
	for _, in := range inputs {
		if !in.Context {
			linted[in.Name] = true
		}
	}
	ctx := map[string]bool{}
	for _, in := range inputs {
		if in.Context && !linted[in.Name] {
			ctx[in.Name] = true
		}
	}
	return ctx
}

// contextNote is added to problems in --context files, which are reported
// as warnings: the run checks other files, and one broken neighbour must
// not fail every commit.
const contextNote = " (a --context file: this does not fail the run, but cross-object rules miss what could not be read)"

// demoteContextErrors turns the errors of --context-only files (all of
// errs when ctx is nil) into warnings that name the file, and say whether
// it is a sibling of a linted file (in siblings) or a --context file.
func demoteContextErrors(errs []*loader.Error, ctx, siblings map[string]bool) {
	for _, e := range errs {
		if (ctx == nil || ctx[e.File]) && !e.Warning {
			e.Warning = true
			if siblings[e.File] {
				e.Msg += siblingNote
			} else {
				e.Msg += contextNote
			}
		}
	}
}

// excluded reports whether the configuration excludes an input; standard
// input is matched by its --stdin-filename, as editors name the buffer.
func excluded(c *config.Config, in loader.Input, stdinFilename string) bool {
	if in.Stdin != nil {
		return stdinFilename != "" && c.Excluded(stdinFilename)
	}
	return c.Excluded(in.Name)
}

// chartOf returns the chart directory when file is under a Helm chart's
// templates/ directory (a templates/ whose parent holds Chart.yaml).
func chartOf(file string) (string, bool) {
	dir := filepath.Dir(filepath.Clean(file))
	for {
		parent := filepath.Dir(dir)
		if filepath.Base(dir) == "templates" {
			if _, err := os.Stat(filepath.Join(parent, "Chart.yaml")); err == nil {
				return parent, true
			}
		}
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// setAsideChartTemplates removes raw Helm templates from the inputs: they
// are Go templates, not YAML, and parsing them only yields syntax errors
// (one per template, failing every walk and every commit that stages one).
// Each chart gets one warning that says how to lint it. Standard input is
// kept whatever its --stdin-filename: it is usually `helm template` output.
func setAsideChartTemplates(inputs []loader.Input) ([]loader.Input, []*loader.Error) {
	var warnings []*loader.Error
	seen := map[string]bool{}
	// chartOf by directory: the language server sets aside on every lint,
	// among thousands of files in a few hundred directories.
	type chartDir struct {
		chart string
		ok    bool
	}
	byDir := map[string]chartDir{}
	out := inputs[:0]
	for _, in := range inputs {
		chart, ok := "", false
		if in.Stdin == nil {
			dir := filepath.Dir(in.Path)
			c, known := byDir[dir]
			if !known {
				c.chart, c.ok = chartOf(in.Path)
				byDir[dir] = c
			}
			chart, ok = c.chart, c.ok
		}
		if !ok {
			out = append(out, in)
			continue
		}
		if !seen[chart] && !in.Context { // context: dropped without a word
			seen[chart] = true
			warnings = append(warnings, &loader.Error{File: chart, Warning: true,
				Msg: "Helm chart: its templates are not plain YAML and are not linted; lint the rendered chart with: helm template " + chart + " | zdlint -"})
		}
	}
	return out, warnings
}

// yieldedNothing warns about each directory named on the command line
// when the run found no Kubernetes object at all, saying which directories
// the walks skipped: a repository that keeps its manifests in .deploy/
// must not pass as "0 findings". A walk that found no file at all is
// already reported by the loader.
func yieldedNothing(paths []string, walk *loader.Walk, st engine.Stats) []*loader.Error {
	if st.Objects > 0 || st.Files == 0 {
		return nil
	}
	var out []*loader.Error
	for _, p := range paths {
		if info, err := os.Stat(p); p == "-" || err != nil || !info.IsDir() {
			continue
		}
		msg := "no Kubernetes objects found in this directory's *.yaml, *.yml and *.json files"
		if skipped := walk.Skipped[p]; len(skipped) > 0 {
			msg += "; " + loader.DescribeSkipped(skipped)
		}
		out = append(out, &loader.Error{File: p, Msg: msg, Warning: true})
	}
	return out
}
