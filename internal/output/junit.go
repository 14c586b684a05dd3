package output

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/zdlint/zdlint/rules"
)

// JUnit writes JUnit XML for Jenkins, GitLab and Azure Pipelines: a test
// suite per file, a test case per object and rule, and a failure per
// finding with file:line:col in its message. Files that could not be
// loaded get a test case with an error, and a file without findings one
// passing test case: a clean run is a report of passed tests, not an empty
// one (Jenkins' junit step fails on an empty report by default).
type JUnit struct{}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string         `xml:"name,attr"`
	Classname string         `xml:"classname,attr"`
	Failures  []junitFailure `xml:"failure"`
	Errors    []junitFailure `xml:"error"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// Format implements Formatter.
func (JUnit) Format(w io.Writer, r *Report) error {
	var suites []junitSuite
	byFile := map[string]int{}
	suite := func(file string) *junitSuite {
		i, ok := byFile[file]
		if !ok {
			i = len(suites)
			byFile[file] = i
			suites = append(suites, junitSuite{Name: file})
		}
		return &suites[i]
	}
	caseIndex := map[string]int{}
	for _, f := range r.Findings {
		s := suite(f.File)
		key := f.File + "\x00" + f.Object.String() + "\x00" + f.Rule
		i, ok := caseIndex[key]
		if !ok {
			i = len(s.Cases)
			caseIndex[key] = i
			s.Cases = append(s.Cases, junitCase{Name: fmt.Sprintf("%s %s", f.Rule, objectName(f.Object)), Classname: f.File})
			s.Tests++
		}
		loc := fmt.Sprintf("%s:%d:%d", f.File, f.Pos.Line, f.Pos.Col)
		s.Cases[i].Failures = append(s.Cases[i].Failures, junitFailure{
			Message: fmt.Sprintf("%s: %s", loc, f.Message),
			Type:    f.Severity.String(),
			Text:    fmt.Sprintf("%s: %s: %s [%s]", loc, f.Severity, f.Message, f.Rule),
		})
		s.Failures++
	}
	for _, e := range r.Errors {
		s := suite(e.File)
		loc := e.File
		if e.Pos.IsValid() {
			loc = fmt.Sprintf("%s:%d:%d", e.File, e.Pos.Line, e.Pos.Col)
		}
		s.Cases = append(s.Cases, junitCase{Name: "load " + e.File, Classname: e.File, Errors: []junitFailure{{Message: loc + ": " + e.Msg, Type: "error", Text: loc + ": " + e.Msg}}})
		s.Tests++
		s.Errors++
	}
	for _, file := range r.Files {
		if _, ok := byFile[file]; !ok {
			s := suite(file)
			s.Cases = append(s.Cases, junitCase{Name: "zdlint " + file, Classname: file})
			s.Tests++
		}
	}
	out := junitSuites{Name: "zdlint", Suites: suites}
	for _, s := range suites {
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
	}
	return writeXML(w, out)
}

// objectName renders "Deployment shop/web".
func objectName(o rules.ObjectRef) string {
	name := o.Name
	if o.Namespace != "" {
		name = o.Namespace + "/" + name
	}
	return strings.TrimSpace(o.Kind + " " + name)
}
