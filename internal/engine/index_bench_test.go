package engine

import (
	"testing"

	"github.com/zdlint/zdlint/internal/benchgen/corpus"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

// BenchmarkNewIndex builds the Index of a generated corpus's facts
// ($ZDLINT_BENCH_FILES files, 200 unless set), as a run's end does:
// fresh (the command line), and through an IndexMemo that built it from
// the same facts before (the language server between two edits).
func BenchmarkNewIndex(b *testing.B) {
	_, files := corpus.ForBench(b)
	var facts []rules.Fact
	for _, f := range files {
		for _, o := range loader.Parse(f.Path, f.Data, loader.Options{}).Objects {
			if fact := rules.Extract(o, rules.DefaultSettings(), true); fact != nil {
				facts = append(facts, fact)
			}
		}
	}
	b.Run("fresh", func(b *testing.B) {
		b.ReportAllocs()
		c := cpuNow()
		for b.Loop() {
			rules.NewIndex(facts)
		}
		reportCPU(b, c)
	})
	b.Run("memo", func(b *testing.B) {
		var m rules.IndexMemo
		m.NewIndex(facts)
		b.ReportAllocs()
		c := cpuNow()
		for b.Loop() {
			m.NewIndex(facts)
		}
		reportCPU(b, c)
	})
}
