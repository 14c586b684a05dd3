// Package output renders a run's findings and errors in the formats zdlint
// supports. Each format lives in its own file; all of them include file
// errors, never leaving them only on stderr, and none of them reorders what
// the engine sorted.
package output

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/zdlint/zdlint/internal/engine"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

// Report is everything a formatter may print.
type Report struct {
	Findings []rules.Finding
	Errors   []*loader.Error
	Rules    []*rules.Rule // enabled rules, for formats that describe them
	Stats    engine.Stats
	Version  string
}

// Formatter writes a report in one format.
type Formatter interface {
	Format(w io.Writer, r *Report) error
}

// TextOptions tunes the text format.
type TextOptions struct {
	Color      bool
	ShowSource bool
	// ReadFile returns a file's content for --show-source.
	ReadFile func(name string) ([]byte, error)
}

var formats = map[string]func(TextOptions) Formatter{
	"text": func(o TextOptions) Formatter { return &Text{Options: o} },
	"json": func(TextOptions) Formatter { return JSON{} },
}

// Names lists the supported formats, sorted.
func Names() []string {
	names := make([]string, 0, len(formats))
	for n := range formats {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// New returns the formatter for name.
func New(name string, o TextOptions) (Formatter, error) {
	f, ok := formats[name]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (want one of %s)", name, strings.Join(Names(), ", "))
	}
	return f(o), nil
}
