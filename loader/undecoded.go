package loader

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	yaml "go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Values of the API types that decode themselves (Quantity, IntOrString,
// Time) fail differently from every other field: encoding/json records a
// type error and goes on, but an UnmarshalJSON error stops the whole
// decode, so one `memory: 1gb` left the rest of the object empty, and rules
// reported its probes and hooks as missing. Its message was
// apimachinery's, with no field and no position.
//
// When the JSON decode fails, the loader walks the tree along the Go type,
// tries each such value on its own and collects the ones that fail. Each
// becomes an error at the value, in plain words, and the object is decoded
// again without them, so every other field is there. The paths of the
// values left out are in Object.Undecoded: rules must not report them, or
// the mapping they sit in, as missing (rules.Pass drops such findings).
//
// The fast decoder (fastdecode.go) declines any value its type refuses, so
// it never sees these: both paths meet here. Valid input never gets here.

// badValue is a value its Go type refused.
type badValue struct {
	node *yaml.Node
	path Path
	typ  reflect.Type
	err  error
}

// findBadValues returns the self-decoding values under n that fail to
// decode into their field of type t, in document order.
func findBadValues(n *yaml.Node, t reflect.Type) []badValue {
	var s badScan
	s.walk(n, t, nil, 0)
	return s.bad
}

type badScan struct {
	bad   []badValue
	nodes int
}

func (s *badScan) walk(n *yaml.Node, t reflect.Type, path Path, depth int) {
	n = deref(n)
	if n == nil || depth > maxConvertDepth || len(s.bad) >= maxBadValues {
		return
	}
	if s.nodes++; s.nodes > maxConvertNodes {
		return
	}
	info := typeInfoOf(t)
	if info.jsonUnmarshaler {
		if isNull(n) {
			return
		}
		js, err := ToJSON(n)
		if err != nil {
			return // reported by the converter on the object
		}
		if err := reflect.New(t).Interface().(json.Unmarshaler).UnmarshalJSON(js); err != nil {
			s.bad = append(s.bad, badValue{node: n, path: path, typ: t, err: err})
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		s.walk(n, t.Elem(), path, depth+1)
	case reflect.Struct:
		if n.Kind != yaml.MappingNode || info.fields == nil {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if isMergeKey(k) {
				// Merged-in mappings hold fields of the same struct.
				src := deref(v)
				if src != nil && src.Kind == yaml.SequenceNode {
					for _, m := range src.Content {
						s.walk(m, t, path, depth+1)
					}
				} else {
					s.walk(src, t, path, depth+1)
				}
				continue
			}
			key, ok := mappingKey(k)
			if !ok {
				continue
			}
			if idx, ok := info.fields[key]; ok {
				s.walk(v, t.FieldByIndex(idx).Type, path.Key(key), depth+1)
			}
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode || t.Key().Kind() != reflect.String {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if key, ok := mappingKey(n.Content[i]); ok {
				s.walk(n.Content[i+1], t.Elem(), path.Key(key), depth+1)
			}
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return
		}
		for i, item := range n.Content {
			s.walk(item, t.Elem(), path.Index(i), depth+1)
		}
	}
}

// maxBadValues bounds the errors one object can produce.
const maxBadValues = 100

var (
	quantityType = reflect.TypeFor[resource.Quantity]()
	timeType     = reflect.TypeFor[metav1.Time]()
)

// badValueMessage says in plain words why a value was refused, with a
// suggestion when one is likely.
func badValueMessage(b badValue) string {
	text := b.node.Value
	if b.node.Kind != yaml.ScalarNode {
		text = "this " + map[yaml.Kind]string{yaml.MappingNode: "mapping", yaml.SequenceNode: "list"}[b.node.Kind]
	} else {
		text = "`" + text + "`"
	}
	if b.node.Kind == yaml.ScalarNode && unexpanded.MatchString(b.node.Value) {
		return fmt.Sprintf("%s is not a %s: it looks like a variable that was never substituted (run envsubst or your templating tool first)", text, typeNoun(b.typ))
	}
	switch b.typ {
	case quantityType:
		msg := text + " is not a quantity"
		if b.node.Kind == yaml.ScalarNode {
			if s, ok := suggestQuantity(b.node.Value, lastKey(b.path)); ok {
				return msg + "; did you mean `" + s + "`?"
			}
		}
		return msg + " (a number with an optional suffix: 500m, 2, 512Mi, 1Gi, 1e3)"
	case intOrStringType:
		if k := lastKey(b.path); strings.Contains(strings.ToLower(k), "port") {
			return text + " is not a port (a number such as 8080, or a port name such as http)"
		}
		return text + " is not an integer or a string (such as 1 or 25%)"
	case timeType:
		return text + " is not a time (RFC 3339, such as 2024-01-31T12:00:00Z)"
	}
	return fmt.Sprintf("%s is not a valid %s: %v", text, typeNoun(b.typ), b.err)
}

func typeNoun(t reflect.Type) string {
	switch t {
	case quantityType:
		return "quantity"
	case intOrStringType:
		return "integer or string"
	case timeType:
		return "time"
	}
	return t.String()
}

func lastKey(p Path) string {
	if len(p) == 0 || p[len(p)-1].IsIndex {
		return ""
	}
	return p[len(p)-1].Key
}

// unexpanded matches text that still holds a shell or envsubst variable.
var unexpanded = regexp.MustCompile(`\$\{?[A-Za-z_][A-Za-z0-9_]*\}?`)

// quantityParts splits what people write as a quantity into a number and
// a unit, allowing the spaces and unit spellings the API refuses.
var quantityParts = regexp.MustCompile(`^\s*([+-]?[0-9]*\.?[0-9]+)\s*([A-Za-z]*)\s*$`)

// suggestQuantity guesses the quantity meant by s: the binary unit for a
// byte size written in other spellings (1gb, 1GB, 1gi, 512 mb → 1Gi, 512Mi),
// millicores for cpu (100mi, 100 m → 100m). The guess is offered only when
// it parses.
func suggestQuantity(s, resourceName string) (string, bool) {
	m := quantityParts.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	num, unit := m[1], strings.ToLower(m[2])
	cpu := resourceName == "cpu" || strings.HasSuffix(resourceName, "/cpu")
	var suffix string
	switch {
	case unit == "":
		suffix = ""
	case cpu && (unit == "m" || unit == "mi" || strings.HasPrefix(unit, "milli") || unit == "mcpu"):
		suffix = "m"
	case cpu && (unit == "core" || unit == "cores" || unit == "cpu" || unit == "cpus"):
		suffix = ""
	default:
		unit = strings.TrimSuffix(strings.TrimSuffix(unit, "bytes"), "b")
		unit = strings.TrimSuffix(unit, "i")
		binary := map[string]string{"k": "Ki", "m": "Mi", "g": "Gi", "t": "Ti", "p": "Pi", "e": "Ei"}
		var ok bool
		if suffix, ok = binary[unit]; !ok {
			return "", false
		}
	}
	q := num + suffix
	if q == s {
		return "", false
	}
	if _, err := resource.ParseQuantity(q); err != nil {
		return "", false
	}
	return q, true
}

// withoutBadValues is ToJSON leaving out the given values: a mapping drops
// the pair, a sequence gets null in its place.
func withoutBadValues(n *yaml.Node, bad []badValue) ([]byte, error) {
	skip := make(map[*yaml.Node]bool, len(bad))
	for _, b := range bad {
		skip[b.node] = true
	}
	c := converter{buf: make([]byte, 0, 1024), skip: skip}
	c.value(n, 0)
	if c.err != nil {
		return nil, c.err
	}
	return c.buf, nil
}
