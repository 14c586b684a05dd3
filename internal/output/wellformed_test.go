package output_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/internal/output"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

// wellFormed checks one format's output for a report. Every name that
// output.Names() returns needs an entry: a new format joins the table, and
// TestEveryFormatWellFormed and FuzzOutput then check it on hostile text.
var wellFormed = map[string]func(t *testing.T, out []byte, r *output.Report){
	"text": func(t *testing.T, out []byte, r *output.Report) {
		lines := splitLines(out)
		if len(lines) != len(r.Findings) {
			t.Fatalf("text: %d lines for %d findings:\n%q", len(lines), len(r.Findings), out)
		}
		for i, l := range lines {
			rule := r.Findings[i].Rule
			if strings.ContainsFunc(rule, isControl) || strings.Contains(rule, "\n") {
				rule = "" // shown escaped
			}
			if !strings.HasSuffix(l, rule+"]") || strings.ContainsFunc(l, isControl) {
				t.Fatalf("text: line %q is not one clean finding", l)
			}
		}
	},
	"json": func(t *testing.T, out []byte, r *output.Report) {
		var v struct {
			Findings []json.RawMessage `json:"findings"`
			Errors   []json.RawMessage `json:"errors"`
		}
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("json: %v\n%s", err, out)
		}
		if len(v.Findings) != len(r.Findings) || len(v.Errors) != len(r.Errors) {
			t.Fatalf("json: %d findings and %d errors, want %d and %d", len(v.Findings), len(v.Errors), len(r.Findings), len(r.Errors))
		}
	},
	"sarif": func(t *testing.T, out []byte, r *output.Report) {
		var v struct {
			Version string `json:"version"`
			Runs    []struct {
				Results []struct {
					RuleID  string `json:"ruleId"`
					Message struct {
						Text string `json:"text"`
					} `json:"message"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("sarif: %v\n%s", err, out)
		}
		if v.Version != "2.1.0" || len(v.Runs) == 0 {
			t.Fatalf("sarif: version %q, %d runs", v.Version, len(v.Runs))
		}
		for _, res := range v.Runs[0].Results {
			if res.RuleID == "" || res.Message.Text == "" {
				t.Fatalf("sarif: result without ruleId or message: %+v", res)
			}
		}
	},
	"gitlab": func(t *testing.T, out []byte, r *output.Report) {
		var v []struct {
			Description string `json:"description"`
			CheckName   string `json:"check_name"`
			Fingerprint string `json:"fingerprint"`
			Severity    string `json:"severity"`
			Location    struct {
				Path  string `json:"path"`
				Lines struct {
					Begin int `json:"begin"`
				} `json:"lines"`
			} `json:"location"`
		}
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("gitlab: %v\n%s", err, out)
		}
		if len(v) != len(r.Findings)+len(r.Errors) {
			t.Fatalf("gitlab: %d issues for %d findings and %d errors", len(v), len(r.Findings), len(r.Errors))
		}
		seen := map[string]bool{}
		for _, i := range v {
			if i.Fingerprint == "" || seen[i.Fingerprint] || i.CheckName == "" || i.Location.Lines.Begin < 1 {
				t.Fatalf("gitlab: bad or repeated issue %+v", i)
			}
			seen[i.Fingerprint] = true
		}
	},
	"junit":      wellFormedXML,
	"checkstyle": wellFormedXML,
	"github": func(t *testing.T, out []byte, r *output.Report) {
		for _, l := range splitLines(out) {
			if !strings.HasPrefix(l, "::") || strings.ContainsAny(l, "\r") {
				t.Fatalf("github: line %q is not a workflow command", l)
			}
		}
	},
}

func wellFormedXML(t *testing.T, out []byte, _ *output.Report) {
	d := xml.NewDecoder(bytes.NewReader(out))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("xml: %v\n%s", err, out)
		}
	}
}

func splitLines(out []byte) []string {
	s := strings.TrimSuffix(string(out), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func isControl(r rune) bool {
	return (r < 0x20 && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0)
}

// hostileReport mixes findings and errors whose text carries everything
// that breaks naive output: newlines, carriage returns, NUL and escape
// characters, quotes, markup, invalid UTF-8 and workflow-command syntax.
func hostileReport(file, msg string, line, col int, rule string) *output.Report {
	if rule == "" {
		rule = "readiness-probe-missing"
	}
	r, _ := rules.ByID("readiness-probe-missing")
	f := func(file, msg string, line, col int) rules.Finding {
		return rules.Finding{
			Rule: rule, Severity: rules.Error, Message: msg, File: file,
			Pos: loader.Pos{Line: line, Col: col}, End: loader.Pos{Line: line, Col: col + 3},
			Object:    rules.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "ns", Name: msg},
			Container: msg, Path: "spec.template", Source: file,
		}
	}
	return &output.Report{
		Findings: []rules.Finding{
			f(file, msg, line, col),
			f("k8s/web app.yaml", "line one\nline two\r\n\x00\x1b[31m<b>&amp;</b>]]> \"q\" '\xff' ::error::x %0A", 3, 7),
		},
		Errors: []*loader.Error{
			{File: file, Pos: loader.Pos{Line: line, Col: col}, Msg: msg},
			{File: "broken\n.yaml", Msg: "invalid YAML: <x> & \"y\"\n\x1b]0;title\x07"},
			{File: "empty/", Msg: "no *.yaml, *.yml or *.json files found in this directory", Warning: true},
		},
		Rules:   []*rules.Rule{r},
		Version: "test",
	}
}

func checkAll(t *testing.T, r *output.Report) {
	for _, name := range output.Names() {
		check, ok := wellFormed[name]
		if !ok {
			t.Errorf("format %q has no well-formedness check: add one to wellFormed in wellformed_test.go", name)
			continue
		}
		f, err := output.New(name, output.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := f.Format(&buf, r); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		check(t, buf.Bytes(), r)
		if text, ok := f.(*output.Text); ok {
			// The text format prints errors separately, to stderr.
			buf.Reset()
			if err := text.FormatErrors(&buf, r); err != nil {
				t.Fatal(err)
			}
			lines := splitLines(buf.Bytes())
			if len(lines) != len(r.Errors) {
				t.Fatalf("text errors: %d lines for %d errors:\n%q", len(lines), len(r.Errors), buf.Bytes())
			}
			for _, l := range lines {
				if strings.ContainsFunc(l, isControl) {
					t.Fatalf("text errors: control character in %q", l)
				}
			}
		}
	}
}

// TestEveryFormatWellFormed: every format stays parseable when findings
// and errors with hostile text are mixed.
func TestEveryFormatWellFormed(t *testing.T) {
	checkAll(t, hostileReport("dir/x.yaml", "message\twith tab", 12, 5, ""))
	checkAll(t, &output.Report{}) // nothing at all is well-formed too
}

// FuzzOutput: every format is well-formed for any file name, message,
// position and rule ID.
func FuzzOutput(f *testing.F) {
	f.Add("a.yaml", "container \"web\" has no readinessProbe", 3, 11, "readiness-probe-missing")
	f.Add("a\nb.yaml", "x\r\ny\x00\x1b[2J", 0, 0, "")
	f.Add("\xff\xfe", "]]><!--", 1<<30, -1, "a b")
	f.Add("::", "%0A::error file=x::y", 1, 1, "::")
	f.Fuzz(func(t *testing.T, file, msg string, line, col int, rule string) {
		checkAll(t, hostileReport(file, msg, line, col, rule))
	})
}
