package engine

import (
	"encoding/binary"
	"fmt"
	"reflect"
	"sync"

	"github.com/zdlint/zdlint/internal/packed"
	"github.com/zdlint/zdlint/rules"
)

// Facts as records. While files are loaded, a run keeps every fact until
// the Index is built at its end; kept as structs, their strings and slices
// are pointers that the collector traces on every cycle (see
// docs/performance.md). Encoded into pointer-free bytes they cost the
// collector nothing until the end, when they are decoded once, for the
// Index.
//
// The rules define the facts (rules.FactTypes) as plain values; the
// encoding is derived from their exported fields by reflection, once per
// run, so a field added to a fact is kept without any change here.
// TestFactRoundTrip checks that every field of every fact type survives.

// factCodec encodes and decodes the fact types of rules.FactTypes; a
// record is the fact's tag (its place in that list, plus one) and its
// fields in order.
type factCodec struct {
	tags   map[reflect.Type]uint64 // pointer type → tag
	types  []reflect.Type          // by tag-1: the struct type
	fields []valueCodec            // by tag-1
}

// valueCodec encodes and decodes one type.
type valueCodec struct {
	enc func(w *factWriter, v reflect.Value)
	dec func(r *factReader, v reflect.Value)
}

// facts is the run's codec, built the first time a fact is encoded.
var facts = sync.OnceValue(func() *factCodec { return newFactCodec(rules.FactTypes()) })

func newFactCodec(types []rules.Fact) *factCodec {
	c := &factCodec{tags: map[reflect.Type]uint64{}}
	for i, f := range types {
		t := reflect.TypeOf(f)
		if t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
			panic(fmt.Sprintf("engine: fact type %s is not a pointer to a struct", t))
		}
		c.tags[t] = uint64(i + 1)
		c.types = append(c.types, t.Elem())
		c.fields = append(c.fields, codecOf(t.Elem(), t.Elem().Name()))
	}
	return c
}

// codecOf builds the codec of t, which the field path names in panics: a
// fact holds booleans, numbers, strings, and pointers to, slices and
// structs of them, in exported fields.
func codecOf(t reflect.Type, path string) valueCodec {
	switch t.Kind() {
	case reflect.Bool:
		return valueCodec{
			enc: func(w *factWriter, v reflect.Value) {
				var n uint64
				if v.Bool() {
					n = 1
				}
				w.b = binary.AppendUvarint(w.b, n)
			},
			dec: func(r *factReader, v reflect.Value) { v.SetBool(r.Uvarint() != 0) },
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return valueCodec{
			enc: func(w *factWriter, v reflect.Value) { w.b = binary.AppendVarint(w.b, v.Int()) },
			dec: func(r *factReader, v reflect.Value) { v.SetInt(r.Varint()) },
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return valueCodec{
			enc: func(w *factWriter, v reflect.Value) { w.b = binary.AppendUvarint(w.b, v.Uint()) },
			dec: func(r *factReader, v reflect.Value) { v.SetUint(r.Uvarint()) },
		}
	case reflect.String:
		return valueCodec{
			enc: func(w *factWriter, v reflect.Value) { w.b = w.dict.Append(w.b, v.String()) },
			dec: func(r *factReader, v reflect.Value) { v.SetString(r.Str()) },
		}
	case reflect.Pointer:
		elem, et := codecOf(t.Elem(), path), t.Elem()
		return valueCodec{
			enc: func(w *factWriter, v reflect.Value) {
				if v.IsNil() {
					w.b = append(w.b, 0)
					return
				}
				w.b = append(w.b, 1)
				elem.enc(w, v.Elem())
			},
			dec: func(r *factReader, v reflect.Value) {
				if r.Uvarint() == 0 {
					return
				}
				p := reflect.New(et)
				elem.dec(r, p.Elem())
				v.Set(p)
			},
		}
	case reflect.Slice:
		elem := codecOf(t.Elem(), path+"[]")
		return valueCodec{
			enc: func(w *factWriter, v reflect.Value) {
				n := v.Len()
				w.b = binary.AppendUvarint(w.b, uint64(n))
				for i := range n {
					elem.enc(w, v.Index(i))
				}
			},
			dec: func(r *factReader, v reflect.Value) {
				n := int(r.Uvarint())
				if n == 0 {
					return // nil, as an append that never ran leaves it
				}
				s := reflect.MakeSlice(t, n, n)
				for i := range n {
					elem.dec(r, s.Index(i))
				}
				v.Set(s)
			},
		}
	case reflect.Struct:
		var fields []valueCodec
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				panic(fmt.Sprintf("engine: fact field %s.%s is unexported: facts are plain values with exported fields", path, f.Name))
			}
			fields = append(fields, codecOf(f.Type, path+"."+f.Name))
		}
		return valueCodec{
			enc: func(w *factWriter, v reflect.Value) {
				for i, f := range fields {
					f.enc(w, v.Field(i))
				}
			},
			dec: func(r *factReader, v reflect.Value) {
				for i, f := range fields {
					f.dec(r, v.Field(i))
				}
			},
		}
	}
	panic(fmt.Sprintf("engine: fact field %s is a %s: facts hold booleans, numbers, strings, pointers, slices and structs", path, t))
}

// A factWriter encodes one stream of facts, usually a file's, writing a
// string the stream already holds as a reference (packed.Dict). Its zero
// value starts a stream.
type factWriter struct {
	b    []byte
	dict packed.Dict
}

// Reset starts a new stream that appends to b.
func (w *factWriter) Reset(b []byte) {
	w.b = b
	w.dict.Reset()
}

// Append encodes f, which is not nil, at the end of the stream.
func (w *factWriter) Append(f rules.Fact) {
	c := facts()
	tag, ok := c.tags[reflect.TypeOf(f)]
	if !ok {
		panic(fmt.Sprintf("engine: %T is not a fact type (rules.FactTypes)", f))
	}
	w.b = binary.AppendUvarint(w.b, tag)
	c.fields[tag-1].enc(w, reflect.ValueOf(f).Elem())
}

// A factReader decodes a stream that a factWriter encoded. The facts'
// strings are substrings of the stream; the facts themselves are
// allocated in chunks of their type, so tens of thousands of facts take a
// few hundred allocations.
type factReader struct {
	packed.DictReader
	chunks []factChunk // by tag-1
}

// factChunk is room for facts of one type.
type factChunk struct {
	v    reflect.Value // a slice of the fact type
	used int
}

// Reset reads the stream s.
func (r *factReader) Reset(s string) { r.DictReader.Reset(s) }

// Next decodes the next fact.
func (r *factReader) Next() rules.Fact {
	c := facts()
	tag := r.Uvarint()
	if tag == 0 || tag > uint64(len(c.types)) {
		panic("engine: malformed fact record")
	}
	if r.chunks == nil {
		r.chunks = make([]factChunk, len(c.types))
	}
	ch := &r.chunks[tag-1]
	if !ch.v.IsValid() || ch.used == ch.v.Len() {
		size := 8
		if ch.v.IsValid() {
			size = min(2*ch.v.Len(), 512)
		}
		ch.v, ch.used = reflect.MakeSlice(reflect.SliceOf(c.types[tag-1]), size, size), 0
	}
	p := ch.v.Index(ch.used).Addr()
	ch.used++
	c.fields[tag-1].dec(r, p.Elem())
	return p.Interface().(rules.Fact)
}
