package render

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/zdlint/zdlint/loader"
)

// patch is one patch of a kustomization, parsed so that zdlint can tell
// which of its lines set a field of the merged object. Kustomize applies
// it; zdlint only reads it.
type patch struct {
	file string // the file it is written in: a patch file, or the kustomization for an inline patch
	data []byte // the patch file's text; nil for an inline patch
	// at places the nodes of an inline patch in the kustomization: their
	// positions are relative to the text of the scalar.
	at  func(loader.Pos) loader.Pos
	smp []*yaml.Node // strategic-merge documents (mappings)
	ops []jsonOp     // JSON 6902 operations
	// target selects objects by kind and name (a regular expression in
	// Kustomize; zdlint compares names literally and as a pattern).
	targetKind, targetName string
	hasTarget              bool
}

// jsonOp is one JSON 6902 operation.
type jsonOp struct {
	op    string
	path  []string // JSON pointer tokens
	value *yaml.Node
	node  *yaml.Node // the operation's mapping, for its position
}

func (p *patch) pos(n *yaml.Node) loader.Pos {
	pos := loader.NodePos(n)
	if p.at != nil {
		return p.at(pos)
	}
	return pos
}

// readPatches parses the patches of every kind the kustomization lists.
func (k *kustomization) readPatches() []*patch {
	var out []*patch
	for _, item := range seqItems(field(k.root, "patchesStrategicMerge")) {
		if item.Kind != yaml.ScalarNode {
			continue
		}
		if strings.Contains(item.Value, "\n") {
			out = append(out, k.inlinePatch(item, nil))
		} else {
			out = append(out, k.filePatch(item.Value, nil))
		}
	}
	for _, key := range []string{"patches", "patchesJson6902"} {
		for _, item := range seqItems(field(k.root, key)) {
			var p *patch
			target := field(item, "target")
			if v := field(item, "path"); v != nil && v.Kind == yaml.ScalarNode {
				p = k.filePatch(v.Value, target)
			} else if v := field(item, "patch"); v != nil && v.Kind == yaml.ScalarNode {
				p = k.inlinePatch(v, target)
			}
			if p != nil {
				out = append(out, p)
			}
		}
	}
	// The replicas: field is a transformer Kustomize applies after the
	// kustomization's patches: each entry is kept as a patch that sets
	// spec.replicas of the objects it names, at its count's line.
	for _, item := range seqItems(field(k.root, "replicas")) {
		name, count := field(item, "name"), field(item, "count")
		if name == nil || count == nil {
			continue
		}
		doc := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
			{Kind: yaml.ScalarNode, Value: "spec"},
			{Kind: yaml.MappingNode, Line: count.Line, Column: count.Column, Content: []*yaml.Node{
				{Kind: yaml.ScalarNode, Value: "replicas", Line: fieldKey(item, "count").Line, Column: fieldKey(item, "count").Column}, count}},
		}}
		out = append(out, &patch{file: k.file, smp: []*yaml.Node{doc}, hasTarget: true, targetName: name.Value})
	}
	return out
}

func (k *kustomization) filePatch(rel string, target *yaml.Node) *patch {
	path := filepath.Clean(filepath.Join(k.dir, rel))
	p := &patch{file: path}
	p.setTarget(target)
	read := k.read
	if read == nil {
		read = os.ReadFile
	}
	if data, err := read(path); err == nil {
		p.data = data
		p.parse(data)
	}
	return p
}

// inlinePatch parses a patch written as a string in the kustomization. A
// block scalar (patch: |-) keeps its lines, so positions inside it are
// found exactly; any other style puts every position on the scalar.
func (k *kustomization) inlinePatch(v *yaml.Node, target *yaml.Node) *patch {
	p := &patch{file: k.file}
	p.setTarget(target)
	start := loader.NodePos(v)
	if v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		indent := firstIndent(k.data, start.Line+1)
		p.at = func(pos loader.Pos) loader.Pos {
			if !pos.IsValid() {
				return start
			}
			return loader.Pos{Line: start.Line + pos.Line, Col: pos.Col + indent}
		}
	} else {
		p.at = func(loader.Pos) loader.Pos { return start }
	}
	p.parse([]byte(v.Value))
	return p
}

// firstIndent returns how many columns the first non-blank line at or after
// line (1-based) is indented.
func firstIndent(data []byte, line int) int {
	lines := bytes.Split(data, []byte("\n"))
	for i := line - 1; i >= 0 && i < len(lines); i++ {
		l := lines[i]
		t := bytes.TrimLeft(l, " ")
		if len(bytes.TrimSpace(t)) == 0 {
			continue
		}
		return len(l) - len(t)
	}
	return 0
}

func (p *patch) setTarget(t *yaml.Node) {
	if t == nil {
		return
	}
	p.hasTarget = true
	if v := field(t, "kind"); v != nil {
		p.targetKind = v.Value
	}
	if v := field(t, "name"); v != nil {
		p.targetName = v.Value
	}
}

func (p *patch) parse(data []byte) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) || err != nil {
			return
		}
		if len(doc.Content) == 0 {
			continue
		}
		root := doc.Content[0]
		switch root.Kind {
		case yaml.MappingNode:
			p.smp = append(p.smp, root)
		case yaml.SequenceNode:
			for _, op := range root.Content {
				o := jsonOp{node: op, value: field(op, "value")}
				if v := field(op, "op"); v != nil {
					o.op = v.Value
				}
				if v := field(op, "path"); v != nil {
					o.path = pointerTokens(v.Value)
				}
				p.ops = append(p.ops, o)
			}
		}
	}
}

// pointerTokens splits a JSON pointer ("/spec/template/spec/containers/0").
func pointerTokens(ptr string) []string {
	ptr = strings.TrimPrefix(ptr, "/")
	if ptr == "" {
		return nil
	}
	toks := strings.Split(ptr, "/")
	for i, t := range toks {
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return toks
}

// appliesTo reports whether the patch may have changed an object of this
// kind whose name was orig in its own file and is rendered in the build.
func (p *patch) appliesTo(kind, orig, rendered string) bool {
	if p.hasTarget {
		if p.targetKind != "" && p.targetKind != kind {
			return false
		}
		return p.targetName == "" || nameMatches(p.targetName, orig, rendered)
	}
	return false // per document, see docMatches
}

// docMatches reports whether a strategic-merge document names the object.
func docMatches(doc *yaml.Node, kind, orig, rendered string) bool {
	if v := field(doc, "kind"); v == nil || v.Value != kind {
		return false
	}
	md := field(doc, "metadata")
	name := field(md, "name")
	if name == nil {
		return false
	}
	return nameMatches(name.Value, orig, rendered)
}

// nameMatches compares the name a patch targets with the object's name in
// its file (before prefixes and suffixes) and in the build.
func nameMatches(want, orig, rendered string) bool {
	if want == orig || want == rendered {
		return true
	}
	if want != "" && strings.Contains(rendered, want) && strings.Contains(want, orig) {
		return true
	}
	if strings.ContainsAny(want, "*.^$[]()|+?") {
		anchored := "^(?:" + want + ")$"
		if re, err := compileCached(anchored); err == nil {
			return re.MatchString(orig) || re.MatchString(rendered)
		}
	}
	return false
}

// opMatch finds the node a JSON 6902 operation wrote at path (or the
// deepest part of it inside its value). rendered is the built object, to
// resolve "-" (append) and list indices.
func (o *jsonOp) match(path loader.Path, rendered *yaml.Node) (m match) {
	if o.op != "add" && o.op != "replace" && o.op != "copy" && o.op != "move" {
		return m
	}
	if len(o.path) > len(path) || o.value == nil {
		return m
	}
	cur := rendered
	for i, tok := range o.path {
		seg := path[i]
		if seg.IsIndex {
			if tok == "-" {
				// Appended: the item the op added is the one whose name
				// matches the op's value.
				if cur == nil || cur.Kind != yaml.SequenceNode || seg.Index >= len(cur.Content) {
					return match{}
				}
				item := cur.Content[seg.Index]
				id, val := identity(item)
				if id == "" || scalar(field(o.value, id)) != val {
					return match{}
				}
			} else if n, err := strconv.Atoi(tok); err != nil || n != seg.Index {
				return match{}
			}
			if cur != nil && cur.Kind == yaml.SequenceNode && seg.Index < len(cur.Content) {
				cur = cur.Content[seg.Index]
			} else {
				cur = nil
			}
			continue
		}
		if tok != seg.Key {
			return match{}
		}
		cur = field(cur, seg.Key)
	}
	// The op wrote o.value at path[:len(o.path)]; descend into it.
	m = walk(o.value, path[len(o.path):], cur)
	m.depth += len(o.path)
	if len(path) == len(o.path) {
		m.key = o.node
		if k := fieldKey(o.node, "value"); k != nil {
			m.key = k
		}
	}
	return m
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}
