package loader

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime/debug"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
	kjson "sigs.k8s.io/json"
)

// DefaultMaxFileSize is the largest file read unless Options says otherwise.
const DefaultMaxFileSize = 64 << 20

// Options tunes loading.
type Options struct {
	// MaxFileSize rejects larger files with an error; 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// Each, when set, receives every linted object as soon as its document
	// is decoded, instead of File.Objects collecting them. A caller that
	// lints each object and lets it go keeps memory flat on files with
	// thousands of documents: only one document's tree is alive at a time.
	Each func(*Object)
}

// Error is a problem with an input file: unreadable, not YAML, not decodable.
// Pos is the zero Pos when the line is unknown.
type Error struct {
	File string
	Pos  Pos
	Msg  string
	// Warning marks a notice that does not fail the run by itself: a
	// directory without manifests, a pipe named *.yaml in a walked
	// directory. It is reported like an error.
	Warning bool
}

func (e *Error) Error() string {
	if e.Pos.IsValid() {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Col, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// File is one parsed input: its objects and the problems found loading it.
type File struct {
	Name    string // as shown in reports
	Data    []byte // raw content, for --show-source and comment lookups
	Objects []*Object
	Errors  []*Error
	// Docs counts non-empty documents; Skipped counts Kubernetes objects of
	// kinds that zdlint recognises but does not decode (ConfigMap, CRDs,
	// ...). Those objects are still in Objects (or passed to Each) with a
	// nil Typed.
	Docs    int
	Skipped int
	// Unrecognised counts objects whose apiVersion or kind Kubernetes does
	// not serve (a typo: kind: Deploymnet); each is also an Error.
	Unrecognised int

	each func(*Object)
	src  *source
}

// Object is one Kubernetes object: a document, or an item of a List.
type Object struct {
	File string
	Doc  int        // index of the document in its file, from 0
	Node *yaml.Node // the object's mapping; rule paths are relative to it
	// Prefix is the object's path inside its document ("items[2]" inside a
	// List), for reports that show document paths.
	Prefix     Path
	APIVersion string
	Kind       string
	Namespace  string // as written; "" when unset
	Name       string
	// Source is the template named by a "# Source: chart/templates/x.yaml"
	// comment that helm template writes above each document.
	Source string
	// Typed is the decoded k8s.io/api value (*appsv1.Deployment, ...), nil
	// when the kind is not linted or could not be decoded at all.
	Typed any
	// UnknownFields lists fields that the kind's schema does not have; the
	// API server drops them silently.
	UnknownFields []Path
	// Duplicates lists keys written twice in one mapping (typed kinds).
	Duplicates []Duplicate
	// Unrecognised marks an object whose apiVersion or kind Kubernetes
	// does not serve; it is reported as an error and not linted.
	Unrecognised bool
	// Undecoded lists values that were reported as invalid and left out of
	// Typed (`memory: 1gb`). They are written, so no rule may report them,
	// or the mapping that holds them, as missing.
	Undecoded []Path

	src *source // the file's text, to check scalar extents; nil in tests

	// memo holds values derived from Typed that several rules need (the
	// workload view, its containers), computed once per object. An object
	// is linted by one goroutine, so no lock is needed.
	memo map[string]any
}

// Memo returns the value stored under key, computing and storing it with
// fn the first time. The value must be treated as read-only.
func (o *Object) Memo(key string, fn func() any) any {
	if v, ok := o.memo[key]; ok {
		return v
	}
	v := fn()
	if o.memo == nil {
		o.memo = make(map[string]any, 2)
	}
	o.memo[key] = v
	return v
}

// Pos returns where a finding about path belongs: its value node, or the
// nearest existing ancestor for a missing field.
func (o *Object) Pos(p Path) (pos, end Pos) {
	pos, n, _ := nearest(o.Node, p)
	return pos, o.src.end(n)
}

// KeyPos returns the position of the key node that path ends in, or of the
// nearest ancestor when it does not exist, like loader.KeyPos with the
// extent checked against the source.
func (o *Object) KeyPos(p Path) (pos, end Pos, ok bool) {
	if k, _, found := Lookup(o.Node, p); found && k != nil {
		return NodePos(k), o.src.end(k), true
	}
	pos, end = o.Pos(p)
	return pos, end, false
}

// Lookup returns the key and value nodes of path within the object.
func (o *Object) Lookup(p Path) (key, val *yaml.Node, ok bool) { return Lookup(o.Node, p) }

// GVK returns "apiVersion/kind", the key of the kind table.
func (o *Object) GVK() string { return o.APIVersion + "/" + o.Kind }

// String names the object for messages: Deployment "web".
func (o *Object) String() string { return ObjectName(o.Kind, o.Name) }

// ObjectName names an object in messages: Deployment "web", or
// Deployment (unnamed).
func ObjectName(kind, name string) string {
	if name == "" {
		return kind + " (unnamed)"
	}
	return fmt.Sprintf("%s %q", kind, name)
}

// Parse parses data as a stream of YAML or JSON documents. It never panics:
// a parser crash becomes an Error for the file.
func Parse(name string, data []byte, opts Options) (f *File) {
	f = &File{Name: name, Data: data, each: opts.Each}
	f.src = &source{data: data}
	defer func() {
		if r := recover(); r != nil {
			f.Errors = append(f.Errors, &Error{File: name, Msg: fmt.Sprintf("internal error while parsing (please report): %v\n%s", r, debug.Stack())})
		}
	}()
	max := opts.MaxFileSize
	if max <= 0 {
		max = DefaultMaxFileSize
	}
	if int64(len(data)) > max {
		f.Errors = append(f.Errors, &Error{File: name, Msg: fmt.Sprintf("file is %d bytes, larger than the %d-byte limit (--max-file-size)", len(data), max)})
		return f
	}
	if utf16, ok := decodeUTF16(data); ok {
		// yaml.v3 reads UTF-16 itself, but the error recovery and column
		// lookups below work on bytes: give everything the UTF-8 text.
		// Lines and columns are the same in both encodings (columns count
		// characters).
		data = utf16
		f.Data = data
		f.src.data = data
	}
	if line, ok := binaryLine(data); ok {
		f.Errors = append(f.Errors, &Error{File: name, Pos: Pos{Line: line, Col: 1}, Msg: "binary file (contains a NUL byte); not a Kubernetes manifest"})
		return f
	}
	data = withFinalNewline(data)
	templated := bytes.Contains(data, []byte("{{"))
	lineOffset := 0 // lines of data before rest
	restStart := 0  // offset of rest in data
	rest := data
	lm := newLineMap(data) // nil unless yaml.v3 counts lines differently
	yamlOffset := 0        // yaml.v3's lines before rest, when lm is set
	docIndex := 0
	syntaxErrors := 0
	for {
		dec := yaml.NewDecoder(bytes.NewReader(rest))
		var failedAt int
		for {
			var doc yaml.Node
			err := dec.Decode(&doc)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				line, msg := yamlErrorLine(err)
				col := 0
				failedAt = line // resume after the line yaml.v3 names, as before
				if m, ok := syntaxMarksOf(dec); ok {
					// The problem's own position, and the context's, as
					// libyaml and PyYAML report them (syntaxerr.go).
					m.problem = restPos(m.problem, lm, yamlOffset, lineOffset)
					if m.context.IsValid() {
						m.context = restPos(m.context, lm, yamlOffset, lineOffset)
					}
					line, col = m.problem.Line, m.problem.Col
					msg = syntaxMessage(msg, m, charAt(data, m.problem))
				} else if line > 0 {
					line = lm.line(line+yamlOffset, lineOffset)
				} else if pos, ok := encodingErrorPos(rest, msg); ok {
					// Reader errors (invalid UTF-8, control characters)
					// carry no line: find the offending byte ourselves.
					line, col = pos.Line+lineOffset, pos.Col
				}
				if templated {
					msg += templateHint
					if line == 0 {
						line = firstTemplateLine(data)
					}
				}
				if col == 0 && line > lineOffset {
					col = firstColumn(rest, line-lineOffset)
				} else if col == 0 {
					col = firstColumn(data, line)
				}
				f.Errors = append(f.Errors, &Error{File: name, Pos: clampPos(f.Data, Pos{Line: line, Col: col}), Msg: "invalid YAML: " + msg})
				if failedAt > 0 {
					failedAt = lm.line(failedAt+yamlOffset, lineOffset)
				} else if failedAt = line; failedAt == 0 {
					failedAt = -1
				}
				break
			}
			if lineOffset > 0 || lm != nil {
				fixPositions(&doc, lm, yamlOffset, lineOffset)
			}
			f.addDocument(&doc, docIndex, templated)
			docIndex++
		}
		if failedAt == 0 || templated {
			// A template gets one error: everything after the first
			// template line is noise until it is rendered.
			return f
		}
		// yaml.v3 cannot continue after a syntax error. Resume at the next
		// document marker after the error so later documents are still
		// linted; only this recovery path looks at the text itself.
		// Every step scans only the text it skips, so a file of a million
		// broken documents costs linear time, and the error count is capped
		// so it cannot flood the report.
		if syntaxErrors++; syntaxErrors >= maxSyntaxErrors {
			var pos Pos
			if failedAt > 0 {
				pos = Pos{Line: failedAt, Col: 1}
			}
			f.Errors = append(f.Errors, &Error{File: name, Pos: pos,
				Msg: fmt.Sprintf("%d documents with syntax errors; the rest of the file is not checked", maxSyntaxErrors)})
			return f
		}
		next := nextDocumentStart(rest, failedAt-lineOffset)
		if next < 0 {
			return f
		}
		lineOffset += bytes.Count(rest[:next], []byte("\n"))
		yamlOffset = lm.linesBefore(lineOffset + 1)
		restStart += next
		rest = data[restStart:]
		docIndex++
	}
}

// restPos translates a position yaml.v3 reports in rest, the text after
// lineOffset lines of the file (yamlOffset lines as yaml.v3 counts them),
// to a position in the file.
func restPos(p Pos, lm *lineMap, yamlOffset, lineOffset int) Pos {
	if lm == nil {
		return Pos{Line: p.Line + lineOffset, Col: p.Col}
	}
	p.Line, p.Col = lm.pos(p.Line+yamlOffset, p.Col)
	return p
}

// clampPos keeps an error position inside the text. The parser reads the
// text with a final line break added (withFinalNewline), so an error at the
// end of a file without one ("found unexpected end of stream" after a lone
// quote) is reported on a line the file does not have: it belongs at the
// end of the last line.
func clampPos(data []byte, p Pos) Pos {
	if p.Line <= 0 {
		return p
	}
	lines := bytes.Count(data, []byte("\n")) + 1
	if p.Line <= lines {
		return p
	}
	last := data[bytes.LastIndexByte(data, '\n')+1:]
	last = bytes.TrimPrefix(last, []byte("\xef\xbb\xbf"))
	return Pos{Line: lines, Col: utf8.RuneCount(last) + 1}
}

// slowDecode turns the fast decoder off, for tests that compare the two
// paths.
var slowDecode = false

// maxSyntaxErrors is how many broken documents one file may report before
// zdlint stops reading it.
const maxSyntaxErrors = 100

// withFinalNewline returns data ending in a line break. kubectl's document
// reader hands each line to the YAML parser with its line break, so a block
// scalar on the file's last line keeps its final newline (clip chomping)
// even when the file does not end with one; this matches what the cluster
// would see. Only files without a final newline are copied.
func withFinalNewline(data []byte) []byte {
	if n := len(data); n > 0 && data[n-1] != '\n' {
		return append(data[:n:n], '\n')
	}
	return data
}

// templateHint ends errors in files that contain Helm or other {{ }}
// template syntax, which must be rendered before it is valid YAML.
const templateHint = "; the file contains {{ }} template syntax: render it first (helm template ... | zdlint -)"

// firstTemplateLine returns the line of the first "{{" in data.
func firstTemplateLine(data []byte) int {
	i := bytes.Index(data, []byte("{{"))
	if i < 0 {
		return 0
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}

// firstColumn returns the column of the first non-blank character of a
// 1-based line: yaml.v3 reports only the line of a syntax error, and the
// start of its text is where an editor should put the cursor.
func firstColumn(data []byte, line int) int {
	if line <= 0 {
		return 0
	}
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return 1
		}
		off += i + 1
	}
	col := 1
	for off < len(data) && (data[off] == ' ' || data[off] == '\t') {
		off++
		col++
	}
	return col
}

// binaryLine reports whether data looks binary (a NUL byte in the first
// 8 KiB, unless a UTF-16 byte-order mark explains it) and the NUL's line.
func binaryLine(data []byte) (int, bool) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return 0, false
	}
	head := data
	if len(head) > 8192 {
		head = head[:8192]
	}
	i := bytes.IndexByte(head, 0)
	if i < 0 {
		return 0, false
	}
	return bytes.Count(head[:i], []byte("\n")) + 1, true
}

// yamlErrorLine splits "yaml: line 12: did not find expected key" into its
// line and message.
func yamlErrorLine(err error) (int, string) {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.IndexByte(rest, ':'); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				return n, strings.TrimSpace(rest[i+1:])
			}
		}
	}
	return 0, msg
}

// nextDocumentStart returns the byte offset of the first "---" line after
// the given 1-based line (-1: after the start), or -1 if there is none.
func nextDocumentStart(data []byte, afterLine int) int {
	line, off := 1, 0
	for off < len(data) {
		end := bytes.IndexByte(data[off:], '\n')
		var text []byte
		if end < 0 {
			text = data[off:]
			end = len(data)
		} else {
			text = data[off : off+end]
			end = off + end + 1
		}
		if line > afterLine && afterLine >= 0 && bytes.HasPrefix(text, []byte("---")) &&
			(len(text) == 3 || text[3] == ' ' || text[3] == '\t' || text[3] == '\r') {
			return off
		}
		off = end
		line++
	}
	return -1
}

// hasAlias reports whether any node under n is an alias, without following
// one.
func hasAlias(n *yaml.Node) bool {
	stack := []*yaml.Node{n}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Kind == yaml.AliasNode {
			return true
		}
		stack = append(stack, n.Content...)
	}
	return false
}

// fixPositions moves every node of a document decoded after a resync down
// by the lines skipped before it (yamlOffset of yaml.v3's lines, lineOffset
// of "\n" lines) and, when lm is set, translates yaml.v3's positions to
// lines counted by "\n". It visits each node once, never through an alias,
// and keeps its own stack: nesting is limited only by yaml.v3.
func fixPositions(n *yaml.Node, lm *lineMap, yamlOffset, lineOffset int) {
	stack := []*yaml.Node{n}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == nil {
			continue
		}
		if lm != nil {
			n.Line, n.Column = lm.pos(n.Line+yamlOffset, n.Column)
		} else {
			n.Line += lineOffset
		}
		if n.Kind != yaml.AliasNode {
			stack = append(stack, n.Content...)
		}
	}
}

// addDocument turns one document into objects, expanding Lists in place.
func (f *File) addDocument(doc *yaml.Node, index int, templated bool) {
	if len(doc.Content) == 0 {
		return // empty or comments only
	}
	root := deref(doc.Content[0])
	if root == nil || root.Kind != yaml.MappingNode {
		if root != nil && root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
			return
		}
		f.Docs++
		return // a scalar or a list at the top: not a Kubernetes object
	}
	f.Docs++
	source := helmSource(doc, root)
	f.addObject(root, nil, index, source, templated, 0)
}

func helmSource(doc, root *yaml.Node) string {
	for _, c := range []string{doc.HeadComment, root.HeadComment, firstKeyComment(root)} {
		for _, line := range strings.Split(c, "\n") {
			if s, ok := strings.CutPrefix(strings.TrimSpace(line), "# Source: "); ok {
				return strings.TrimSpace(s)
			}
		}
	}
	return ""
}

func firstKeyComment(root *yaml.Node) string {
	if len(root.Content) > 0 {
		return root.Content[0].HeadComment
	}
	return ""
}

func (f *File) addObject(node *yaml.Node, prefix Path, doc int, source string, templated bool, depth int) {
	apiVersion := scalarField(node, "apiVersion")
	kind := scalarField(node, "kind")
	if apiVersion == "" && kind == "" {
		if k, v := caseVariantKey(node, "kind"); k != nil && looksLikeKind(v, node) {
			// Kind: and ApiVersion: (or apiversion:): the API server
			// refuses it, so it must not pass as "not Kubernetes".
			obj := &Object{File: f.Name, Doc: doc, Node: node, Prefix: prefix, Source: source, src: f.src}
			if md := fieldNode(node, "metadata"); md != nil {
				obj.Name = scalarField(md, "name")
			}
			f.unrecognised(obj, NodePos(k), fmt.Sprintf("`%s` is not a field (field names are case-sensitive); did you mean `kind`?", k.Value))
		}
		return // not a Kubernetes object: a kustomization, a CI config, ...
	}
	if items := fieldNode(node, "items"); items != nil && items.Kind == yaml.SequenceNode &&
		(kind == "List" || strings.HasSuffix(kind, "List")) && depth < 8 {
		if depth == 0 && hasAlias(node) {
			// Items reached through aliases multiply: ten aliases of a List
			// of ten aliases of a List ... is a million objects from a few
			// hundred bytes. Expand only what kubectl would accept.
			if _, err := ToJSON(node); err != nil {
				f.errorAt(&Object{Node: node, Kind: kind}, err, "")
				return
			}
		}
		for i, item := range items.Content {
			item = deref(item)
			if item == nil || item.Kind != yaml.MappingNode {
				f.Errors = append(f.Errors, &Error{File: f.Name, Pos: NodePos(items.Content[i]), Msg: fmt.Sprintf("%s item %d is not an object", kind, i)})
				continue
			}
			f.addObject(item, prefix.Key("items").Index(i), doc, source, templated, depth+1)
		}
		return
	}
	obj := &Object{
		File: f.Name, Doc: doc, Node: node, Prefix: prefix,
		APIVersion: apiVersion, Kind: kind, Source: source,
		src: f.src,
	}
	if md := fieldNode(node, "metadata"); md != nil {
		obj.Name = scalarField(md, "name")
		obj.Namespace = scalarField(md, "namespace")
	}
	kt, ok := lookupKind(obj.GVK())
	if !ok {
		if pos, msg, bad := apiMistake(node, apiVersion, kind); bad {
			f.unrecognised(obj, pos, msg)
			return
		}
		// Recognised, counted and passed on untyped: only rules about the
		// apiVersion itself (removed-api-version) look at these.
		f.Skipped++
		if templated {
			// A template that happens to parse still cannot be applied.
			if _, err := ToJSON(node); err != nil {
				f.errorAt(obj, err, templateHint)
			}
		}
		f.emit(obj)
		return
	}
	if apiVersion == "" {
		f.Errors = append(f.Errors, &Error{File: f.Name, Pos: NodePos(node), Msg: obj.String() + " has no apiVersion"})
		return
	}
	obj.Duplicates = findDuplicates(node)
	f.decode(obj, kt, templated)
	f.emit(obj)
}

// unrecognised reports an object whose apiVersion or kind no Kubernetes
// version serves (apis.go) and passes it on, untyped and marked, so that it
// is counted as not recognised.
func (f *File) unrecognised(obj *Object, pos Pos, msg string) {
	kind := obj.Kind
	if kind == "" {
		if _, v := caseVariantKey(obj.Node, "kind"); v != nil && v.Kind == yaml.ScalarNode {
			kind = v.Value // Kind: Deployment
		} else {
			kind = "object"
		}
	}
	f.Errors = append(f.Errors, &Error{File: f.Name, Pos: pos, Msg: ObjectName(kind, obj.Name) + ": " + msg})
	obj.Unrecognised = true
	f.Unrecognised++
	f.emit(obj)
}

// emit hands an object to the streaming callback, or keeps it.
func (f *File) emit(obj *Object) {
	if f.each != nil {
		f.each(obj)
		return
	}
	f.Objects = append(f.Objects, obj)
}

func (f *File) errorAt(obj *Object, err error, suffix string) {
	var ce *ConvertError
	pos := NodePos(obj.Node)
	if errors.As(err, &ce) && ce.Pos.IsValid() {
		pos = ce.Pos
	}
	f.Errors = append(f.Errors, &Error{File: f.Name, Pos: pos, Msg: fmt.Sprintf("%s: %v%s", obj, err, suffix)})
}

// decode fills obj.Typed and obj.UnknownFields. A field with the wrong type
// is an error at that field, but the rest of the object is still decoded
// and linted, as far as encoding/json got.
func (f *File) decode(obj *Object, kt kindType, templated bool) {
	// The common case, decoded straight from the tree (fastdecode.go);
	// duplicate keys, legacy kinds checked against another schema, and
	// whatever the fast decoder declines take the JSON path below.
	if kt.strict && kt.schema == nil && len(obj.Duplicates) == 0 && !slowDecode {
		typed := kt.typed()
		if fastDecode(obj.Node, typed) {
			obj.Typed = typed
			return
		}
	}
	js, err := ToJSON(obj.Node)
	if err != nil {
		suffix := ""
		if templated {
			suffix = templateHint
		}
		f.errorAt(obj, err, suffix)
		return
	}
	typed, strictErrs, err := decodeJSON(js, kt)
	if err != nil {
		// A value that decodes itself (a Quantity, an IntOrString) and
		// refuses its text stops encoding/json altogether: find such
		// values, report each at its place, and decode the rest without
		// them (undecoded.go).
		if bad := findBadValues(obj.Node, reflect.TypeOf(typed).Elem()); len(bad) > 0 {
			if js, cerr := withoutBadValues(obj.Node, bad); cerr == nil {
				for _, b := range bad {
					obj.Undecoded = append(obj.Undecoded, b.path)
					f.Errors = append(f.Errors, &Error{File: f.Name, Pos: NodePos(b.node),
						Msg: fmt.Sprintf("%s: %s: %s", obj, b.path, badValueMessage(b))})
				}
				typed, strictErrs, err = decodeJSON(js, kt)
			}
		}
	}
	obj.Typed = typed
	if err != nil && kt.strict && len(strictErrs) == 0 {
		// A type error stops encoding/json from reporting unknown fields:
		// find them without the wrongly typed field.
		target := kt.typed
		if kt.schema != nil {
			target = kt.schema
		}
		strictErrs = strictAfterTypeErrors(js, target, err)
	}
	for _, se := range strictErrs {
		var fe kjson.FieldError
		if errors.As(se, &fe) && strings.HasPrefix(se.Error(), "unknown field") {
			obj.UnknownFields = append(obj.UnknownFields, fieldPathIn(obj.Node, fe.FieldPath()))
		}
	}
	if err != nil {
		pos := typeErrorPos(obj.Node, typeErrorPath(err.Error()))
		msg := cleanDecodeError(err.Error())
		f.Errors = append(f.Errors, &Error{File: f.Name, Pos: pos, Msg: fmt.Sprintf("%s: %s", obj, msg)})
	}
}

// decodeJSON decodes an object's JSON into a new value of its kind, with
// the strict check's unknown-field errors apart from the decoding error.
func decodeJSON(js []byte, kt kindType) (typed any, strictErrs []error, err error) {
	typed = kt.typed()
	if kt.strict && kt.schema == nil {
		strictErrs, err = kjson.UnmarshalStrict(js, typed)
	} else {
		err = kjson.UnmarshalCaseSensitivePreserveInts(js, typed)
		if kt.strict && err == nil {
			strictErrs, _ = kjson.UnmarshalStrict(js, kt.schema())
		}
	}
	return typed, strictErrs, err
}

// typeErrorPath extracts the field path from encoding/json's
// "cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas
// of type int32". Indices are not part of it, so the position found is the
// nearest existing ancestor.
func typeErrorPath(msg string) Path {
	_, rest, ok := strings.Cut(msg, "Go struct field ")
	if !ok {
		return nil
	}
	field, _, _ := strings.Cut(rest, " of type ")
	if i := strings.IndexByte(field, '.'); i >= 0 {
		field = field[i+1:]
	}
	var p Path
	for _, s := range ParseJSONPath(field) {
		// Embedded Go structs (VolumeSource, ProbeHandler) appear in the
		// path under their type name; JSON field names are lowerCamelCase.
		if !s.IsIndex && s.Key != "" && s.Key[0] >= 'A' && s.Key[0] <= 'Z' {
			continue
		}
		p = append(p, s)
	}
	return p
}

// typeErrorPos finds the node a type error is about. encoding/json's path
// has no sequence indices, so where the path crosses a list, each item is
// tried and the first one holding the field wins.
func typeErrorPos(root *yaml.Node, path Path) Pos {
	if n := searchPath(root, path, 0); n != nil {
		return NodePos(n)
	}
	pos, _, _ := Nearest(root, path)
	return pos
}

func searchPath(n *yaml.Node, path Path, depth int) *yaml.Node {
	n = deref(n)
	if n == nil || depth > maxConvertDepth {
		return nil
	}
	if len(path) == 0 {
		return n
	}
	if n.Kind == yaml.SequenceNode {
		for _, item := range n.Content {
			if found := searchPath(item, path, depth+1); found != nil {
				return found
			}
		}
		return nil
	}
	_, v := mappingLookup(n, path[0].Key)
	if v == nil {
		return nil
	}
	return searchPath(v, path[1:], depth+1)
}

func cleanDecodeError(msg string) string {
	msg = strings.TrimPrefix(msg, "json: ")
	if before, rest, ok := strings.Cut(msg, "Go struct field "); ok {
		_, typ, _ := strings.Cut(rest, " of type ")
		got := strings.TrimSuffix(strings.TrimPrefix(before, "cannot unmarshal "), " into ")
		return fmt.Sprintf("%s: got %s, want %s", typeErrorPath(msg), article(got), typ)
	}
	return msg
}

func article(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an " + s
	}
	return "a " + s
}

// fieldNode returns the value node of key in mapping m, following aliases.
func fieldNode(m *yaml.Node, key string) *yaml.Node {
	_, v := mappingLookup(m, key)
	return deref(v)
}

// scalarField returns the string value of key in m, or "".
func scalarField(m *yaml.Node, key string) string {
	v := fieldNode(m, key)
	if v == nil || v.Kind != yaml.ScalarNode {
		return ""
	}
	s, _ := ResolveScalar(v)
	return s
}
