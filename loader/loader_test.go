package loader

import (
	yaml "go.yaml.in/yaml/v3"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
)

func TestParseMultiDocumentAndList(t *testing.T) {
	src := `# leading comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
---
# comments only
---
---
apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: db}
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: cfg}
---
name: ci-workflow
on: [push]
---
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {kind: Deployment, name: web}
  maxReplicas: 5
`
	f := Parse("x.yaml", []byte(src), Options{})
	if len(f.Errors) != 0 {
		t.Fatalf("errors: %v", f.Errors)
	}
	type want struct {
		kind, name, ns string
		line, doc      int
		prefix         string
	}
	wants := []want{
		{"Deployment", "web", "shop", 2, 0, ""},
		{"StatefulSet", "db", "", 16, 3, "items[0]"},
		{"ConfigMap", "cfg", "", 19, 3, "items[1]"},
		{"HorizontalPodAutoscaler", "web", "", 26, 5, ""},
	}
	if len(f.Objects) != len(wants) {
		t.Fatalf("got %d objects, want %d", len(f.Objects), len(wants))
	}
	for i, w := range wants {
		o := f.Objects[i]
		if o.Kind != w.kind || o.Name != w.name || o.Namespace != w.ns || o.Node.Line != w.line || o.Doc != w.doc || o.Prefix.String() != w.prefix {
			t.Errorf("object %d = %s %s/%s line %d doc %d prefix %q; want %+v", i, o.Kind, o.Namespace, o.Name, o.Node.Line, o.Doc, o.Prefix, w)
		}
	}
	if f.Skipped != 1 {
		t.Errorf("skipped = %d, want 1 (the ConfigMap)", f.Skipped)
	}
	d, ok := f.Objects[0].Typed.(*appsv1.Deployment)
	if !ok || d.Spec.Replicas == nil || *d.Spec.Replicas != 3 {
		t.Errorf("typed Deployment not decoded: %#v", f.Objects[0].Typed)
	}
	if f.Objects[2].Typed != nil {
		t.Errorf("ConfigMap decoded: %#v", f.Objects[2].Typed)
	}
	if h, ok := f.Objects[3].Typed.(*autoscalingv2.HorizontalPodAutoscaler); !ok || h.Spec.MaxReplicas != 5 {
		t.Errorf("v2beta2 HPA not decoded in the v2 shape: %#v", f.Objects[3].Typed)
	}
}

func TestPositions(t *testing.T) {
	src := `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    example.com/a.b: "x"
spec:
  strategy:
    rollingUpdate:
      maxUnavailable: 30%
  template:
    spec:
      containers:
        - name: app
          image: nginx
        -   name: second
            image: busybox
`
	f := Parse("p.yaml", []byte(src), Options{})
	obj := f.Objects[0]
	tests := []struct {
		path      Path
		line, col int
	}{
		{P("spec", "strategy", "rollingUpdate", "maxUnavailable"), 10, 23},                   // value node
		{P("spec", "strategy", "rollingUpdate", "maxSurge"), 9, 5},                           // missing: the parent key
		{P("spec", "template", "spec", "containers").Index(0).Key("readinessProbe"), 14, 11}, // missing: the container's "- name:" line
		{P("spec", "template", "spec", "containers").Index(1).Key("readinessProbe"), 16, 13}, // irregular indentation
		{P("spec", "template", "spec", "containers").Index(0).Key("image"), 15, 18},          // scalar value
		{P("metadata", "annotations", "example.com/a.b"), 6, 22},                             // keys with dots
		{P("spec", "progressDeadlineSeconds"), 7, 1},                                         // missing at spec level: the spec key
		{P("spec", "template", "spec", "containers").Index(7), 13, 7},                        // out of range: the list key
	}
	for _, tt := range tests {
		pos, _ := obj.Pos(tt.path)
		if pos.Line != tt.line || pos.Col != tt.col {
			t.Errorf("Pos(%s) = %d:%d, want %d:%d", tt.path, pos.Line, pos.Col, tt.line, tt.col)
		}
	}
	if end := NodeEnd(mustValue(t, obj, P("spec", "strategy", "rollingUpdate", "maxUnavailable"))); end != (Pos{10, 26}) {
		t.Errorf("end of 30%% = %v, want 10:26", end)
	}
}

func mustValue(t *testing.T, o *Object, p Path) *yaml.Node {
	t.Helper()
	_, v, ok := o.Lookup(p)
	if !ok {
		t.Fatalf("%s not found", p)
	}
	return v
}

func TestMergeKeyPositionsPointAtTheSource(t *testing.T) {
	src := `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - &base
          name: app
          image: nginx
          imagePullPolicy: Always
        - <<: *base
          name: copy
`
	f := Parse("m.yaml", []byte(src), Options{})
	if len(f.Errors) > 0 {
		t.Fatal(f.Errors)
	}
	d := f.Objects[0].Typed.(*appsv1.Deployment)
	c := d.Spec.Template.Spec.Containers
	if len(c) != 2 || c[1].Name != "copy" || c[1].Image != "nginx" || c[1].ImagePullPolicy != "Always" {
		t.Fatalf("merge not applied: %+v", c)
	}
	pos, _ := f.Objects[0].Pos(P("spec", "template", "spec", "containers").Index(1).Key("image"))
	if pos != (Pos{10, 18}) {
		t.Errorf("merged image at %v, want 10:18 (the anchor's source)", pos)
	}
}

func TestYAML11Scalars(t *testing.T) {
	src := `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    octal: "0755"
spec:
  replicas: 0x3
  minReadySeconds: 1_0
  paused: yes
  template:
    spec:
      containers:
        - name: app
          stdin: on
`
	f := Parse("y.yaml", []byte(src), Options{})
	if len(f.Errors) > 0 {
		t.Fatal(f.Errors)
	}
	d := f.Objects[0].Typed.(*appsv1.Deployment)
	if *d.Spec.Replicas != 3 || d.Spec.MinReadySeconds != 10 || !d.Spec.Paused || !d.Spec.Template.Spec.Containers[0].Stdin {
		t.Errorf("YAML 1.1 scalars not resolved as kubectl does: %+v", d.Spec)
	}
}

func TestTypeErrorKeepsObjectAndPointsAtValue(t *testing.T) {
	src := `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: "3"
  template:
    spec:
      containers:
        - name: app
          image: nginx
`
	f := Parse("t.yaml", []byte(src), Options{})
	if len(f.Errors) != 1 {
		t.Fatalf("errors = %v, want one", f.Errors)
	}
	e := f.Errors[0]
	if e.Pos != (Pos{5, 13}) || !strings.Contains(e.Msg, "spec.replicas") {
		t.Errorf("error = %v at %v, want spec.replicas at 5:13", e.Msg, e.Pos)
	}
	if len(f.Objects) != 1 || f.Objects[0].Typed == nil {
		t.Fatal("object dropped after a type error")
	}
	if d := f.Objects[0].Typed.(*appsv1.Deployment); len(d.Spec.Template.Spec.Containers) != 1 {
		t.Error("rest of the object not decoded")
	}
}

func TestUnknownFieldsRecorded(t *testing.T) {
	src := `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      terminationGracePeriodSecond: 30
      containers:
        - name: app
          readynessProbe: {}
`
	f := Parse("u.yaml", []byte(src), Options{})
	got := []string{}
	for _, p := range f.Objects[0].UnknownFields {
		got = append(got, p.String())
	}
	want := "spec.template.spec.terminationGracePeriodSecond spec.template.spec.containers[0].readynessProbe"
	if strings.Join(got, " ") != want {
		t.Errorf("unknown fields = %v, want %s", got, want)
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name, src, want string
		line            int
	}{
		{"binary", "apiVersion: v1\n\x00\x01", "binary file", 2},
		{"invalid yaml", "a: b\n  c: d: e\n", "invalid YAML", 2},
		{"helm", "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\n", "helm template", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Parse("bad.yaml", []byte(tt.src), Options{})
			if len(f.Errors) != 1 {
				t.Fatalf("errors = %v, want exactly one", f.Errors)
			}
			e := f.Errors[0]
			if !strings.Contains(e.Error(), tt.want) || !strings.HasPrefix(e.Error(), "bad.yaml:") {
				t.Errorf("error %q does not name the file and mention %q", e, tt.want)
			}
			if tt.line > 0 && e.Pos.Line != tt.line {
				t.Errorf("line = %d, want %d", e.Pos.Line, tt.line)
			}
		})
	}
}

func TestRecoversAfterSyntaxError(t *testing.T) {
	src := "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n---\nkey: [unclosed\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\n"
	f := Parse("r.yaml", []byte(src), Options{})
	if len(f.Errors) != 1 {
		t.Fatalf("errors = %v", f.Errors)
	}
	if len(f.Objects) != 2 || f.Objects[1].Name != "b" || f.Objects[1].Node.Line != 7 {
		t.Fatalf("documents after the broken one were lost or mispositioned: %d objects", len(f.Objects))
	}
}

func TestPathString(t *testing.T) {
	p := P("metadata", "annotations", "zdlint.io/ignore").Concat(P("x").Index(2))
	if got := p.String(); got != `metadata.annotations["zdlint.io/ignore"].x[2]` {
		t.Errorf("String() = %s", got)
	}
	q := ParseJSONPath("spec.template.spec.containers[0].ports[1].protocl")
	if q.String() != "spec.template.spec.containers[0].ports[1].protocl" || len(q) != 8 {
		t.Errorf("ParseJSONPath round trip: %s (%d segments)", q, len(q))
	}
}

// A block scalar on the last line of a file without a final newline keeps
// its line break, as kubectl's line-by-line document reader gives it one.
func TestBlockScalarAtEOFKeepsNewline(t *testing.T) {
	src := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    note: |\n      line one\n      line two"
	f := Parse("eof.yaml", []byte(src), Options{})
	d := f.Objects[0].Typed.(*appsv1.Deployment)
	if got := d.Annotations["note"]; got != "line one\nline two\n" {
		t.Errorf("annotation = %q, want a final newline", got)
	}
}
