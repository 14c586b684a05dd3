package cli

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/zdlint/zdlint/loader"
)

// Relevant siblings (docs/cross-object.md, "Sibling context"): when the
// manifests beside the linted files are more than SiblingBudget, only those
// that may relate to a linted object are parsed. Relevance is decided on
// the raw text, without a YAML parse, from what every cross-object
// relation of the rules needs the related file to contain:
//
//   - by name (an HPA's or ScaledObject's scaleTargetRef, a Canary's
//     targetRef and autoscalerRef, a Rollout's workloadRef and Services, a
//     VirtualService's hosts and delegates, a DestinationRule's host, two
//     definitions of one object): the file holds the name;
//   - by labels, the linted object selecting (a PodDisruptionBudget, a
//     Service, a ServiceMonitor or PodMonitor): the file holds every value
//     of its matchLabels;
//   - by labels, a sibling selecting the linted object's pods (or, for a
//     ServiceMonitor, its Service's labels): a selector block of the file
//     lists only label pairs the object carries; a selector the scan
//     cannot read that way (expressions, flow it does not follow, an empty
//     one) keeps a file holding a PodDisruptionBudget relevant.
//
// Two hops (a VirtualService routing to the Service that selects the
// linted pods, a ServiceMonitor selecting that Service, the HPA of
// another workload behind the same Service) are found by parsing the
// relevant files and scanning again with their names and labels, for at
// most relevanceRounds rounds. A relevant file that turns out to hold no
// relation (the name in a comment) is only parsed for nothing.

// relevanceRounds bounds the token closure: three hops cover a
// VirtualService linted, its Service, the Service's workloads, their HPAs.
const relevanceRounds = 4

// relevance is what makes a sibling file relevant to the objects read so
// far (the linted ones, then the relevant siblings).
type relevance struct {
	names    map[string]bool
	nameList [][]byte // the names, as searched
	// all are label value sets of which a related file holds every one
	// (the linted object's selectors).
	all [][][]byte
	// carried are label sets of which a selector block of a related file
	// lists a subset (pod labels, a Service's own labels).
	carried []map[string]bool
	// everything is set when an object relates to objects the scan
	// cannot tell (a budget with an empty or expression-only selector):
	// every sibling is relevant.
	everything bool
	seenAll    map[string]bool
	// siblings is set once the linted files are read: a sibling's own
	// unreadable selector does not make every file relevant (what it
	// selects besides the linted pods is no linted object's business).
	siblings bool
	// services are the namespaces (as written) of the Services read;
	// servicesLinted those of the linted files' (see opaqueFor).
	services, servicesLinted map[string]bool
}

func newRelevance() *relevance {
	return &relevance{names: map[string]bool{}, seenAll: map[string]bool{}, services: map[string]bool{}}
}

// addData reads the objects of one file (YAML, or JSON, which is YAML) and
// records what relates to them. A file it cannot parse adds what it read
// before the error.
func (r *relevance) addData(data []byte) {
	dec := yaml.NewDecoder(bytes.NewReader(loader.Text(data)))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) || err != nil {
			return
		}
		if len(doc.Content) == 1 {
			r.addObject(doc.Content[0])
		}
	}
}

// addObject records one object (a List's items each).
func (r *relevance) addObject(m *yaml.Node) {
	if m.Kind != yaml.MappingNode {
		return
	}
	kind := scalarOf(child(m, "kind"))
	if items := child(m, "items"); items != nil && items.Kind == yaml.SequenceNode && strings.HasSuffix(kind, "List") {
		for _, it := range items.Content {
			r.addObject(it)
		}
		return
	}
	meta := child(m, "metadata")
	r.addName(scalarOf(child(meta, "name")))
	if kind == "Service" {
		r.addCarried(child(meta, "labels"))
		r.services[scalarOf(child(meta, "namespace"))] = true
	}
	spec := child(m, "spec")
	if spec == nil {
		return
	}
	r.walk(spec, "", kind)
}

// walk records the references, selectors and pod labels under n, the value
// of key parent.
func (r *relevance) walk(n *yaml.Node, parent, kind string) {
	switch n.Kind {
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if parent == "hosts" && c.Kind == yaml.ScalarNode {
				r.addHost(c.Value)
				continue
			}
			r.walk(c, parent, kind)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i].Value, n.Content[i+1]
			switch {
			case v.Kind == yaml.ScalarNode && hostKeys[k]:
				r.addHost(v.Value)
			case v.Kind == yaml.ScalarNode && k == "name" && refParent(parent):
				r.addName(v.Value)
			case k == "selector" && v.Kind == yaml.MappingNode:
				r.addSelector(v, kind)
			case k == "template" && v.Kind == yaml.MappingNode:
				r.addCarried(child(child(v, "metadata"), "labels"))
				r.walk(v, k, kind)
			default:
				r.walk(v, k, kind)
			}
		}
	}
}

// hostKeys hold a Service's name or host (Istio hosts, Argo Rollouts'
// Services).
var hostKeys = map[string]bool{"host": true, "canaryService": true, "stableService": true, "activeService": true, "previewService": true, "rootService": true}

// refParent reports whether a name under key parent names another object
// (a scaleTargetRef's, a Canary's service, a Rollout's virtualService).
func refParent(parent string) bool {
	switch parent {
	case "scaleTargetRef", "targetRef", "workloadRef", "autoscalerRef", "delegate", "destinationRule":
		return true
	}
	return strings.Contains(strings.ToLower(parent), "service")
}

func (r *relevance) addName(s string) {
	s = strings.TrimSuffix(s, "-primary") // Flagger's copy is named after its target
	if s != "" && !r.names[s] {
		r.names[s] = true
		r.nameList = append(r.nameList, []byte(s))
	}
}

// addHost records the Service an Istio host or a Service reference names:
// its first DNS label.
func (r *relevance) addHost(h string) {
	if strings.Contains(h, "*") {
		return
	}
	name, _, _ := strings.Cut(h, ".")
	r.addName(name)
}

// addSelector records a selector: a related file holds every value of its
// matchLabels (a Service's selector is the map itself). A budget whose
// selector has none selects by rules the scan cannot follow.
func (r *relevance) addSelector(sel *yaml.Node, kind string) {
	pairs := sel
	if ml := child(sel, "matchLabels"); ml != nil || child(sel, "matchExpressions") != nil {
		pairs = ml
	}
	var vals [][]byte
	if pairs != nil && pairs.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(pairs.Content); i += 2 {
			if v := pairs.Content[i+1]; v.Kind == yaml.ScalarNode && v.Value != "" {
				vals = append(vals, []byte(strings.TrimSuffix(v.Value, "-primary")))
			}
		}
	}
	if len(vals) == 0 {
		if kind == "PodDisruptionBudget" && !r.siblings {
			r.everything = true
		}
		return
	}
	key := string(bytes.Join(vals, []byte{0}))
	if !r.seenAll[key] {
		r.seenAll[key] = true
		r.all = append(r.all, vals)
	}
}

// addCarried records labels that a selector of a related file matches; a
// Flagger -primary copy carries them with "-primary" added to a value.
func (r *relevance) addCarried(labels *yaml.Node) {
	if labels == nil || labels.Kind != yaml.MappingNode || len(labels.Content) == 0 {
		return
	}
	set := map[string]bool{}
	for i := 0; i+1 < len(labels.Content); i += 2 {
		k, v := labels.Content[i].Value, labels.Content[i+1].Value
		set[k+": "+v] = true
		set[k+": "+v+"-primary"] = true
	}
	r.carried = append(r.carried, set)
}

// child returns the value of key in mapping m, or nil. It is the loader's
// own lookup, so aliases and merge keys resolve as they do when the file is
// linted: a name or selector the scan reads is the one the rules see.
func child(m *yaml.Node, key string) *yaml.Node {
	_, v, _ := loader.Lookup(m, loader.P(key))
	return v
}

func scalarOf(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// relevant reports whether a sibling file may relate to an object recorded.
func (r *relevance) relevant(path string, data []byte) bool {
	if r.everything || strings.EqualFold(filepath.Ext(path), ".json") {
		return true // JSON: the selector scan reads YAML blocks only
	}
	for _, name := range r.nameList {
		if bytes.Contains(data, name) {
			return true
		}
	}
	for _, vals := range r.all {
		all := true
		for _, v := range vals {
			if !bytes.Contains(data, v) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return r.selectsCarried(data)
}

// selectsCarried scans the selector blocks of a YAML file (the lines under
// a "selector:" or "matchLabels:" key, or its flow mapping) for one that
// lists only label pairs of a recorded set. A block it cannot read as
// plain pairs counts when the file holds a PodDisruptionBudget, the one
// kind whose empty or expression selector selects pods.
func (r *relevance) selectsCarried(data []byte) bool {
	pdb := bytes.Contains(data, []byte("PodDisruptionBudget"))
	if len(r.carried) == 0 && !pdb {
		return false
	}
	data = loader.Text(data)
	for _, key := range [][]byte{[]byte("selector:"), []byte("matchLabels:")} {
		for from := 0; ; {
			i := bytes.Index(data[from:], key)
			if i < 0 {
				break
			}
			i += from
			from = i + len(key)
			ls := bytes.LastIndexByte(data[:i], '\n') + 1
			if len(bytes.Trim(data[ls:i], " -")) != 0 {
				continue // not a key of its own (podSelector:, a value)
			}
			pairs, opaque := blockPairs(data, i-ls, from)
			if opaque || len(pairs) == 0 {
				if pdb {
					return true
				}
				continue
			}
			for _, set := range r.carried {
				sub := true
				for _, p := range pairs {
					if !set[p] {
						sub = false
						break
					}
				}
				if sub {
					return true
				}
			}
		}
	}
	return false
}

// blockPairs reads the label pairs of the selector block whose key ends at
// data[from] and starts at column indent: a flow mapping after the key,
// or the more indented lines below it. opaque is true when a line is not
// a plain pair.
func blockPairs(data []byte, indent, from int) (pairs []string, opaque bool) {
	line, next := lineFrom(data, from)
	if rest := strings.TrimSpace(stripComment(line)); rest != "" {
		return flowPairs(rest)
	}
	for next < len(data) {
		var l string
		l, next = lineFrom(data, next)
		s := strings.TrimLeft(l, " ")
		if s == "" || s[0] == '#' {
			continue
		}
		if len(l)-len(s) <= indent {
			break
		}
		s = strings.TrimSpace(stripComment(s))
		switch {
		case s == "matchLabels:":
		case strings.HasPrefix(s, "matchLabels:"):
			p, o := flowPairs(strings.TrimSpace(s[len("matchLabels:"):]))
			pairs, opaque = append(pairs, p...), opaque || o
		default:
			k, v, ok := strings.Cut(s, ":")
			v = strings.TrimSpace(v)
			if !ok || v == "" || strings.HasPrefix(k, "-") || strings.ContainsAny(v, "{[") {
				opaque = true
			} else {
				pairs = append(pairs, unquote(k)+": "+unquote(v))
			}
		}
	}
	return pairs, opaque
}

// lineFrom returns the rest of the line at data[from] (without its line
// break) and where the next line starts.
func lineFrom(data []byte, from int) (string, int) {
	end := bytes.IndexByte(data[from:], '\n')
	if end < 0 {
		return strings.TrimRight(string(data[from:]), " \t\r"), len(data)
	}
	return strings.TrimRight(string(data[from:from+end]), " \t\r"), from + end + 1
}

// flowPairs reads a flow mapping of label pairs ("{app: web}", or
// "{matchLabels: {app: web}}"); opaque is true for anything else.
func flowPairs(s string) (pairs []string, opaque bool) {
	s = strings.ReplaceAll(s, "matchLabels:", "")
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "[]") || !strings.HasPrefix(s, "{") {
		return nil, true
	}
	s = strings.NewReplacer("{", "", "}", "").Replace(s)
	for p := range strings.SplitSeq(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		k, v, ok := strings.Cut(p, ":")
		if !ok || strings.TrimSpace(v) == "" {
			return nil, true
		}
		pairs = append(pairs, unquote(k)+": "+unquote(v))
	}
	return pairs, false
}

func unquote(s string) string { return strings.Trim(strings.TrimSpace(s), `"'`) }

func stripComment(s string) string {
	if i := strings.Index(s, " #"); i >= 0 {
		return s[:i]
	}
	return s
}

// Opaque pod sources. The Index counts any custom resource it does not
// read as a maker of pods with unknown labels (rules.PodSourceFact), so a
// linted Service is not reported as selecting nothing while one is in its
// namespace, whatever its name or labels. No token finds it; instead one
// sibling holding such a resource is kept for each namespace of a linted
// Service, which gives the Service's rule the answer all of them would.

// opaqueNamespaces returns the namespaces, as written in a top-level
// "  namespace:" line ("" without one), of the documents of data whose
// top-level apiVersion and kind lines name a custom resource the Index
// counts as an opaque pod source: one zdlint does not decode, or a Flagger
// Canary or an Istio VirtualService or DestinationRule. ServiceMonitors
// and PodMonitors are left out (with a matchLabels selector they are
// monitors, not pod sources), and so are the items of Lists.
func opaqueNamespaces(data []byte) map[string]bool {
	custom := false // the fast way out: no top-level apiVersion of a custom group
	for from := 0; !custom; {
		i := bytes.Index(data[from:], []byte("apiVersion:"))
		if i < 0 {
			break
		}
		i += from
		from = i + 1
		if i == 0 || data[i-1] == '\n' {
			v, _ := lineFrom(data, i+len("apiVersion:"))
			custom = customGroup(scalarValue(v))
		}
	}
	if !custom {
		return nil
	}
	var out map[string]bool
	var apiVersion, kind, ns string
	done := func() {
		if kind != "" && customGroup(apiVersion) && opaqueKind(apiVersion, kind) {
			if out == nil {
				out = map[string]bool{}
			}
			out[ns] = true
		}
		apiVersion, kind, ns = "", "", ""
	}
	for line := range strings.SplitSeq(string(loader.Text(data)), "\n") {
		line = strings.TrimRight(line, " \t\r")
		switch {
		case strings.HasPrefix(line, "---"):
			done()
		case strings.HasPrefix(line, "kind:"):
			kind = scalarValue(line[len("kind:"):])
		case strings.HasPrefix(line, "apiVersion:"):
			apiVersion = scalarValue(line[len("apiVersion:"):])
		case strings.HasPrefix(line, "  namespace:"):
			ns = scalarValue(line[len("  namespace:"):])
		}
	}
	done()
	return out
}

func customGroup(apiVersion string) bool {
	group, _, ok := strings.Cut(apiVersion, "/")
	return ok && strings.Contains(group, ".") && !strings.HasSuffix(group, ".k8s.io") && group != "k8s.io"
}

func opaqueKind(apiVersion, kind string) bool {
	switch kind {
	case "Canary", "VirtualService", "DestinationRule":
		return true
	case "ServiceMonitor", "PodMonitor":
		return !strings.HasPrefix(apiVersion, "monitoring.coreos.com/")
	}
	return !loader.IsTypedKind(apiVersion, kind)
}

// keepOpaque marks, for each namespace of a linted Service that no kept
// file gives an opaque pod source, the smallest other file that does. A
// namespace not written matches any.
func keepOpaque(found []siblingFile, keep []bool, services map[string]bool) {
	if len(services) == 0 {
		return
	}
	nss := make([]map[string]bool, len(found))
	for i, c := range found {
		if c.data != nil && bytes.Contains(c.data, []byte("apiVersion:")) {
			nss[i] = opaqueNamespaces(c.data)
		}
	}
	match := func(svc string, in map[string]bool) bool {
		return len(in) > 0 && (svc == "" || in[svc] || in[""])
	}
	for svc := range services {
		best := -1
		for i := range found {
			if !match(svc, nss[i]) {
				continue
			}
			if keep[i] {
				best = -2
				break
			}
			if best == -1 || found[i].size < found[best].size {
				best = i
			}
		}
		if best >= 0 {
			keep[best] = true
		}
	}
}
