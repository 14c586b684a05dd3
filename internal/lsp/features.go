package lsp

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/zdlint/zdlint/rules"
)

func fileExists(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular()
}

// contains reports whether p is inside r, ends included (a cursor just
// after a token still hovers it).
func contains(r lspRange, p position) bool {
	before := func(a, b position) bool { return a.Line < b.Line || a.Line == b.Line && a.Character <= b.Character }
	return before(r.Start, p) && before(p, r.End)
}

func overlaps(a, b lspRange) bool { return contains(a, b.Start) || contains(b, a.Start) }

// hover shows the documentation of the rules whose diagnostics are under
// the cursor: the text of zdlint explain.
func (s *server) hover(p *textDocumentPositionParams) *hover {
	s.mu.Lock()
	pub := s.pubs[p.TextDocument.URI]
	var ids []string
	var rng *lspRange
	seen := map[string]bool{}
	if pub != nil {
		for _, it := range pub.items {
			if it.finding == nil || !contains(it.diag.Range, p.Position) || seen[it.finding.Rule] {
				continue
			}
			seen[it.finding.Rule] = true
			ids = append(ids, it.finding.Rule)
			r := it.diag.Range
			rng = &r
		}
	}
	s.mu.Unlock()
	if len(ids) == 0 || s.opts.Explain == nil {
		return nil
	}
	var parts []string
	for _, id := range ids {
		if text, ok := s.opts.Explain(id); ok {
			parts = append(parts, text)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	if len(ids) > 1 {
		rng = nil
	}
	return &hover{Contents: markupContent{Kind: "markdown", Value: strings.Join(parts, "\n\n---\n\n")}, Range: rng}
}

// codeActions offers, for the diagnostics in the range: each finding's fix
// (safe ones preferred, unsafe ones saying so), a comment suppressing the
// rule on the finding's line, and source.fixAll.zdlint applying every safe
// fix of the document. Edits name the document version the findings were
// computed on; a document edited since gets none until it is linted again.
func (s *server) codeActions(p *codeActionParams) []codeAction {
	s.mu.Lock()
	defer s.mu.Unlock()
	actions := []codeAction{}
	pub := s.pubs[p.TextDocument.URI]
	doc := s.docs[p.TextDocument.URI]
	if pub == nil || doc == nil || doc.version != pub.version {
		return actions
	}
	want := func(kind string) bool {
		if len(p.Context.Only) == 0 {
			return true
		}
		for _, k := range p.Context.Only {
			if kind == k || strings.HasPrefix(kind, k+".") {
				return true
			}
		}
		return false
	}
	id := versionedTextDocumentIdentifier{URI: doc.uri, Version: pub.version}
	edit := func(edits []textEdit) *workspaceEdit {
		return &workspaceEdit{DocumentChanges: []textDocumentEdit{{TextDocument: id, Edits: edits}}}
	}
	if want("quickfix") {
		for _, it := range pub.items {
			f := it.finding
			if f == nil || !overlaps(it.diag.Range, p.Range) {
				continue
			}
			if f.Fix != nil && f.Fix.Applicability != rules.FixNone && len(f.Fix.Edits) > 0 {
				title := "Fix: " + f.Rule
				if f.Fix.Applicability == rules.FixUnsafe {
					title += " (unsafe: review the change)"
				}
				actions = append(actions, codeAction{Title: title, Kind: "quickfix", Diagnostics: []diagnostic{it.diag},
					IsPreferred: f.Fix.Applicability == rules.FixSafe, Edit: edit(s.fixEdits(pub, f.Fix))})
			}
			if e, ok := suppressEdit(pub.index, f, s.enc); ok {
				actions = append(actions, codeAction{Title: fmt.Sprintf("Suppress %s on this line", f.Rule), Kind: "quickfix",
					Diagnostics: []diagnostic{it.diag}, Edit: edit([]textEdit{e})})
			}
		}
	}
	if want("source.fixAll.zdlint") {
		if edits := s.fixAll(pub); len(edits) > 0 {
			actions = append(actions, codeAction{Title: "Fix all safe zdlint findings", Kind: "source.fixAll.zdlint", Edit: edit(edits)})
		}
	}
	return actions
}

func (s *server) fixEdits(pub *publication, fx *rules.Fix) []textEdit {
	edits := make([]textEdit, len(fx.Edits))
	for i, e := range fx.Edits {
		edits[i] = textEdit{Range: lspRange{Start: pub.index.fromOffset(e.Start, s.enc), End: pub.index.fromOffset(e.End, s.enc)}, NewText: e.Text}
	}
	return edits
}

// fixAll gathers the safe fixes whose edits overlap no other's: one lint
// round of --fix; the next lint offers what is left.
func (s *server) fixAll(pub *publication) []textEdit {
	type span struct{ start, end int }
	var taken []span
	var edits []textEdit
	free := func(e span) bool {
		for _, t := range taken {
			if e.start < t.end && t.start < e.end || e.start == t.start {
				return false
			}
		}
		return true
	}
	for _, it := range pub.items {
		f := it.finding
		if f == nil || f.Fix == nil || f.Fix.Applicability != rules.FixSafe {
			continue
		}
		ok := true
		for _, e := range f.Fix.Edits {
			ok = ok && free(span{e.Start, e.End})
		}
		if !ok {
			continue
		}
		for _, e := range f.Fix.Edits {
			taken = append(taken, span{e.Start, e.End})
		}
		edits = append(edits, s.fixEdits(pub, f.Fix)...)
	}
	sort.SliceStable(edits, func(i, j int) bool {
		a, b := edits[i].Range.Start, edits[j].Range.Start
		return a.Line < b.Line || a.Line == b.Line && a.Character < b.Character
	})
	return edits
}

// suppressEdit appends "# zdlint:ignore RULE -- " to the finding's line,
// the reason left for the user to write after the cursor. A line that
// already has a comment is left alone: the directive must be the comment.
func suppressEdit(idx *textIndex, f *rules.Finding, enc encoding) (textEdit, bool) {
	if !f.Pos.IsValid() || f.Pos.Line > len(idx.starts) {
		return textEdit{}, false
	}
	line := idx.line(f.Pos.Line - 1)
	if strings.Contains(line, "#") || strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "---") {
		return textEdit{}, false
	}
	end := position{Line: f.Pos.Line - 1, Character: unitsIn(line, enc)}
	sep := " "
	if strings.HasSuffix(line, " ") {
		sep = ""
	}
	return textEdit{Range: lspRange{Start: end, End: end}, NewText: sep + "# zdlint:ignore " + f.Rule + " -- "}, true
}
