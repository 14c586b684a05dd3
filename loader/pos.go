package loader

import (
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// Pos is a 1-based line and column in a file. The zero Pos means unknown.
// Columns count characters (runes), as editors do, not bytes.
type Pos struct {
	Line int `json:"line"`
	Col  int `json:"column"`
}

// IsValid reports whether p names a real position.
func (p Pos) IsValid() bool { return p.Line > 0 }

// Less orders positions by line, then column.
func (p Pos) Less(q Pos) bool {
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Col < q.Col
}

// NodePos returns the start position of n.
func NodePos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{}
	}
	return Pos{Line: n.Line, Col: n.Column}
}

// NodeEnd returns the position just past a single-line plain or quoted
// scalar, or the zero Pos when the extent is not known from the node alone
// (block scalars, collections). A plain or quoted scalar folded over
// several lines looks single-line in the node ("a\n  b" is "a b"), so
// NodeEnd can overshoot it; Object.Pos and Object.KeyPos check the claim
// against the source text.
func NodeEnd(n *yaml.Node) Pos {
	if n == nil || n.Kind != yaml.ScalarNode || n.Line == 0 {
		return Pos{}
	}
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return Pos{}
	case n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		// The decoded value may differ in length from the source (escapes),
		// so only claim an extent when no escaping can have happened.
		for i := 0; i < len(n.Value); i++ {
			if c := n.Value[i]; c == '\\' || c == '\'' || c == '"' || c == '\n' {
				return Pos{}
			}
		}
		return Pos{Line: n.Line, Col: n.Column + utf8.RuneCountInString(n.Value) + 2}
	default:
		for i := 0; i < len(n.Value); i++ {
			if n.Value[i] == '\n' {
				return Pos{}
			}
		}
		return Pos{Line: n.Line, Col: n.Column + utf8.RuneCountInString(n.Value)}
	}
}

// maxAliasHops bounds how many aliases a single lookup follows, so a
// pathological alias chain cannot make a position lookup expensive.
const maxAliasHops = 64

// deref follows alias nodes to the node they name.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < maxAliasHops; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

// isMergeKey reports whether k is the YAML merge key "<<".
func isMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 &&
		(k.Tag == "!!merge" || k.Tag == "" || k.Style&yaml.TaggedStyle == 0)
}

// mappingLookup finds key in mapping m with the precedence YAML 1.1 (and so
// kubectl) applies: pairs are applied in order, the last one wins, and a merge
// key ("<<") applies every pair of the merged mappings at its place, with
// earlier mappings of a merge sequence taking precedence over later ones.
// It returns the key node and the value node.
func mappingLookup(m *yaml.Node, key string) (k, v *yaml.Node) {
	var memo mergeMemo
	return mappingLookupDepth(m, key, 0, &memo)
}

// mergeMemo remembers the answer for each merged mapping during one lookup.
// Merge sources form a graph, not a tree: "<<: [*a, *a]" nested a few levels
// deep names the same mappings exponentially often, and without the memo a
// single lookup would walk every expansion. It is allocated only when a
// merge key is met.
type mergeMemo map[*yaml.Node][2]*yaml.Node

func mappingLookupDepth(m *yaml.Node, key string, depth int, memo *mergeMemo) (k, v *yaml.Node) {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode || depth > maxAliasHops {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		kn, vn := m.Content[i], m.Content[i+1]
		if isMergeKey(kn) {
			if mk, mv := mergeLookup(vn, key, depth+1, memo); mk != nil {
				k, v = mk, mv
			}
			continue
		}
		if kn.Kind == yaml.ScalarNode && kn.Value == key {
			k, v = kn, vn
		}
	}
	return k, v
}

func mergeLookup(src *yaml.Node, key string, depth int, memo *mergeMemo) (k, v *yaml.Node) {
	src = deref(src)
	if src == nil {
		return nil, nil
	}
	switch src.Kind {
	case yaml.MappingNode:
		return memoLookup(src, key, depth, memo)
	case yaml.SequenceNode:
		// Earlier mappings take precedence: search backwards, keep the last hit.
		for i := len(src.Content) - 1; i >= 0; i-- {
			if mk, mv := memoLookup(src.Content[i], key, depth, memo); mk != nil {
				k, v = mk, mv
			}
		}
	}
	return k, v
}

func memoLookup(m *yaml.Node, key string, depth int, memo *mergeMemo) (k, v *yaml.Node) {
	m = deref(m)
	if m == nil {
		return nil, nil
	}
	if r, ok := (*memo)[m]; ok {
		return r[0], r[1]
	}
	k, v = mappingLookupDepth(m, key, depth, memo)
	if *memo == nil {
		*memo = mergeMemo{}
	}
	(*memo)[m] = [2]*yaml.Node{k, v}
	return k, v
}

// Lookup walks path from root and returns the key node (nil for sequence
// items and the root) and the value node of its last segment. ok is false
// when some segment does not exist.
func Lookup(root *yaml.Node, path Path) (key, val *yaml.Node, ok bool) {
	val = deref(root)
	for _, s := range path {
		if val == nil {
			return nil, nil, false
		}
		if s.IsIndex {
			if val.Kind != yaml.SequenceNode || s.Index < 0 || s.Index >= len(val.Content) {
				return nil, nil, false
			}
			key, val = nil, deref(val.Content[s.Index])
			continue
		}
		k, v := mappingLookup(val, s.Key)
		if k == nil {
			return nil, nil, false
		}
		key, val = k, deref(v)
	}
	return key, val, val != nil
}

// Nearest returns the position where a finding about path belongs: the value
// node when the path exists, otherwise the deepest existing ancestor (the key
// of a mapping entry such as "spec:", or a sequence item such as a container's
// "- name:" line). It also returns how many segments of path exist.
func Nearest(root *yaml.Node, path Path) (pos, end Pos, depth int) {
	pos, n, depth := nearest(root, path)
	return pos, NodeEnd(n), depth
}

// nearest is Nearest returning the node whose extent the end would be.
func nearest(root *yaml.Node, path Path) (pos Pos, endNode *yaml.Node, depth int) {
	cur := deref(root)
	pos = NodePos(cur)
	for i, s := range path {
		if cur == nil {
			return pos, nil, i
		}
		if s.IsIndex {
			if cur.Kind != yaml.SequenceNode || s.Index < 0 || s.Index >= len(cur.Content) {
				return pos, nil, i
			}
			cur = deref(cur.Content[s.Index])
			pos = NodePos(cur)
			continue
		}
		k, v := mappingLookup(cur, s.Key)
		if k == nil {
			return pos, nil, i
		}
		cur = deref(v)
		if i == len(path)-1 && cur != nil {
			// The value itself: for scalars its node; for a collection the
			// key is where a reader looks ("strategy:" rather than the first
			// line below it).
			if cur.Kind == yaml.ScalarNode {
				if cur.Tag == "!!null" && cur.Value == "" {
					return NodePos(k), k, len(path)
				}
				return NodePos(cur), cur, len(path)
			}
			return NodePos(k), k, len(path)
		}
		pos = NodePos(k)
	}
	return pos, nil, len(path)
}

// KeyPos returns the position of the key node that path ends in, or of the
// nearest ancestor when it does not exist.
func KeyPos(root *yaml.Node, path Path) (Pos, Pos, bool) {
	k, _, ok := Lookup(root, path)
	if ok && k != nil {
		return NodePos(k), NodeEnd(k), true
	}
	p, e, _ := Nearest(root, path)
	return p, e, false
}

// LastLine returns the last line any node under n starts on, without
// following aliases: the extent of a key's value or a list item, for
// "this comment applies to everything below it".
func LastLine(n *yaml.Node) int {
	last := 0
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > maxConvertDepth {
			return
		}
		if n.Line > last {
			last = n.Line
		}
		if n.Kind == yaml.AliasNode {
			return
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return last
}

// SpanAt returns the line span of the node that starts on line within the
// object: a mapping entry (its key and value) or a list item. The object's
// first line spans the whole object. ok is false when no node starts there.
func (o *Object) SpanAt(line int) (from, to int, ok bool) {
	if o.Node == nil {
		return 0, 0, false
	}
	if line == o.Node.Line {
		return line, LastLine(o.Node), true
	}
	var find func(n *yaml.Node, depth int) (int, bool)
	find = func(n *yaml.Node, depth int) (int, bool) {
		if n == nil || depth > maxConvertDepth || n.Kind == yaml.AliasNode {
			return 0, false
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Line == line {
					return max(LastLine(v), line), true
				}
				if end, ok := find(v, depth+1); ok {
					return end, true
				}
			}
		case yaml.SequenceNode:
			for _, item := range n.Content {
				if item.Line == line {
					return max(LastLine(item), line), true
				}
				if end, ok := find(item, depth+1); ok {
					return end, true
				}
			}
		}
		return 0, false
	}
	end, ok := find(o.Node, 0)
	return line, end, ok
}

// Text returns the text of the file the object came from (UTF-8), or nil.
func (o *Object) Text() []byte {
	if o.src == nil {
		return nil
	}
	return o.src.data
}

// Lines returns the object's first and last line.
func (o *Object) Lines() (from, to int) {
	return o.Node.Line, LastLine(o.Node)
}
