package loader

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"

	yaml "go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// The fast decoder fills a k8s.io/api value straight from the yaml.v3 tree
// the loader already holds, instead of converting the tree to JSON and
// decoding that (ToJSON, then sigs.k8s.io/json). On a large repository the
// JSON round trip was a fifth of all CPU time.
//
// It handles only what it can decode exactly as the JSON path would: plain
// and quoted scalars resolved with kubectl's YAML 1.1 rules into strings,
// integers and booleans, mappings into structs (by exact json tag, as the
// case-sensitive strict decoder matches them) and maps with string keys,
// sequences into slices, null into pointers, maps and slices, and the API
// types that decode themselves from JSON (Quantity, IntOrString, Time),
// which get the JSON of their own node. Anything else (an unknown field, a
// type mismatch, floats, aliases and merge keys, duplicate keys, tags it
// does not know) makes it give up, and the loader decodes the object the
// straightforward way, so the result, errors and unknown-field reports
// included, is always what the JSON path gives. TestFastDecodeMatches and
// FuzzDecoders compare the two.

var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// fastDecode decodes n into the value v points to. It reports false when
// the caller must use the JSON path; v is then in an unspecified state and
// must be discarded.
func fastDecode(n *yaml.Node, v any) (ok bool) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return false
	}
	d := fastDecoder{}
	return d.value(n, rv.Elem(), 0)
}

// fastDecoder counts the nodes it visits: a successful decode visits every
// node, so an object the JSON path would refuse as too large is refused
// here too.
type fastDecoder struct {
	nodes int
	buf   []byte // JSON of the current self-decoding value
}

func (d *fastDecoder) value(n *yaml.Node, v reflect.Value, depth int) bool {
	if n == nil || depth > maxConvertDepth || n.Kind == yaml.AliasNode {
		return false
	}
	if d.nodes++; d.nodes > maxConvertNodes {
		return false
	}
	t := v.Type()
	info := typeInfoOf(t)
	// Types that decode themselves get their node's JSON, as they would
	// inside the whole object's JSON.
	if t == intOrStringType {
		// The most common self-decoding value (ports, budgets, surge):
		// set directly, as IntOrString.UnmarshalJSON would, rather than
		// through encoding/json. Anything else takes the path below.
		if ios, ok := intOrStringOf(n); ok {
			*v.Addr().Interface().(*intstr.IntOrString) = ios
			return true
		}
	}
	if info.jsonUnmarshaler {
		if isNull(n) {
			return false // encoding/json's null handling for these is subtle: leave it to it
		}
		// One buffer for every such value of the object: the API types
		// copy what they keep (ParseQuantity takes a string).
		c := converter{buf: d.buf[:0]}
		c.value(n, 0)
		d.buf = c.buf
		if c.err != nil {
			return false
		}
		return v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(c.buf) == nil
	}
	if info.textUnmarshaler {
		return false
	}
	switch t.Kind() {
	case reflect.Pointer:
		if isNull(n) {
			v.SetZero()
			return true
		}
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		return d.value(n, v.Elem(), depth+1)
	case reflect.Struct:
		if isNull(n) {
			return true // null leaves a struct as it is
		}
		if n.Kind != yaml.MappingNode {
			return false
		}
		fields := info.fields
		if fields == nil {
			return false
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, ok := mappingKey(n.Content[i])
			if !ok {
				return false
			}
			idx, ok := fields[key]
			if !ok {
				return false // unknown field: the strict path reports it
			}
			d.nodes++ // the key
			if !d.value(n.Content[i+1], v.FieldByIndex(idx), depth+1) {
				return false
			}
		}
		return true
	case reflect.Map:
		if isNull(n) {
			v.SetZero()
			return true
		}
		if n.Kind != yaml.MappingNode || t.Key().Kind() != reflect.String {
			return false
		}
		if v.IsNil() {
			v.Set(reflect.MakeMapWithSize(t, len(n.Content)/2))
		}
		elem := reflect.New(t.Elem()).Elem()
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, ok := mappingKey(n.Content[i])
			if !ok {
				return false
			}
			d.nodes++ // the key
			elem.SetZero()
			if !d.value(n.Content[i+1], elem, depth+1) {
				return false
			}
			v.SetMapIndex(reflect.ValueOf(key).Convert(t.Key()), elem)
		}
		return true
	case reflect.Slice:
		if isNull(n) {
			v.SetZero()
			return true
		}
		if n.Kind != yaml.SequenceNode || t.Elem().Kind() == reflect.Uint8 {
			return false // []byte is base64 in JSON
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, item := range n.Content {
			if !d.value(item, s.Index(i), depth+1) {
				return false
			}
		}
		v.Set(s)
		return true
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return d.scalar(n, v)
	}
	return false // floats, interfaces, arrays, ...: the JSON path
}

var intOrStringType = reflect.TypeFor[intstr.IntOrString]()

// intOrStringOf decodes a scalar the way IntOrString.UnmarshalJSON decodes
// its JSON: a string becomes a String, an integer that fits in 32 bits an
// Int. ok is false for anything else (null, floats, booleans, overflow).
func intOrStringOf(n *yaml.Node) (v intstr.IntOrString, ok bool) {
	if n.Kind != yaml.ScalarNode {
		return v, false
	}
	r, err := resolveNode(n)
	if err != nil {
		return v, false
	}
	switch r.kind {
	case kindString:
		return intstr.IntOrString{Type: intstr.String, StrVal: r.str}, true
	case kindInt:
		i, err := strconv.ParseInt(r.str, 10, 32)
		if err != nil {
			return v, false
		}
		return intstr.IntOrString{Type: intstr.Int, IntVal: int32(i)}, true
	}
	return v, false
}

// scalar sets a string, boolean or integer from a scalar node resolved as
// kubectl resolves it. null leaves the value as it is, as encoding/json
// does.
func (d *fastDecoder) scalar(n *yaml.Node, v reflect.Value) bool {
	if n.Kind != yaml.ScalarNode {
		return false
	}
	r, err := resolveNode(n)
	if err != nil {
		return false
	}
	kind := r.kind
	if kind == kindNull {
		return true
	}
	switch v.Kind() {
	case reflect.String:
		if kind != kindString {
			return false
		}
		v.SetString(r.str)
	case reflect.Bool:
		if kind != kindBool {
			return false
		}
		v.SetBool(r.b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if kind != kindInt {
			return false
		}
		i, err := strconv.ParseInt(r.str, 10, v.Type().Bits())
		if err != nil {
			return false
		}
		v.SetInt(i)
	default: // unsigned
		if kind != kindInt {
			return false
		}
		u, err := strconv.ParseUint(r.str, 10, v.Type().Bits())
		if err != nil {
			return false
		}
		v.SetUint(u)
	}
	return true
}

// mappingKey returns a key as the JSON path would write it, for keys that
// resolve to strings; merge keys, numbers, booleans and the like are left to
// the JSON path.
func mappingKey(k *yaml.Node) (string, bool) {
	if k.Kind != yaml.ScalarNode || isMergeKey(k) {
		return "", false
	}
	r, err := resolveNode(k)
	if err != nil || r.kind != kindString {
		return "", false
	}
	return r.str, true
}

func isNull(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode {
		return false
	}
	r, err := resolveNode(n)
	return err == nil && r.kind == kindNull
}

// typeInfo is what the fast decoder needs to know about a type, worked out
// once per type (reflection's Implements is too slow to ask per node).
type typeInfo struct {
	jsonUnmarshaler bool // decodes itself from JSON (not through a pointer field)
	textUnmarshaler bool
	// fields maps a struct's JSON field names to their field indexes, with
	// embedded (inline) structs' fields promoted; nil for a struct the fast
	// decoder does not handle (an embedded pointer, clashing names).
	fields map[string][]int
}

var typeCache sync.Map // reflect.Type → *typeInfo

func typeInfoOf(t reflect.Type) *typeInfo {
	if ti, ok := typeCache.Load(t); ok {
		return ti.(*typeInfo)
	}
	ti := &typeInfo{}
	if t.Kind() != reflect.Pointer {
		pt := reflect.PointerTo(t)
		ti.jsonUnmarshaler = pt.Implements(jsonUnmarshalerType)
		ti.textUnmarshaler = pt.Implements(textUnmarshalerType)
	}
	if t.Kind() == reflect.Struct {
		fields := map[string][]int{}
		if collectFields(t, nil, fields, 0) {
			ti.fields = fields
		}
	}
	typeCache.Store(t, ti)
	return ti
}

func collectFields(t reflect.Type, prefix []int, out map[string][]int, depth int) bool {
	if depth > 8 {
		return false
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		idx := append(append([]int(nil), prefix...), i)
		if f.Anonymous && name == "" {
			if f.Type.Kind() != reflect.Struct {
				return false
			}
			if !collectFields(f.Type, idx, out, depth+1) {
				return false
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := out[name]; dup {
			return false
		}
		out[name] = idx
	}
	return true
}
