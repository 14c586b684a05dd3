package engine

import (
	"path/filepath"
	"testing"

	"github.com/zdlint/zdlint/internal/benchgen/corpus"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

// defaultRules returns the rules enabled without configuration.
func defaultRules() []*rules.Rule {
	var out []*rules.Rule
	for _, r := range rules.All() {
		if !r.Disabled {
			out = append(out, r)
		}
	}
	return out
}

// BenchmarkStageRules runs every default rule, the Index and the deferred
// checks over objects loaded beforehand: the rules stage alone.
func BenchmarkStageRules(b *testing.B) {
	_, files := corpus.ForBench(b)
	var objs []*loader.Object
	for _, f := range files {
		objs = append(objs, loader.Parse(f.Path, f.Data, loader.Options{}).Objects...)
	}
	opts := Options{Rules: defaultRules(), Settings: rules.DefaultSettings()}
	opts.rules = newRuleTable(opts.Rules, opts.Settings)
	b.ReportAllocs()
	for b.Loop() {
		var res fileResult
		k := newKeeper(0, &opts)
		k.res = &res
		for _, o := range objs {
			k.lintObject(o, false)
		}
		var fr factReader
		fr.Reset(string(k.facts.b))
		facts := make([]rules.Fact, 0, res.nFacts)
		for range res.nFacts {
			facts = append(facts, fr.Next())
		}
		ix := rules.NewIndex(facts)
		var rd reader
		rd.Reset(string(k.later))
		for range res.nLater {
			d := opts.rules.readDeferred(&rd, facts)
			_, _, _ = resolve(&d, ix, &opts)
		}
	}
}

// BenchmarkRun is the whole pipeline but output: collect, read, parse,
// decode, rules, cross-object checks, sort, with the CLI's parallelism.
func BenchmarkRun(b *testing.B) {
	dir, files := corpus.ForBench(b)
	b.SetBytes(corpus.Bytes(files))
	opts := Options{Rules: defaultRules(), Settings: rules.DefaultSettings()}
	b.ReportAllocs()
	for b.Loop() {
		inputs, errs := loader.Collect([]string{filepath.Clean(dir)}, nil, "", false)
		if len(errs) > 0 {
			b.Fatal(errs[0])
		}
		res := Run(inputs, opts)
		if len(res.Errors) > 0 {
			b.Fatal(res.Errors[0])
		}
	}
}
