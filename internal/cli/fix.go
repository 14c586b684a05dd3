package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/zdlint/zdlint/internal/engine"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/yamledit"
	"github.com/zdlint/zdlint/render"
	"github.com/zdlint/zdlint/rules"
)

// maxFixRounds bounds the fix loop: each round lints, applies the fixes
// found, and lints again; fixes that enable others (a longer preStop sleep
// that then needs a longer grace period) take a round each.
const maxFixRounds = 8

// fixTier orders the fixes of one object over rounds: a round applies
// only the lowest tier the object has. Keys are renamed and duplicates
// removed first (a typo'd terminationGracePeriodSecond is the field the
// other fixes would otherwise add a second time), then a preStop sleep is
// added, then the rest, such as the grace period that covers the sleep.
func fixTier(rule string) int {
	switch rule {
	case "unknown-field", "duplicate-key":
		return 0
	case "prestop-sleep-missing":
		return 1
	}
	return 2
}

// fixFile is one input that fixes may change.
type fixFile struct {
	name  string // as in findings
	path  string // on disk; "" for standard input
	orig  []byte // as read
	text  []byte // with the fixes applied so far
	fixed map[string]int
	// skip is why the file is left as it was, once decided.
	skip string
}

// fixRun applies fixes to the linted inputs in memory, round after round,
// until a round changes nothing. lint runs the engine over inputs.
type fixRun struct {
	unsafe bool
	files  map[string]*fixFile
	order  []string
	rounds int
	// context are the --context inputs: never changed.
	context map[string]bool
	// sources are the files read by a rendering (Kustomize resources
	// and patches) that fixes have been made on: not linted alone, so
	// they join files when a remapped finding's fix names them.
	sources map[string]bool
}

// newFixRun reads every linted input (standard input included) so fixes
// can be applied to its text, and returns the inputs reading from memory.
func newFixRun(inputs []loader.Input, unsafe bool, maxSize int64) (*fixRun, []loader.Input) {
	fr := &fixRun{unsafe: unsafe, files: map[string]*fixFile{}}
	out := make([]loader.Input, 0, len(inputs))
	for _, in := range inputs {
		if in.Context {
			out = append(out, in)
			continue
		}
		var data []byte
		var err error
		if in.Stdin != nil {
			data, err = io.ReadAll(io.LimitReader(in.Stdin, maxSize+1))
		} else {
			data, err = os.ReadFile(in.Path)
		}
		if err != nil {
			// The loader reports it when it reads the file itself.
			out = append(out, in)
			continue
		}
		f := &fixFile{name: in.Name, path: in.Path, orig: data, text: data, fixed: map[string]int{}}
		if in.Stdin != nil {
			f.path = ""
		}
		if _, dup := fr.files[f.name]; !dup {
			fr.files[f.name] = f
			fr.order = append(fr.order, f.name)
		}
		out = append(out, loader.Input{Name: in.Name, Path: in.Path, Stdin: bytes.NewReader(data)})
	}
	return fr, out
}

// wanted reports whether --fix (and --unsafe-fixes) apply fx.
func (fr *fixRun) wanted(fx *rules.Fix) bool {
	return fx != nil && (fx.Applicability == rules.FixSafe || (fr.unsafe && fx.Applicability == rules.FixUnsafe))
}

// round applies the wanted fixes of findings; it reports whether any text
// changed.
func (fr *fixRun) round(findings []rules.Finding) bool {
	byFile := map[string][]rules.Finding{}
	// An object with a fix that changes what other fixes compute from
	// gets only those this round: a new preStop sleep first, then the
	// grace period that covers it.
	tier := map[string]int{} // object → the lowest tier of its wanted fixes
	for _, f := range findings {
		if fr.wanted(f.Fix) {
			k := f.File + "\x00" + f.Object.String()
			if t, ok := tier[k]; !ok || fixTier(f.Rule) < t {
				tier[k] = fixTier(f.Rule)
			}
		}
	}
	for _, f := range findings {
		if fixTier(f.Rule) > tier[f.File+"\x00"+f.Object.String()] {
			continue
		}
		if fr.files[f.File] == nil && fr.wanted(f.Fix) {
			fr.addSource(f.File)
		}
		if ff := fr.files[f.File]; ff != nil && ff.skip == "" && fr.wanted(f.Fix) {
			byFile[f.File] = append(byFile[f.File], f)
		}
	}
	changed := false
	for _, name := range fr.order {
		fs := byFile[name]
		if len(fs) == 0 {
			continue
		}
		ff := fr.files[name]
		if !parses(ff.text) {
			ff.skip = "it does not parse as YAML"
			continue
		}
		if !bytes.Equal(loader.Text(ff.text), ff.text) {
			ff.skip = "it is UTF-16; zdlint fixes UTF-8 files only"
			continue
		}
		var edits []yamledit.Edit
		owner := []rules.Finding{}
		for _, f := range fs {
			for _, e := range f.Fix.Edits {
				for i, prev := range edits {
					if yamledit.Overlap(prev, e) {
						ff.skip = fmt.Sprintf("the fixes of %s (line %d) and %s (line %d) change the same text", owner[i].Rule, owner[i].Pos.Line, f.Rule, f.Pos.Line)
						break
					}
				}
				edits = append(edits, e)
				owner = append(owner, f)
			}
		}
		if ff.skip != "" {
			ff.text = ff.orig // left untouched, as a whole
			continue
		}
		out, err := yamledit.Apply(ff.text, edits)
		if err == nil && !parses(out) {
			err = errors.New("the result would not parse")
		}
		if err != nil {
			ff.skip = fmt.Sprintf("applying its fixes failed (%v); please report it", err)
			ff.text = ff.orig
			continue
		}
		if !bytes.Equal(out, ff.text) {
			ff.text = out
			changed = true
			for _, f := range fs {
				ff.fixed[f.Rule]++
			}
		}
	}
	fr.rounds++
	return changed
}

// addSource adds a file that a finding on a rendered object was mapped to
// (a Kustomize resource or patch, not linted alone) to the files fixes
// change.
func (fr *fixRun) addSource(name string) {
	if fr.context[name] {
		return
	}
	info, err := os.Stat(name)
	if err != nil || !info.Mode().IsRegular() {
		return
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return
	}
	fr.files[name] = &fixFile{name: name, path: name, orig: data, text: data, fixed: map[string]int{}}
	fr.order = append(fr.order, name)
	if fr.sources == nil {
		fr.sources = map[string]bool{}
	}
	fr.sources[name] = true
}

// sourceTexts returns the current texts of the rendering's sources that
// fixes changed, for rendering again.
func (fr *fixRun) sourceTexts() map[string][]byte {
	out := map[string][]byte{}
	for name := range fr.sources {
		out[name] = fr.files[name].text
	}
	return out
}

// inputs returns the inputs reading the current texts.
func (fr *fixRun) inputs(in []loader.Input) []loader.Input {
	out := make([]loader.Input, len(in))
	for i, x := range in {
		if ff := fr.files[x.Name]; ff != nil && !x.Context {
			x.Stdin = bytes.NewReader(ff.text)
		}
		out[i] = x
	}
	return out
}

// parses reports whether every document of text parses.
func parses(text []byte) bool {
	dec := yaml.NewDecoder(bytes.NewReader(text))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// run lints, fixes and lints again until nothing changes or the rounds
// run out; it returns the result of the last lint, over the fixed texts.
// lint gets the current texts of the rendering sources fixes changed.
func (fr *fixRun) run(inputs []loader.Input, lint func([]loader.Input, map[string][]byte) *engine.Result) *engine.Result {
	res := lint(fr.inputs(inputs), fr.sourceTexts())
	for fr.rounds < maxFixRounds && fr.round(res.Findings) {
		res = lint(fr.inputs(inputs), fr.sourceTexts())
	}
	return res
}

// notes returns the reasons files were left untouched, as warnings.
func (fr *fixRun) notes() []*loader.Error {
	var out []*loader.Error
	for _, name := range fr.order {
		if ff := fr.files[name]; ff.skip != "" {
			out = append(out, &loader.Error{File: name, Warning: true, Msg: "not fixed: " + ff.skip})
		}
	}
	return out
}

// unfixedNotes turns the reasons fixes of rendered objects were not made
// on their sources (the last lint's) into warnings, for the fixes this run
// would apply.
func (fr *fixRun) unfixedNotes(ns []render.UnfixedNote) []*loader.Error {
	var out []*loader.Error
	for _, n := range ns {
		if !fr.wanted(&rules.Fix{Applicability: n.Applicability}) {
			continue
		}
		out = append(out, &loader.Error{File: n.File, Pos: n.Pos, Warning: true,
			Msg: fmt.Sprintf("not fixed: %s: %s", n.Rule, n.Why)})
	}
	return out
}

// changed returns the files whose text the fixes changed.
func (fr *fixRun) changed() []*fixFile {
	var out []*fixFile
	for _, name := range fr.order {
		if ff := fr.files[name]; !bytes.Equal(ff.orig, ff.text) {
			out = append(out, ff)
		}
	}
	return out
}

// summary says what was fixed: "fixed 3 findings in 2 files
// (max-unavailable-nonzero 2, prestop-sleep-missing 1)".
func (fr *fixRun) summary() string {
	per := map[string]int{}
	total, files := 0, 0
	for _, ff := range fr.changed() {
		files++
		for r, n := range ff.fixed {
			per[r] += n
			total += n
		}
	}
	ids := make([]string, 0, len(per))
	for r := range per {
		ids = append(ids, r)
	}
	sort.Strings(ids)
	parts := make([]string, len(ids))
	for i, r := range ids {
		parts[i] = fmt.Sprintf("%s %d", r, per[r])
	}
	s := fmt.Sprintf("fixed %s in %s", plural(total, "finding"), plural(files, "file"))
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}

// writeFixed replaces the file at path with data atomically: a temporary
// file in the same directory, renamed over it, with the file's permissions.
// A symlink is followed: its target is replaced, the link stays.
func writeFixed(path string, data []byte) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	info, err := os.Stat(target)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".zdlint-*")
	if err != nil {
		return err
	}
	// After a successful rename there is nothing left to remove.
	defer func() { _ = os.Remove(tmp.Name()) }()
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}

// fixAndLint runs the fix loop over the linted files (collected: the
// inputs before rendering; a rendered stream is never written). With
// --diff it prints what would change and returns the first lint's result,
// with the report discarded; with --fix it writes the files (standard
// input: to stdout) and returns the lint of the fixed texts. code is an
// exit code to stop with, or -1 to go on reporting.
//
// lint is called with the current texts of the Kustomize sources (bases,
// patches) fixes changed, which it renders again from; notes says why
// fixes of rendered objects were not made on their sources.
func fixAndLint(o *options, collected, inputs []loader.Input, lint func([]loader.Input, map[string][]byte) *engine.Result, unfixedOf func() []render.UnfixedNote, stdout, stderr io.Writer) (res *engine.Result, reportOut io.Writer, code int) {
	own := map[string]bool{}
	for _, in := range collected {
		own[in.Name] = true
	}
	var fixable, others []loader.Input
	for _, in := range inputs {
		if own[in.Name] && !in.Context {
			fixable = append(fixable, in)
		} else {
			others = append(others, in)
		}
	}
	fr, read := newFixRun(fixable, o.unsafeFixes, o.maxFileSize)
	fr.context = map[string]bool{}
	for _, in := range others {
		if in.Context {
			fr.context[in.Name] = true
		}
	}
	all := append(read, others...)
	var first *engine.Result
	var unfixed []render.UnfixedNote
	res = fr.run(all, func(in []loader.Input, sources map[string][]byte) *engine.Result {
		r := lint(in, sources)
		if first == nil {
			first = r
		}
		// Only for findings still reported (not suppressed).
		reported := map[string]bool{}
		for _, f := range r.Findings {
			reported[fmt.Sprintf("%s\x00%d\x00%s", f.File, f.Pos.Line, f.Rule)] = true
		}
		unfixed = unfixed[:0]
		for _, n := range unfixedOf() {
			if reported[fmt.Sprintf("%s\x00%d\x00%s", n.File, n.Pos.Line, n.Rule)] {
				unfixed = append(unfixed, n)
			}
		}
		return r
	})
	notes := append(fr.notes(), fr.unfixedNotes(unfixed)...)
	if o.diff {
		for _, ff := range fr.changed() {
			fmt.Fprint(stdout, yamledit.UnifiedDiff(ff.name, ff.name, ff.orig, ff.text))
		}
		first.Errors = append(first.Errors, notes...)
		if !o.quiet {
			fmt.Fprintf(stderr, "zdlint: --diff: would have %s\n", fr.summary())
		}
		return first, io.Discard, -1
	}
	res.Errors = append(res.Errors, notes...)
	reportOut = stdout
	for _, name := range fr.order {
		ff := fr.files[name]
		if ff.path == "" {
			// Standard input: the (fixed) stream is the output.
			if _, err := stdout.Write(ff.text); err != nil {
				fmt.Fprintf(stderr, "zdlint: %v\n", err)
				return nil, nil, ExitError
			}
			reportOut = stderr
			continue
		}
		if bytes.Equal(ff.orig, ff.text) {
			continue
		}
		if err := writeFixed(ff.path, ff.text); err != nil {
			fmt.Fprintf(stderr, "zdlint: cannot write the fixed %s: %v\n", ff.name, err)
			return nil, nil, ExitError
		}
	}
	if !o.quiet {
		fmt.Fprintf(stderr, "zdlint: %s\n", fr.summary())
	}
	return res, reportOut, -1
}
