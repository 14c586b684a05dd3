// Package engine runs rules over loaded objects: files in parallel, one
// object at a time, then the checks that need every object, then a stable
// sort. It owns recovery from rule panics and the run's statistics; it knows
// nothing about flags or output formats.
package engine

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/zdlint/zdlint/internal/packed"
	"github.com/zdlint/zdlint/internal/suppress"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

// Options configures a run.
type Options struct {
	Rules    []*rules.Rule // enabled rules
	Settings *rules.Settings
	Loader   loader.Options
	// Jobs bounds how many files are processed at once; 0 means GOMAXPROCS.
	Jobs int
	// Debug adds stack traces to internal errors.
	Debug bool
	// Ignores are the configuration's ignore entries; ConfigDir is the
	// directory of the configuration file, for their path globs.
	Ignores   []*suppress.Suppression
	ConfigDir string
	// Loaded, when set, is called once every file is processed, before the
	// facts are decoded for the cross-object checks: when loading holds
	// the most (--memprofile).
	Loaded func()
	// Remap, when set, moves findings and suppressions before the
	// suppressions apply: findings on rendered Kustomize and Helm objects
	// go to the files and lines they come from (package render), so that
	// ignore entries and unused-suppression see the source files.
	Remap func([]rules.Finding, []*suppress.Suppression) ([]rules.Finding, []*suppress.Suppression)
	// Cache, when set, keeps what processing context files left behind
	// for the next run with the same rules and settings (the language
	// server): an unchanged file is not read again.
	Cache *Cache

	rules *ruleTable // numbers Rules for records, set by Run
}

// Stats counts what a run saw.
type Stats struct {
	Files     int `json:"files"`
	Documents int `json:"documents"`
	Objects   int `json:"objects"` // Kubernetes objects, linted or not
	Linted    int `json:"linted"`  // objects of kinds zdlint checks
	// Unrecognised objects have an apiVersion or kind that Kubernetes
	// does not serve (kind: Deploymnet); each is reported as an error.
	Unrecognised int `json:"unrecognised"`
	// Context counts the files among Files that were read only as
	// context (--context, the siblings of a named file): nothing is
	// reported on them, and a summary that counted them as linted would
	// tell a pre-commit user that one staged file was 27.
	Context int `json:"context"`
}

// Result is the outcome of a run, sorted and ready for output.
type Result struct {
	Findings []rules.Finding
	Errors   []*loader.Error
	Stats    Stats
	// Suppressed are the findings that zdlint:ignore comments, annotations
	// or configuration ignore entries silenced, with their reasons.
	Suppressed []suppress.Suppressed
}

// fileResult is what processing one file leaves behind: findings, deferred
// checks and facts, not the parsed tree.
//
// Every file has one until its records are gathered into the store, so it
// holds no pointer that a usual file sets: its records are named by place
// in its keeper's blocks (see recordStore), and errors and suppressions
// are rare.
type fileResult struct {
	keeper int // which keeper's blocks hold the records
	// found and later are the findings and the deferred findings as
	// records (see record.go), nFound and nLater how many.
	found, later   recordRef
	nFound, nLater int
	// facts are the file's facts as records (factcodec.go), nFacts how
	// many.
	facts  recordRef
	nFacts int
	errors []*loader.Error
	sups   []*suppress.Suppression
	stats  Stats
	// cached is the file's result from an earlier run (Options.Cache),
	// used instead of the records above.
	cached *cachedFile
}

// Run lints inputs in four phases: lint every file, keeping what the end
// of the run needs as records; resolve the deferred findings against the
// Index; apply suppressions; sort.
func Run(inputs []loader.Input, opts Options) *Result {
	if opts.Settings == nil {
		opts.Settings = rules.DefaultSettings()
	}
	opts.rules = newRuleTable(opts.Rules, opts.Settings)
	st := lintAll(inputs, &opts)
	if opts.Loaded != nil {
		opts.Loaded()
	}
	res := &Result{Stats: st.stats, Errors: st.errors}
	later, errs := st.resolve(&opts)
	res.Errors = append(res.Errors, errs...)
	res.Findings = st.findings(&opts, later)
	if opts.Remap != nil {
		res.Findings, st.sups = opts.Remap(res.Findings, st.sups)
	}
	for i := range res.Findings {
		// A fix without edits (an object from a Helm template) told
		// Remap that there was one to make; nothing applies it.
		if fx := res.Findings[i].Fix; fx != nil && len(fx.Edits) == 0 {
			res.Findings[i].Fix = nil
		}
	}
	if len(st.sups) > 0 {
		// Suppressions apply once every finding, deferred ones included,
		// is known: only then can an unused one be told apart.
		enabled := make(map[string]bool, len(opts.Rules))
		for _, r := range opts.Rules {
			enabled[r.ID] = true
		}
		sr := suppress.Apply(res.Findings, st.sups, enabled, opts.Settings, opts.ConfigDir)
		res.Findings, res.Suppressed = sr.Findings, sr.Suppressed
	}
	SortFindings(res.Findings)
	SortErrors(res.Errors)
	return res
}

// lintAll processes every input and gathers what the files keep into a
// store.
func lintAll(inputs []loader.Input, opts *Options) *store {
	results := make([]fileResult, len(inputs))
	var keepers []*keeper
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	todo := len(inputs)
	var todoIdx []int // the inputs to process when some are cached
	if opts.Cache != nil {
		todoIdx = opts.Cache.lookup(inputs, results, jobs)
		todo = len(todoIdx)
	}
	at := func(n int) int {
		if todoIdx != nil {
			return todoIdx[n]
		}
		return n
	}
	if todo <= 2 || jobs == 1 {
		// Pre-commit and editor runs see one or two files: goroutines
		// would cost more than they save.
		keepers = []*keeper{newKeeper(0, opts)}
		for n := range todo {
			i := at(n)
			results[i] = keepers[0].processFile(inputs[i])
		}
	} else {
		// A fixed set of workers, each with its own keeper, takes the
		// files in order. Long-lived workers keep the stack that parsing
		// grew: a goroutine per file started small and grew it again for
		// every file (5% of CPU in runtime.copystack).
		var wg sync.WaitGroup
		var next atomic.Int64
		for w := range min(jobs, todo) {
			k := newKeeper(w, opts)
			keepers = append(keepers, k)
			wg.Go(func() {
				for {
					n := int(next.Add(1) - 1)
					if n >= todo {
						return
					}
					i := at(n)
					results[i] = k.processFile(inputs[i])
				}
			})
		}
		wg.Wait()
	}
	// The per-file results are garbage once gathered (results is not
	// used past this call), so their memory is free for the Index.
	st := gather(results, keepers, opts)
	if opts.Cache != nil {
		opts.Cache.store(inputs, results, keepers)
	}
	return st
}

// store owns what a run keeps of its files until the end, without copying
// it: each file's findings, deferred findings and facts stay records in
// the keepers' blocks (record.go); the store lists them by file. The
// findings are decoded into one slice of the exact size only once the
// deferred ones are resolved and the Index and the facts are garbage: the
// moment a run holds the most is the Index build, and it then holds every
// finding once, as records.
type store struct {
	found    []records
	deferred []deferredRecords
	facts    []records
	// nFound, nDeferred and nFacts count the records of each list.
	nFound, nDeferred, nFacts int
	sups                      []*suppress.Suppression
	errors                    []*loader.Error
	stats                     Stats
}

// records are one file's records of one kind: n of them in s.
type records struct {
	s string
	n int
	// kept is the file's entry in the Cache when the records are its
	// facts, kept from an earlier run: their decoded facts are kept too.
	kept *cachedFile
}

// deferredRecords are one file's deferred findings; each names its fact by
// its number among the file's facts, which are the store's facts
// first to first+nFacts.
type deferredRecords struct {
	records
	first, nFacts int
}

func gather(results []fileResult, keepers []*keeper, opts *Options) *store {
	st := &store{}
	var nFinding, nDeferring int
	for i := range results {
		r := &results[i]
		if r.nFound > 0 {
			nFinding++
		}
		if r.nLater > 0 {
			nDeferring++
		}
	}
	st.found = make([]records, 0, nFinding)
	st.deferred = make([]deferredRecords, 0, nDeferring)
	st.sups = append([]*suppress.Suppression(nil), opts.Ignores...)
	for i := range results {
		r := &results[i]
		st.sups = append(st.sups, r.sups...)
		st.errors = append(st.errors, r.errors...)
		var found, later, facts string
		if c := r.cached; c != nil {
			found, later, facts = c.found, c.later, c.facts
		} else {
			blocks := &keepers[r.keeper].records
			found, later, facts = blocks.get(r.found), blocks.get(r.later), blocks.get(r.facts)
		}
		if r.nFound > 0 {
			st.found = append(st.found, records{s: found, n: r.nFound})
		}
		if r.nLater > 0 {
			st.deferred = append(st.deferred, deferredRecords{records{s: later, n: r.nLater}, st.nFacts, r.nFacts})
		}
		if r.nFacts > 0 {
			st.facts = append(st.facts, records{facts, r.nFacts, r.cached})
		}
		st.nFound += r.nFound
		st.nDeferred += r.nLater
		st.nFacts += r.nFacts
		st.stats.Files++
		st.stats.Documents += r.stats.Documents
		st.stats.Objects += r.stats.Objects
		st.stats.Linted += r.stats.Linted
		st.stats.Unrecognised += r.stats.Unrecognised
		st.stats.Context += r.stats.Context
	}
	return st
}

// resolve decides every deferred finding against the Index of every fact.
// The facts are decoded only now, and only when a deferred finding needs
// them: kept as records while files were loaded, they cost the collector
// nothing.
func (st *store) resolve(opts *Options) (later []rules.Finding, errs []*loader.Error) {
	if st.nDeferred == 0 {
		return nil, nil
	}
	facts := make([]rules.Fact, 0, st.nFacts)
	var fr factReader
	for _, rs := range st.facts {
		if rs.kept != nil && rs.kept.decoded != nil {
			facts = append(facts, rs.kept.decoded...)
			continue
		}
		fr.Reset(rs.s)
		first := len(facts)
		for range rs.n {
			facts = append(facts, fr.Next())
		}
		if rs.kept != nil {
			// A copy: this run's slice would pin every other fact of it.
			// The records are not needed again.
			rs.kept.decoded = append([]rules.Fact(nil), facts[first:]...)
			rs.kept.facts = ""
		}
	}
	var ix *rules.Index
	if opts.Cache != nil {
		ix = opts.Cache.index.NewIndex(facts)
	} else {
		ix = rules.NewIndex(facts)
	}
	var rd reader
	for i, rs := range st.deferred {
		rd.Reset(rs.s)
		for range rs.n {
			d := opts.rules.readDeferred(&rd, facts[rs.first:rs.first+rs.nFacts])
			if f, ok, err := resolve(&d, ix, opts); err != nil {
				errs = append(errs, err)
			} else if ok {
				later = append(later, f)
			}
		}
		st.deferred[i] = deferredRecords{}
	}
	return later, errs
}

// findings decodes the direct findings, followed by later.
func (st *store) findings(opts *Options, later []rules.Finding) []rules.Finding {
	out := make([]rules.Finding, 0, st.nFound+len(later))
	var rd reader
	for _, rs := range st.found {
		rd.Reset(rs.s)
		for range rs.n {
			out = append(out, opts.rules.readFinding(&rd))
		}
	}
	return append(out, later...)
}

// resolve asks d's rule for its verdict; a panic becomes an internal error
// named and placed like a panic in Run: Kind "name", at the position the
// finding would have had.
func resolve(d *rules.Deferred, ix *rules.Index, opts *Options) (f rules.Finding, ok bool, lerr *loader.Error) {
	sub := d.Fact.About()
	defer func() {
		if r := recover(); r != nil {
			lerr = internalError(d.Rule.ID, sub.File, sub.Ref().ObjectString(), r, opts.Debug)
			lerr.Pos = d.Pos
		}
	}()
	r := &rules.Resolution{Fact: d.Fact, Index: ix, Container: d.Container, Detail: d.Detail,
		Option: opts.rules.options[opts.rules.byPtr[d.Rule]], Severity: d.Severity}
	msg, ok := d.Rule.Resolve(r)
	if !ok {
		return rules.Finding{}, false, nil
	}
	sev := d.Severity
	if _, configured := opts.Settings.Severity[d.Rule.ID]; r.Severity != 0 && !configured {
		sev = r.Severity // the rule's verdict on this finding, unless configured
	}
	return rules.Finding{
		Rule:      d.Rule.ID,
		Severity:  sev,
		Message:   msg,
		File:      sub.File,
		Pos:       d.Pos,
		End:       d.End,
		Object:    sub.Ref(),
		Container: d.Container,
		Path:      d.Path,
		Source:    sub.Source,
		Fix:       d.Fix,
		Related:   r.Related,
	}, true, nil
}

func internalError(rule, file, object string, r any, debugStack bool) *loader.Error {
	msg := fmt.Sprintf("internal error in rule %s on %s (please report): %v", rule, object, r)
	if debugStack {
		msg += "\n" + string(debug.Stack())
	}
	return &loader.Error{File: file, Msg: msg}
}

// keeper is where one worker puts what the files it processes keep until
// the end of the run: each file's findings, deferred findings and facts as
// records, in large blocks that hold no pointers (record.go). Kept data
// then neither pins the spans of the garbage it was made among nor costs
// the collector a scan.
type keeper struct {
	id   int // its index in lintAll's keepers
	opts *Options
	pass rules.Pass // reused by every rule on every object: one less allocation each
	// found, later and facts collect the current file's records;
	// records is where they are kept once the file is done.
	found, later         []byte
	foundDict, laterDict packed.Dict
	facts                factWriter
	records              recordStore
	// res is the current file's result, and factNo the number of the
	// current object's fact among the file's facts (-1 when it has none):
	// what the object's deferred findings name.
	res    *fileResult
	factNo int
	// sibling is the current file's loader.Input.Sibling, which its
	// facts carry (rules.Subject.Sibling).
	sibling bool
	// onReport and onLater receive the findings of the rule being run into
	// found1 and later1 (made once, not per rule); they are encoded once
	// the rule returns, so a rule that panics leaves none.
	onReport func(rules.Finding)
	onLater  func(rules.Deferred)
	found1   []rules.Finding
	later1   []rules.Deferred
}

func newKeeper(id int, opts *Options) *keeper {
	k := &keeper{id: id, opts: opts}
	k.onReport = func(f rules.Finding) { k.found1 = append(k.found1, f) }
	k.onLater = func(d rules.Deferred) { k.later1 = append(k.later1, d) }
	return k
}

// keep moves a file's records into k's store.
func (k *keeper) keep(res *fileResult) {
	res.keeper = k.id
	res.found, res.later = k.records.put(k.found), k.records.put(k.later)
	res.facts = k.records.put(k.facts.b)
}

func (k *keeper) processFile(in loader.Input) (res fileResult) {
	if in.Context {
		res.stats.Context = 1
	}
	opts := k.opts
	// A file that panicked may have left some.
	k.found, k.later = k.found[:0], k.later[:0]
	k.facts.Reset(k.facts.b[:0])
	k.foundDict.Reset()
	k.laterDict.Reset()
	k.res = &res
	defer func() {
		if r := recover(); r != nil {
			res.errors = append(res.errors, internalError("(loader)", in.Name, in.Name, r, opts.Debug))
		}
		// What is kept lives until every file is done: copied into the
		// keeper's blocks, it holds neither append's slack nor spans of
		// garbage. After a panic, the records of the objects linted
		// before it are whole and kept too.
		k.keep(&res)
		k.res = nil
	}()
	// Lint each object as soon as its document is decoded and let its tree
	// go: a file with a hundred thousand documents never holds more than
	// one document's tree.
	lopts := opts.Loader
	k.sibling = in.Sibling
	sf := suppress.NewFile(in.Name)
	lopts.Each = func(obj *loader.Object) {
		res.stats.Objects++
		if obj.Typed != nil {
			res.stats.Linted++
		} else if obj.Unrecognised {
			res.stats.Unrecognised++
		}
		if !in.Context {
			sf.Object(obj)
		}
		k.lintObject(obj, in.Context)
	}
	f := loader.Load(in, lopts)
	for _, obj := range f.Objects { // only when the loader did not stream
		lopts.Each(obj)
	}
	if !in.Context {
		res.sups = sf.Finish(f.Data)
	}
	res.errors = append(res.errors, f.Errors...)
	res.stats.Documents = f.Docs
	return res
}

// lintObject records the object's fact for cross-object rules and runs the
// rules that apply to it.
func (k *keeper) lintObject(obj *loader.Object, context bool) {
	opts, res := k.opts, k.res
	fact, err := extract(obj, opts, context)
	if fact != nil && k.sibling {
		fact.About().Sibling = true
	}
	k.factNo = -1
	if err != nil {
		res.errors = append(res.errors, err)
	} else if fact != nil {
		k.facts.Append(fact)
		k.factNo = res.nFacts
		res.nFacts++
	}
	if context {
		return
	}
	for _, r := range opts.Rules {
		if r.Engine || !r.AppliesTo(rules.RuleKind(obj.APIVersion, obj.Kind)) || (obj.Typed == nil && !r.Untyped) {
			continue
		}
		if err := k.runRule(r, obj, fact); err != nil {
			res.errors = append(res.errors, err)
		}
	}
}

// extract builds the object's Index fact; a panic becomes an internal error
// for this object only.
func extract(obj *loader.Object, opts *Options, context bool) (fact rules.Fact, lerr *loader.Error) {
	defer func() {
		if rec := recover(); rec != nil {
			fact = nil
			lerr = internalError("(index)", obj.File, obj.String(), rec, opts.Debug)
			lerr.Pos = loader.NodePos(obj.Node)
		}
	}()
	return rules.Extract(obj, opts.Settings, context), nil
}

// runRule runs one rule on one object; a panic becomes an internal error
// naming the rule, the object and the file, what the rule reported before
// it is dropped, and the other rules still run.
func (k *keeper) runRule(r *rules.Rule, obj *loader.Object, fact rules.Fact) (lerr *loader.Error) {
	k.found1, k.later1 = k.found1[:0], k.later1[:0]
	if err := k.run(r, obj, fact); err != nil {
		return err
	}
	t := k.opts.rules
	for i := range k.found1 {
		k.found = t.appendFinding(k.found, &k.foundDict, &k.found1[i])
	}
	for i := range k.later1 {
		// Pass.Later defers only on an object with a fact: this one's.
		k.later = t.appendDeferred(k.later, &k.laterDict, &k.later1[i], k.factNo)
	}
	k.res.nFound += len(k.found1)
	k.res.nLater += len(k.later1)
	return nil
}

func (k *keeper) run(r *rules.Rule, obj *loader.Object, fact rules.Fact) (lerr *loader.Error) {
	defer func() {
		if rec := recover(); rec != nil {
			lerr = internalError(r.ID, obj.File, obj.String(), rec, k.opts.Debug)
			lerr.Pos = loader.NodePos(obj.Node)
		}
	}()
	rules.Bind(&k.pass, r, obj, k.opts.Settings, fact, k.onReport, k.onLater)
	r.Run(&k.pass)
	return nil
}

// SortFindings orders findings by file, line, column, rule and message so
// output is identical across runs and GOMAXPROCS values.
func SortFindings(fs []rules.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Pos != b.Pos {
			return a.Pos.Less(b.Pos)
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}

// SortErrors orders errors by file, line, column and message.
func SortErrors(es []*loader.Error) {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Pos != b.Pos {
			return a.Pos.Less(b.Pos)
		}
		return a.Msg < b.Msg
	})
}
