package render

import (
	"testing"

	yaml "go.yaml.in/yaml/v3"

	"github.com/zdlint/zdlint/loader"
)

// TestSourcePath: a rendered field path is translated to the same field of
// a source document, list items found by name, missing mappings kept for
// a Set to create, and missing list items refused.
func TestSourcePath(t *testing.T) {
	parse := func(s string) *yaml.Node {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(s), &n); err != nil {
			t.Fatal(err)
		}
		return n.Content[0]
	}
	rendered := parse("spec:\n  template:\n    spec:\n      containers:\n      - name: sidecar\n      - name: web\n")
	patch := parse("spec:\n  template:\n    spec:\n      containers:\n      - name: web\n")
	ctr := loader.P("spec", "template", "spec", "containers")
	for _, tc := range []struct {
		name  string
		src   *yaml.Node
		path  loader.Path
		whole bool
		want  string // "" refused
	}{
		{"item by name", patch, ctr.Index(1).Key("lifecycle", "preStop"), false, "spec.template.spec.containers[0].lifecycle.preStop"},
		{"item missing", patch, ctr.Index(0).Key("lifecycle"), false, ""},
		{"mappings created", patch, loader.P("spec", "strategy", "rollingUpdate", "maxSurge"), false, "spec.strategy.rollingUpdate.maxSurge"},
		{"rename needs the field", patch, loader.P("spec", "strategy"), true, ""},
		{"rename of an existing key", patch, loader.P("spec", "template"), true, "spec.template"},
		{"list under a missing mapping", parse("spec: {}\n"), ctr.Index(1).Key("lifecycle"), false, ""},
	} {
		got, ok := sourcePath(tc.src, tc.path, rendered, tc.whole)
		if tc.want == "" {
			if ok {
				t.Errorf("%s: got %s, want refused", tc.name, got)
			}
			continue
		}
		if !ok || got.String() != tc.want {
			t.Errorf("%s: got %s (%v), want %s", tc.name, got, ok, tc.want)
		}
	}
}
