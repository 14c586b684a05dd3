package output_test

import (
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/zdlint/zdlint/internal/benchgen/corpus"
	"github.com/zdlint/zdlint/internal/engine"
	"github.com/zdlint/zdlint/internal/output"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

// benchReport lints the generated corpus once and returns its report.
func benchReport(b *testing.B) *output.Report {
	dir, _ := corpus.ForBench(b)
	inputs, _ := loader.Collect([]string{filepath.Clean(dir)}, nil, "", false)
	res := engine.Run(inputs, engine.Options{Rules: rules.All()})
	return &output.Report{Findings: res.Findings, Errors: res.Errors, Rules: rules.All(), Stats: res.Stats, Version: "bench"}
}

// manyFindings returns a report of n findings: the corpus's findings
// repeated under distinct file names, for the 100,000-finding case.
func manyFindings(r *output.Report, n int) *output.Report {
	out := *r
	out.Findings = make([]rules.Finding, 0, n)
	for i := 0; len(out.Findings) < n && len(r.Findings) > 0; i++ {
		for _, f := range r.Findings {
			if len(out.Findings) == n {
				break
			}
			f.File = fmt.Sprintf("copy-%04d/%s", i, f.File)
			out.Findings = append(out.Findings, f)
		}
	}
	return &out
}

// BenchmarkStageOutput formats the corpus's findings in each format, and
// 100,000 findings in JSON and SARIF, to io.Discard.
func BenchmarkStageOutput(b *testing.B) {
	r := benchReport(b)
	big := manyFindings(r, 100_000)
	cases := []struct {
		name   string
		format string
		report *output.Report
	}{
		{"text", "text", r}, {"json", "json", r}, {"sarif", "sarif", r}, {"junit", "junit", r},
		{"json-100k", "json", big}, {"sarif-100k", "sarif", big},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			f, err := output.New(c.format, output.Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ReportMetric(float64(len(c.report.Findings)), "findings")
			for b.Loop() {
				if err := f.Format(io.Discard, c.report); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
