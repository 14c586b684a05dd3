package loader

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
)

const badQuantities = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  creationTimestamp: yesterday
spec:
  replicas: 3
  strategy:
    rollingUpdate: {maxUnavailable: 1.5, maxSurge: 1}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: web:1.2.3
        resources:
          requests:
            cpu: 100mi
            memory: 1gb
          limits:
            memory: 1gb
            nvidia.com/gpu: ${ACCELERATOR_QUANTITY}
        readinessProbe:
          httpGet: {path: /ready, port: 80.5}
        livenessProbe:
          httpGet: {path: /live, port: 8080}
        lifecycle:
          preStop:
            sleep: {seconds: 5}
      terminationGracePeriodSeconds: 40
`

// TestBadValues: a value that its API type refuses (a Quantity, an
// IntOrString, a Time) is an error at the value, in plain words, and
// everything else in the object is still decoded: the probes and the hook
// after it are there. Both decoders give the same result (the fast one
// declines such values).
func TestBadValues(t *testing.T) {
	want := []struct {
		pos  Pos
		path string
		msg  string
	}{
		{Pos{5, 22}, "metadata.creationTimestamp", "`yesterday` is not a time (RFC 3339, such as 2024-01-31T12:00:00Z)"},
		{Pos{9, 37}, "spec.strategy.rollingUpdate.maxUnavailable", "`1.5` is not an integer or a string (such as 1 or 25%)"},
		{Pos{21, 18}, "spec.template.spec.containers[0].resources.requests.cpu", "`100mi` is not a quantity; did you mean `100m`?"},
		{Pos{22, 21}, "spec.template.spec.containers[0].resources.requests.memory", "`1gb` is not a quantity; did you mean `1Gi`?"},
		{Pos{24, 21}, "spec.template.spec.containers[0].resources.limits.memory", "`1gb` is not a quantity; did you mean `1Gi`?"},
		{Pos{25, 29}, `spec.template.spec.containers[0].resources.limits["nvidia.com/gpu"]`, "`${ACCELERATOR_QUANTITY}` is not a quantity: it looks like a variable that was never substituted (run envsubst or your templating tool first)"},
		{Pos{27, 41}, "spec.template.spec.containers[0].readinessProbe.httpGet.port", "`80.5` is not a port (a number such as 8080, or a port name such as http)"},
	}
	for _, slow := range []bool{false, true} {
		slowDecode = slow
		f := Parse("q.yaml", []byte(badQuantities), Options{})
		slowDecode = false
		if len(f.Errors) != len(want) || len(f.Objects) != 1 {
			t.Fatalf("slow=%v: %d objects, errors:\n%v", slow, len(f.Objects), f.Errors)
		}
		obj := f.Objects[0]
		for i, w := range want {
			e := f.Errors[i]
			if e.Pos != w.pos || e.Msg != `Deployment "web": `+w.path+": "+w.msg {
				t.Errorf("slow=%v: error %d at %d:%d %q\nwant %d:%d %s: %s", slow, i, e.Pos.Line, e.Pos.Col, e.Msg, w.pos.Line, w.pos.Col, w.path, w.msg)
			}
			if i >= len(obj.Undecoded) || obj.Undecoded[i].String() != w.path {
				t.Errorf("slow=%v: Undecoded = %v, want %s at %d", slow, obj.Undecoded, w.path, i)
			}
		}
		d, ok := obj.Typed.(*appsv1.Deployment)
		if !ok {
			t.Fatalf("slow=%v: Typed = %T", slow, obj.Typed)
		}
		c := d.Spec.Template.Spec.Containers[0]
		if c.ReadinessProbe == nil || c.LivenessProbe == nil || c.Lifecycle == nil || c.Lifecycle.PreStop == nil ||
			d.Spec.Template.Spec.TerminationGracePeriodSeconds == nil || *d.Spec.Replicas != 3 {
			t.Errorf("slow=%v: fields after the bad values were lost: %+v", slow, c)
		}
		if _, ok := c.Resources.Requests["memory"]; ok {
			t.Errorf("slow=%v: the bad memory request was decoded: %v", slow, c.Resources.Requests)
		}
		if ru := d.Spec.Strategy.RollingUpdate; ru == nil || ru.MaxUnavailable != nil || ru.MaxSurge == nil {
			t.Errorf("slow=%v: rollingUpdate = %+v, want maxSurge only", slow, ru)
		}
	}
}

// A bad value in a List item, under a merge key, or in a kind decoded with
// a legacy schema is found too; an object with a bad value and a type
// error reports both.
func TestBadValuesElsewhere(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"legacy schema", "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        resources: {limits: {memory: 2GB}}\n",
			"9:38: Deployment \"a\": spec.template.spec.containers[0].resources.limits.memory: `2GB` is not a quantity; did you mean `2Gi`?"},
		{"merge key", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    resources:\n      <<: {limits: {cpu: 1 core}}\n",
			"8:26: Pod \"p\": spec.containers[0].resources.limits.cpu: `1 core` is not a quantity; did you mean `1`?"},
		{"list item", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec:\n    overhead: {memory: 64 MB}\n",
			"8:24: Pod \"p\": spec.overhead.memory: `64 MB` is not a quantity; did you mean `64Mi`?"},
		{"with a type error", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  replicas: \"3\"\n  template:\n    spec:\n      containers:\n      - name: c\n        resources: {limits: {memory: lots}}\n",
			"10:38: Deployment \"a\": spec.template.spec.containers[0].resources.limits.memory: `lots` is not a quantity (a number with an optional suffix: 500m, 2, 512Mi, 1Gi, 1e3)\n5:13: Deployment \"a\": spec.replicas: got a string, want int32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Parse("x.yaml", []byte(tt.src), Options{})
			var got []string
			for _, e := range f.Errors {
				got = append(got, strings.TrimPrefix(e.Error(), "x.yaml:"))
			}
			if strings.Join(got, "\n") != tt.want {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), tt.want)
			}
			if len(f.Objects) != 1 || f.Objects[0].Typed == nil || len(f.Objects[0].Undecoded) != 1 {
				t.Errorf("%d objects; want one, decoded, with one undecoded value", len(f.Objects))
			}
		})
	}
}

func TestSuggestQuantity(t *testing.T) {
	tests := []struct{ in, resource, want string }{
		{"1gb", "memory", "1Gi"},
		{"1GB", "memory", "1Gi"},
		{"1gi", "memory", "1Gi"},
		{"512 mb", "memory", "512Mi"},
		{"512MiB", "memory", "512Mi"},
		{"100mi", "cpu", "100m"},
		{"250 m", "cpu", "250m"},
		{"2 cores", "cpu", "2"},
		{"100mi", "memory", "100Mi"},
		{"10 gb", "ephemeral-storage", "10Gi"},
		{"1.5gb", "memory", "1.5Gi"},
		{"lots", "memory", ""},
		{"1xb", "memory", ""},
		{"${X}", "memory", ""},
	}
	for _, tt := range tests {
		got, ok := suggestQuantity(tt.in, tt.resource)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("suggestQuantity(%q, %s) = %q, %v; want %q", tt.in, tt.resource, got, ok, tt.want)
		}
	}
}
