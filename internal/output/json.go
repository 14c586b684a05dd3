package output

import (
	"io"

	"github.com/zdlint/zdlint/internal/baseline"
	"github.com/zdlint/zdlint/internal/engine"
	"github.com/zdlint/zdlint/internal/suppress"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

// JSONSchemaVersion is the version field of the JSON format. It changes only
// when a field is removed or changes meaning; new fields keep it.
const JSONSchemaVersion = 1

// JSON prints the documented machine-readable report (docs/formats.md).
type JSON struct{}

type jsonFinding struct {
	Rule      string          `json:"rule"`
	Severity  rules.Severity  `json:"severity"`
	Message   string          `json:"message"`
	File      string          `json:"file"`
	Line      int             `json:"line"`
	Column    int             `json:"column"`
	EndLine   int             `json:"endLine,omitempty"`
	EndColumn int             `json:"endColumn,omitempty"`
	Object    rules.ObjectRef `json:"object"`
	Container string          `json:"container,omitempty"`
	Path      string          `json:"path"`
	Source    string          `json:"source,omitempty"`
	Fix       *jsonFix        `json:"fix,omitempty"`
	Related   []jsonRelated   `json:"related,omitempty"`
}

// jsonRelated is another object a cross-object finding is about (the HPA
// that sizes the workload): where it is named, and how it bears on the
// finding.
type jsonRelated struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine,omitempty"`
	EndColumn int    `json:"endColumn,omitempty"`
	Path      string `json:"path,omitempty"`
	Message   string `json:"message"`
}

// jsonFix is what zdlint --fix would write for the finding: byte ranges of
// the file (end exclusive) and their replacement text (docs/fixes.md).
type jsonFix struct {
	Applicability rules.Applicability `json:"applicability"`
	Edits         []jsonEdit          `json:"edits"`
}

type jsonEdit struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

type jsonError struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
	// Severity is "warning" for notices that do not fail the run.
	Severity string `json:"severity,omitempty"`
}

type jsonSummary struct {
	engine.Stats
	Findings int `json:"findings"`
	Errors   int `json:"errors"`
}

type jsonSuppressed struct {
	jsonFinding
	Suppression string `json:"suppression"` // comment, file-comment, annotation or config
	Reason      string `json:"reason"`
}

type jsonReport struct {
	Version    int               `json:"version"`
	Findings   []jsonFinding     `json:"findings"`
	Errors     []jsonError       `json:"errors"`
	Suppressed *[]jsonSuppressed `json:"suppressed,omitempty"`
	Stale      []baseline.Entry  `json:"staleBaselineEntries,omitempty"`
	Summary    jsonSummary       `json:"summary"`
}

// Format implements Formatter. It streams: each finding is encoded and
// written on its own through a buffered writer, so a report of 100,000
// findings never exists a second time as one encoded document. The bytes
// are those of encoding the whole jsonReport with two-space indentation
// (TestJSONStreamsTheDocument checks it).
func (JSON) Format(w io.Writer, r *Report) error {
	sw := newStreamWriter(w)
	sw.raw("{\n  \"version\": ")
	sw.value("", JSONSchemaVersion)
	sw.raw(",\n  \"findings\": ")
	streamArray(sw, "  ", r.Findings, toJSONFinding)
	sw.raw(",\n  \"errors\": ")
	streamArray(sw, "  ", r.Errors, toJSONError)
	if r.Suppressed != nil {
		sw.raw(",\n  \"suppressed\": ")
		streamArray(sw, "  ", r.Suppressed, func(s suppress.Suppressed) jsonSuppressed {
			return jsonSuppressed{jsonFinding: toJSONFinding(s.Finding), Suppression: string(s.Kind), Reason: s.Reason}
		})
	}
	if len(r.Stale) > 0 {
		sw.raw(",\n  \"staleBaselineEntries\": ")
		streamArray(sw, "  ", r.Stale, func(e baseline.Entry) baseline.Entry { return e })
	}
	sw.raw(",\n  \"summary\": ")
	sw.value("  ", jsonSummary{Stats: r.Stats, Findings: len(r.Findings), Errors: len(r.Errors)})
	sw.raw("\n}\n")
	return sw.flush()
}

func toJSONError(e *loader.Error) jsonError {
	je := jsonError{File: e.File, Line: e.Pos.Line, Column: e.Pos.Col, Message: e.Msg}
	if e.Warning {
		je.Severity = "warning"
	}
	return je
}

func toJSONFinding(f rules.Finding) jsonFinding {
	return jsonFinding{
		Rule: f.Rule, Severity: f.Severity, Message: f.Message, File: f.File,
		Line: f.Pos.Line, Column: f.Pos.Col, EndLine: f.End.Line, EndColumn: f.End.Col,
		Object: f.Object, Container: f.Container, Path: f.Path, Source: f.Source,
		Fix: fixOf(f.Fix), Related: relatedOf(f.Related),
	}
}

func relatedOf(rel []rules.Location) []jsonRelated {
	if len(rel) == 0 {
		return nil
	}
	out := make([]jsonRelated, len(rel))
	for i, l := range rel {
		out[i] = jsonRelated{File: l.File, Line: l.Pos.Line, Column: l.Pos.Col, EndLine: l.End.Line, EndColumn: l.End.Col, Path: l.Path, Message: l.Message}
	}
	return out
}

func fixOf(fx *rules.Fix) *jsonFix {
	if fx == nil {
		return nil
	}
	out := &jsonFix{Applicability: fx.Applicability, Edits: make([]jsonEdit, len(fx.Edits))}
	for i, e := range fx.Edits {
		out.Edits[i] = jsonEdit{Start: e.Start, End: e.End, Text: e.Text}
	}
	return out
}
