package render

import (
	"bytes"
	"testing"

	yaml "go.yaml.in/yaml/v3"

	"github.com/zdlint/zdlint/loader"
)

// FuzzTemplate feeds arbitrary template text and a field path through the
// Helm mapping: blanking keeps every byte offset and line break, and
// finding a field or its action never panics.
func FuzzTemplate(f *testing.F) {
	f.Add([]byte("apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: {{ .Values.n }}\n  template:\n    spec:\n      containers:\n        - name: {{ .Chart.Name }}\n          resources:\n            {{- toYaml .Values.r | nindent 12 }}\n"), "spec.template.spec.containers[0].resources.requests")
	f.Add([]byte("{{- if .x }}\nkind: Service\n{{ $k }}: {{ $v }}\n---\nkind: Deployment\n{{/* a\ncomment */}}\nspec: {}\n"), "spec.replicas")
	f.Add([]byte("{{"), "")
	f.Fuzz(func(t *testing.T, data []byte, path string) {
		b := blankActions(data)
		if len(b) != len(data) || bytes.Count(b, []byte("\n")) != bytes.Count(data, []byte("\n")) {
			t.Fatalf("blanking moved bytes: %q -> %q", data, b)
		}
		tm := newTemplate(data)
		p := loader.ParseJSONPath(path)
		for _, kind := range []string{"Deployment", "Service", ""} {
			for n := range 3 {
				doc := tm.doc(kind, n)
				if doc == nil {
					continue
				}
				m := walk(doc, p, &yaml.Node{Kind: yaml.MappingNode})
				tm.near(m, m.depth == len(p))
				pathAt(doc, loader.NodePos(m.node))
			}
		}
		for _, ch := range splitDocs(data) {
			if ch.first < 1 || ch.last < ch.first-1 {
				t.Fatalf("chunk lines %d-%d", ch.first, ch.last)
			}
		}
	})
}
