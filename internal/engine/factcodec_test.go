package engine

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/zdlint/zdlint/internal/testutil"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

// factCases are objects whose facts take every branch of the encoding:
// each fact type, replicas set and unset, pod-level requests, native
// sidecars, HPA metrics of both versions with and without minReplicas,
// budgets of both versions with missing, empty, set and invalid selectors
// and int or percent values, and Services.
const factCases = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      resources: {requests: {cpu: 100m}}
      initContainers:
        - {name: proxy, image: p, restartPolicy: Always, resources: {limits: {memory: 64Mi}}}
      containers:
        - name: app
          image: a
          ports: [{containerPort: 8080}]
          resources: {requests: {cpu: 100m, memory: 0}}
        - {name: side, image: s}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 0
  template: {spec: {containers: [{name: db, image: d}]}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec: {template: {spec: {containers: [{name: a, image: a}]}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
    - type: ContainerResource
      containerResource: {name: memory, container: app, target: {type: AverageValue, averageValue: 1Gi}}
---
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: db}
spec:
  scaleTargetRef: {kind: StatefulSet, name: db}
  maxReplicas: 3
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  maxUnavailable: 25%
  selector:
    matchLabels: {app: web}
    matchExpressions:
      - {key: tier, operator: In, values: [front]}
      - {key: app, operator: NotIn, values: [a, b]}
      - {key: canary, operator: DoesNotExist}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: all}
spec: {minAvailable: 1, selector: {}}
---
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata: {name: none}
spec: {minAvailable: 0, selector: {}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: missing}
spec: {maxUnavailable: 1}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: invalid}
spec:
  minAvailable: "50%"
  selector: {matchExpressions: [{key: app, operator: In}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}}
`

// TestFactRoundTrip encodes the facts of factCases and of every manifest
// in fixtures/, examples/ and the shared corpus, one stream per file, and
// checks that each decodes to what was extracted, naming the first field
// that differs.
func TestFactRoundTrip(t *testing.T) {
	files := [][]byte{[]byte(factCases)}
	if !testing.Short() {
		files = append(files, testutil.ManifestSeeds(t)...)
	}
	var w factWriter
	var r factReader
	kinds := map[string]int{}
	total := 0
	for i, data := range files {
		var want []rules.Fact
		w.Reset(nil)
		for j, name := range []string{"a.yaml", "b.yaml"} { // two files in one stream
			for _, o := range loader.Parse(name, data, loader.Options{}).Objects {
				if f := rules.Extract(o, rules.DefaultSettings(), j == 1); f != nil {
					want = append(want, f)
					w.Append(f)
					kinds[reflect.TypeOf(f).Elem().Name()]++
				}
			}
		}
		r.Reset(string(w.b))
		for j, f := range want {
			got := r.Next()
			if diff := firstDiff(reflect.ValueOf(got), reflect.ValueOf(f), reflect.TypeOf(f).Elem().Name()); diff != "" {
				t.Fatalf("file %d, fact %d (%s): %s", i, j, f.About().Ref(), diff)
			}
		}
		if r.S != "" {
			t.Fatalf("file %d: %d bytes left after %d facts", i, len(r.S), len(want))
		}
		total += len(want)
	}
	for _, f := range rules.FactTypes() {
		if k := reflect.TypeOf(f).Elem().Name(); kinds[k] == 0 {
			t.Errorf("no %s was encoded", k)
		}
	}
	t.Logf("%d facts from %d files: %v", total, len(files), kinds)
}

// TestFactFields sets every exported field of every fact type, at any
// depth, to a value other than its zero value, and checks that each
// survives encoding: a field the encoding drops fails by name.
func TestFactFields(t *testing.T) {
	var w factWriter
	var r factReader
	for _, f := range rules.FactTypes() {
		name := reflect.TypeOf(f).Elem().Name()
		v := reflect.New(reflect.TypeOf(f).Elem())
		fill(v.Elem())
		want := v.Interface().(rules.Fact)
		w.Reset(nil)
		w.Append(want)
		w.Append(want) // a second time: its strings are references
		r.Reset(string(w.b))
		for range 2 {
			if diff := firstDiff(reflect.ValueOf(r.Next()), v, name); diff != "" {
				t.Errorf("%s does not survive encoding: %s", name, diff)
			}
		}
	}
}

// fill sets v and everything it holds to non-zero values.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(-3)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(5)
	case reflect.String:
		v.SetString("x-" + v.Type().String())
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem())
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		fill(s.Index(0))
		fill(s.Index(1))
		v.Set(s)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	}
}

// firstDiff returns where got differs from want, by field path, or "";
// an empty slice equals a nil one.
func firstDiff(got, want reflect.Value, path string) string {
	switch want.Kind() {
	case reflect.Pointer, reflect.Interface:
		if got.IsNil() != want.IsNil() {
			return fmt.Sprintf("%s: got nil %v, want nil %v", path, got.IsNil(), want.IsNil())
		}
		if want.IsNil() {
			return ""
		}
		return firstDiff(got.Elem(), want.Elem(), path)
	case reflect.Slice:
		if got.Len() != want.Len() {
			return fmt.Sprintf("%s: got %d elements, want %d", path, got.Len(), want.Len())
		}
		for i := range want.Len() {
			if d := firstDiff(got.Index(i), want.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Struct:
		for i := range want.NumField() {
			if d := firstDiff(got.Field(i), want.Field(i), path+"."+want.Type().Field(i).Name); d != "" {
				return d
			}
		}
		return ""
	}
	if !got.CanInterface() || !want.CanInterface() {
		return path + ": unexported"
	}
	if got.Interface() != want.Interface() {
		return fmt.Sprintf("%s: got %v, want %v", path, got.Interface(), want.Interface())
	}
	return ""
}
