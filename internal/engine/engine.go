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

	rules *ruleTable // numbers Rules for records, set by Run
}

// Stats counts what a run saw.
type Stats struct {
	Files     int `json:"files"`
	Documents int `json:"documents"`
	Objects   int `json:"objects"` // Kubernetes objects, linted or not
	Linted    int `json:"linted"`  // objects of kinds zdlint checks
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
// Every file has one until the run ends, so it holds no pointer that a
// usual file sets: its records are named by place in its keeper's store
// (see recordStore), and errors and suppressions are rare.
type fileResult struct {
	keeper int // which keeper's store holds the records
	// found and later are the findings and the deferred findings as
	// records (see record.go), nFound and nLater how many.
	found, later   recordRef
	nFound, nLater int
	// facts are the file's facts as records (rules.FactWriter), nFacts
	// how many.
	facts  recordRef
	nFacts int
	errors []*loader.Error
	sups   []*suppress.Suppression
	stats  Stats
}

// Run lints inputs. Errors from collecting inputs are passed in so they are
// reported in order with the rest.
func Run(inputs []loader.Input, opts Options) *Result {
	if opts.Settings == nil {
		opts.Settings = rules.DefaultSettings()
	}
	opts.rules = newRuleTable(opts.Rules)
	results := make([]fileResult, len(inputs))
	var keepers []*keeper
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	if len(inputs) <= 2 || jobs == 1 {
		// Pre-commit and editor runs see one or two files: goroutines
		// would cost more than they save.
		keepers = []*keeper{{}}
		for i, in := range inputs {
			results[i] = processFile(in, &opts, keepers[0])
		}
	} else {
		// A fixed set of workers, each with its own keeper, takes the
		// files in order. Long-lived workers keep the stack that parsing
		// grew: a goroutine per file started small and grew it again for
		// every file (5% of CPU in runtime.copystack).
		var wg sync.WaitGroup
		var next atomic.Int64
		for w := range min(jobs, len(inputs)) {
			k := &keeper{id: w}
			keepers = append(keepers, k)
			wg.Go(func() {
				for {
					i := int(next.Add(1) - 1)
					if i >= len(inputs) {
						return
					}
					results[i] = processFile(inputs[i], &opts, k)
				}
			})
		}
		wg.Wait()
	}

	// Gather what the files kept without copying it: each file's
	// findings and deferred findings stay records in the keepers' blocks
	// (record.go), and the per-file results are dropped (results is not
	// used past this loop, so the collector no longer sees it) before the
	// Index is built. The findings are decoded into one slice of the exact
	// size only once the deferred ones are resolved and the Index and the
	// facts are garbage: the moment a run holds the most is the Index
	// build, and it then holds every finding once, as records.
	res := &Result{}
	var nFindings, nFacts, nDeferred, nFinding, nDeferring int
	for i := range results {
		r := &results[i]
		nFacts += r.nFacts
		if r.nFound > 0 {
			nFindings += r.nFound
			nFinding++
		}
		if r.nLater > 0 {
			nDeferred += r.nLater
			nDeferring++
		}
	}
	// found and deferred are the files' records; a deferred record
	// names its fact by its number in the file's facts.
	type records struct {
		s string
		n int
	}
	type deferredRecords struct {
		records
		first, nFacts int // the file's facts are facts[first:first+nFacts]
	}
	found := make([]records, 0, nFinding)
	deferred := make([]deferredRecords, 0, nDeferring)
	var factRecs []records
	sups := append([]*suppress.Suppression(nil), opts.Ignores...)
	nf := 0
	for i := range results {
		r := &results[i]
		sups = append(sups, r.sups...)
		res.Errors = append(res.Errors, r.errors...)
		store := &keepers[r.keeper].records
		if r.nFacts > 0 {
			factRecs = append(factRecs, records{store.get(r.facts), r.nFacts})
		}
		if r.nFound > 0 {
			found = append(found, records{store.get(r.found), r.nFound})
		}
		if r.nLater > 0 {
			deferred = append(deferred, deferredRecords{records{store.get(r.later), r.nLater}, nf, r.nFacts})
		}
		nf += r.nFacts
		res.Stats.Files++
		res.Stats.Documents += r.stats.Documents
		res.Stats.Objects += r.stats.Objects
		res.Stats.Linted += r.stats.Linted
	}
	if opts.Loaded != nil {
		opts.Loaded()
	}
	var later []rules.Finding // resolved deferred findings
	rd := new(reader)
	if nDeferred > 0 {
		// The facts are decoded only now, for the Index, and only when
		// a deferred finding needs it: kept as records while files were
		// loaded, they cost the collector nothing. The per-file results
		// are garbage by now (results is not used past the loop above),
		// so their memory is free for the decoded facts.
		facts := make([]rules.Fact, 0, nFacts)
		fr := rules.NewFactReader(new(rules.Arena), "")
		for _, rs := range factRecs {
			facts = readFacts(facts, fr, rs.s, rs.n)
		}
		ix := rules.NewIndex(facts)
		for i, rs := range deferred {
			rd.Reset(rs.s)
			for range rs.n {
				d := opts.rules.readDeferred(rd, facts[rs.first:rs.first+rs.nFacts])
				if f, ok, err := resolve(&d, ix, &opts); err != nil {
					res.Errors = append(res.Errors, err)
				} else if ok {
					later = append(later, f)
				}
			}
			deferred[i] = deferredRecords{}
		}
	}
	res.Findings = make([]rules.Finding, 0, nFindings+len(later))
	for _, rs := range found {
		rd.Reset(rs.s)
		for range rs.n {
			res.Findings = append(res.Findings, opts.rules.readFinding(rd))
		}
	}
	res.Findings = append(res.Findings, later...)
	if len(sups) > 0 {
		// Suppressions apply once every finding, deferred ones included,
		// is known: only then can an unused one be told apart.
		enabled := make(map[string]bool, len(opts.Rules))
		for _, r := range opts.Rules {
			enabled[r.ID] = true
		}
		sr := suppress.Apply(res.Findings, sups, enabled, opts.Settings, opts.ConfigDir)
		res.Findings, res.Suppressed = sr.Findings, sr.Suppressed
	}
	SortFindings(res.Findings)
	SortErrors(res.Errors)
	return res
}

// readFacts appends the n facts of records s to facts.
func readFacts(facts []rules.Fact, r *rules.FactReader, s string, n int) []rules.Fact {
	r.Reset(s)
	for range n {
		facts = append(facts, r.Next())
	}
	return facts
}

func resolve(d *rules.Deferred, ix *rules.Index, opts *Options) (f rules.Finding, ok bool, lerr *loader.Error) {
	defer func() {
		if r := recover(); r != nil {
			// Named and placed like a panic in Run: Kind "name", at the
			// position the finding would have had.
			ref, file := d.Object()
			lerr = internalError(d.Rule.ID, file, ref.ObjectString(), r, opts.Debug)
			lerr.Pos = d.Pos()
		}
	}()
	f, ok = d.Resolve(ix, opts.Settings)
	return f, ok, nil
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
	id   int        // its index in Run's keepers
	pass rules.Pass // reused by every rule on every object: one less allocation each
	// found, later and facts collect the current file's records;
	// records is where they are kept once the file is done.
	found, later, facts  []byte
	foundDict, laterDict packed.Dict
	factW                rules.FactWriter
	lastFact             rules.Fact // the file's last, for deferred findings
	records              recordStore
}

// keep moves a file's records into k's store.
func (k *keeper) keep(res *fileResult) {
	res.keeper = k.id
	res.found, res.later = k.records.put(k.found), k.records.put(k.later)
	res.facts = k.records.put(k.facts)
}

func processFile(in loader.Input, opts *Options, k *keeper) (res fileResult) {
	// A file that panicked may have left some.
	k.found, k.later, k.facts = k.found[:0], k.later[:0], k.facts[:0]
	k.factW.Reset()
	k.foundDict.Reset()
	k.laterDict.Reset()
	k.lastFact = nil
	defer func() {
		if r := recover(); r != nil {
			res.errors = append(res.errors, internalError("(loader)", in.Name, in.Name, r, opts.Debug))
		}
		// What is kept lives until every file is done: copied into the
		// keeper's blocks, it holds neither append's slack nor spans of
		// garbage. After a panic, the records of the objects linted
		// before it are whole and kept too.
		k.keep(&res)
	}()
	// Lint each object as soon as its document is decoded and let its tree
	// go: a file with a hundred thousand documents never holds more than
	// one document's tree.
	lopts := opts.Loader
	sf := suppress.NewFile(in.Name)
	lopts.Each = func(obj *loader.Object) {
		res.stats.Objects++
		if obj.Typed != nil {
			res.stats.Linted++
		}
		if !in.Context {
			sf.Object(obj)
		}
		lintObject(obj, in.Context, opts, &res, k)
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
func lintObject(obj *loader.Object, context bool, opts *Options, res *fileResult, k *keeper) {
	fact, err := extract(obj, opts, context)
	if err != nil {
		res.errors = append(res.errors, err)
	} else if fact != nil {
		k.facts = k.factW.Append(k.facts, fact)
		k.lastFact = fact
		res.nFacts++
	}
	if context {
		return
	}
	for _, r := range opts.Rules {
		if r.Engine || !r.AppliesTo(obj.Kind) || (obj.Typed == nil && !r.Untyped) {
			continue
		}
		p, err := runRule(&k.pass, r, obj, fact, opts)
		if err != nil {
			res.errors = append(res.errors, err)
			continue
		}
		for _, f := range p.Findings() {
			k.found = opts.rules.appendFinding(k.found, &k.foundDict, &f)
			res.nFound++
		}
		for _, d := range p.DeferredFindings() {
			// Later defers only on an object with a fact: this one's,
			// the file's last.
			if res.nFacts == 0 || k.lastFact != d.Fact {
				panic("deferred finding without its object's fact")
			}
			k.later = opts.rules.appendDeferred(k.later, &k.laterDict, &d, res.nFacts-1)
			res.nLater++
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
// naming the rule, the object and the file, and the other rules still run.
func runRule(pass *rules.Pass, r *rules.Rule, obj *loader.Object, fact rules.Fact, opts *Options) (p *rules.Pass, lerr *loader.Error) {
	defer func() {
		if rec := recover(); rec != nil {
			p = nil
			lerr = internalError(r.ID, obj.File, obj.String(), rec, opts.Debug)
			lerr.Pos = loader.NodePos(obj.Node)
		}
	}()
	p = pass
	p.Reset(r, obj, opts.Settings)
	p.SetFact(fact)
	r.Run(p)
	return p, nil
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
