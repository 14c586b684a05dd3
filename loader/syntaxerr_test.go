package loader

import (
	"fmt"
	"strings"
	"testing"
)

// TestSyntaxErrorPositions: a syntax error is reported where PyYAML and
// libyaml report it, with the context's position where the parser has one,
// also in a second document, after a byte-order mark and with CRLF line
// ends. The positions were produced by testdata/syntax/pyyaml_positions.py
// (PyYAML 6.0.3: the problem from yaml.SafeLoader, the context from
// yaml.CSafeLoader, libyaml, which yaml.v3 ports).
func TestSyntaxErrorPositions(t *testing.T) {
	tests := []struct {
		name, src string
		problem   Pos
		context   Pos // zero: no context worth naming
		want      string
	}{
		{"misindented key",
			"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n   template:\n    metadata: {}\n",
			Pos{10, 4}, Pos{6, 3}, "did not find expected key; is this line indented as far as its siblings? (while parsing a block mapping that starts at 6:3)"},
		{"unclosed flow mapping",
			"apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: {app: web\nspec:\n  ports: []\n",
			Pos{6, 5}, Pos{5, 11}, "did not find expected ',' or '}' (while parsing a flow mapping that starts at 5:11)"},
		{"unclosed flow sequence",
			"apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    args: [serve, --port\n    image: web:1\n",
			Pos{9, 10}, Pos{8, 11}, "did not find expected ',' or ']' (while parsing a flow sequence that starts at 8:11)"},
		{"unclosed quote",
			"apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"web\n  namespace: prod\nspec: {}\n",
			Pos{7, 1}, Pos{4, 9}, "found unexpected end of stream (while scanning a quoted scalar that starts at 4:9)"},
		{"missing colon",
			"apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace prod\n  labels: {}\n",
			Pos{6, 3}, Pos{5, 3}, "could not find expected ':'; a key needs a ':' after it (while scanning a simple key that starts at 5:3)"},
		{"tab indentation",
			"apiVersion: v1\nkind: Pod\nmetadata:\n\tname: web\n",
			Pos{4, 1}, Pos{}, "found character that cannot start any token (a tab: YAML is indented with spaces only)"},
		{"tab after indentation",
			"apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  \tnamespace: x\n",
			Pos{5, 3}, Pos{4, 9}, "found a tab character that violates indentation (a tab: YAML is indented with spaces only) (while scanning a plain scalar that starts at 4:9)"},
		{"mapping value after a plain scalar",
			"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n   template: oops\n",
			Pos{7, 12}, Pos{}, "mapping values are not allowed in this context"},
		{"flow sequence open at a document marker",
			"a: [\n---\napiVersion: v1\nkind: Pod\n",
			Pos{2, 1}, Pos{}, "did not find expected node content; a [ or { before this document marker is never closed"},
	}
	const firstDoc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n" // 5 lines
	for _, tt := range tests {
		variants := []struct {
			name, src string
			shift     int // lines before the broken document
		}{
			{"", tt.src, 0},
			{"/second document", firstDoc + tt.src, 5},
			{"/BOM", "\ufeff" + tt.src, 0},
			{"/CRLF", strings.ReplaceAll(tt.src, "\n", "\r\n"), 0},
		}
		for _, v := range variants {
			t.Run(tt.name+v.name, func(t *testing.T) {
				f := Parse("s.yaml", []byte(v.src), Options{})
				if len(f.Errors) != 1 {
					t.Fatalf("errors = %v, want one", f.Errors)
				}
				e := f.Errors[0]
				want := Pos{tt.problem.Line + v.shift, tt.problem.Col}
				if e.Pos != want {
					t.Errorf("error at %d:%d, want %d:%d (PyYAML): %s", e.Pos.Line, e.Pos.Col, want.Line, want.Col, e.Msg)
				}
				msg := "invalid YAML: " + tt.want
				if tt.context.IsValid() {
					// The context's position moves with the document.
					at := fmt.Sprintf("%d:%d", tt.context.Line, tt.context.Col)
					msg = strings.Replace(msg, at, fmt.Sprintf("%d:%d", tt.context.Line+v.shift, tt.context.Col), 1)
				}
				if e.Msg != msg {
					t.Errorf("message\n%s\nwant\n%s", e.Msg, msg)
				}
				if v.shift > 0 && (len(f.Objects) == 0 || f.Objects[0].Kind != "ConfigMap") {
					t.Errorf("the document before the broken one was not loaded: %d objects", len(f.Objects))
				}
			})
		}
	}
}

// TestSyntaxErrorRecovery: the document after a broken one is still
// linted when the error is reported at its marker.
func TestSyntaxErrorRecovery(t *testing.T) {
	f := Parse("r.yaml", []byte("a: [\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"), Options{})
	if len(f.Errors) != 1 || len(f.Objects) != 1 || f.Objects[0].Name != "p" {
		t.Errorf("errors %v, %d objects; want one error and the Pod", f.Errors, len(f.Objects))
	}
}
