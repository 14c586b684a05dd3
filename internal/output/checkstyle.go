package output

import (
	"encoding/xml"
	"io"
)

// Checkstyle writes Checkstyle XML, which reviewdog and older CI tools
// read: a <file> per file, an <error> per finding or input error.
type Checkstyle struct{}

type checkstyleReport struct {
	XMLName xml.Name         `xml:"checkstyle"`
	Version string           `xml:"version,attr"`
	Files   []checkstyleFile `xml:"file"`
}

type checkstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []checkstyleError `xml:"error"`
}

type checkstyleError struct {
	Line     int    `xml:"line,attr"`
	Column   int    `xml:"column,attr,omitempty"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

// Format implements Formatter.
func (Checkstyle) Format(w io.Writer, r *Report) error {
	out := checkstyleReport{Version: "8.0"}
	index := map[string]int{}
	file := func(name string) *checkstyleFile {
		i, ok := index[name]
		if !ok {
			i = len(out.Files)
			index[name] = i
			out.Files = append(out.Files, checkstyleFile{Name: name})
		}
		return &out.Files[i]
	}
	for _, f := range r.Findings {
		fl := file(f.File)
		msg := f.Message
		if f.Source != "" {
			msg += " (from " + f.Source + ")"
		}
		fl.Errors = append(fl.Errors, checkstyleError{Line: f.Pos.Line, Column: f.Pos.Col, Severity: f.Severity.String(), Message: msg, Source: "zdlint." + f.Rule})
	}
	for _, e := range r.Errors {
		fl := file(e.File)
		sev := "error"
		if e.Warning {
			sev = "warning"
		}
		fl.Errors = append(fl.Errors, checkstyleError{Line: e.Pos.Line, Column: e.Pos.Col, Severity: sev, Message: e.Msg, Source: "zdlint.input"})
	}
	return writeXML(w, out)
}
