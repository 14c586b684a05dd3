package engine

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

// TestPathInsideList checks that a finding's path leads from the document
// to the node reported, also for an object that is an item of a List.
func TestPathInsideList(t *testing.T) {
	const doc = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: other}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 1
      template:
        spec:
          containers:
            - {name: web, image: example/web:1, ports: [{containerPort: 80}]}
`
	r, _ := rules.ByID("single-replica")
	res := Run([]loader.Input{{Name: "list.yaml", Stdin: strings.NewReader(doc)}}, Options{Rules: []*rules.Rule{r}})
	if len(res.Findings) != 1 {
		t.Fatalf("want one finding, got %+v (errors %v)", res.Findings, res.Errors)
	}
	f := res.Findings[0]
	if f.Path != "items[1].spec.replicas" {
		t.Errorf("path = %q, want items[1].spec.replicas", f.Path)
	}
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
		t.Fatal(err)
	}
	_, val, ok := loader.Lookup(root.Content[0], parsePath(f.Path))
	if !ok || val.Line != f.Pos.Line || val.Column != f.Pos.Col {
		t.Errorf("path %q does not resolve to the reported node at %d:%d (ok %v)", f.Path, f.Pos.Line, f.Pos.Col, ok)
	}
}

var segment = regexp.MustCompile(`\[(\d+)\]|\["([^"]*)"\]|([^.\[]+)`)

// parsePath reads the rendering of loader.Path.String.
func parsePath(s string) loader.Path {
	var p loader.Path
	for _, m := range segment.FindAllStringSubmatch(s, -1) {
		switch {
		case m[1] != "":
			i, _ := strconv.Atoi(m[1])
			p = p.Index(i)
		case m[2] != "":
			p = p.Key(m[2])
		default:
			p = p.Key(m[3])
		}
	}
	return p
}
