package render

import (
	"path/filepath"

	yaml "go.yaml.in/yaml/v3"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/yamledit"
	"github.com/zdlint/zdlint/rules"
)

// UnfixedNote is a finding on a rendered object whose fix was not made on
// its source, and why.
type UnfixedNote struct {
	File          string
	Pos           loader.Pos
	Rule          string
	Applicability rules.Applicability
	Why           string
}

// FixNotes returns why the fixes of findings on rendered objects were
// dropped in the last Remap, in the order of the findings.
func (p *Plan) FixNotes() []UnfixedNote { return p.unfixed }

// Reasons a fix of a rendered object is not made on its source.
const (
	whyTemplate = "the field comes from a Helm template; zdlint does not edit templates (fix the template or the chart's values by hand)"
	whyNoSource = "the object's source document was not found"
	whyInline   = "the field is set in the kustomization itself (an inline patch or replicas:); zdlint edits only resource and patch files"
	whyJSON     = "the field is set by a JSON 6902 patch; zdlint edits only plain resources and strategic-merge patches"
	whyLater    = "another patch sets the same field, so an edit there would be overridden"
	whyNoItem   = "the list item the fix changes is not in that file"
	whyDelete   = "the fix removes text of the rendered stream, which the source does not have"
	whyEditor   = "the source cannot be edited in place there"
)

// sourceFix makes the fix of f, a finding on the rendered object of s, on
// the file the finding maps to (file): the object's own file when the
// field is the base's, else the strategic-merge patch that set it. The
// fix's changes are addressed inside the object, so they are made again
// on that document, list items found by their names; the values are those
// the rule computed on the rendered object, which is what gets deployed.
// It returns nil and the reason when the fix cannot be made there.
func (p *Plan) sourceFix(s *stream, f rules.Finding, file string) (*rules.Fix, string) {
	d := s.doc(f.Pos.Line)
	if d == nil || d.node == nil {
		return nil, whyNoSource
	}
	if d.templated || d.nearTemplate != nil {
		return nil, whyTemplate
	}
	if d.src == nil || d.origin == "" || len(f.Fix.Changes) == 0 {
		return nil, whyNoSource
	}
	var (
		doc   *yaml.Node
		text  []byte
		after []*patch // patches applied after the target
	)
	if filepath.Clean(file) == filepath.Clean(d.origin) {
		doc, text, after = d.src, p.cache.text(d.origin), d.patches
	} else {
		for i, pt := range d.patches {
			if pt.file != file {
				continue
			}
			if pt.at != nil || pt.data == nil {
				return nil, whyInline
			}
			for _, sd := range pt.smp {
				if pt.hasTarget && len(pt.smp) == 1 || docMatches(sd, d.kind, d.origName, d.name) {
					doc = sd
				}
			}
			if doc == nil {
				if len(pt.ops) > 0 {
					return nil, whyJSON
				}
				return nil, whyNoSource
			}
			text, after = pt.data, d.patches[i+1:]
		}
	}
	if doc == nil || text == nil {
		return nil, whyNoSource
	}
	changes := make([]yamledit.Change, 0, len(f.Fix.Changes))
	for _, c := range f.Fix.Changes {
		if c.Op == yamledit.Delete {
			return nil, whyDelete
		}
		if setsPath(after, d, c.At) {
			return nil, whyLater
		}
		at, ok := sourcePath(doc, c.At, d.node, c.Op == yamledit.Rename)
		if !ok {
			return nil, whyNoItem
		}
		c.At = at
		changes = append(changes, c)
	}
	edits, err := yamledit.NewDoc(text, doc).Edits(changes)
	if err != nil || len(edits) == 0 {
		return nil, whyEditor
	}
	return &rules.Fix{Applicability: f.Fix.Applicability, Edits: edits, Changes: changes}, ""
}

// setsPath reports whether one of patches writes the field at path of d
// (the field itself, not a mapping on the way to it).
func setsPath(patches []*patch, d *rdoc, path loader.Path) bool {
	for _, pt := range patches {
		for _, sd := range pt.smp {
			if !pt.hasTarget && !docMatches(sd, d.kind, d.origName, d.name) {
				continue
			}
			if walk(sd, path, d.node).depth == len(path) {
				return true
			}
		}
		for i := range pt.ops {
			if m := pt.ops[i].match(path, d.node); m.node != nil && m.depth == len(path) {
				return true
			}
		}
	}
	return false
}

// sourcePath translates path, inside the rendered object rendered, to the
// same field of src: list items are found by their identity (a container
// by its name). Mappings missing from src may follow (a Set creates
// them), list items may not; whole requires the field to exist.
func sourcePath(src *yaml.Node, path loader.Path, rendered *yaml.Node, whole bool) (loader.Path, bool) {
	out := make(loader.Path, 0, len(path))
	cur, r := src, rendered
	for i, seg := range path {
		if seg.IsIndex {
			if cur == nil || cur.Kind != yaml.SequenceNode {
				return nil, false
			}
			var ritem *yaml.Node
			if r != nil && r.Kind == yaml.SequenceNode && seg.Index < len(r.Content) {
				ritem = r.Content[seg.Index]
			}
			item := matchItem(cur, seg.Index, ritem)
			idx := -1
			for j, it := range cur.Content {
				if it == item {
					idx = j
				}
			}
			if idx < 0 {
				return nil, false
			}
			out = append(out, loader.Segment{Index: idx, IsIndex: true})
			cur, r = item, ritem
			continue
		}
		if cur == nil || cur.Kind != yaml.MappingNode || fieldKey(cur, seg.Key) == nil {
			// Missing from here on: only mapping keys can be created.
			if whole || cur != nil && cur.Kind != yaml.MappingNode {
				return nil, false
			}
			for _, rest := range path[i:] {
				if rest.IsIndex {
					return nil, false
				}
			}
			return append(out, path[i:]...), true
		}
		out = append(out, seg)
		cur, r = field(cur, seg.Key), field(r, seg.Key)
	}
	return out, true
}
