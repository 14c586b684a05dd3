package render

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/zdlint/zdlint/loader"
)

// kustFileNames are the names Kustomize looks for in a directory, in its
// order.
var kustFileNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// IsKustomizationName reports whether a base name is a kustomization file.
func IsKustomizationName(base string) bool {
	for _, n := range kustFileNames {
		if base == n {
			return true
		}
	}
	return false
}

// kustomization is one kustomization file as zdlint needs it: what it
// includes (to find the roots and the files they consume) and its patches
// (to tell which file set a field). Building is left to Kustomize.
type kustomization struct {
	dir  string // as displayed: relative paths like the loader's names
	file string // dir joined with the file name
	kind string // Kustomization or Component
	data []byte
	root *yaml.Node // the file's mapping; nil when it does not parse
	err  string     // why it could not be read

	subdirs    []string // resources and bases that are directories
	components []string // component directories
	consumed   []string // files it reads: resources, patches, generator inputs
	resFiles   []string // the resources that are files (whole objects)
	remotes    []remoteRef
	helmCharts *yaml.Node // the helmCharts key, when present
	patches    []*patch
	// read reads the files it names (patches): Options.Files, else disk.
	read func(string) ([]byte, error)
}

// remoteRef is a resource Kustomize would fetch over the network.
type remoteRef struct {
	url string
	key *yaml.Node // the list item naming it
}

// findKustomization returns the kustomization file in dir, or "".
func findKustomization(dir string) string {
	for _, n := range kustFileNames {
		p := filepath.Join(dir, n)
		if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// parseKustomization reads the kustomization file at path.
func parseKustomization(path string, read func(string) ([]byte, error)) *kustomization {
	k := &kustomization{dir: filepath.Dir(path), file: path, kind: "Kustomization", read: read}
	data, err := os.ReadFile(path)
	if err != nil {
		k.err = err.Error()
		return k
	}
	k.data = data
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		k.err = "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")
		return k
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return k
	}
	k.root = doc.Content[0]
	if v := field(k.root, "kind"); v != nil && v.Value != "" {
		k.kind = v.Value
	}
	for _, key := range []string{"resources", "bases"} {
		for _, item := range seqItems(field(k.root, key)) {
			if item.Kind != yaml.ScalarNode || item.Value == "" {
				continue
			}
			k.addResource(item)
		}
	}
	for _, item := range seqItems(field(k.root, "components")) {
		if item.Kind != yaml.ScalarNode || item.Value == "" {
			continue
		}
		p := filepath.Join(k.dir, item.Value)
		if isDir(p) {
			k.components = append(k.components, filepath.Clean(p))
		} else if isRemote(item.Value) {
			k.remotes = append(k.remotes, remoteRef{url: item.Value, key: item})
		}
	}
	k.helmCharts = field(k.root, "helmCharts")
	// Every other key that names files: they are read by the build, so they
	// are never linted on their own.
	for _, key := range []string{"transformers", "generators", "validators", "crds", "configurations", "patchesStrategicMerge"} {
		for _, item := range seqItems(field(k.root, key)) {
			k.addFile(item)
		}
	}
	for _, key := range []string{"configMapGenerator", "secretGenerator"} {
		for _, g := range seqItems(field(k.root, key)) {
			for _, sub := range []string{"files", "envs"} {
				for _, item := range seqItems(field(g, sub)) {
					if item.Kind == yaml.ScalarNode {
						_, p, found := strings.Cut(item.Value, "=")
						if !found {
							p = item.Value
						}
						k.addPath(p)
					}
				}
			}
			if e := field(g, "env"); e != nil && e.Kind == yaml.ScalarNode {
				k.addPath(e.Value)
			}
		}
	}
	for _, key := range []string{"patches", "patchesJson6902", "replacements"} {
		for _, item := range seqItems(field(k.root, key)) {
			if p := field(item, "path"); p != nil && p.Kind == yaml.ScalarNode {
				k.addPath(p.Value)
			}
		}
	}
	if o := field(k.root, "openapi"); o != nil {
		if p := field(o, "path"); p != nil {
			k.addPath(p.Value)
		}
	}
	k.patches = k.readPatches()
	return k
}

func (k *kustomization) addResource(item *yaml.Node) {
	p := filepath.Join(k.dir, item.Value)
	info, err := os.Stat(p)
	switch {
	case err == nil && info.IsDir():
		k.subdirs = append(k.subdirs, filepath.Clean(p))
	case err == nil:
		k.consumed = append(k.consumed, filepath.Clean(p))
		k.resFiles = append(k.resFiles, filepath.Clean(p))
	case isRemote(item.Value):
		k.remotes = append(k.remotes, remoteRef{url: item.Value, key: item})
	}
}

// addFile records a list entry that is a file name, not inline YAML.
func (k *kustomization) addFile(item *yaml.Node) {
	if item.Kind == yaml.ScalarNode && !strings.Contains(item.Value, "\n") {
		k.addPath(item.Value)
	}
}

func (k *kustomization) addPath(rel string) {
	if rel == "" {
		return
	}
	p := filepath.Join(k.dir, rel)
	if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() {
		k.consumed = append(k.consumed, filepath.Clean(p))
	}
}

// isRemote reports whether a resource entry is a URL Kustomize would
// fetch (git or http), following Kustomize's own spellings.
func isRemote(s string) bool {
	if strings.Contains(s, "://") || strings.HasPrefix(s, "git@") || strings.Contains(s, "?ref=") {
		return true
	}
	for _, host := range []string{"github.com/", "gitlab.com/", "bitbucket.org/", "dev.azure.com/"} {
		if strings.HasPrefix(s, host) {
			return true
		}
	}
	return false
}

func isDir(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}

// field returns the value node of key in mapping m.
func field(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// fieldKey returns the key node of key in mapping m.
func fieldKey(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i]
		}
	}
	return nil
}

func seqItems(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// tree is the set of kustomizations zdlint knows in one run, by directory.
type tree struct {
	read  func(string) ([]byte, error)
	byDir map[string]*kustomization
	order []string // directories in the order they were added
}

func newTree(read func(string) ([]byte, error)) *tree {
	return &tree{read: read, byDir: map[string]*kustomization{}}
}

// add parses the kustomization in dir (once) and everything it includes.
func (t *tree) add(dir string) {
	dir = filepath.Clean(dir)
	if _, ok := t.byDir[dir]; ok {
		return
	}
	file := findKustomization(dir)
	if file == "" {
		return
	}
	k := parseKustomization(file, t.read)
	t.byDir[dir] = k
	t.order = append(t.order, dir)
	for _, d := range k.subdirs {
		t.add(d)
	}
	for _, d := range k.components {
		t.add(d)
	}
}

// roots returns the kustomizations of kind Kustomization that no other
// kustomization of the tree includes, in the order they were added.
func (t *tree) roots() []*kustomization {
	included := map[string]bool{}
	for _, k := range t.byDir {
		for _, d := range k.subdirs {
			included[d] = true
		}
		for _, d := range k.components {
			included[d] = true
		}
	}
	var out []*kustomization
	for _, d := range t.order {
		k := t.byDir[d]
		if included[d] || k.kind == "Component" {
			continue
		}
		out = append(out, k)
	}
	return out
}

// closure returns k and every kustomization it includes, each once, in
// post-order (what Kustomize applies first comes first).
func (t *tree) closure(k *kustomization) []*kustomization {
	var out []*kustomization
	seen := map[*kustomization]bool{}
	var visit func(k *kustomization)
	visit = func(k *kustomization) {
		if k == nil || seen[k] {
			return
		}
		seen[k] = true
		for _, d := range k.subdirs {
			visit(t.byDir[d])
		}
		for _, d := range k.components {
			visit(t.byDir[d])
		}
		out = append(out, k)
	}
	visit(k)
	return out
}

// consumedBy returns the files the kustomizations in ks read, their
// kustomization files included.
func consumedBy(ks []*kustomization) map[string]bool {
	out := map[string]bool{}
	for _, k := range ks {
		out[k.file] = true
		for _, f := range k.consumed {
			out[f] = true
		}
	}
	return out
}

// withoutKeys returns the kustomization's text with the given list items
// and keys dropped, and buildMetadata: [originAnnotations] added when
// origin is set: what Kustomize reads instead of the file, so that the
// user's file is never touched.
func (k *kustomization) rewritten(origin bool, dropItems map[*yaml.Node]bool, dropKeys map[string]bool) ([]byte, error) {
	if k.root == nil {
		return k.data, nil
	}
	if !origin && len(dropItems) == 0 && len(dropKeys) == 0 {
		return k.data, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(k.data, &doc); err != nil {
		return nil, err
	}
	// The copy has the same shape as k.root; drop by position.
	root := doc.Content[0]
	dropPos := map[loader.Pos]bool{}
	for n := range dropItems {
		dropPos[loader.NodePos(n)] = true
	}
	var content []*yaml.Node
	hasMeta := false
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		if dropKeys[key.Value] {
			continue
		}
		if val.Kind == yaml.SequenceNode && len(dropPos) > 0 {
			var items []*yaml.Node
			for _, it := range val.Content {
				if !dropPos[loader.NodePos(it)] {
					items = append(items, it)
				}
			}
			val.Content = items
		}
		if key.Value == "buildMetadata" && origin {
			hasMeta = true
			found := false
			for _, it := range val.Content {
				if it.Value == "originAnnotations" {
					found = true
				}
			}
			if !found {
				val.Content = append(val.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "originAnnotations"})
			}
		}
		content = append(content, key, val)
	}
	if origin && !hasMeta {
		content = append(content,
			&yaml.Node{Kind: yaml.ScalarNode, Value: "buildMetadata"},
			&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "originAnnotations"}}})
	}
	root.Content = content
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}
