package render

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sync"

	yaml "go.yaml.in/yaml/v3"

	"github.com/zdlint/zdlint/loader"
)

// match is how far a field path reaches into a source document.
type match struct {
	node  *yaml.Node // the deepest node reached
	key   *yaml.Node // its key when it is a mapping entry
	depth int        // segments of the path found
}

// identityKeys are the fields that name an item of a Kubernetes list: the
// strategic-merge keys of the lists rules look into (containers, volumes,
// env, ports, volumeMounts, host aliases).
var identityKeys = []string{"name", "containerPort", "mountPath", "devicePath", "ip"}

// identity returns the identity field of a rendered list item and its
// value, or "" when the item has none.
func identity(item *yaml.Node) (key, val string) {
	if item == nil || item.Kind != yaml.MappingNode {
		return "", ""
	}
	for _, k := range identityKeys {
		if v := field(item, k); v != nil && v.Kind == yaml.ScalarNode && v.Value != "" {
			return k, v.Value
		}
	}
	return "", ""
}

// walk follows path through src. rendered is the built object at the same
// place: list items are matched by their identity (a container by its
// name), not their index, since a patch lists only the items it changes.
// Items whose identity is blank in the source (a Helm template writes
// name: {{ ... }}) are matched by index.
func walk(src *yaml.Node, path loader.Path, rendered *yaml.Node) match {
	m := match{node: src}
	cur, r := src, rendered
	for i, seg := range path {
		if cur == nil {
			break
		}
		if seg.IsIndex {
			if cur.Kind != yaml.SequenceNode {
				break
			}
			var ritem *yaml.Node
			if r != nil && r.Kind == yaml.SequenceNode && seg.Index < len(r.Content) {
				ritem = r.Content[seg.Index]
			}
			item := matchItem(cur, seg.Index, ritem)
			if item == nil {
				break
			}
			cur, r = item, ritem
			m = match{node: cur, depth: i + 1}
			continue
		}
		if cur.Kind != yaml.MappingNode {
			break
		}
		k := fieldKey(cur, seg.Key)
		if k == nil {
			break
		}
		cur, r = field(cur, seg.Key), field(r, seg.Key)
		m = match{node: cur, key: k, depth: i + 1}
	}
	return m
}

func matchItem(seq *yaml.Node, idx int, ritem *yaml.Node) *yaml.Node {
	id, val := identity(ritem)
	blank := true
	if id != "" {
		for _, it := range seq.Content {
			v := scalar(field(it, id))
			if v == val {
				return it
			}
			if v != "" {
				blank = false
			}
		}
		if !blank {
			return nil
		}
	}
	if idx < len(seq.Content) {
		return seq.Content[idx]
	}
	if blank && len(seq.Content) == 1 {
		// One templated item that a range repeats.
		return seq.Content[0]
	}
	return nil
}

// at returns the node a finding belongs on, as loader.Object.Pos does for
// plain files: the value of a field that exists (its key when wantKey, or
// for collections and empty values), else the deepest existing ancestor.
func (m match) at(full, wantKey bool) *yaml.Node {
	if m.node == nil {
		return nil
	}
	if full {
		if wantKey && m.key != nil {
			return m.key
		}
		if m.node.Kind == yaml.ScalarNode && (m.node.Tag != "!!null" || m.node.Value != "") {
			return m.node
		}
	}
	if m.key != nil {
		return m.key
	}
	return m.node
}

// sourceCache parses each source file once per run.
type sourceCache struct {
	mu    sync.Mutex
	files map[string][]*yaml.Node
	data  map[string][]byte
	tmpls map[string]*template
	// overlay holds texts that replace files on disk (Options.Files).
	overlay map[string][]byte
}

// read returns a file's text: the overlay's, else the disk's.
func (c *sourceCache) read(path string) ([]byte, error) {
	if d, ok := c.overlay[filepath.Clean(path)]; ok {
		return d, nil
	}
	return os.ReadFile(path)
}

// text returns the text docs parsed for path.
func (c *sourceCache) text(path string) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.data[path]
}

// docs returns the mapping documents of a file.
func (c *sourceCache) docs(path string) []*yaml.Node {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d, ok := c.files[path]; ok {
		return d
	}
	if c.files == nil {
		c.files = map[string][]*yaml.Node{}
	}
	if c.data == nil {
		c.data = map[string][]byte{}
	}
	var out []*yaml.Node
	if data, err := c.read(path); err == nil {
		out = parseDocs(data)
		c.data[path] = data
	}
	c.files[path] = out
	return out
}

// parseDocs returns the mapping documents of a YAML stream, stopping at
// the first syntax error.
func parseDocs(data []byte) []*yaml.Node {
	var out []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) || err != nil {
			return out
		}
		if len(doc.Content) > 0 && doc.Content[0].Kind == yaml.MappingNode {
			out = append(out, doc.Content[0])
		}
	}
}

// objectDoc finds the document of kind in docs that became the object
// named rendered: the same name, or the longest name the rendered one
// contains (Kustomize adds prefixes, suffixes and hashes).
func objectDoc(docs []*yaml.Node, kind, rendered string) (doc *yaml.Node, name string) {
	var only *yaml.Node
	n := 0
	for _, d := range docs {
		if scalar(field(d, "kind")) != kind {
			continue
		}
		n++
		only = d
		nm := scalar(field(field(d, "metadata"), "name"))
		if nm == rendered {
			return d, nm
		}
		if nm != "" && bytes.Contains([]byte(rendered), []byte(nm)) && len(nm) > len(name) {
			doc, name = d, nm
		}
	}
	if doc == nil && n == 1 {
		return only, scalar(field(field(only, "metadata"), "name"))
	}
	return doc, name
}

var (
	reMu    sync.Mutex
	reCache = map[string]*regexp.Regexp{}
)

func compileCached(expr string) (*regexp.Regexp, error) {
	reMu.Lock()
	defer reMu.Unlock()
	if re, ok := reCache[expr]; ok {
		return re, nil
	}
	re, err := regexp.Compile(expr)
	if err == nil {
		reCache[expr] = re
	}
	return re, err
}
