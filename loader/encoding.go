package loader

import (
	"bytes"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// Text returns data as the UTF-8 text Parse reads: UTF-16 with a
// byte-order mark is transcoded, anything else is returned as it is. Tools
// that show a file's lines next to zdlint's positions (--show-source) read
// it through Text so lines and columns match.
func Text(data []byte) []byte {
	if t, ok := decodeUTF16(data); ok {
		return t
	}
	return data
}

// decodeUTF16 transcodes a UTF-16 stream that starts with a byte-order mark
// to UTF-8 (keeping the mark, as U+FEFF, which yaml.v3 skips). It reports
// false for anything else, and for broken UTF-16 (an odd length, an
// unpaired surrogate), which yaml.v3 then rejects with its own error.
func decodeUTF16(data []byte) ([]byte, bool) {
	if len(data) < 2 || len(data)%2 != 0 {
		return nil, false
	}
	var get func(i int) uint16
	switch {
	case data[0] == 0xFF && data[1] == 0xFE:
		get = func(i int) uint16 { return uint16(data[i]) | uint16(data[i+1])<<8 }
	case data[0] == 0xFE && data[1] == 0xFF:
		get = func(i int) uint16 { return uint16(data[i])<<8 | uint16(data[i+1]) }
	default:
		return nil, false
	}
	out := make([]byte, 0, len(data)/2+len(data)/4)
	for i := 0; i < len(data); i += 2 {
		r := rune(get(i))
		switch {
		case utf16.IsSurrogate(r):
			if r >= 0xDC00 || i+3 >= len(data) {
				return nil, false
			}
			r = utf16.DecodeRune(r, rune(get(i+2)))
			if r == utf8.RuneError {
				return nil, false
			}
			i += 2
		}
		out = utf8.AppendRune(out, r)
	}
	return out, true
}

// readerErrors are the yaml.v3 messages for characters it refuses while
// reading, which come without a line number.
var readerErrors = []string{
	"invalid leading UTF-8 octet",
	"incomplete UTF-8 octet sequence",
	"invalid trailing UTF-8 octet",
	"invalid length of a UTF-8 sequence",
	"invalid Unicode character",
	"control characters are not allowed",
}

// encodingErrorPos finds the character that yaml.v3's reader refused with
// msg: the first byte sequence that is not UTF-8, or the first character
// outside YAML's printable set (YAML 1.2 §5.1). Columns count characters.
func encodingErrorPos(data []byte, msg string) (Pos, bool) {
	known := false
	for _, m := range readerErrors {
		if strings.Contains(msg, m) {
			known = true
			break
		}
	}
	if !known {
		return Pos{}, false
	}
	line, col := 1, 1
	i := 0
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		i = 3 // the byte-order mark is not a column
	}
	for i < len(data) {
		r, size := utf8.DecodeRune(data[i:])
		if (r == utf8.RuneError && size <= 1) || !yamlPrintable(r) {
			return Pos{Line: line, Col: col}, true
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return Pos{}, false
}

// yamlPrintable reports whether YAML allows r in a stream.
func yamlPrintable(r rune) bool {
	switch {
	case r == 0x09, r == 0x0A, r == 0x0D:
	case r >= 0x20 && r <= 0x7E:
	case r == 0x85:
	case r >= 0xA0 && r <= 0xD7FF:
	case r >= 0xE000 && r <= 0xFFFD:
	case r >= 0x10000 && r <= 0x10FFFF:
	default:
		return false
	}
	return true
}

// source is a file's text with its line starts, shared by the file's
// objects so scalar extents can be checked against what is written.
type source struct {
	data   []byte
	starts []int // offsets of line starts, computed on first use
}

// line returns the text of a 1-based line without its newline, or false.
func (s *source) line(n int) ([]byte, bool) {
	if s.starts == nil {
		s.starts = make([]int, 1, bytes.Count(s.data, []byte{'\n'})+1)
		for i, c := range s.data {
			if c == '\n' {
				s.starts = append(s.starts, i+1)
			}
		}
	}
	if n < 1 || n > len(s.starts) {
		return nil, false
	}
	start, end := s.starts[n-1], len(s.data)
	if n < len(s.starts) {
		end = s.starts[n] - 1
	}
	text := s.data[start:end]
	if n == 1 {
		text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
	}
	return text, true
}

// end returns NodeEnd(n) when the source shows the scalar written on one
// line exactly as NodeEnd assumes, and the zero Pos otherwise (a scalar
// folded over several lines, an escape NodeEnd did not see).
func (s *source) end(n *yaml.Node) Pos {
	e := NodeEnd(n)
	if s == nil || !e.IsValid() {
		return e
	}
	text, ok := s.line(n.Line)
	if !ok {
		return Pos{}
	}
	want := n.Value
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		want = `"` + want + `"`
	case n.Style&yaml.SingleQuotedStyle != 0:
		want = "'" + want + "'"
	}
	// Walk to the start column, then compare the written characters.
	col := 1
	for col < n.Column && len(text) > 0 {
		_, size := utf8.DecodeRune(text)
		text = text[size:]
		col++
	}
	if col != n.Column || !bytes.HasPrefix(text, []byte(want)) {
		return Pos{}
	}
	return e
}

// lineMap translates yaml.v3 line numbers to the lines editors, grep and
// zdlint's own output count: lines end at "\n" (or "\r\n"). yaml.v3 also
// breaks lines at a lone "\r", NEL (U+0085), LS (U+2028) and PS (U+2029),
// as YAML 1.1 says, so in a file that has one its lines run ahead.
type lineMap struct {
	// For each yaml.v3 line (index line-1): the "\n" line it starts on
	// and how many characters of that line come before it.
	lines, cols []int
}

// newLineMap returns nil when data has no line break but "\n" and "\r\n",
// the usual case, so positions need no translation.
func newLineMap(data []byte) *lineMap {
	unusual := bytes.Contains(data, []byte("\u0085")) || bytes.Contains(data, []byte("\u2028")) || bytes.Contains(data, []byte("\u2029"))
	for i := bytes.IndexByte(data, '\r'); i >= 0 && !unusual; {
		if i+1 >= len(data) || data[i+1] != '\n' {
			unusual = true
			break
		}
		j := bytes.IndexByte(data[i+1:], '\r')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	if !unusual {
		return nil
	}
	m := &lineMap{lines: []int{1}, cols: []int{0}}
	line, col := 1, 0
	i := 0
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		i = 3 // the byte-order mark is not a column
	}
	for i < len(data) {
		r, size := utf8.DecodeRune(data[i:])
		i += size
		switch {
		case r == '\n':
			line, col = line+1, 0
		case r == '\r' && i < len(data) && data[i] == '\n':
			continue // "\r\n": one break, counted at the "\n"
		case r == '\r' || r == 0x85 || r == 0x2028 || r == 0x2029:
			col++
		default:
			col++
			continue
		}
		m.lines = append(m.lines, line)
		m.cols = append(m.cols, col)
	}
	return m
}

// line translates a yaml.v3 line of the whole text; when lm is nil, the
// lines agree and l is a line of the text after lineOffset lines.
func (lm *lineMap) line(l, lineOffset int) int {
	if lm == nil || l < 1 || l > len(lm.lines) {
		return l + lineOffset
	}
	return lm.lines[l-1]
}

// linesBefore returns how many yaml.v3 lines come before the start of the
// "\n" line l; 0 when lm is nil.
func (lm *lineMap) linesBefore(l int) int {
	if lm == nil {
		return 0
	}
	return sort.SearchInts(lm.lines, l)
}

// pos translates a yaml.v3 line and column.
func (lm *lineMap) pos(l, c int) (int, int) {
	if lm == nil || l < 1 || l > len(lm.lines) {
		return l, c
	}
	return lm.lines[l-1], lm.cols[l-1] + c
}
