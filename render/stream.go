package render

import (
	"bytes"
	"errors"
	"io"
	"sort"

	yaml "go.yaml.in/yaml/v3"

	"github.com/zdlint/zdlint/loader"
)

// stream is one rendering (a kustomization built, a chart templated) as
// the engine lints it, and what maps its positions back to the sources.
type stream struct {
	name string // the input name the engine sees
	data []byte
	root string // the kustomization or Chart.yaml that produced it
	docs []*rdoc
	// only, when set, limits the findings reported to these files: the
	// files named on the command line that led zdlint to this rendering.
	only map[string]bool
}

// rdoc is one rendered object and where it came from.
type rdoc struct {
	first, last int        // its lines in the stream
	node        *yaml.Node // the rendered object, parsed from the stream
	kind, name  string
	origin      string     // the file defining the object; "" unknown
	src         *yaml.Node // the object's document in origin
	origName    string     // its name there
	patches     []*patch   // patches that may have changed it, in order
	fallback    string     // where a position goes when nothing else fits
	// nearTemplate refines a position in a Helm template whose field
	// comes from a template action (include, toYaml); nil for Kustomize.
	nearTemplate func(m match, full bool) (loader.Pos, bool)
	templated    bool // origin is a template: no extents
}

// parse decodes the stream's documents onto its rdocs, in order.
func (s *stream) parse() {
	dec := yaml.NewDecoder(bytes.NewReader(s.data))
	i := 0
	for i < len(s.docs) {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) || err != nil {
			return
		}
		if len(doc.Content) == 0 {
			continue
		}
		s.docs[i].node = doc.Content[0]
		i++
	}
}

// doc returns the rendered object holding a line.
func (s *stream) doc(line int) *rdoc {
	i := sort.Search(len(s.docs), func(i int) bool { return s.docs[i].last >= line })
	if i < len(s.docs) && s.docs[i].first <= line {
		return s.docs[i]
	}
	return nil
}

// locate maps a position in the stream, about the field at path (the
// finding's path; empty: the node at pos), to a file and position.
func (s *stream) locate(pos loader.Pos, path loader.Path, havePath bool) (file string, at, end loader.Pos) {
	defer func() {
		// Mapping is best effort: a position it cannot place goes to the
		// kustomization or Chart.yaml, never takes the run down.
		if r := recover(); r != nil {
			file, at, end = s.root, loader.Pos{Line: 1, Col: 1}, loader.Pos{}
		}
	}()
	d := s.doc(pos.Line)
	if d == nil || d.node == nil {
		return s.root, loader.Pos{Line: 1, Col: 1}, loader.Pos{}
	}
	wantKey := false
	if !havePath {
		path, wantKey = pathAt(d.node, pos)
	} else if k, _, ok := loader.Lookup(d.node, path); ok && k != nil && loader.NodePos(k) == pos {
		wantKey = true
	}
	return d.mapPath(path, wantKey)
}

// mapPath finds the source of the field at path of a rendered object: the
// line of the last patch that wrote it, else the line in the file that
// defines the object, else the closest existing node of either.
func (d *rdoc) mapPath(path loader.Path, wantKey bool) (file string, at, end loader.Pos) {
	if d.src == nil {
		if d.origin != "" {
			return d.origin, loader.Pos{Line: 1, Col: 1}, loader.Pos{}
		}
		return d.fallback, loader.Pos{Line: 1, Col: 1}, loader.Pos{}
	}
	full := len(path)
	best := walk(d.src, path, d.node)
	var bestPatch *patch
	bestFull := best.depth == full
	// A patch names its object and its list items: those fields identify,
	// they do not set, so findings on them stay where the object is.
	identifying := isIdentifying(path)
	for _, p := range d.patches {
		consider := func(m match) {
			if m.node == nil {
				return
			}
			if m.depth == full && !identifying && (!bestFull || isScalar(m.node)) {
				// A patch sets a value; a mapping it only passes through
				// (spec: on the way to spec.replicas) stays with the base.
				best, bestPatch, bestFull = m, p, true
			} else if !bestFull && m.depth > best.depth && m.depth < full {
				best, bestPatch = m, p
			}
		}
		for _, doc := range p.smp {
			if !p.hasTarget && !docMatches(doc, d.kind, d.origName, d.name) {
				continue
			}
			consider(walk(doc, path, d.node))
		}
		for i := range p.ops {
			consider(p.ops[i].match(path, d.node))
		}
	}
	n := best.at(bestFull, wantKey)
	if bestPatch != nil {
		return bestPatch.file, bestPatch.pos(n), loader.Pos{}
	}
	if d.nearTemplate != nil {
		if pos, ok := d.nearTemplate(best, bestFull); ok {
			return d.origin, pos, loader.Pos{}
		}
	}
	at = loader.NodePos(n)
	if !d.templated {
		end = loader.NodeEnd(n)
	}
	return d.origin, at, end
}

// isIdentifying reports whether path ends at a field that names its object
// or list item rather than configuring it.
func isIdentifying(path loader.Path) bool {
	switch path.String() {
	case "", "apiVersion", "kind", "metadata", "metadata.name", "metadata.namespace":
		return true
	}
	n := len(path)
	if n >= 2 && path[n-2].IsIndex && !path[n-1].IsIndex {
		for _, k := range identityKeys {
			if path[n-1].Key == k {
				return true
			}
		}
	}
	return n >= 1 && path[n-1].IsIndex
}

// pathAt returns the path of the node at pos inside root, and whether pos
// is a key's. Without an exact node it returns the deepest mapping entry
// or item on pos's line, else the root.
func pathAt(root *yaml.Node, pos loader.Pos) (loader.Path, bool) {
	var best loader.Path
	bestKey := false
	found := false
	var visit func(n *yaml.Node, p loader.Path, depth int) bool
	visit = func(n *yaml.Node, p loader.Path, depth int) bool {
		if n == nil || depth > 200 {
			return false
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				kp := p.Key(k.Value)
				if loader.NodePos(k) == pos {
					best, bestKey, found = kp, true, true
					return true
				}
				if loader.NodePos(v) == pos && v.Kind == yaml.ScalarNode {
					best, bestKey, found = kp, false, true
					return true
				}
				if !found && k.Line == pos.Line {
					best, bestKey = kp, true
				}
				if visit(v, kp, depth+1) {
					return true
				}
			}
		case yaml.SequenceNode:
			for i, it := range n.Content {
				ip := p.Index(i)
				if loader.NodePos(it) == pos && it.Kind == yaml.ScalarNode {
					best, found = ip, true
					return true
				}
				if visit(it, ip, depth+1) {
					return true
				}
			}
		}
		return false
	}
	visit(root, nil, 0)
	return best, bestKey
}

func isScalar(n *yaml.Node) bool { return n != nil && n.Kind == yaml.ScalarNode }
