package lsp

import (
	"strings"
	"unicode/utf8"

	"github.com/zdlint/zdlint/loader"
)

// encoding is the unit LSP positions count characters in, negotiated at
// initialize (LSP 3.17 positionEncoding): UTF-16 code units unless the
// client offers another.
type encoding string

const (
	utf16 encoding = "utf-16"
	utf8e encoding = "utf-8"
	utf32 encoding = "utf-32"
)

// negotiate picks the client's first offered encoding the server speaks;
// UTF-8 is cheapest for a server holding UTF-8 text, but the client's
// order is its preference, as the specification asks.
func negotiate(offered []string) encoding {
	for _, e := range offered {
		switch encoding(e) {
		case utf8e, utf16, utf32:
			return encoding(e)
		}
	}
	return utf16
}

// units is how many units of e the rune r takes.
func (e encoding) units(r rune) int {
	switch e {
	case utf8e:
		if r == utf8.RuneError {
			return 1 // an invalid byte stands for itself
		}
		return utf8.RuneLen(r)
	case utf32:
		return 1
	}
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// textIndex maps between zdlint's positions (1-based line, 1-based column
// in runes), byte offsets and LSP positions (0-based line, 0-based
// character in the negotiated units) over one document's text.
type textIndex struct {
	text   string
	starts []int // byte offset of each line's first byte
}

func newTextIndex(text string) *textIndex {
	starts := []int{0}
	for i := 0; ; {
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		starts = append(starts, i)
	}
	return &textIndex{text: text, starts: starts}
}

// line returns line i's text (0-based), without its line break.
func (t *textIndex) line(i int) string {
	if i < 0 || i >= len(t.starts) {
		return ""
	}
	end := len(t.text)
	if i+1 < len(t.starts) {
		end = t.starts[i+1] - 1
	}
	s := t.text[t.starts[i]:end]
	if len(s) > 0 && s[len(s)-1] == '\r' {
		s = s[:len(s)-1]
	}
	return s
}

// fromPos converts a zdlint position. Positions past the text are clamped
// to it: a client rejects a range outside the document.
func (t *textIndex) fromPos(p loader.Pos, e encoding) position {
	if !p.IsValid() {
		return position{}
	}
	l := p.Line - 1
	if l >= len(t.starts) {
		l = len(t.starts) - 1
		return position{Line: l, Character: unitsIn(t.line(l), e)}
	}
	s := t.line(l)
	ch, runes := 0, 0
	for _, r := range s {
		if runes >= p.Col-1 {
			break
		}
		ch += e.units(r)
		runes++
	}
	return position{Line: l, Character: ch}
}

// fromOffset converts a byte offset.
func (t *textIndex) fromOffset(off int, e encoding) position {
	off = max(0, min(off, len(t.text)))
	l := 0
	lo, hi := 0, len(t.starts)-1
	for lo <= hi { // the last line starting at or before off
		m := (lo + hi) / 2
		if t.starts[m] <= off {
			l, lo = m, m+1
		} else {
			hi = m - 1
		}
	}
	return position{Line: l, Character: unitsIn(t.text[t.starts[l]:off], e)}
}

// toPos converts an LSP position to a zdlint one; a character inside a
// surrogate pair or a multi-byte sequence counts as that rune.
func (t *textIndex) toPos(p position, e encoding) loader.Pos {
	s := t.line(p.Line)
	col, ch := 1, 0
	for _, r := range s {
		if ch >= p.Character {
			break
		}
		ch += e.units(r)
		col++
	}
	return loader.Pos{Line: p.Line + 1, Col: col}
}

func unitsIn(s string, e encoding) int {
	n := 0
	for _, r := range s {
		n += e.units(r)
	}
	return n
}

// tokenEnd is where a finding without a known end stops: the end of the
// token at p, which runs to the next blank, to a key's colon, or to a
// comment. A position at the end of its line gets no width.
func (t *textIndex) tokenEnd(p loader.Pos) loader.Pos {
	if !p.IsValid() {
		return p
	}
	runes := []rune(t.line(p.Line - 1))
	i := p.Col - 1
	if i >= len(runes) {
		return p
	}
	j := i
	for j < len(runes) && runes[j] != ' ' && runes[j] != '\t' {
		if runes[j] == ':' && (j+1 == len(runes) || runes[j+1] == ' ' || runes[j+1] == '\t') {
			break
		}
		j++
	}
	if j == i { // on a blank: the rest of the line
		j = len(runes)
	}
	return loader.Pos{Line: p.Line, Col: j + 1}
}

// offset converts an LSP position to a byte offset, clamped to the text.
func (t *textIndex) offset(p position, e encoding) int {
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(t.starts) {
		return len(t.text)
	}
	s := t.line(p.Line)
	ch := 0
	for i, r := range s {
		if ch >= p.Character {
			return t.starts[p.Line] + i
		}
		ch += e.units(r)
	}
	return t.starts[p.Line] + len(s)
}
