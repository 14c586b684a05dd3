// Package suppress silences findings on purpose, with a reason: inline
// `# zdlint:ignore rule -- reason` comments, file-wide
// `# zdlint:ignore-file rule -- reason` comments, the object annotations
// zdlint.io/ignore and zdlint.io/ignore-reason, and ignore entries in the
// configuration. A suppression without a reason, and one that silenced
// nothing, become findings themselves (suppression-missing-reason,
// unused-suppression), so silenced findings never go unexplained.
package suppress

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/zdlint/zdlint/internal/config"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
	"github.com/zdlint/zdlint/rules/suggest"
)

// Annotation keys for suppressions that travel with an object.
const (
	AnnotationIgnore = "zdlint.io/ignore"
	AnnotationReason = "zdlint.io/ignore-reason"
)

// Kind is where a suppression was written.
type Kind string

// Kinds of suppression.
const (
	Comment     Kind = "comment"
	FileComment Kind = "file-comment"
	Annotation  Kind = "annotation"
	ConfigEntry Kind = "config"
)

// Suppression silences findings of some rules in a span of a file.
type Suppression struct {
	Kind   Kind
	File   string     // the file it applies to; "" for config entries (any file)
	At     string     // the file it is written in (the config file for entries)
	Pos    loader.Pos // where it is written
	From   int        // first line it covers; 0 with To 0: the whole file
	To     int
	Rules  []string // empty: every rule (config entries only)
	Raw    string   // the rule list as written, for messages
	Reason string
	Ignore *config.Ignore // config entries
	// Problem is set when the suppression itself is malformed (an unknown
	// rule ID, a misplaced ignore-file); it is reported and never used.
	Problem string
	// Partial marks a config entry whose files this run did not all lint
	// (a pre-commit or editor run on a subset): silencing nothing proves
	// nothing, so it is not reported as unused.
	Partial bool
	used    bool
}

// describe names the suppression as it is written, unknown IDs included.
func (s *Suppression) describe() string {
	ids := s.Raw
	if ids == "" {
		ids = strings.Join(s.Rules, ",")
	}
	switch s.Kind {
	case Comment:
		return strings.TrimSpace("zdlint:ignore " + ids)
	case FileComment:
		return strings.TrimSpace("zdlint:ignore-file " + ids)
	case Annotation:
		return strings.TrimSpace(AnnotationIgnore + ": " + ids)
	}
	return "the ignore entry"
}

// Suppressed is a finding that was silenced, and why.
type Suppressed struct {
	rules.Finding
	Kind   Kind
	Reason string
}

// directive is a parsed zdlint:ignore comment.
type directive struct {
	kind   Kind
	line   int // line of the comment
	col    int
	target int // line it applies to
	rules  []string
	raw    string // the rule list as written
	reason string
	bad    string
}

// File collects the suppressions of one file while its objects stream by.
type File struct {
	name       string
	scanned    bool
	directives []directive
	resolved   []bool
	sups       []*Suppression
}

// NewFile starts collecting for the named file.
func NewFile(name string) *File { return &File{name: name} }

// Object records the comment directives that fall inside obj (their spans
// need its tree) and its annotations.
func (f *File) Object(obj *loader.Object) {
	if !f.scanned {
		f.scanned = true
		f.directives = scan(obj.Text())
		f.resolved = make([]bool, len(f.directives))
	}
	first, last := obj.Lines()
	for i, d := range f.directives {
		if f.resolved[i] || d.kind != Comment || d.target < first || d.target > last {
			continue
		}
		from, to, ok := obj.SpanAt(d.target)
		if !ok {
			from, to = d.target, d.target
		}
		f.resolved[i] = true
		f.sups = append(f.sups, &Suppression{Kind: Comment, File: f.name, At: f.name, Pos: loader.Pos{Line: d.line, Col: d.col},
			From: from, To: to, Rules: d.rules, Raw: d.raw, Reason: d.reason, Problem: d.bad})
	}
	if ids, ok := annotation(obj, AnnotationIgnore); ok {
		reason, _ := annotation(obj, AnnotationReason)
		pos, _ := obj.Pos(loader.P("metadata", "annotations", AnnotationIgnore))
		s := &Suppression{Kind: Annotation, File: f.name, At: f.name, Pos: pos, From: first, To: last, Raw: strings.TrimSpace(ids), Reason: strings.TrimSpace(reason)}
		s.Rules, s.Problem = parseIDs(ids)
		f.sups = append(f.sups, s)
	}
}

func annotation(obj *loader.Object, key string) (string, bool) {
	_, v, ok := obj.Lookup(loader.P("metadata", "annotations", key))
	if !ok {
		return "", false
	}
	return loader.ResolveScalar(v)
}

// Finish returns the file's suppressions: file-wide ones, and comments that
// lie outside every object (they cover their own line).
func (f *File) Finish(data []byte) []*Suppression {
	if !f.scanned {
		f.directives = scan(data)
		f.resolved = make([]bool, len(f.directives))
	}
	for i, d := range f.directives {
		if f.resolved[i] {
			continue
		}
		s := &Suppression{Kind: d.kind, File: f.name, At: f.name, Pos: loader.Pos{Line: d.line, Col: d.col},
			From: d.target, To: d.target, Rules: d.rules, Raw: d.raw, Reason: d.reason, Problem: d.bad}
		if d.kind == FileComment {
			s.From, s.To = 0, 0
		}
		f.sups = append(f.sups, s)
	}
	return f.sups
}

// scan finds zdlint:ignore comments. A comment after text on its line
// applies to that line; a comment on a line of its own applies to the next
// line with content. ignore-file is only honoured in the file's first
// comment block.
func scan(data []byte) []directive {
	if !bytes.Contains(data, []byte("zdlint:ignore")) {
		return nil
	}
	lines := bytes.Split(data, []byte("\n"))
	var out []directive
	header := true // still in the first comment block
	for i, raw := range lines {
		line := strings.TrimRight(string(raw), "\r")
		trimmed := strings.TrimSpace(line)
		isComment := strings.HasPrefix(trimmed, "#")
		idx := commentDirective(line)
		if idx < 0 {
			if trimmed != "" && !isComment && trimmed != "---" {
				header = false
			}
			continue
		}
		text := strings.TrimSpace(line[idx+1:]) // after '#'
		d := directive{line: i + 1, col: len([]rune(line[:idx])) + 1}
		var rest string
		switch {
		case strings.HasPrefix(text, "zdlint:ignore-file"):
			d.kind = FileComment
			rest = strings.TrimPrefix(text, "zdlint:ignore-file")
			if !header {
				d.bad = "zdlint:ignore-file must be in the file's first comment block"
			}
		default:
			d.kind = Comment
			rest = strings.TrimPrefix(text, "zdlint:ignore")
		}
		// A second comment on the line ("... -- reason  # note") is not
		// part of the directive.
		if j := strings.Index(rest, " #"); j >= 0 {
			rest = rest[:j]
		}
		ids, reason, _ := strings.Cut(rest, "--")
		d.reason = strings.TrimSpace(reason)
		d.raw = strings.TrimSpace(ids)
		var problem string
		d.rules, problem = parseIDs(ids)
		if d.bad == "" {
			d.bad = problem
		}
		if len(d.rules) == 0 && d.bad == "" {
			d.bad = "names no rule (write # zdlint:ignore rule-id -- reason)"
		}
		if isComment {
			d.target = nextContentLine(lines, i+1)
		} else {
			d.target = i + 1
			header = false
		}
		out = append(out, d)
	}
	return out
}

// commentDirective returns the index of the '#' that starts a zdlint
// directive comment on the line, or -1.
func commentDirective(line string) int {
	for off := 0; ; {
		i := strings.Index(line[off:], "zdlint:ignore")
		if i < 0 {
			return -1
		}
		i += off
		j := strings.LastIndex(line[:i], "#")
		if j >= 0 && strings.TrimSpace(line[j+1:i]) == "" && (j == 0 || line[j-1] == ' ' || line[j-1] == '\t') {
			return j
		}
		off = i + 1
	}
}

func nextContentLine(lines [][]byte, from int) int {
	for i := from; i < len(lines); i++ {
		t := strings.TrimSpace(string(lines[i]))
		if t == "" || strings.HasPrefix(t, "#") || t == "---" {
			continue
		}
		return i + 1
	}
	return from
}

// parseIDs splits "a,b c" into rule IDs and reports unknown ones.
func parseIDs(s string) ([]string, string) {
	var ids []string
	var problems []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if _, ok := rules.ByID(f); !ok {
			p := fmt.Sprintf("unknown rule %q", f)
			var all []string
			for _, r := range rules.All() {
				all = append(all, r.ID)
			}
			if best := suggest.Closest(f, all); best != "" {
				p += fmt.Sprintf(" (did you mean %q?)", best)
			}
			problems = append(problems, p)
			continue
		}
		ids = append(ids, f)
	}
	return ids, strings.Join(problems, "; ")
}

// FromConfig turns configuration ignore entries into suppressions.
func FromConfig(c *config.Config) []*Suppression {
	if c == nil {
		return nil
	}
	var out []*Suppression
	for i := range c.Ignore {
		ig := &c.Ignore[i]
		out = append(out, &Suppression{Kind: ConfigEntry, At: c.File, Pos: loader.Pos{Line: ig.Pos.Line, Col: ig.Pos.Col},
			Rules: ig.Rules, Reason: strings.TrimSpace(ig.Reason), Ignore: ig})
	}
	return out
}

func (s *Suppression) covers(f *rules.Finding, configDir string) bool {
	if s.Problem != "" {
		return false
	}
	if len(s.Rules) > 0 && !slices.Contains(s.Rules, f.Rule) {
		return false
	}
	if s.Kind == ConfigEntry {
		ig := s.Ignore
		if ig.Kind != "" && ig.Kind != f.Object.Kind ||
			ig.Namespace != "" && ig.Namespace != f.Object.Namespace ||
			ig.Container != "" && ig.Container != f.Container {
			return false
		}
		if ig.Name != "" {
			if ok, _ := filepath.Match(ig.Name, f.Object.Name); !ok {
				return false
			}
		}
		if ig.Path != "" && !config.MatchPath(ig.Path, f.File, configDir) {
			return false
		}
		return true
	}
	if s.File != f.File {
		return false
	}
	if s.From == 0 && s.To == 0 {
		return true
	}
	return f.Pos.Line >= s.From && f.Pos.Line <= s.To
}

// Result is what Apply leaves: the findings still reported (including the
// suppressions' own findings) and those silenced.
type Result struct {
	Findings   []rules.Finding
	Suppressed []Suppressed
}

// Apply silences the findings the suppressions cover, then reports each
// suppression without a reason, malformed, or unused. enabled says which
// rules ran: a suppression of a rule that did not run is not "unused".
// Meta findings are made only for meta rules that are enabled.
func Apply(findings []rules.Finding, sups []*Suppression, enabled map[string]bool, s *rules.Settings, configDir string) Result {
	var res Result
	byFile := map[string][]*Suppression{}
	var global []*Suppression
	for _, sp := range sups {
		if sp.Kind == ConfigEntry {
			global = append(global, sp)
		} else {
			byFile[sp.File] = append(byFile[sp.File], sp)
		}
	}
	for _, f := range findings {
		var hit *Suppression
		for _, sp := range byFile[f.File] {
			if sp.covers(&f, configDir) {
				sp.used = true
				if hit == nil {
					hit = sp
				}
			}
		}
		for _, sp := range global {
			if sp.covers(&f, configDir) {
				sp.used = true
				if hit == nil {
					hit = sp
				}
			}
		}
		if hit != nil {
			res.Suppressed = append(res.Suppressed, Suppressed{Finding: f, Kind: hit.Kind, Reason: hit.Reason})
			continue
		}
		res.Findings = append(res.Findings, f)
	}
	meta := func(r *rules.Rule, sp *Suppression, msg string) {
		if !enabled[r.ID] {
			return
		}
		res.Findings = append(res.Findings, rules.Finding{Rule: r.ID, Severity: r.SeverityIn(s), Message: msg, File: sp.At, Pos: sp.Pos})
	}
	for _, sp := range sups {
		switch {
		case sp.Problem != "":
			meta(rules.UnusedSuppression, sp, fmt.Sprintf("%s is ignored: %s", sp.describe(), sp.Problem))
		case !sp.used && !sp.Partial && allEnabled(sp.Rules, enabled):
			meta(rules.UnusedSuppression, sp, fmt.Sprintf("%s silenced no finding; remove it", sp.describe()))
		}
		if sp.Reason == "" && sp.Problem == "" {
			how := "add one after \" -- \""
			switch sp.Kind {
			case Annotation:
				how = "add the " + AnnotationReason + " annotation"
			case ConfigEntry:
				how = "add reason:"
			}
			meta(rules.SuppressionMissingReason, sp, fmt.Sprintf("%s has no reason; %s", sp.describe(), how))
		}
	}
	sort.SliceStable(res.Suppressed, func(i, j int) bool {
		a, b := res.Suppressed[i], res.Suppressed[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Pos.Less(b.Pos)
	})
	return res
}

func allEnabled(ids []string, enabled map[string]bool) bool {
	if len(ids) == 0 {
		return true
	}
	for _, id := range ids {
		if !enabled[id] {
			return false
		}
	}
	return true
}
