package render

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v3"

	"github.com/zdlint/zdlint/loader"
)

// helmTimeout bounds one helm template run.
const helmTimeout = 2 * time.Minute

// helm templates the charts found, with the installed helm: linking Helm
// would cost every run (the pre-commit case included) about 22 MB of
// binary and tens of milliseconds of start-up.
func (p *Plan) helm(d *discovery, opts Options, drop map[string]bool) {
	cmd := opts.Helm
	if cmd == "" {
		cmd = "helm"
	}
	bin, lookErr := exec.LookPath(cmd)
	for _, c := range d.charts {
		chartFile := filepath.Join(c.dir, "Chart.yaml")
		// Nothing in a chart is linted as written: templates are not YAML
		// until rendered, values files are not objects.
		p.dropDir(c.dir, drop)
		if lookErr != nil {
			p.Errors = append(p.Errors, &loader.Error{File: chartFile,
				Msg: fmt.Sprintf("Helm chart not rendered: %s is not on PATH. Install helm (https://helm.sh/docs/intro/install/, or go install helm.sh/helm/v3/cmd/helm@v3.22.0), exclude the chart (exclude: [\"%s/**\"] in .zdlint.yaml), or lint files as written with --no-render", cmd, filepath.ToSlash(c.dir))})
			continue
		}
		s, err := safeTemplate(bin, c, opts.HelmValues, opts.KubeVersion, &p.cache)
		if err != nil {
			p.Errors = append(p.Errors, &loader.Error{File: chartFile, Msg: err.Error()})
			continue
		}
		p.streams[s.name] = s
	}
}

// dropDir marks every input under dir as read by a rendering; the inputs
// are matched in Prepare by prefix.
func (p *Plan) dropDir(dir string, drop map[string]bool) {
	drop[dirMark+filepath.Clean(dir)] = true
}

// dirMark prefixes directory entries in the drop set.
const dirMark = "\x00dir:"

// dropped reports whether path is in drop, itself or by a directory.
func dropped(drop map[string]bool, path string) bool {
	if drop[path] {
		return true
	}
	for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
		if drop[dirMark+dir] {
			return true
		}
		if dir == "." || dir == "/" || dir == filepath.Dir(dir) {
			return false
		}
	}
}

// templateChart runs helm template on a chart and maps the objects to the
// templates they come from.
func templateChart(bin string, c *chartRef, values []string, kubeVersion string, cache *sourceCache) (*stream, error) {
	args := []string{"template", c.dir}
	if kubeVersion != "" {
		// helm's own default is the Kubernetes version it was built
		// against, which go install leaves at 1.20: charts that require
		// newer ones would not render.
		if strings.Count(kubeVersion, ".") == 1 {
			kubeVersion += ".0"
		}
		args = append(args, "--kube-version", kubeVersion)
	}
	for _, v := range values {
		args = append(args, "--values", v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), helmTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("helm template failed: %s", msg)
	}
	chartName := chartNameOf(filepath.Join(c.dir, "Chart.yaml"))
	s := &stream{name: c.dir + " (helm template)", data: stdout.Bytes(), root: filepath.Join(c.dir, "Chart.yaml"), only: c.only}
	kindSeen := map[string]int{} // source+kind: objects of that kind seen from the template
	for _, chunk := range splitDocs(s.data) {
		var doc yaml.Node
		if err := yaml.Unmarshal(chunk.text, &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
			continue
		}
		root := doc.Content[0]
		shiftLines(root, chunk.first-1)
		d := &rdoc{first: chunk.first, last: chunk.last, node: root, fallback: s.root, templated: true,
			kind: scalar(field(root, "kind")),
			name: scalar(field(field(root, "metadata"), "name")),
		}
		if chunk.source != "" {
			rel := chunk.source
			if name, rest, ok := strings.Cut(rel, "/"); ok && (name == chartName || chartName == "") {
				rel = rest
			}
			origin := filepath.Join(c.dir, filepath.FromSlash(rel))
			if isRegular(origin) {
				t := cache.template(origin)
				key := chunk.source + "\x00" + d.kind
				d.origin, d.src = origin, t.doc(d.kind, kindSeen[key])
				kindSeen[key]++
				d.nearTemplate = t.near
			}
		}
		s.docs = append(s.docs, d)
	}
	return s, nil
}

func chartNameOf(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	var c struct {
		Name string `yaml:"name"`
	}
	_ = yaml.Unmarshal(data, &c)
	return c.Name
}

// chunk is one document of helm's output.
type chunk struct {
	text        []byte
	first, last int // lines in the output
	source      string
}

// splitDocs splits a YAML stream at its "---" lines, keeping the line
// numbers and the "# Source:" comment helm writes above each document.
func splitDocs(data []byte) []chunk {
	var out []chunk
	lines := bytes.SplitAfter(data, []byte("\n"))
	start := 0
	flush := func(end int) { // lines[start:end]
		if end <= start {
			return
		}
		c := chunk{first: start + 1, last: end}
		for _, l := range lines[start:end] {
			if s, ok := bytes.CutPrefix(bytes.TrimSpace(l), []byte("# Source: ")); ok && c.source == "" {
				c.source = string(bytes.TrimSpace(s))
			}
		}
		c.text = bytes.Join(lines[start:end], nil)
		out = append(out, c)
	}
	for i, l := range lines {
		t := bytes.TrimRight(l, "\r\n")
		if bytes.Equal(t, []byte("---")) || bytes.HasPrefix(t, []byte("--- ")) {
			flush(i)
			start = i + 1
		}
	}
	flush(len(lines))
	return out
}

// shiftLines moves every node under n down by delta lines.
func shiftLines(n *yaml.Node, delta int) {
	if n == nil || delta == 0 {
		return
	}
	n.Line += delta
	for _, c := range n.Content {
		shiftLines(c, delta)
	}
}

// template is a Helm template prepared for mapping: its actions blanked
// out, so that the YAML around them parses with every position intact.
type template struct {
	raw   []byte
	docs  []*yaml.Node // mapping documents of the blanked text, nil where one does not parse
	lines []int        // byte offset of each line start in raw
}

func (c *sourceCache) template(path string) *template {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tmpls == nil {
		c.tmpls = map[string]*template{}
	}
	if t, ok := c.tmpls[path]; ok {
		return t
	}
	t := &template{}
	if data, err := os.ReadFile(path); err == nil {
		t = newTemplate(data)
	}
	c.tmpls[path] = t
	return t
}

// newTemplate prepares a template's text for mapping.
func newTemplate(data []byte) *template {
	t := &template{}
	{
		t.raw = data
		blanked := blankActions(data)
		for _, ch := range splitDocs(blanked) {
			var doc yaml.Node
			if err := yaml.Unmarshal(ch.text, &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
				if err != nil {
					t.docs = append(t.docs, lenient(ch))
				}
				continue
			}
			root := doc.Content[0]
			shiftLines(root, ch.first-1)
			t.docs = append(t.docs, root)
		}
		t.lines = append(t.lines, 0)
		for i, b := range data {
			if b == '\n' {
				t.lines = append(t.lines, i+1)
			}
		}
	}
	return t
}

// lenient parses a blanked template document that does not parse as a
// whole (a key written in both branches of an if): it keeps the first
// occurrence of each duplicated key by cutting the document at the first
// error line and retrying, so the fields above the problem still map.
func lenient(ch chunk) *yaml.Node {
	text := ch.text
	for range 20 {
		var doc yaml.Node
		err := yaml.Unmarshal(text, &doc)
		if err == nil {
			if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
				return nil
			}
			root := doc.Content[0]
			shiftLines(root, ch.first-1)
			return root
		}
		line, _ := yamlErrLine(err)
		if line <= 1 {
			return nil
		}
		// Blank the offending line and try again.
		lines := bytes.SplitAfter(text, []byte("\n"))
		if line-1 >= len(lines) {
			return nil
		}
		l := lines[line-1]
		lines[line-1] = append(bytes.Repeat([]byte(" "), len(bytes.TrimRight(l, "\n"))), '\n')
		text = bytes.Join(lines, nil)
	}
	return nil
}

func yamlErrLine(err error) (int, bool) {
	msg := err.Error()
	i := strings.Index(msg, "line ")
	if i < 0 {
		return 0, false
	}
	n := 0
	for _, r := range msg[i+5:] {
		if r < '0' || r > '9' {
			break
		}
		n = n*10 + int(r-'0')
	}
	return n, n > 0
}

// doc returns the template's nth document of kind (n counts the objects of
// that kind rendered from this template so far), or its only one.
func (t *template) doc(kind string, n int) *yaml.Node {
	var ofKind []*yaml.Node
	for _, d := range t.docs {
		if d != nil && scalar(field(d, "kind")) == kind {
			ofKind = append(ofKind, d)
		}
	}
	switch {
	case n < len(ofKind):
		return ofKind[n]
	case len(ofKind) > 0:
		return ofKind[len(ofKind)-1] // a range repeating one document
	}
	var any []*yaml.Node
	for _, d := range t.docs {
		if d != nil {
			any = append(any, d)
		}
	}
	if len(any) == 1 {
		return any[0]
	}
	return nil
}

// near places a field the template does not write itself: when the
// deepest key found has no value in the template (an action such as
// {{ toYaml .Values.resources | nindent 12 }} or an include writes it), the
// finding goes on that action.
func (t *template) near(m match, full bool) (loader.Pos, bool) {
	if m.key == nil || m.node == nil || m.node.Kind != yaml.ScalarNode || m.node.Value != "" {
		return loader.Pos{}, false
	}
	if full {
		return loader.Pos{}, false // the key itself: "replicas: {{ ... }}" is on its line
	}
	// From the end of the key to the next line that has YAML of its own.
	start := t.offset(loader.NodePos(m.key))
	if start < 0 {
		return loader.Pos{}, false
	}
	blanked := blankActions(t.raw)
	keyLine := m.key.Line
	for i := start; i+1 < len(t.raw); i++ {
		line := t.lineOf(i)
		if line > keyLine && t.raw[i] != ' ' && t.raw[i] != '\t' && t.raw[i] != '\n' && t.raw[i] != '\r' && blanked[i] != ' ' {
			return loader.Pos{}, false // YAML again: no action wrote the field
		}
		if t.raw[i] == '{' && t.raw[i+1] == '{' {
			return loader.Pos{Line: line, Col: i - t.lines[line-1] + 1}, true
		}
	}
	return loader.Pos{}, false
}

func (t *template) offset(p loader.Pos) int {
	if p.Line < 1 || p.Line > len(t.lines) {
		return -1
	}
	return t.lines[p.Line-1] + p.Col - 1
}

func (t *template) lineOf(off int) int {
	lo, hi := 0, len(t.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if t.lines[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo + 1
}

// blankActions replaces every {{ ... }} action of a template with spaces,
// keeping line breaks, so the text keeps every byte offset.
func blankActions(data []byte) []byte {
	out := bytes.Clone(data)
	for i := 0; i+1 < len(out); i++ {
		if out[i] != '{' || out[i+1] != '{' {
			continue
		}
		end := bytes.Index(out[i+2:], []byte("}}"))
		if end < 0 {
			end = len(out) - i - 2
		} else {
			end += 2
		}
		for j := i; j < i+2+end && j < len(out); j++ {
			if out[j] != '\n' {
				out[j] = ' '
			}
		}
		i += 1 + end
	}
	// A line whose key was an action ({{ $key }}: {{ $value }}) is left
	// as ": ..." which is not YAML: blank it whole.
	start := 0
	for start < len(out) {
		end := bytes.IndexByte(out[start:], '\n')
		if end < 0 {
			end = len(out)
		} else {
			end += start
		}
		line := out[start:end]
		if t := bytes.TrimLeft(line, " \t"); len(t) > 0 && t[0] == ':' {
			for j := range line {
				line[j] = ' '
			}
		}
		start = end + 1
	}
	return out
}

// safeTemplate is templateChart with a panic turned into an error.
func safeTemplate(bin string, c *chartRef, values []string, kubeVersion string, cache *sourceCache) (s *stream, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("internal error while rendering the chart (please report): %v", r)
		}
	}()
	return templateChart(bin, c, values, kubeVersion, cache)
}
