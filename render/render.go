// Package render lints what gets deployed: it builds the Kustomize trees
// (in process, with Kustomize's own library) and templates the Helm charts
// (with the installed helm) found among the inputs, hands the rendered
// objects to the engine as extra inputs, and maps every finding on a
// rendered object back to the file and line a person edits: the patch
// line that set a field, else the base's line; the template's line for a
// chart. Files that only a kustomization or a chart reads (patches,
// templates, values) are not linted on their own.
//
// The 1-file case stays cheap: a named file costs a few stat calls up its
// directories, and Kustomize runs only when a kustomization is found.
package render

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/zdlint/zdlint/internal/suppress"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

// Options configures rendering.
type Options struct {
	// Off lints every file as written (--no-render).
	Off bool
	// HelmValues are extra values files for every chart (--helm-values),
	// after the chart's own values.yaml.
	HelmValues []string
	// Helm is the helm command; "" looks for helm on PATH.
	Helm string
	// KubeVersion is the Kubernetes version charts are rendered for
	// (helm template --kube-version): the run's target version.
	KubeVersion string
	// Exclude reports whether a path is excluded by the configuration:
	// excluded trees and charts are not rendered.
	Exclude func(string) bool
	// Files replace files on disk by path (as the loader spells them):
	// the texts --fix has changed but not written yet. Kustomizations
	// are always read from disk.
	Files map[string][]byte
}

// Plan is what rendering did to a run's inputs.
type Plan struct {
	// Inputs are the inputs to lint: the plain files left and one
	// input per rendering.
	Inputs []loader.Input
	// Errors are problems found while rendering, at the kustomization or
	// chart that has them.
	Errors []*loader.Error
	// Unfixed says, for findings whose fix was dropped in Remap, why
	// (the last Remap's; see FixNotes).
	unfixed []UnfixedNote
	streams map[string]*stream
	cache   sourceCache
	exclude func(string) bool
}

// Prepare finds Kustomize trees and Helm charts among the inputs collected
// from args (files named on the command line, directories walked) and
// renders them.
func Prepare(args []string, inputs []loader.Input, opts Options) (plan *Plan) {
	p := &Plan{Inputs: inputs, exclude: opts.Exclude}
	if len(opts.Files) > 0 {
		p.cache.overlay = map[string][]byte{}
		for f, d := range opts.Files {
			p.cache.overlay[filepath.Clean(f)] = d
		}
	}
	defer func() {
		// Rendering must never take the run down: on a panic the inputs
		// are linted as written, with the problem reported.
		if r := recover(); r != nil {
			plan = &Plan{Inputs: inputs, Errors: []*loader.Error{{File: firstArg(args),
				Msg: fmt.Sprintf("internal error while looking for Kustomize trees and Helm charts (please report); files are linted as written: %v", r)}}}
		}
	}()
	if opts.Off {
		return p
	}
	d := discover(args, inputs, opts)
	if d.empty() {
		return p
	}
	p.streams = map[string]*stream{}
	drop := map[string]bool{} // files read by a rendering, not linted alone
	keep := map[string]bool{} // whole objects of a failed build, linted alone
	if len(d.kustDirs) > 0 {
		p.kustomize(d, drop, keep)
	}
	if len(d.charts) > 0 {
		p.helm(d, opts, drop)
	}
	// Context files too: a patch loaded as context would be a second,
	// partial Deployment next to the built one.
	var out []loader.Input
	for _, in := range inputs {
		if in.Stdin == nil && dropped(drop, filepath.Clean(in.Path)) && !keep[filepath.Clean(in.Path)] {
			continue
		}
		out = append(out, in)
	}
	names := make([]string, 0, len(p.streams))
	for n := range p.streams {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := p.streams[n]
		out = append(out, loader.Input{Name: s.name, Stdin: bytes.NewReader(s.data)})
	}
	p.Inputs = out
	return p
}

// kustomize builds the roots of the kustomizations found.
func (p *Plan) kustomize(d *discovery, drop, keep map[string]bool) {
	t := newTree(p.cache.read)
	for _, dir := range d.kustDirs {
		t.add(dir)
	}
	// Every file any kustomization reads is not linted alone: a patch
	// is judged on the object it merges into.
	for _, k := range t.byDir {
		drop[k.file] = true
		for _, f := range k.consumed {
			drop[f] = true
		}
	}
	built := map[string]bool{}
	var failed []*kustomization
	tried := map[*kustomization]bool{}
	for _, root := range t.roots() {
		ks := t.closure(root)
		reads := consumedBy(ks)
		var only map[string]bool
		if !d.walked[root.dir] {
			// Found through files named on the command line: build it
			// only if it reads one of them, and report only on them.
			only = map[string]bool{}
			for f := range d.named {
				if reads[f] {
					only[f] = true
				}
			}
			if len(only) == 0 {
				continue
			}
			for f := range only {
				if IsKustomizationName(filepath.Base(f)) {
					only = nil // a kustomization changes the whole build
					break
				}
			}
		}
		for _, k := range ks {
			tried[k] = true
		}
		s, errs, ok := safeBuild(t, root, &p.cache)
		p.Errors = append(p.Errors, errs...)
		if !ok {
			failed = append(failed, ks...)
			continue
		}
		s.only = only
		p.streams[s.name] = s
		for f := range reads {
			built[f] = true
		}
	}
	// A failed build's resources are linted as plain files, unless another
	// build covered them; so are the resources of a kustomization no root
	// builds (a component nothing uses): they are whole objects.
	for _, k := range t.byDir {
		if !tried[k] {
			failed = append(failed, k)
		}
	}
	for _, k := range failed {
		for _, f := range k.resFiles {
			if !built[f] {
				keep[f] = true
			}
		}
	}
}

// Remap moves the findings and suppressions of rendered objects to their
// sources, keeps one finding per rule and source position, and drops
// findings outside the named files of a rendering found through them.
func (p *Plan) Remap(fs []rules.Finding, sups []*suppress.Suppression) ([]rules.Finding, []*suppress.Suppression) {
	if len(p.streams) == 0 {
		return fs, sups
	}
	type key struct {
		file string
		pos  loader.Pos
		rule string
	}
	seen := map[key]bool{}
	p.unfixed = nil
	out := fs[:0]
	for _, f := range fs {
		s := p.streams[f.File]
		if s == nil {
			f.Related = p.remapRelated(f.Related)
			out = append(out, f)
			continue
		}
		path := loader.ParseJSONPath(f.Path)
		file, at, end := s.locate(f.Pos, path, f.Path != "")
		if (s.only != nil && !s.only[file]) || (p.exclude != nil && p.exclude(file)) {
			// Outside the named files, or in a file the configuration
			// excludes (a base shared with another team's overlays).
			continue
		}
		k := key{file, at, f.Rule}
		if seen[k] {
			continue
		}
		seen[k] = true
		if f.Fix != nil {
			// The fix edits the rendered text: it is made again on the
			// source, or dropped with the reason (docs/fixes.md).
			fx, why := p.sourceFix(s, f, file)
			if fx == nil {
				p.unfixed = append(p.unfixed, UnfixedNote{File: file, Pos: at, Rule: f.Rule, Applicability: f.Fix.Applicability, Why: why})
			}
			f.Fix = fx
		}
		f.File, f.Pos, f.End, f.Source = file, at, end, ""
		f.Related = p.remapRelated(f.Related)
		out = append(out, f)
	}
	type supKey struct {
		kind suppress.Kind
		file string
		pos  loader.Pos
		raw  string
	}
	seenSup := map[supKey]bool{}
	var outSups []*suppress.Suppression
	for _, sp := range p.sourceSuppressions() {
		seenSup[supKey{sp.Kind, sp.File, sp.Pos, sp.Raw}] = true
		outSups = append(outSups, sp)
	}
	for _, sp := range sups {
		s := p.streams[sp.File]
		if s == nil {
			outSups = append(outSups, sp)
			continue
		}
		c := *sp
		d := s.doc(sp.Pos.Line)
		file, at, _ := s.locate(sp.Pos, nil, false)
		c.File, c.At, c.Pos = file, file, at
		if d != nil && d.src != nil && file == d.origin {
			if c.Kind == suppress.Annotation {
				c.From, c.To = d.src.Line, loader.LastLine(d.src)
			} else {
				_, from, _ := s.locate(loader.Pos{Line: sp.From, Col: 1}, nil, false)
				_, to, _ := s.locate(loader.Pos{Line: sp.To, Col: 1}, nil, false)
				c.From, c.To = from.Line, max(from.Line, to.Line)
			}
		}
		k := supKey{c.Kind, c.File, c.Pos, c.Raw}
		if seenSup[k] {
			continue
		}
		seenSup[k] = true
		outSups = append(outSups, &c)
	}
	return out, outSups
}

// remapRelated moves the related locations on rendered objects to their
// sources, as Remap moves findings: by the field path where there is one.
// A finding on a plain file may name a rendered object (an HPA of an
// overlay), and one on a rendered object a plain file. The slice is
// copied before it changes: findings share it with the engine's result.
func (p *Plan) remapRelated(rel []rules.Location) []rules.Location {
	var out []rules.Location
	for i, l := range rel {
		s := p.streams[l.File]
		if s == nil {
			continue
		}
		if out == nil {
			out = append([]rules.Location(nil), rel...)
		}
		l.File, l.Pos, l.End = s.locate(l.Pos, loader.ParseJSONPath(l.Path), l.Path != "")
		out[i] = l
	}
	if out == nil {
		return rel
	}
	return out
}

// sourceSuppressions reads the zdlint:ignore comments (and annotations) of
// the Kustomize files findings can be mapped to: the build drops comments,
// so they are read from the files themselves, which the run no longer
// lints alone. A rendering found through named files reads only those.
// Helm templates are not read: their comments survive rendering.
func (p *Plan) sourceSuppressions() []*suppress.Suppression {
	files := map[string]bool{}
	for _, s := range p.streams {
		if s.only != nil {
			for f := range s.only {
				files[f] = true
			}
			continue
		}
		for _, d := range s.docs {
			if d.templated || d.origin == "" {
				continue
			}
			files[d.origin] = true
			for _, pt := range d.patches {
				files[pt.file] = true
			}
		}
	}
	names := make([]string, 0, len(files))
	for f := range files {
		names = append(names, f)
	}
	sort.Strings(names)
	var out []*suppress.Suppression
	for _, name := range names {
		if chartOf(name) != "" {
			continue
		}
		data, err := p.cache.read(name)
		if err != nil || !bytes.Contains(data, []byte("zdlint")) {
			continue
		}
		f := loader.Parse(name, data, loader.Options{})
		sf := suppress.NewFile(name)
		for _, obj := range f.Objects {
			sf.Object(obj)
		}
		out = append(out, sf.Finish(f.Data)...)
	}
	return out
}

// RemapErrors moves input errors about rendered objects to their sources.
func (p *Plan) RemapErrors(errs []*loader.Error) []*loader.Error {
	if len(p.streams) == 0 {
		return errs
	}
	type key struct {
		file string
		pos  loader.Pos
		msg  string
	}
	seen := map[key]bool{}
	out := errs[:0]
	for _, e := range errs {
		s := p.streams[e.File]
		if s == nil {
			out = append(out, e)
			continue
		}
		file := s.root
		var at loader.Pos
		if e.Pos.IsValid() {
			file, at, _ = s.locate(e.Pos, nil, false)
		}
		if s.only != nil && !s.only[file] {
			continue
		}
		k := key{file, at, e.Msg}
		if seen[k] {
			continue
		}
		seen[k] = true
		c := *e
		c.File, c.Pos = file, at
		out = append(out, &c)
	}
	return out
}

// Rendered reports whether an input name is a rendering.
func (p *Plan) Rendered(name string) bool { return p.streams[name] != nil }

// discovery is what Prepare found to render.
type discovery struct {
	kustDirs []string        // directories holding a kustomization
	walked   map[string]bool // of those, the ones a directory walk found
	charts   []*chartRef
	named    map[string]bool // files named on the command line
}

// chartRef is a chart directory and, when it was found through named
// files, those files.
type chartRef struct {
	dir  string
	only map[string]bool
}

func (d *discovery) empty() bool { return len(d.kustDirs) == 0 && len(d.charts) == 0 }

// discover finds the kustomizations and charts to render: those a walk
// met, and those that own a file named on the command line (pre-commit
// passes a patch or a template alone).
func discover(args []string, inputs []loader.Input, opts Options) *discovery {
	d := &discovery{walked: map[string]bool{}, named: map[string]bool{}}
	excluded := func(p string) bool { return opts.Exclude != nil && opts.Exclude(p) }
	for _, a := range args {
		if a == "-" {
			continue
		}
		if info, err := os.Stat(a); err == nil && info.Mode().IsRegular() {
			d.named[filepath.Clean(a)] = true
		}
	}
	kdirs := map[string]bool{}
	chartDirs := map[string]*chartRef{}
	addChart := func(dir string, named string) {
		c := chartDirs[dir]
		if c == nil {
			c = &chartRef{dir: dir}
			chartDirs[dir] = c
			if named != "" {
				c.only = map[string]bool{}
			}
		}
		if named == "" {
			c.only = nil
		} else if c.only != nil {
			c.only[named] = true
		}
	}
	dirsSeen := map[string]bool{}
	for _, in := range inputs {
		if in.Stdin != nil || in.Context {
			continue
		}
		path := filepath.Clean(in.Path)
		if d.named[path] {
			continue
		}
		dir := filepath.Dir(path)
		base := filepath.Base(path)
		switch {
		case base == "Chart.yaml":
			if !excluded(path) {
				addChart(dir, "")
			}
		case IsKustomizationName(base):
			if !excluded(path) {
				kdirs[dir] = true
				d.walked[dir] = true
			}
		}
		if !dirsSeen[dir] {
			// A kustomization named "Kustomization" has no extension, so
			// the walk did not collect it.
			dirsSeen[dir] = true
			if f := filepath.Join(dir, "Kustomization"); !kdirs[dir] && isRegular(f) && !excluded(f) {
				kdirs[dir] = true
				d.walked[dir] = true
			}
		}
	}
	var scanTops []string
	for f := range d.named {
		dir := filepath.Dir(f)
		if c := chartOf(f); c != "" {
			base := filepath.Base(f)
			if filepath.Dir(f) == c && (base == "Chart.yaml" || strings.HasPrefix(base, "values")) {
				addChart(c, "") // the whole chart changes with these
			} else {
				addChart(c, f)
			}
			continue
		}
		if top, ok := kustomizeTop(dir); ok {
			scanTops = append(scanTops, top)
		}
	}
	for _, top := range dedupe(scanTops) {
		for _, k := range scanKustomizations(top) {
			if !excluded(k) {
				kdirs[filepath.Dir(k)] = true
			}
		}
	}
	// Charts inside another chart's charts/ are rendered with it.
	for dir := range chartDirs {
		for other := range chartDirs {
			if other != dir && strings.HasPrefix(dir, other+string(filepath.Separator)) {
				delete(chartDirs, dir)
				break
			}
		}
	}
	for dir := range kdirs {
		d.kustDirs = append(d.kustDirs, dir)
	}
	sort.Strings(d.kustDirs)
	for _, c := range chartDirs {
		d.charts = append(d.charts, c)
	}
	sort.Slice(d.charts, func(i, j int) bool { return d.charts[i].dir < d.charts[j].dir })
	return d
}

func isRegular(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular()
}

func dedupe(ss []string) []string {
	sort.Strings(ss)
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// chartOf returns the chart directory owning file: the nearest ancestor
// with a Chart.yaml, looked for up to the repository root, spelled like
// file.
func chartOf(file string) string {
	abs, err := filepath.Abs(filepath.Dir(file))
	if err != nil {
		return ""
	}
	for cur := abs; ; {
		if isRegular(filepath.Join(cur, "Chart.yaml")) {
			return relTo(cur, file)
		}
		if isRepoRoot(cur) {
			return ""
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return ""
		}
		cur = parent
	}
}

// kustomizeTop reports whether dir or an ancestor holds a kustomization,
// and where to look for the kustomizations that may read a file in dir:
// the repository root (a directory holding .git), else the working
// directory when dir is inside it, else the directory above the highest
// kustomization found.
func kustomizeTop(dir string) (string, bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	found := ""
	for cur := abs; ; {
		if found == "" && findKustomization(cur) != "" {
			found = cur
		}
		if isRepoRoot(cur) {
			if found == "" {
				return "", false
			}
			return relTo(cur, dir), true
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			break
		}
		cur = parent
	}
	if found == "" {
		return "", false
	}
	if wd, err := os.Getwd(); err == nil && (abs == wd || strings.HasPrefix(abs, wd+string(filepath.Separator))) {
		return ".", true
	}
	return relTo(filepath.Dir(found), dir), true
}

// relTo spells target (absolute) the way dir (as given) is spelled:
// relative when dir is, so that file names in reports match the loader's.
func relTo(target, dir string) string {
	if filepath.IsAbs(dir) {
		return target
	}
	wd, err := os.Getwd()
	if err != nil {
		return target
	}
	rel, err := filepath.Rel(wd, target)
	if err != nil {
		return target
	}
	return rel
}

func isRepoRoot(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, ".git"))
	return err == nil
}

// skipDirs are not searched for kustomizations.
var skipDirs = map[string]bool{"node_modules": true, "vendor": true}

// scanKustomizations returns the kustomization files under top.
func scanKustomizations(top string) []string {
	var out []string
	_ = filepath.WalkDir(top, func(path string, de os.DirEntry, err error) error {
		if err != nil {
			if de != nil && de.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if de.IsDir() {
			name := de.Name()
			if path != top && (strings.HasPrefix(name, ".") || skipDirs[name]) {
				return filepath.SkipDir
			}
			return nil
		}
		if IsKustomizationName(de.Name()) && de.Type().IsRegular() {
			out = append(out, respell(path))
		}
		return nil
	})
	return out
}

// respell spells a relative path found under a walk of ".." or another
// directory the way the loader spells the same file given from the
// working directory ("../../a/b" run from a/c is "../b"), so that the
// names of files named on the command line and found by a scan match.
func respell(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, abs); err == nil {
		return rel
	}
	return p
}

// safeBuild is buildKustomization with a panic in Kustomize or in the
// mapping turned into an error at the kustomization.
func safeBuild(t *tree, root *kustomization, cache *sourceCache) (s *stream, errs []*loader.Error, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			s, ok = nil, false
			errs = append(errs, &loader.Error{File: root.file, Msg: fmt.Sprintf("internal error while building (please report): %v", r)})
		}
	}()
	return buildKustomization(t, root, cache)
}

func firstArg(args []string) string {
	if len(args) == 0 {
		return "<stdin>"
	}
	return args[0]
}
