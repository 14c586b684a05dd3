package output

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/zdlint/zdlint/rules"
)

// Text prints one line per finding, file:line:col: severity: message
// [rule-id], the shape vim's default errorformat, Emacs compilation mode and
// VS Code problem matchers parse. Errors go to the same stream in the same
// shape, after the findings.
type Text struct {
	Options Options
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiDim    = "\x1b[2m"
)

// Format implements Formatter.
func (t *Text) Format(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	cache := map[string][][]byte{}
	name := t.namer()
	for i := range r.Findings {
		f := &r.Findings[i]
		msg := f.Message
		if f.Source != "" {
			msg += " (from " + f.Source + ")"
		}
		t.line(bw, name(f.File), f.Pos.Line, f.Pos.Col, f.Severity.String(), msg, f.Rule)
		if t.Options.ShowSource {
			t.source(bw, cache, f.File, f.Pos.Line, f.Pos.Col)
		}
	}
	// --show-suppressed: what was silenced, marked so no tool mistakes it
	// for a finding, with its reason.
	for _, sp := range r.Suppressed {
		reason := sp.Reason
		if reason == "" {
			reason = "no reason given"
		}
		t.line(bw, name(sp.File), sp.Pos.Line, sp.Pos.Col, "suppressed", sp.Message+" ("+string(sp.Kind)+": "+reason+")", sp.Rule)
	}
	return bw.Flush()
}

// FormatErrors prints errors in the text shape; the CLI sends them to stderr.
func (t *Text) FormatErrors(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	name := t.namer()
	for _, e := range r.Errors {
		sev := "error"
		if e.Warning {
			sev = "warning"
		}
		t.line(bw, name(e.File), e.Pos.Line, e.Pos.Col, sev, e.Msg, "")
	}
	return bw.Flush()
}

// namer returns how file names are printed: as given, or relative to
// --base-path when it is set.
func (t *Text) namer() func(string) string {
	if t.Options.BasePath == "" {
		return func(s string) string { return s }
	}
	return newRelPaths(t.Options.BasePath).rel
}

func (t *Text) line(w *bufio.Writer, file string, line, col int, sev, msg, rule string) {
	loc := file
	if line > 0 {
		loc = fmt.Sprintf("%s:%d:%d", file, line, col)
	}
	// One finding, one line: editors parse line by line. Names and
	// messages carry text from the manifests, so no control character
	// (a newline, a carriage return, a terminal escape) gets through.
	loc, msg, rule = oneLine(loc), oneLine(msg), oneLine(rule)
	if t.Options.Color {
		color := ansiCyan
		switch sev {
		case rules.Error.String():
			color = ansiRed
		case rules.Warning.String():
			color = ansiYellow
		}
		fmt.Fprintf(w, "%s%s:%s %s%s:%s %s", ansiBold, loc, ansiReset, color, sev, ansiReset, msg)
		if rule != "" {
			fmt.Fprintf(w, " %s[%s]%s", ansiDim, rule, ansiReset)
		}
		w.WriteByte('\n')
		return
	}
	fmt.Fprintf(w, "%s: %s: %s", loc, sev, msg)
	if rule != "" {
		fmt.Fprintf(w, " [%s]", rule)
	}
	w.WriteByte('\n')
}

// oneLine replaces newlines with spaces and shows other control
// characters escaped (\x1b), so a value from a manifest can neither split
// a report line nor drive the terminal.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			b.WriteByte(' ')
		case isControl(r):
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isControl(r rune) bool {
	return (r < 0x20 && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029'
}

// source prints the offending line and a caret under the column, as the Go
// compiler does.
func (t *Text) source(w *bufio.Writer, cache map[string][][]byte, file string, line, col int) {
	if line <= 0 || t.Options.ReadFile == nil {
		return
	}
	lines, ok := cache[file]
	if !ok {
		data, err := t.Options.ReadFile(file)
		if err == nil {
			lines = bytes.Split(data, []byte("\n"))
		}
		cache[file] = lines
	}
	if line > len(lines) {
		return
	}
	text := strings.TrimRight(string(lines[line-1]), "\r")
	fmt.Fprintf(w, "    %s\n", text)
	// Reproduce tabs so the caret lines up under tab-indented text.
	var pad strings.Builder
	n := 0
	for _, r := range text {
		if n >= col-1 {
			break
		}
		if r == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteByte(' ')
		}
		n++
	}
	caret := "^"
	if t.Options.Color {
		caret = ansiRed + ansiBold + "^" + ansiReset
	}
	fmt.Fprintf(w, "    %s%s\n", pad.String(), caret)
}
