package loader_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/zdlint/zdlint/internal/engine"
	"github.com/zdlint/zdlint/internal/testutil"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

func addSeeds(f *testing.F) {
	for _, s := range testutil.ManifestSeeds(f) {
		f.Add(s)
	}
	for _, s := range testutil.HostileSeeds() {
		f.Add(s)
	}
}

// bounds checks that positions lie inside a text: line <= number of lines,
// column <= the line's length in characters + 1.
type bounds struct{ lines []int }

func newBounds(data []byte) bounds {
	var b bounds
	for _, l := range bytes.Split(data, []byte("\n")) {
		l = bytes.TrimPrefix(l, []byte("\xef\xbb\xbf"))
		b.lines = append(b.lines, utf8.RuneCount(l))
	}
	return b
}

func (b bounds) check(t *testing.T, what string, p loader.Pos, allowZero bool) {
	t.Helper()
	if p == (loader.Pos{}) && allowZero {
		return
	}
	if p.Line < 1 || p.Line > len(b.lines) || p.Col < 1 || p.Col > b.lines[p.Line-1]+1 {
		n := 0
		if p.Line >= 1 && p.Line <= len(b.lines) {
			n = b.lines[p.Line-1]
		}
		t.Fatalf("%s: position %d:%d outside the text (%d lines, that line %d characters)", what, p.Line, p.Col, len(b.lines), n)
	}
}

// FuzzLoad feeds arbitrary bytes through the loader and the whole engine
// with every rule: no panic, every error names the file, no internal
// errors, and every position (errors, objects, findings) lies inside the
// file.
func FuzzLoad(f *testing.F) {
	addSeeds(f)
	all := rules.All()
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "dir/fuzz.yaml"
		file := loader.Parse(name, data, loader.Options{})
		b := newBounds(file.Data)
		for _, e := range file.Errors {
			if e.File != name || !strings.HasPrefix(e.Error(), name+":") {
				t.Fatalf("error does not name the file: %q", e.Error())
			}
			if strings.Contains(e.Msg, "internal error") {
				t.Fatalf("loader crashed: %s", e.Msg)
			}
			b.check(t, "error "+e.Msg, e.Pos, true)
		}
		for _, o := range file.Objects {
			if o.File != name {
				t.Fatalf("object file %q", o.File)
			}
			b.check(t, "object "+o.String(), loader.NodePos(o.Node), false)
		}
		res := engine.Run([]loader.Input{{Name: name, Stdin: bytes.NewReader(data)}}, engine.Options{Rules: all})
		for _, e := range res.Errors {
			if e.File != name || strings.Contains(e.Msg, "internal error") {
				t.Fatalf("engine error: %s", e.Error())
			}
			b.check(t, "engine error "+e.Msg, e.Pos, true)
		}
		for _, fd := range res.Findings {
			if fd.File != name {
				t.Fatalf("finding names file %q", fd.File)
			}
			b.check(t, "finding "+fd.Rule, fd.Pos, false)
			b.check(t, "end of finding "+fd.Rule, fd.End, true)
		}
	})
}

// FuzzPositions checks the position index on arbitrary documents: every
// node's position, every Nearest and KeyPos answer and every scalar's end
// lies inside the document, and a plain one-line scalar is found in the
// source exactly where its position says.
func FuzzPositions(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		file := loader.Parse("p.yaml", data, loader.Options{})
		if len(file.Objects) == 0 {
			return
		}
		b := newBounds(file.Data)
		src := strings.Split(string(file.Data), "\n")
		for _, o := range file.Objects {
			n := 0
			walk(o.Node, nil, 0, func(path loader.Path, node *yaml.Node) bool {
				if n++; n > 2000 {
					return false
				}
				b.check(t, "node "+path.String(), loader.NodePos(node), false)
				pos, end := o.Pos(path)
				b.check(t, "Pos("+path.String()+")", pos, false)
				b.check(t, "end of Pos("+path.String()+")", end, true)
				kp, ke, _ := loader.KeyPos(o.Node, path)
				b.check(t, "KeyPos("+path.String()+")", kp, false)
				b.check(t, "end of KeyPos("+path.String()+")", ke, true)
				missing := path.Key("zz-missing")
				mp, _ := o.Pos(missing)
				b.check(t, "Pos("+missing.String()+")", mp, false)
				if node.Kind == yaml.ScalarNode && node.Style == 0 && node.Value != "" && len(path) > 0 && pos == loader.NodePos(node) && end.IsValid() {
					// A plain scalar with a claimed extent reads as its value.
					line := []rune(strings.TrimPrefix(src[node.Line-1], "\ufeff"))
					if end.Line != node.Line || end.Col-1 > len(line) || string(line[node.Column-1:end.Col-1]) != node.Value {
						t.Fatalf("scalar %q at %d:%d claims to end at %v, which the source does not show", node.Value, node.Line, node.Column, end)
					}
				}
				return true
			})
		}
	})
}

// walk visits every node under n with its path, without following aliases.
func walk(n *yaml.Node, path loader.Path, depth int, fn func(loader.Path, *yaml.Node) bool) bool {
	if n == nil || depth > 200 || n.Kind == yaml.AliasNode {
		return true
	}
	if !fn(path, n) {
		return false
	}
	switch n.Kind {
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if !walk(c, path.Index(i), depth+1, fn) {
				return false
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.Value == "<<" {
				continue
			}
			if !walk(n.Content[i+1], path.Key(k.Value), depth+1, fn) {
				return false
			}
		}
	}
	return true
}

// FuzzDecoders checks that loader.ToJSON, which converts the yaml.v3 tree
// zdlint already holds, produces what sigs.k8s.io/yaml.YAMLToJSON (what
// kubectl runs) produces, for every one-document input both accept.
// Where only one accepts, the difference must be one of the documented
// limits (docs/reliability.md).
func FuzzDecoders(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 || nonSpecificTag.Match(data) {
			return
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			return
		}
		var next yaml.Node
		if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
			return // several documents, or junk after one: YAMLToJSON reads one
		}
		if collidingKeys(&doc, 0) {
			return // YAMLToJSON's answer depends on Go's map order: no oracle
		}
		ours, ourErr := loader.ToJSON(&doc)
		theirs, theirErr := sigsyaml.YAMLToJSON(data)
		if ourErr != nil || theirErr != nil {
			return
		}
		var a, b any
		if err := unmarshalNumbers(ours, &a); err != nil {
			t.Fatalf("ToJSON produced invalid JSON %q: %v", ours, err)
		}
		if err := unmarshalNumbers(theirs, &b); err != nil {
			return
		}
		if !sameJSON(a, b) {
			t.Fatalf("decoders disagree on %q:\nToJSON:     %s\nYAMLToJSON: %s", data, ours, theirs)
		}
	})
}

// collidingKeys reports whether a mapping holds two different keys that
// become the same JSON key (0 and 0., 1 and 1.0, true and "true"). YAMLToJSON
// builds a Go map from yaml.v2's map[interface{}]interface{}, so which
// value survives such a collision depends on Go's random map iteration
// order: the same input gives either answer on different runs (found by
// this fuzz target: "0:\n  - 0\n0.:" gave {"0":[0]} or {"0":null}), and
// there is nothing deterministic to compare ToJSON with.
func collidingKeys(n *yaml.Node, depth int) bool {
	if n == nil || depth > 64 {
		return false
	}
	if n.Kind == yaml.MappingNode {
		seen := map[string]string{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.Value == "<<" {
				continue
			}
			one := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{k, {Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}}}
			js, err := loader.ToJSON(one)
			if err != nil {
				continue
			}
			id := k.Tag + "\x00" + k.Value
			if prev, ok := seen[string(js)]; ok && prev != id {
				return true
			}
			seen[string(js)] = id
		}
	}
	for _, c := range n.Content {
		if collidingKeys(c, depth+1) {
			return true
		}
	}
	return false
}

// nonSpecificTag finds the "!" tag, which forces a string in YAML 1.1
// ("! 1" is "1"). yaml.v3 resolves the scalar as if untagged and keeps no
// trace of the tag in the node, so ToJSON cannot follow; a documented
// difference (docs/reliability.md), irrelevant to Kubernetes manifests.
var nonSpecificTag = regexp.MustCompile(`(^|[\s\[\]{},:?-])!($|[\s\[\]{},])`)

func unmarshalNumbers(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	return d.Decode(v)
}

// sameJSON compares decoded JSON values, numbers by value.
func sameJSON(a, b any) bool {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return false
		}
		for k, v := range a {
			w, ok := bm[k]
			if !ok || !sameJSON(v, w) {
				return false
			}
		}
		return true
	case []any:
		bs, ok := b.([]any)
		if !ok || len(a) != len(bs) {
			return false
		}
		for i := range a {
			if !sameJSON(a[i], bs[i]) {
				return false
			}
		}
		return true
	case json.Number:
		bn, ok := b.(json.Number)
		if !ok {
			return false
		}
		x, ok1 := new(big.Float).SetString(a.String())
		y, ok2 := new(big.Float).SetString(bn.String())
		return ok1 && ok2 && x.Cmp(y) == 0
	default:
		return a == b
	}
}
