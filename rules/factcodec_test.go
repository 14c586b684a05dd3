package rules

import (
	"reflect"
	"slices"
	"testing"

	"k8s.io/apimachinery/pkg/labels"

	"github.com/zdlint/zdlint/internal/testutil"
	"github.com/zdlint/zdlint/loader"
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
// checks that each decodes to what was extracted.
func TestFactRoundTrip(t *testing.T) {
	files := [][]byte{[]byte(factCases)}
	if !testing.Short() {
		files = append(files, testutil.ManifestSeeds(t)...)
	}
	var w FactWriter
	r := NewFactReader(new(Arena), "")
	kinds := map[string]int{}
	total := 0
	for i, data := range files {
		var want []Fact
		w.Reset()
		var rec []byte
		for j, name := range []string{"a.yaml", "b.yaml"} { // two files in one stream
			for _, o := range loader.Parse(name, data, loader.Options{}).Objects {
				if f := Extract(o, DefaultSettings(), j == 1); f != nil {
					want = append(want, f)
					rec = w.Append(rec, f)
					kinds[reflect.TypeOf(f).Elem().Name()]++
				}
			}
		}
		r.Reset(string(rec))
		for j, f := range want {
			got := r.Next()
			if !factsEqual(got, f) {
				t.Fatalf("file %d, fact %d (%s): decoded\n%#v\nwant\n%#v", i, j, f.subject().Ref(), got, f)
			}
		}
		if r.S != "" {
			t.Fatalf("file %d: %d bytes left after %d facts", i, len(r.S), len(want))
		}
		total += len(want)
	}
	for _, k := range []string{"WorkloadFact", "HPAFact", "PDBFact", "ServiceFact"} {
		if kinds[k] == 0 {
			t.Errorf("no %s was encoded", k)
		}
	}
	t.Logf("%d facts from %d files: %v", total, len(files), kinds)
}

// factsEqual compares facts field by field; selectors by their
// requirements (their order among one key is not fixed).
func factsEqual(a, b Fact) bool {
	pa, aok := a.(*PDBFact)
	pb, bok := b.(*PDBFact)
	if !aok || !bok {
		return reflect.DeepEqual(a, b)
	}
	if (pa.Selector == nil) != (pb.Selector == nil) ||
		pa.Selector != nil && !slices.Equal(requirements(pa.Selector), requirements(pb.Selector)) {
		return false
	}
	ca, cb := *pa, *pb
	ca.Selector, cb.Selector = nil, nil
	return reflect.DeepEqual(ca, cb)
}

func requirements(s labels.Selector) []string {
	reqs, selectable := s.Requirements()
	out := []string{s.String()}
	if !selectable {
		out = append(out, "nothing")
	}
	for _, r := range reqs {
		out = append(out, r.String())
	}
	slices.Sort(out[1:])
	return out
}
