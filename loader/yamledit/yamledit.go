// Package yamledit turns changes to a YAML tree (set this field, rename
// that key, remove this entry) into byte-range edits of the text the tree
// was parsed from, and applies them. It never re-encodes anything: every
// byte outside an edit stays as written, so comments, blank lines, quoting,
// key order, indentation, flow style, line ends, a byte-order mark and the
// other documents of a stream are kept.
//
// Conventions for new keys (docs/fixes.md):
//   - a new key goes next to the sibling its Change names (Place): maxSurge
//     right after maxUnavailable, lifecycle right before resources, and,
//     without such a sibling, at the end of its mapping;
//   - a block mapping gets block lines indented like its existing keys; a
//     new nested mapping is indented by the step the file already uses
//     (2, 4, ...), found from its other nested mappings;
//   - a flow mapping ({maxUnavailable: 1}) stays flow: the key is added
//     inside the braces;
//   - a replaced string keeps its quotes; a replaced scalar keeps the
//     comment after it;
//   - new lines end like the file's lines (CRLF or LF).
package yamledit

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"github.com/zdlint/zdlint/loader"
)

// Op is what a Change does.
type Op int

// Operations.
const (
	// Set makes the scalar at At equal to Value, replacing an existing
	// scalar or inserting the key, creating missing parent mappings.
	Set Op = iota + 1
	// Rename renames the key at At to Value.
	Rename
	// Delete removes the mapping entry whose key is at KeyPos inside the
	// mapping at At (one of two duplicate keys).
	Delete
)

// Anchor places a new key relative to an existing sibling.
type Anchor struct {
	Key    string
	Before bool // insert before Key instead of after it
}

// Change is one change to an object's tree, addressed by a path relative
// to the object's mapping.
type Change struct {
	Op Op
	At loader.Path
	// Value is the new scalar as YAML text (Set: "0", "policy/v1"; Rename:
	// the new key).
	Value string
	// Str marks Value as a string: a replaced string keeps its quotes,
	// and a value that would read as a number is quoted. Otherwise Value
	// is written plain (a number replacing "25%").
	Str bool
	// Place lists siblings to put a new key next to, the first present
	// one wins; none present: the end of the mapping.
	Place []Anchor
	// KeyPos is the position of the key Delete removes.
	KeyPos loader.Pos
}

// Edit replaces the bytes [Start, End) of a text with Text.
type Edit struct {
	Start, End int
	Text       string
}

// ErrUnsupported reports a change that cannot be made without re-encoding
// (an alias, a merge key, a block scalar to replace): the finding is then
// left without a fix rather than fixed clumsily.
var ErrUnsupported = errors.New("cannot edit this form of YAML in place")

// Doc is an object's text and tree: text is the whole file, root the
// object's mapping inside it.
type Doc struct {
	text   []byte
	root   *yaml.Node
	starts []int // offset of each line's first byte
	eol    string
	step   int
}

// NewDoc prepares edits of root, parsed from text.
func NewDoc(text []byte, root *yaml.Node) *Doc {
	d := &Doc{text: text, root: root, eol: "\n"}
	d.starts = append(d.starts, 0)
	for i, c := range text {
		if c == '\n' {
			d.starts = append(d.starts, i+1)
		}
	}
	if i := bytes.IndexByte(text, '\n'); i > 0 && text[i-1] == '\r' {
		d.eol = "\r\n"
	}
	d.step = indentStep(root)
	return d
}

// Edits returns the edits that make changes. Changes that create keys in
// the same missing mapping are merged, so maxUnavailable and maxSurge
// under a missing rollingUpdate create it once.
func (d *Doc) Edits(changes []Change) ([]Edit, error) {
	if d.root == nil || d.root.Kind != yaml.MappingNode {
		return nil, ErrUnsupported
	}
	var edits []Edit
	// Insertions into each existing mapping, in order of first mention.
	type insertion struct {
		parent *yaml.Node
		key    string
		tree   *newNode
		place  []Anchor
	}
	var ins []*insertion
	for _, c := range changes {
		switch c.Op {
		case Rename:
			k, _, err := d.lookup(c.At)
			if err != nil {
				return nil, err
			}
			if k == nil {
				return nil, ErrUnsupported
			}
			e, err := d.replaceScalar(k, c.Value, true)
			if err != nil {
				return nil, err
			}
			edits = append(edits, e)
			if a, ok := d.alignComment(e.End, len(e.Text)-(e.End-e.Start)); ok {
				edits = append(edits, a)
			}
		case Delete:
			e, err := d.deleteEntry(c.At, c.KeyPos)
			if err != nil {
				return nil, err
			}
			edits = append(edits, e)
		case Set:
			node, rest, err := d.deepest(c.At)
			if err != nil {
				return nil, err
			}
			if len(rest) == 0 {
				if node.Kind != yaml.ScalarNode {
					return nil, ErrUnsupported
				}
				e, err := d.replaceScalar(node, c.Value, c.Str)
				if err != nil {
					return nil, err
				}
				edits = append(edits, e)
				if a, ok := d.alignComment(e.End, len(e.Text)-(e.End-e.Start)); ok {
					edits = append(edits, a)
				}
				continue
			}
			if node.Kind != yaml.MappingNode {
				return nil, ErrUnsupported
			}
			for _, s := range rest {
				if s.IsIndex {
					return nil, ErrUnsupported
				}
			}
			var in *insertion
			for _, x := range ins {
				if x.parent == node && x.key == rest[0].Key {
					in = x
				}
			}
			if in == nil {
				in = &insertion{parent: node, key: rest[0].Key, tree: &newNode{}, place: c.Place}
				ins = append(ins, in)
			}
			t := in.tree
			for _, s := range rest[1:] {
				t = t.child(s.Key)
			}
			if t.children != nil {
				return nil, ErrUnsupported
			}
			t.value = c.Value
		default:
			return nil, fmt.Errorf("unknown change %d", c.Op)
		}
	}
	for _, in := range ins {
		e, err := d.insert(in.parent, in.key, in.tree, in.place)
		if err != nil {
			return nil, err
		}
		edits = append(edits, e)
	}
	return edits, nil
}

// newNode is a key being created: a scalar value, or children.
type newNode struct {
	value    string
	keys     []string
	children map[string]*newNode
}

func (n *newNode) child(key string) *newNode {
	if n.children == nil {
		n.children = map[string]*newNode{}
	}
	c, ok := n.children[key]
	if !ok {
		c = &newNode{}
		n.children[key] = c
		n.keys = append(n.keys, key)
	}
	return c
}

// entry finds key in mapping m without following merge keys; merged reports
// whether m has a merge key, which may supply key.
func entry(m *yaml.Node, key string) (k, v *yaml.Node, merged bool) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		kn := m.Content[i]
		if kn.Value == "<<" && kn.Tag != "!!str" {
			merged = true
		}
		if kn.Kind == yaml.ScalarNode && kn.Value == key {
			k, v = kn, m.Content[i+1]
		}
	}
	return k, v, merged
}

// lookup returns the key and value at path; k is nil for a sequence item.
func (d *Doc) lookup(path loader.Path) (k, v *yaml.Node, err error) {
	node, rest, err := d.deepest(path)
	if err != nil {
		return nil, nil, err
	}
	if len(rest) > 0 {
		return nil, nil, ErrUnsupported
	}
	if len(path) == 0 {
		return nil, node, nil
	}
	last := path[len(path)-1]
	if last.IsIndex {
		return nil, node, nil
	}
	parent, _, _ := d.deepest(path[:len(path)-1])
	k, v, _ = entry(parent, last.Key)
	return k, v, nil
}

// deepest walks path as far as it exists: node is the last node found,
// rest what is missing. Aliases, anchors and merge keys make the result
// ambiguous: ErrUnsupported.
func (d *Doc) deepest(path loader.Path) (node *yaml.Node, rest loader.Path, err error) {
	node = d.root
	for i, s := range path {
		if node.Kind == yaml.AliasNode || node.Anchor != "" {
			return nil, nil, ErrUnsupported
		}
		switch {
		case s.IsIndex:
			if node.Kind != yaml.SequenceNode || s.Index >= len(node.Content) {
				return nil, nil, ErrUnsupported
			}
			node = node.Content[s.Index]
		default:
			if node.Kind != yaml.MappingNode {
				return nil, nil, ErrUnsupported
			}
			_, v, merged := entry(node, s.Key)
			if v == nil {
				if merged {
					return nil, nil, ErrUnsupported
				}
				return node, path[i:], nil
			}
			node = v
		}
	}
	if node.Kind == yaml.AliasNode || node.Anchor != "" {
		return nil, nil, ErrUnsupported
	}
	return node, nil, nil
}

// offset returns the byte offset of a line and column (columns count
// characters; a byte-order mark is not one).
func (d *Doc) offset(line, col int) (int, bool) {
	if line < 1 || line > len(d.starts) || col < 1 {
		return 0, false
	}
	off := d.starts[line-1]
	if line == 1 && bytes.HasPrefix(d.text, []byte("\xef\xbb\xbf")) {
		off += 3
	}
	for i := 1; i < col; i++ {
		if off >= len(d.text) || d.text[off] == '\n' {
			return 0, false
		}
		_, size := utf8.DecodeRune(d.text[off:])
		off += size
	}
	return off, true
}

// scalarExtent returns the byte range of a scalar as written.
func (d *Doc) scalarExtent(n *yaml.Node) (start, end int, err error) {
	if n.Kind != yaml.ScalarNode || n.Style&(yaml.LiteralStyle|yaml.FoldedStyle|yaml.TaggedStyle) != 0 || n.Anchor != "" {
		return 0, 0, ErrUnsupported
	}
	start, ok := d.offset(n.Line, n.Column)
	if !ok {
		return 0, 0, ErrUnsupported
	}
	t := d.text
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		for i := start + 1; i < len(t); i++ {
			switch t[i] {
			case '\\':
				i++
			case '"':
				return start, i + 1, nil
			}
		}
	case n.Style&yaml.SingleQuotedStyle != 0:
		for i := start + 1; i < len(t); i++ {
			if t[i] == '\'' {
				if i+1 < len(t) && t[i+1] == '\'' {
					i++
					continue
				}
				return start, i + 1, nil
			}
		}
	default:
		end := start + len(n.Value)
		if end > len(t) || string(t[start:end]) != n.Value || strings.ContainsAny(n.Value, "\n\r") {
			return 0, 0, ErrUnsupported // folded over lines, or not as written
		}
		return start, end, nil
	}
	return 0, 0, ErrUnsupported
}

// replaceScalar replaces a scalar. A string keeps the scalar's quote
// style, and is double-quoted when plain it would read as a number.
func (d *Doc) replaceScalar(n *yaml.Node, value string, str bool) (Edit, error) {
	start, end, err := d.scalarExtent(n)
	if err != nil {
		return Edit{}, err
	}
	if str {
		if strings.ContainsAny(value, `'"\#:{}[],&*!|>%@`+"`") {
			return Edit{}, ErrUnsupported // no value zdlint writes needs escaping
		}
		switch {
		case n.Style&yaml.DoubleQuotedStyle != 0:
			value = `"` + value + `"`
		case n.Style&yaml.SingleQuotedStyle != 0:
			value = "'" + value + "'"
		case isPlainNumber(value):
			value = `"` + value + `"`
		}
	}
	return Edit{Start: start, End: end, Text: value}, nil
}

// alignComment returns the edit that keeps an aligned comment on the
// line of from in its column when the text before it grows or shrinks by
// delta bytes: the spaces before the comment absorb it, leaving at least
// one. ok is false when the line has no comment after two spaces or more.
func (d *Doc) alignComment(from, delta int) (Edit, bool) {
	t := d.text
	var quote byte
	for i := from; i < len(t) && t[i] != '\n'; i++ {
		c := t[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' {
				i++
			}
		case c == '"' || c == '\'':
			if i > from && (t[i-1] == ' ' || t[i-1] == '[' || t[i-1] == '{' || t[i-1] == ',') {
				quote = c
			}
		case c == '#' && i > from && t[i-1] == ' ':
			spaces := 0
			for i-spaces-1 >= from && t[i-spaces-1] == ' ' {
				spaces++
			}
			if spaces < 2 || delta == 0 {
				return Edit{}, false
			}
			if delta > 0 {
				n := min(delta, spaces-1)
				return Edit{Start: i - n, End: i}, true
			}
			return Edit{Start: i, End: i, Text: strings.Repeat(" ", -delta)}, true
		}
	}
	return Edit{}, false
}

func isPlainNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// lineIndent returns the number of leading spaces of a line, and whether
// the line is blank or only a comment.
func (d *Doc) lineInfo(line int) (indent int, blank, comment bool) {
	s := d.lineText(line)
	trimmed := strings.TrimLeft(s, " ")
	indent = len(s) - len(trimmed)
	trimmed = strings.TrimRight(trimmed, " \t\r")
	return indent, trimmed == "", strings.HasPrefix(trimmed, "#")
}

func (d *Doc) lineText(line int) string {
	if line < 1 || line > len(d.starts) {
		return ""
	}
	from := d.starts[line-1]
	to := len(d.text)
	if line < len(d.starts) {
		to = d.starts[line] - 1
	}
	s := string(d.text[from:to])
	if line == 1 {
		s = strings.TrimPrefix(s, "\ufeff")
	}
	return s
}

// entryEnd returns the last line of the mapping entry (k, v) of a block
// mapping whose keys are at column col: its value's lines and the
// continuation lines of a block or multi-line scalar, without the comments
// and blank lines that follow it.
func (d *Doc) entryEnd(k, v *yaml.Node, col int) int {
	last := max(k.Line, loader.LastLine(v))
	block := hasBlockScalar(v)
	for l := last + 1; l <= len(d.starts); l++ {
		indent, blank, comment := d.lineInfo(l)
		if blank {
			continue
		}
		if indent <= col || (comment && !block) {
			break
		}
		last = l
	}
	return last
}

func hasBlockScalar(n *yaml.Node) bool {
	if n == nil {
		return false
	}
	if n.Kind == yaml.ScalarNode {
		return n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || strings.Contains(n.Value, "\n")
	}
	for _, c := range n.Content {
		if hasBlockScalar(c) {
			return true
		}
	}
	return false
}

// lineStart returns the offset of the start of line l, or the end of the
// text (with a line break needed first) past the last line.
func (d *Doc) lineStart(l int) (off int, needBreak bool) {
	if l <= len(d.starts) {
		if l == len(d.starts) && d.starts[l-1] == len(d.text) {
			return len(d.text), false
		}
		return d.starts[l-1], false
	}
	return len(d.text), len(d.text) > 0 && d.text[len(d.text)-1] != '\n'
}

// insert adds key (with tree) to the existing mapping m.
func (d *Doc) insert(m *yaml.Node, key string, tree *newNode, place []Anchor) (Edit, error) {
	if m.Style&yaml.FlowStyle != 0 {
		return d.insertFlow(m, key, tree, place)
	}
	if len(m.Content) == 0 {
		return Edit{}, ErrUnsupported // an empty block mapping is written {} (flow)
	}
	col := m.Content[0].Column // keys' column, 1-based
	indent := strings.Repeat(" ", col-1)
	var b strings.Builder
	d.writeBlock(&b, indent, key, tree)
	text := b.String()
	n := len(m.Content) / 2
	at := n - 1 // insert after entry at (or before entry at+1)
	before := -1
	for _, a := range place {
		found := false
		for i := 0; i < n; i++ {
			if m.Content[2*i].Value != a.Key {
				continue
			}
			found = true
			if a.Before {
				before = i
			} else {
				at = i
			}
			break
		}
		if found {
			break
		}
	}
	if before >= 0 {
		k := m.Content[2*before]
		if d.firstOnLine(k) {
			// Before the key and the comment lines directly above it.
			l := k.Line
			for l > 1 {
				ind, blank, comment := d.lineInfo(l - 1)
				if blank || !comment || ind != col-1 {
					break
				}
				l--
			}
			off, _ := d.lineStart(l)
			return Edit{Start: off, End: off, Text: text}, nil
		}
		// The key follows "- ": put the new key after it instead.
		at = before
	}
	end := d.entryEnd(m.Content[2*at], m.Content[2*at+1], col-1)
	off, brk := d.lineStart(end + 1)
	if brk {
		text = d.eol + strings.TrimSuffix(text, d.eol)
	}
	return Edit{Start: off, End: off, Text: text}, nil
}

// firstOnLine reports whether only spaces come before n on its line.
func (d *Doc) firstOnLine(n *yaml.Node) bool {
	s := d.lineText(n.Line)
	i := 0
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i == n.Column-1
}

func (d *Doc) writeBlock(b *strings.Builder, indent, key string, t *newNode) {
	b.WriteString(indent)
	b.WriteString(key)
	b.WriteString(":")
	if t.children == nil {
		b.WriteString(" ")
		b.WriteString(t.value)
		b.WriteString(d.eol)
		return
	}
	b.WriteString(d.eol)
	for _, k := range t.keys {
		d.writeBlock(b, indent+strings.Repeat(" ", d.step), k, t.children[k])
	}
}

func writeFlow(b *strings.Builder, key string, t *newNode) {
	b.WriteString(key)
	b.WriteString(": ")
	if t.children == nil {
		b.WriteString(t.value)
		return
	}
	b.WriteString("{")
	for i, k := range t.keys {
		if i > 0 {
			b.WriteString(", ")
		}
		writeFlow(b, k, t.children[k])
	}
	b.WriteString("}")
}

// insertFlow adds key inside the braces of a flow mapping.
func (d *Doc) insertFlow(m *yaml.Node, key string, tree *newNode, place []Anchor) (Edit, error) {
	var b strings.Builder
	writeFlow(&b, key, tree)
	text := b.String()
	n := len(m.Content) / 2
	if n == 0 {
		open, ok := d.offset(m.Line, m.Column)
		if !ok || open >= len(d.text) || d.text[open] != '{' {
			return Edit{}, ErrUnsupported
		}
		return Edit{Start: open + 1, End: open + 1, Text: text}, nil
	}
	at := n - 1
	for _, a := range place {
		for i := 0; i < n; i++ {
			if m.Content[2*i].Value != a.Key {
				continue
			}
			if a.Before {
				k := m.Content[2*i]
				if k.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
					return Edit{}, ErrUnsupported // JSON: left alone
				}
				off, ok := d.offset(k.Line, k.Column)
				if !ok {
					return Edit{}, ErrUnsupported
				}
				return Edit{Start: off, End: off, Text: text + ", "}, nil
			}
			at = i
			goto after
		}
	}
after:
	if m.Content[0].Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		return Edit{}, ErrUnsupported // JSON: left alone
	}
	end, err := d.valueEnd(m.Content[2*at+1])
	if err != nil {
		return Edit{}, err
	}
	return Edit{Start: end, End: end, Text: ", " + text}, nil
}

// valueEnd returns the offset just past a flow value: a scalar or a flow
// collection.
func (d *Doc) valueEnd(v *yaml.Node) (int, error) {
	if v.Kind == yaml.ScalarNode {
		_, end, err := d.scalarExtent(v)
		return end, err
	}
	if v.Style&yaml.FlowStyle == 0 || v.Anchor != "" {
		return 0, ErrUnsupported
	}
	start, ok := d.offset(v.Line, v.Column)
	if !ok {
		return 0, ErrUnsupported
	}
	depth := 0
	t := d.text
	for i := start; i < len(t); i++ {
		switch t[i] {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1, nil
			}
		case '"', '\'':
			q := t[i]
			for i++; i < len(t) && t[i] != q; i++ {
				if q == '"' && t[i] == '\\' {
					i++
				}
			}
		case '#':
			if i > 0 && (t[i-1] == ' ' || t[i-1] == '\t' || t[i-1] == '\n') {
				return 0, ErrUnsupported // comments inside a flow collection
			}
		}
	}
	return 0, ErrUnsupported
}

// deleteEntry removes the whole lines of the entry whose key is at pos in
// the block mapping at path.
func (d *Doc) deleteEntry(path loader.Path, pos loader.Pos) (Edit, error) {
	m, rest, err := d.deepest(path)
	if err != nil || len(rest) > 0 || m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 {
		return Edit{}, ErrUnsupported
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Line != pos.Line || k.Column != pos.Col {
			continue
		}
		if !d.firstOnLine(k) || v.Anchor != "" {
			return Edit{}, ErrUnsupported
		}
		end := d.entryEnd(k, v, k.Column-1)
		from, _ := d.lineStart(k.Line)
		to, _ := d.lineStart(end + 1)
		return Edit{Start: from, End: to}, nil
	}
	return Edit{}, ErrUnsupported
}

// indentStep returns the indentation step the tree uses for nested block
// mappings, 2 when it has none.
func indentStep(root *yaml.Node) int {
	step := 0
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || step > 0 || depth > 64 {
			return
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if v.Kind == yaml.MappingNode && v.Style&yaml.FlowStyle == 0 && v.Line > k.Line && v.Column > k.Column {
					step = v.Column - k.Column
					return
				}
			}
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	if step == 0 {
		step = 2
	}
	return step
}

// Apply applies edits to text. Identical edits count once; edits that
// overlap (or insert different text at one place where one also replaces)
// are a conflict, and nothing is applied.
func Apply(text []byte, edits []Edit) ([]byte, error) {
	es := append([]Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Start != es[j].Start {
			return es[i].Start < es[j].Start
		}
		return es[i].End < es[j].End
	})
	out := es[:0]
	for _, e := range es {
		if e.Start < 0 || e.End < e.Start || e.End > len(text) {
			return nil, fmt.Errorf("edit %d-%d outside the text", e.Start, e.End)
		}
		if len(out) > 0 {
			p := out[len(out)-1]
			if p == e {
				continue
			}
			if e.Start < p.End || (e.Start == p.Start && (p.End > p.Start || e.End > e.Start)) {
				return nil, &ConflictError{A: p, B: e}
			}
		}
		out = append(out, e)
	}
	var b bytes.Buffer
	b.Grow(len(text) + 64)
	last := 0
	for _, e := range out {
		b.Write(text[last:e.Start])
		b.WriteString(e.Text)
		last = e.End
	}
	b.Write(text[last:])
	return b.Bytes(), nil
}

// ConflictError is two edits that change the same bytes.
type ConflictError struct{ A, B Edit }

func (e *ConflictError) Error() string {
	return fmt.Sprintf("edits at bytes %d-%d and %d-%d overlap", e.A.Start, e.A.End, e.B.Start, e.B.End)
}

// Overlap reports whether two edits conflict as Apply sees them.
func Overlap(a, b Edit) bool {
	if a == b {
		return false
	}
	if a.Start > b.Start || (a.Start == b.Start && a.End > b.End) {
		a, b = b, a
	}
	return b.Start < a.End || (a.Start == b.Start && (a.End > a.Start || b.End > b.Start))
}
