package rules

import (
	"reflect"
	"strings"

	"github.com/zdlint/zdlint/loader"
)

// fieldNamesAt returns the JSON field names the Go type of v accepts in the
// mapping at path, following json tags, inlined (embedded) structs,
// pointers, slices and maps. It returns nil when the path leaves the typed
// schema (a map value, RawExtension, an interface).
func fieldNamesAt(v any, path loader.Path) []string {
	t := reflect.TypeOf(v)
	for _, seg := range path {
		t = deref(t)
		if t == nil {
			return nil
		}
		switch {
		case seg.IsIndex:
			if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
				return nil
			}
			t = t.Elem()
		case t.Kind() == reflect.Struct:
			f, ok := jsonField(t, seg.Key)
			if !ok {
				return nil
			}
			t = f
		default:
			return nil
		}
	}
	t = deref(t)
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var names []string
	collectFields(t, &names, 0)
	return names
}

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// jsonField finds the type of the field with JSON name in struct t.
func jsonField(t reflect.Type, name string) (reflect.Type, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, inline := jsonName(f)
		if inline {
			if ft, ok := jsonField(deref(f.Type), name); ok {
				return ft, true
			}
			continue
		}
		if tag == name {
			return f.Type, true
		}
	}
	return nil, false
}

func collectFields(t reflect.Type, names *[]string, depth int) {
	if depth > 8 {
		return
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, inline := jsonName(f)
		if inline {
			if ft := deref(f.Type); ft != nil && ft.Kind() == reflect.Struct {
				collectFields(ft, names, depth+1)
			}
			continue
		}
		if name != "" && name != "-" {
			*names = append(*names, name)
		}
	}
}

// jsonName returns a field's JSON name and whether it is inlined.
func jsonName(f reflect.StructField) (string, bool) {
	if !f.IsExported() {
		return "", false
	}
	tag := f.Tag.Get("json")
	name, opts, _ := strings.Cut(tag, ",")
	if f.Anonymous && (name == "" || strings.Contains(opts, "inline")) {
		return "", true
	}
	if name == "" {
		name = f.Name
	}
	return name, false
}
