package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/zdlint/zdlint/internal/suppress"
	"github.com/zdlint/zdlint/rules"
)

// SARIF writes SARIF 2.1.0 for GitHub code scanning and other consumers:
// every enabled rule with its help from the rule metadata, every finding
// with its exact region, and file errors as tool execution notifications.
type SARIF struct {
	BasePath string
}

const (
	sarifSchema    = "https://json.schemastore.org/sarif-2.1.0.json"
	informationURI = "https://github.com/zdlint/zdlint"
	docsURI        = "https://github.com/zdlint/zdlint/blob/main/docs/rules/"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
	// ColumnKind says columns count Unicode characters, as zdlint's do.
	ColumnKind string `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ShortDescription     sarifMessage    `json:"shortDescription"`
	FullDescription      sarifMessage    `json:"fullDescription"`
	Help                 sarifMessage    `json:"help"`
	HelpURI              string          `json:"helpUri"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           map[string]any  `json:"properties,omitempty"`
}

type sarifRuleConfig struct {
	Level   string `json:"level"`
	Enabled bool   `json:"enabled"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	RelatedLocations    []sarifLocation    `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Properties          map[string]any     `json:"properties,omitempty"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Fixes               []sarifFix         `json:"fixes,omitempty"`
}

// sarifFix is the finding's fix (docs/fixes.md) as byte-range
// replacements of its file.
type sarifFix struct {
	Description     sarifMessage          `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifByteRegion `json:"deletedRegion"`
	InsertedContent *sarifContent   `json:"insertedContent,omitempty"`
}

type sarifByteRegion struct {
	ByteOffset int `json:"byteOffset"`
	ByteLength int `json:"byteLength"`
}

type sarifContent struct {
	Text string `json:"text"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`   // inSource or external
	Status        string `json:"status"` // accepted
	Justification string `json:"justification,omitempty"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifMessage         `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

func sarifLevel(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	}
	return "note"
}

// ruleHelpMarkdown renders a rule's docs for SARIF help.markdown.
func ruleHelpMarkdown(r *rules.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s.\n\n%s\n\n**Flagged**\n\n```yaml\n%s\n```\n\n**Fix**\n\n```yaml\n%s\n```\n\n**Kubernetes defaults it relies on**\n\n",
		r.Summary, strings.TrimSpace(r.Rationale), strings.TrimSpace(r.Bad), strings.TrimSpace(r.Fix))
	for _, d := range r.Defaults {
		fmt.Fprintf(&b, "- %s\n", d)
	}
	return b.String()
}

// Format implements Formatter.
func (s SARIF) Format(w io.Writer, r *Report) error {
	// Describe every rule a result refers to: the enabled ones, plus any
	// other rule a finding names (meta rules emitted by the engine).
	index := map[string]int{}
	var descs []sarifRule
	addRule := func(id string) {
		if _, ok := index[id]; ok {
			return
		}
		index[id] = len(descs)
		rule, ok := rules.ByID(id)
		if !ok {
			descs = append(descs, sarifRule{ID: id, Name: id, ShortDescription: sarifMessage{Text: id}, FullDescription: sarifMessage{Text: id},
				Help: sarifMessage{Text: id}, HelpURI: docsURI + id + ".md", DefaultConfiguration: sarifRuleConfig{Level: "warning", Enabled: true}})
			return
		}
		descs = append(descs, sarifRule{
			ID:                   rule.ID,
			Name:                 rule.ID,
			ShortDescription:     sarifMessage{Text: rule.Summary},
			FullDescription:      sarifMessage{Text: strings.Join(strings.Fields(rule.Rationale), " ")},
			Help:                 sarifMessage{Text: rule.Summary + ". Fix:\n" + strings.TrimSpace(rule.Fix), Markdown: ruleHelpMarkdown(rule)},
			HelpURI:              docsURI + rule.ID + ".md",
			DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(rule.Severity), Enabled: !rule.Disabled},
			Properties:           map[string]any{"tags": []string{"kubernetes", "zero-downtime"}},
		})
	}
	for _, rule := range r.Rules {
		addRule(rule.ID)
	}
	paths := newRelPaths(s.BasePath)
	result := func(f rules.Finding) sarifResult {
		addRule(f.Rule)
		uri := paths.rel(f.File)
		loc := sarifLocation{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: sarifArtifact{URI: uri}}}
		if f.Pos.IsValid() {
			reg := &sarifRegion{StartLine: f.Pos.Line, StartColumn: f.Pos.Col}
			if f.End.IsValid() {
				reg.EndLine, reg.EndColumn = f.End.Line, f.End.Col
			}
			loc.PhysicalLocation.Region = reg
		}
		text := f.Message
		if text == "" {
			text = f.Rule // SARIF consumers need a message; never print an empty one
		}
		res := sarifResult{
			RuleID:    f.Rule,
			RuleIndex: index[f.Rule],
			Level:     sarifLevel(f.Severity),
			Message:   sarifMessage{Text: text},
			Locations: []sarifLocation{loc},
			PartialFingerprints: map[string]string{
				"zdlint/v1": fingerprint(f.Rule, uri, f.Object.String(), f.Container, f.Path, f.Message),
			},
			Properties: map[string]any{"object": f.Object.String(), "path": f.Path},
		}
		if f.Fix != nil && len(f.Fix.Edits) > 0 {
			change := sarifArtifactChange{ArtifactLocation: sarifArtifact{URI: uri}}
			for _, e := range f.Fix.Edits {
				rep := sarifReplacement{DeletedRegion: sarifByteRegion{ByteOffset: e.Start, ByteLength: e.End - e.Start}}
				if e.Text != "" {
					rep.InsertedContent = &sarifContent{Text: e.Text}
				}
				change.Replacements = append(change.Replacements, rep)
			}
			desc := "zdlint --fix applies this fix"
			if f.Fix.Applicability == rules.FixUnsafe {
				desc = "zdlint --fix --unsafe-fixes applies this fix; review it"
			}
			res.Fixes = []sarifFix{{Description: sarifMessage{Text: desc}, ArtifactChanges: []sarifArtifactChange{change}}}
		}
		if f.Source != "" {
			id := 1
			res.RelatedLocations = []sarifLocation{{
				ID:               &id,
				PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: sarifArtifact{URI: f.Source}},
				Message:          &sarifMessage{Text: "rendered from the Helm template " + f.Source},
			}}
		}
		for _, l := range f.Related {
			// The other objects of a cross-object finding, numbered after
			// the template; ids are unique within a result (SARIF §3.28.2).
			id := len(res.RelatedLocations) + 1
			rl := sarifLocation{ID: &id, PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: sarifArtifact{URI: paths.rel(l.File)}},
				Message: &sarifMessage{Text: l.Message}}
			if l.Pos.IsValid() {
				reg := &sarifRegion{StartLine: l.Pos.Line, StartColumn: l.Pos.Col}
				if l.End.IsValid() {
					reg.EndLine, reg.EndColumn = l.End.Line, l.End.Col
				}
				rl.PhysicalLocation.Region = reg
			}
			res.RelatedLocations = append(res.RelatedLocations, rl)
		}
		return res
	}
	// Rule descriptors come first in the document, so collect every rule
	// a result names before streaming the results.
	for _, f := range r.Findings {
		addRule(f.Rule)
	}
	for _, sp := range r.Suppressed {
		addRule(sp.Rule)
	}
	// --show-suppressed: silenced findings are results with a suppression,
	// which code scanning shows as dismissed rather than as open alerts.
	suppressed := func(sp suppress.Suppressed) sarifResult {
		res := result(sp.Finding)
		kind := "inSource" // a comment or an annotation in the manifest
		if sp.Kind == suppress.ConfigEntry {
			kind = "external"
		}
		res.Suppressions = []sarifSuppression{{Kind: kind, Status: "accepted", Justification: sp.Reason}}
		return res
	}
	notes := make([]sarifNotification, 0, len(r.Errors))
	for _, e := range r.Errors {
		level := "error"
		if e.Warning {
			level = "warning"
		}
		n := sarifNotification{Level: level, Message: sarifMessage{Text: e.Msg}}
		loc := sarifLocation{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: sarifArtifact{URI: paths.rel(e.File)}}}
		if e.Pos.IsValid() {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: e.Pos.Line, StartColumn: max(e.Pos.Col, 1)}
		}
		n.Locations = []sarifLocation{loc}
		notes = append(notes, n)
	}
	if descs == nil {
		descs = []sarifRule{}
	}
	log := sarifLog{
		Schema:  sarifSchema,
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool:        sarifTool{Driver: sarifDriver{Name: "zdlint", Version: r.Version, InformationURI: informationURI, Rules: descs}},
			Invocations: []sarifInvocation{{ExecutionSuccessful: !hasHardErrors(r), ToolExecutionNotifications: notes}},
			Results:     []sarifResult{},
			ColumnKind:  "unicodeCodePoints",
		}},
	}
	// Encode everything but the results (a few kilobytes of rule help),
	// then stream the results into the place of the empty array, one at a
	// time: 100,000 findings are never held a second time as one encoded
	// document. "results" is a key only once in the document, and a
	// string value cannot hold it unescaped.
	head, err := json.MarshalIndent(log, "", "  ")
	if err != nil {
		return err
	}
	const hole = `"results": []`
	i := bytes.Index(head, []byte(hole))
	if i < 0 {
		return fmt.Errorf("sarif: results array not found in the encoded log")
	}
	sw := newStreamWriter(w)
	sw.raw(string(head[:i+len(hole)-1]))
	const prefix = "        " // runs[0].results[i]: four levels deep
	n := 0
	next := func(res sarifResult) {
		if n > 0 {
			sw.raw(",")
		}
		n++
		sw.raw("\n" + prefix)
		sw.value(prefix, res)
	}
	for _, f := range r.Findings {
		next(result(f))
	}
	for _, sp := range r.Suppressed {
		next(suppressed(sp))
	}
	if n > 0 {
		sw.raw("\n      ")
	}
	sw.raw(string(head[i+len(hole)-1:]))
	sw.raw("\n")
	return sw.flush()
}

// hasHardErrors reports whether any error (not a warning) was recorded.
func hasHardErrors(r *Report) bool {
	for _, e := range r.Errors {
		if !e.Warning {
			return true
		}
	}
	return false
}
