// Package output renders a run's findings and errors in the formats zdlint
// supports. Each format lives in its own file; all of them include file
// errors, never leaving them only on stderr, and none of them reorders what
// the engine sorted.
package output

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/zdlint/zdlint/internal/baseline"
	"github.com/zdlint/zdlint/internal/engine"
	"github.com/zdlint/zdlint/internal/suppress"
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
	// Suppressed is nil unless --show-suppressed asked for the findings
	// that suppressions silenced.
	Suppressed []suppress.Suppressed
	// Stale lists baseline entries that no longer occur.
	Stale []baseline.Entry
	// Files names the files linted (not --context), in order, for formats
	// that list what was checked (JUnit: one test case per file).
	Files []string
}

// Formatter writes a report in one format.
type Formatter interface {
	Format(w io.Writer, r *Report) error
}

// Options tunes the formats.
type Options struct {
	Color      bool // text: ANSI colours
	ShowSource bool // text: the source line and a caret under the column
	// ReadFile returns a file's content for --show-source.
	ReadFile func(name string) ([]byte, error)
	// BasePath is the directory that file locations are made relative to.
	// SARIF and GitLab always print relative paths ("" means the working
	// directory); the other formats print names as given unless it is set.
	BasePath string
}

var formats = map[string]func(Options) Formatter{
	"text":       func(o Options) Formatter { return &Text{Options: o} },
	"json":       func(Options) Formatter { return JSON{} },
	"sarif":      func(o Options) Formatter { return SARIF{BasePath: o.BasePath} },
	"junit":      func(Options) Formatter { return JUnit{} },
	"github":     func(Options) Formatter { return GitHub{} },
	"gitlab":     func(o Options) Formatter { return GitLab{BasePath: o.BasePath} },
	"checkstyle": func(Options) Formatter { return Checkstyle{} },
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
func New(name string, o Options) (Formatter, error) {
	f, ok := formats[name]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (want one of %s)", name, strings.Join(Names(), ", "))
	}
	out := f(o)
	switch name {
	case "json", "github", "junit", "checkstyle":
		if o.BasePath != "" {
			out = rebased{f: out, base: o.BasePath}
		}
	}
	return out, nil
}

// writeXML writes the XML header, v indented, and a final newline.
func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
