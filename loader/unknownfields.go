package loader

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	yaml "go.yaml.in/yaml/v3"
	kjson "sigs.k8s.io/json"
)

// fieldPathIn turns the field path of a strict-decoding error
// ("spec.template.metadata.app.kubernetes.io/name") into a Path of the
// object's tree. The error's path joins keys with dots and does not quote
// keys that contain one, so each step takes the longest run of dotted parts
// that is a key of the mapping at hand ("app.kubernetes.io/name", not
// "app"). Where the tree does not have the key, the parts are kept as
// written.
func fieldPathIn(root *yaml.Node, fieldPath string) Path {
	parts := ParseJSONPath(fieldPath)
	var out Path
	n := root
	for i := 0; i < len(parts); {
		s := parts[i]
		n = deref(n)
		if s.IsIndex {
			out = append(out, s)
			if n != nil && n.Kind == yaml.SequenceNode && s.Index < len(n.Content) {
				n = n.Content[s.Index]
			} else {
				n = nil
			}
			i++
			continue
		}
		// The longest run of keys (no index among them) the mapping has.
		j := i
		for j < len(parts) && !parts[j].IsIndex {
			j++
		}
		matched := false
		if n != nil && n.Kind == yaml.MappingNode {
			for k := j; k > i+1; k-- {
				key := joinKeys(parts[i:k])
				if _, v := mappingLookup(n, key); v != nil {
					out = append(out, Segment{Key: key})
					n, i, matched = v, k, true
					break
				}
			}
		}
		if matched {
			continue
		}
		out = append(out, s)
		if n != nil && n.Kind == yaml.MappingNode {
			_, n = mappingLookup(n, s.Key)
		} else {
			n = nil
		}
		i++
	}
	return out
}

func joinKeys(p Path) string {
	keys := make([]string, len(p))
	for i, s := range p {
		keys[i] = s.Key
	}
	return strings.Join(keys, ".")
}

// maxTypeErrorRetries bounds how many wrongly typed fields strictAfterTypeErrors
// removes one after another before it gives up.
const maxTypeErrorRetries = 8

// strictAfterTypeErrors finds the unknown fields of an object whose decoding
// failed on a wrongly typed field. encoding/json reports no unknown field
// once a type error has occurred, so a misspelled field would only show up
// after the type error is fixed, in a second round. The wrongly typed field
// (in every item of the lists on its path) is removed from a copy of the
// JSON and the copy decoded again, until it decodes or nothing more can be
// removed.
func strictAfterTypeErrors(js []byte, target func() any, err error) []error {
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil {
		return nil
	}
	for range maxTypeErrorRetries {
		path := typeErrorPath(err.Error())
		if len(path) == 0 || !removeJSONField(doc, path) {
			return nil
		}
		data, merr := json.Marshal(doc)
		if merr != nil {
			return nil
		}
		var strict []error
		strict, err = kjson.UnmarshalStrict(data, target())
		if err == nil {
			return strict
		}
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) && !strings.Contains(err.Error(), "Go struct field ") {
			return nil
		}
	}
	return nil
}

// removeJSONField deletes the field at path (keys only; lists on the way
// are crossed item by item) and reports whether it removed anything.
func removeJSONField(v any, path Path) bool {
	switch v := v.(type) {
	case map[string]any:
		if len(path) == 0 || path[0].IsIndex {
			return false
		}
		if len(path) == 1 {
			_, ok := v[path[0].Key]
			delete(v, path[0].Key)
			return ok
		}
		return removeJSONField(v[path[0].Key], path[1:])
	case []any:
		removed := false
		for _, item := range v {
			if removeJSONField(item, path) {
				removed = true
			}
		}
		return removed
	}
	return false
}
