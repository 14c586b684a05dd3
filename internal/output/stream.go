package output

import (
	"bufio"
	"encoding/json"
	"io"
)

// streamWriter writes an indented JSON document piece by piece, so large
// arrays are encoded one element at a time instead of as one value held in
// memory twice (once as structs, once as bytes). The first error sticks and
// later writes are skipped.
type streamWriter struct {
	w   *bufio.Writer
	err error
}

func newStreamWriter(w io.Writer) *streamWriter {
	return &streamWriter{w: bufio.NewWriterSize(w, 64<<10)}
}

// raw writes literal JSON text.
func (s *streamWriter) raw(text string) {
	if s.err == nil {
		_, s.err = s.w.WriteString(text)
	}
}

// value writes v indented as it would be at a nesting whose lines start
// with prefix (two spaces per level).
func (s *streamWriter) value(prefix string, v any) {
	if s.err != nil {
		return
	}
	data, err := json.MarshalIndent(v, prefix, "  ")
	if err != nil {
		s.err = err
		return
	}
	_, s.err = s.w.Write(data)
}

func (s *streamWriter) flush() error {
	if s.err != nil {
		return s.err
	}
	return s.w.Flush()
}

// streamArray writes items as a JSON array whose opening bracket is at a
// line starting with prefix, converting each with conv as it goes.
func streamArray[T, J any](s *streamWriter, prefix string, items []T, conv func(T) J) {
	if len(items) == 0 {
		s.raw("[]")
		return
	}
	inner := prefix + "  "
	s.raw("[")
	for i, it := range items {
		if i > 0 {
			s.raw(",")
		}
		s.raw("\n" + inner)
		s.value(inner, conv(it))
	}
	s.raw("\n" + prefix + "]")
}
