package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/zdlint/zdlint/internal/baseline"
	"github.com/zdlint/zdlint/internal/engine"
	"github.com/zdlint/zdlint/internal/suppress"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

// wholeDocument is the JSON report encoded the simple way, as one value:
// the oracle for the streaming formatter.
func wholeDocument(r *Report) []byte {
	out := jsonReport{Version: JSONSchemaVersion, Findings: []jsonFinding{}, Errors: []jsonError{}, Stale: r.Stale,
		Summary: jsonSummary{Stats: r.Stats, Findings: len(r.Findings), Errors: len(r.Errors)}}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, toJSONFinding(f))
	}
	for _, e := range r.Errors {
		out.Errors = append(out.Errors, toJSONError(e))
	}
	if r.Suppressed != nil {
		list := []jsonSuppressed{}
		for _, s := range r.Suppressed {
			list = append(list, jsonSuppressed{jsonFinding: toJSONFinding(s.Finding), Suppression: string(s.Kind), Reason: s.Reason})
		}
		out.Suppressed = &list
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func streamReport(n int, suppressed bool, stale int) *Report {
	r := &Report{Stats: engine.Stats{Files: 2, Documents: 3, Objects: 3, Linted: 2}}
	for i := range n {
		r.Findings = append(r.Findings, rules.Finding{
			Rule: "readiness-probe-missing", Severity: rules.Severity(1 + i%3), Message: fmt.Sprintf("container <%d> & \"x\"\u2028", i),
			File: "k8s/a b.yaml", Pos: loader.Pos{Line: i + 1, Col: 3}, End: loader.Pos{Line: i + 1, Col: 3 + i%2},
			Object: rules.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "ns", Name: "web"}, Container: []string{"", "web"}[i%2],
			Path: "spec.template", Source: []string{"", "chart/templates/d.yaml"}[i%2],
		})
	}
	if n > 0 {
		r.Errors = []*loader.Error{{File: "bad.yaml", Pos: loader.Pos{Line: 2, Col: 1}, Msg: "invalid YAML: x"}, {File: "empty/", Msg: "no manifests", Warning: true}}
	}
	if suppressed {
		r.Suppressed = []suppress.Suppressed{}
		for _, f := range r.Findings {
			r.Suppressed = append(r.Suppressed, suppress.Suppressed{Finding: f, Kind: suppress.Comment, Reason: "why"})
		}
	}
	for i := range stale {
		r.Stale = append(r.Stale, baseline.Entry{Fingerprint: fmt.Sprint(i), Rule: "single-replica", File: "a.yaml", Object: "o", Message: "m"})
	}
	return r
}

// The streamed JSON is byte for byte the document encoded as one value.
func TestJSONStreamsTheDocument(t *testing.T) {
	for _, tc := range []struct {
		n          int
		suppressed bool
		stale      int
	}{{0, false, 0}, {1, false, 0}, {3, true, 0}, {5, false, 2}, {0, true, 1}, {200, true, 3}} {
		r := streamReport(tc.n, tc.suppressed, tc.stale)
		var got bytes.Buffer
		if err := (JSON{}).Format(&got, r); err != nil {
			t.Fatal(err)
		}
		if want := wholeDocument(r); !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%+v: streamed output differs\n--- got\n%s\n--- want\n%s", tc, got.Bytes(), want)
		}
	}
}

// The streamed SARIF is the canonical indented encoding of its own
// content: splicing the results into the encoded log keeps the document
// exactly as encoding it as one value would (same indentation, commas and
// brackets), with and without results.
func TestSARIFStreamsTheDocument(t *testing.T) {
	for _, n := range []int{0, 1, 50} {
		r := streamReport(n, n > 1, 0)
		var got bytes.Buffer
		if err := (SARIF{}).Format(&got, r); err != nil {
			t.Fatal(err)
		}
		var compact, canonical bytes.Buffer
		if err := json.Compact(&compact, got.Bytes()); err != nil {
			t.Fatalf("%d findings: not JSON: %v\n%s", n, err, got.Bytes())
		}
		if err := json.Indent(&canonical, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		canonical.WriteByte('\n')
		if !bytes.Equal(got.Bytes(), canonical.Bytes()) {
			t.Errorf("%d findings: streamed SARIF is not the canonical encoding\n%s", n, got.Bytes())
		}
		var log struct {
			Runs []struct {
				Results []json.RawMessage `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(got.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		if want := len(r.Findings) + len(r.Suppressed); len(log.Runs[0].Results) != want {
			t.Errorf("%d results, want %d", len(log.Runs[0].Results), want)
		}
	}
}
