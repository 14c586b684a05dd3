package loader

import (
	"bytes"
	"fmt"
	"reflect"

	yaml "go.yaml.in/yaml/v3"
)

// yaml.v3 is a port of libyaml and keeps libyaml's error state: the
// problem's own position (problem_mark) and, for most errors, the position
// of the construct being read when it went wrong (context_mark, "while
// parsing a block mapping"). Its error message, though, carries a single
// line: the context's, and for parser errors the line before it, since the
// 0-based mark is printed as if it were 1-based. A mis-indented key on line
// 10 of a mapping opened on line 6 reads "line 5: did not find expected
// key".
//
// The marks are what libyaml and PyYAML report, so the loader reads them
// from the decoder after a failed Decode. They are unexported, so this goes
// through reflection, which may read (never write) unexported fields. Only
// the error path pays for it. If a yaml.v3 upgrade renames the fields,
// syntaxMarks reports !ok and the loader falls back to the message's line;
// TestSyntaxErrorPositions fails loudly in that case.

// libyaml's error types (yaml_error_type_t): only scanner and parser errors
// have marks. Reader errors (invalid UTF-8, control characters) carry a
// byte offset instead, which encodingErrorPos turns into a position.
const (
	yamlScannerError = 3
	yamlParserError  = 4
)

// syntaxMarks are the positions of a syntax error as yaml.v3 counts them:
// 1-based lines of the text it read, 1-based columns in characters, the
// byte-order mark not counted.
type syntaxMarks struct {
	problem    Pos
	context    Pos    // zero when the error has no context
	contextMsg string // "while parsing a block mapping"
}

// syntaxMarksOf returns the marks of the error the decoder's last Decode
// failed with.
func syntaxMarksOf(dec *yaml.Decoder) (m syntaxMarks, ok bool) {
	defer func() {
		// reflect panics on a field of the wrong kind: a changed yaml.v3
		// falls back to the message's line rather than crashing the file.
		if recover() != nil {
			ok = false
		}
	}()
	v := reflect.ValueOf(dec)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return m, false
	}
	p := v.Elem().FieldByName("parser")
	if !p.IsValid() || p.Kind() != reflect.Pointer || p.IsNil() {
		return m, false
	}
	lp := p.Elem().FieldByName("parser")
	if !lp.IsValid() || lp.Kind() != reflect.Struct {
		return m, false
	}
	switch lp.FieldByName("error").Int() {
	case yamlScannerError, yamlParserError:
	default:
		return m, false
	}
	mark := func(name string) Pos {
		mv := lp.FieldByName(name)
		return Pos{Line: int(mv.FieldByName("line").Int()) + 1, Col: int(mv.FieldByName("column").Int()) + 1}
	}
	m.problem = mark("problem_mark")
	if m.contextMsg = lp.FieldByName("context").String(); m.contextMsg != "" {
		m.context = mark("context_mark")
	}
	return m, true
}

// syntaxMessage is the text of a syntax error with marks: libyaml's
// problem, a hint for the mistakes people make most, and the context with
// its own position when it adds something.
func syntaxMessage(problem string, m syntaxMarks, ch rune) string {
	msg := problem
	switch {
	case ch == '\t' && (problem == "found character that cannot start any token" ||
		problem == "found a tab character that violates indentation"):
		msg += " (a tab: YAML is indented with spaces only)"
	case problem == "did not find expected key" && m.contextMsg == "while parsing a block mapping":
		msg += "; is this line indented as far as its siblings?"
	case problem == "did not find expected node content" && (ch == '-' || ch == '.') && m.problem.Col == 1:
		msg += "; a [ or { before this document marker is never closed"
	case problem == "could not find expected ':'":
		msg += "; a key needs a ':' after it"
	}
	if m.context.IsValid() && m.context != m.problem {
		msg += fmt.Sprintf(" (%s that starts at %d:%d)", m.contextMsg, m.context.Line, m.context.Col)
	}
	return msg
}

// charAt returns the character at a 1-based line and column of data, the
// byte-order mark not counted, or 0.
func charAt(data []byte, p Pos) rune {
	off, ok := lineStart(data, p.Line)
	if !ok {
		return 0
	}
	if p.Line == 1 && len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		off = 3
	}
	col := 1
	for _, r := range string(data[off:]) {
		if r == '\n' {
			return 0
		}
		if col == p.Col {
			return r
		}
		col++
	}
	return 0
}

// lineStart returns the byte offset of the 1-based line l of data.
func lineStart(data []byte, l int) (int, bool) {
	off := 0
	for i := 1; i < l; i++ {
		j := bytes.IndexByte(data[off:], '\n')
		if j < 0 {
			return 0, false
		}
		off += j + 1
	}
	return off, true
}
