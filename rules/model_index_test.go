package rules

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/zdlint/zdlint/loader"
)

// load parses one file and returns its objects.
func load(t *testing.T, name, data string) []*loader.Object {
	t.Helper()
	f := loader.Parse(name, []byte(data), loader.Options{})
	for _, e := range f.Errors {
		t.Fatalf("%s: %v", name, e)
	}
	return f.Objects
}

// indexOf builds an Index from the facts of files (name → YAML). The
// engine keeps facts encoded between extraction and the Index;
// TestFactRoundTrip (internal/engine) checks that a decoded fact equals
// the extracted one, so these tests use the extracted facts.
func indexOf(t *testing.T, files map[string]string, context ...string) *Index {
	t.Helper()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	var facts []Fact
	for _, n := range names {
		for _, o := range load(t, n, files[n]) {
			if f := Extract(o, DefaultSettings(), slices.Contains(context, n)); f != nil {
				facts = append(facts, f)
			}
		}
	}
	return NewIndex(facts)
}

func deployment(name, ns string, replicas int, labels string) string {
	r := ""
	if replicas >= 0 {
		r = fmt.Sprintf("  replicas: %d\n", replicas)
	}
	if ns != "" {
		ns = "\n  namespace: " + ns
	}
	return fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: %s%s
spec:
%s  template:
    metadata:
      labels: %s
    spec:
      containers:
        - {name: app, image: example/app:1}
`, name, ns, r, labels)
}

func names(ws []*WorkloadFact) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.Ref().Namespace+"/"+w.Ref().Name)
	}
	return out
}

func TestMatchWorkloadsSelectorSemantics(t *testing.T) {
	ix := indexOf(t, map[string]string{"all.yaml": strings.Join([]string{
		deployment("web", "", 2, "{app: web, tier: front, track: stable}"),
		deployment("canary", "", 1, "{app: web, tier: front, track: canary}"),
		deployment("api", "", 2, "{app: api, tier: back}"),
		deployment("bare", "", 1, "{}"),
		deployment("web", "other", 2, "{app: web, tier: front, track: stable}"),
	}, "---\n")})
	tests := []struct {
		name string
		sel  *metav1.LabelSelector
		ns   string
		want []string
	}{
		{"matchLabels", &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}, "default", []string{"default/canary", "default/web"}},
		{"matchLabels all pairs", &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web", "track": "canary"}}, "default", []string{"default/canary"}},
		{"other namespace", &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web", "track": "canary"}}, "other", nil},
		{"no such label", &metav1.LabelSelector{MatchLabels: map[string]string{"app": "nope"}}, "default", nil},
		{"In", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: metav1.LabelSelectorOpIn, Values: []string{"api", "x"}}}}, "default", []string{"default/api"}},
		{"In single value", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpIn, Values: []string{"back"}}}}, "default", []string{"default/api"}},
		{"NotIn keeps pods without the key", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "track", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"canary"}}}}, "default", []string{"default/api", "default/bare", "default/web"}},
		{"Exists", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "track", Operator: metav1.LabelSelectorOpExists}}}, "default", []string{"default/canary", "default/web"}},
		{"DoesNotExist", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "track", Operator: metav1.LabelSelectorOpDoesNotExist}}}, "default", []string{"default/api", "default/bare"}},
		{"labels and expressions are ANDed", &metav1.LabelSelector{MatchLabels: map[string]string{"tier": "front"}, MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "track", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"stable"}}}}, "default", []string{"default/canary"}},
		{"empty matches all", &metav1.LabelSelector{}, "other", []string{"other/web"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sel, err := metav1.LabelSelectorAsSelector(tt.sel)
			if err != nil {
				t.Fatal(err)
			}
			got := names(ix.MatchWorkloads(tt.ns, sel, tt.sel))
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			// The label index only narrows the search: without the hint
			// the answer is the same.
			all := names(ix.MatchWorkloads(tt.ns, sel, nil))
			slices.Sort(all)
			if !slices.Equal(all, tt.want) {
				t.Errorf("without hint: got %v, want %v", all, tt.want)
			}
		})
	}
}

func TestCandidatesNarrowByLabel(t *testing.T) {
	var docs []string
	for i := range 50 {
		docs = append(docs, deployment(fmt.Sprintf("w%d", i), "", 2, fmt.Sprintf("{app: w%d, team: core}", i)))
	}
	ix := indexOf(t, map[string]string{"many.yaml": strings.Join(docs, "---\n")})
	n := ix.byNS["default"]
	hint := &metav1.LabelSelector{MatchLabels: map[string]string{"team": "core", "app": "w7"}}
	if got := n.candidates(hintPairs(hint)); len(got) != 1 || got[0].ref().Name != "w7" {
		t.Errorf("candidates = %d, want only w7", len(got))
	}
	if got := n.candidates(hintPairs(&metav1.LabelSelector{MatchLabels: map[string]string{"app": "none"}})); len(got) != 0 {
		t.Errorf("a label no workload has leaves no candidate, got %d", len(got))
	}
	// An In expression with one value narrows like a matchLabels pair;
	// with two values it cannot.
	in := func(vals ...string) LabelSet {
		return hintPairs(&metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "app", Operator: metav1.LabelSelectorOpIn, Values: vals}}})
	}
	if got := n.candidates(in("w3")); len(got) != 1 {
		t.Errorf("app In (w3): %d candidates, want 1", len(got))
	}
	if got := n.candidates(in("w3", "w4")); len(got) != 50 {
		t.Errorf("app In (w3, w4): %d candidates, want 50", len(got))
	}
	if got := n.candidates(""); len(got) != 50 {
		t.Errorf("no hint: %d candidates, want 50", len(got))
	}
}

func pdb(apiVersion, name, ns, selector string) string {
	if ns != "" {
		ns = ", namespace: " + ns
	}
	return fmt.Sprintf("apiVersion: %s\nkind: PodDisruptionBudget\nmetadata: {name: %s%s}\nspec:\n  maxUnavailable: 1\n%s", apiVersion, name, ns, selector)
}

func TestPDBSelectorVersions(t *testing.T) {
	ix := indexOf(t, map[string]string{
		"w.yaml": deployment("web", "", 2, "{app: web}") + "---\n" + deployment("api", "", 2, "{app: api}"),
		"p.yaml": strings.Join([]string{
			pdb("policy/v1", "v1-empty", "", "  selector: {}\n"),
			pdb("policy/v1", "v1-null", "", ""),
			pdb("policy/v1beta1", "beta-empty", "", "  selector: {}\n"),
			pdb("policy/v1beta1", "beta-web", "", "  selector: {matchLabels: {app: web}}\n"),
			pdb("policy/v1", "bad-operator", "", "  selector: {matchExpressions: [{key: app, operator: Near}]}\n"),
		}, "---\n"),
	})
	got := map[string][]string{}
	for _, p := range ix.pdbs {
		ws, complete := ix.SelectedWorkloads(p.PDBFact)
		if !complete {
			t.Errorf("%s: incomplete", p.Ref().Name)
		}
		got[p.Ref().Name] = names(ws)
	}
	want := map[string][]string{
		"v1-empty":     {"default/api", "default/web"},
		"v1-null":      nil,
		"beta-empty":   nil,
		"beta-web":     {"default/web"},
		"bad-operator": nil,
	}
	for k, v := range want {
		if !slices.Equal(got[k], v) {
			t.Errorf("%s selects %v, want %v", k, got[k], v)
		}
	}
	web := ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "default", Name: "web"}
	var pdbs []string
	found, ambiguous := ix.PDBsFor(web, "w.yaml")
	if ambiguous {
		t.Error("PDBsFor(web) ambiguous")
	}
	for _, p := range found {
		pdbs = append(pdbs, p.Ref().Name)
	}
	if !slices.Equal(pdbs, []string{"beta-web", "v1-empty"}) {
		t.Errorf("PDBsFor(web) = %v", pdbs)
	}
}

func hpa(name, ns, target string, min int) string {
	if ns != "" {
		ns = ", namespace: " + ns
	}
	return fmt.Sprintf("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: %s%s}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: %s}\n  minReplicas: %d\n  maxReplicas: 10\n", name, ns, target, min)
}

func TestHPAsForNamespacesAndDuplicates(t *testing.T) {
	ix := indexOf(t, map[string]string{
		"base/deploy.yaml":          deployment("web", "", 1, "{app: web}"),
		"base/hpa.yaml":             hpa("web", "", "web", 3),
		"overlays/prod/deploy.yaml": deployment("web", "", 5, "{app: web}"),
		"overlays/prod/hpa.yaml":    hpa("web", "", "web", 5),
		"other/ns.yaml":             hpa("web", "staging", "web", 2),
		"flat/a.yaml":               deployment("api", "", 1, "{app: api}"),
		"flat/b.yaml":               deployment("api", "", 1, "{app: api}"),
		"flat/hpa.yaml":             hpa("api", "", "api", 2),
		"flat/pdb.yaml":             pdb("policy/v1", "api", "", "  selector: {matchLabels: {app: api}}\n"),
		"base/pdb.yaml":             pdb("policy/v1", "web", "", "  selector: {matchLabels: {app: web}}\n"),
	})
	ref := func(name string) ObjectRef {
		return ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "default", Name: name}
	}
	minOf := func(hs []*HPAFact) []string {
		var out []string
		for _, h := range hs {
			out = append(out, fmt.Sprintf("%s:%s:%d", h.File, h.Ref().Name, h.EffectiveMinReplicas()))
		}
		return out
	}
	if got := minOf(ix.HPAsFor(ref("web"), "base/deploy.yaml")); !slices.Equal(got, []string{"base/hpa.yaml:web:3"}) {
		t.Errorf("base: %v", got)
	}
	if got := minOf(ix.HPAsFor(ref("web"), "overlays/prod/deploy.yaml")); !slices.Equal(got, []string{"overlays/prod/hpa.yaml:web:5"}) {
		t.Errorf("overlay: %v", got)
	}
	// Two equally near definitions: which one the HPA scales is unknown.
	if got := ix.HPAsFor(ref("api"), "flat/a.yaml"); len(got) != 0 {
		t.Errorf("ambiguous: %v", minOf(got))
	}
	if !ix.HPAAmbiguous(ref("api"), "flat/a.yaml") || ix.HPAAmbiguous(ref("web"), "base/deploy.yaml") {
		t.Error("HPAAmbiguous")
	}
	if w := ix.WorkloadNear("default", "Deployment", "api", "flat/hpa.yaml"); w != nil {
		t.Errorf("ambiguous WorkloadNear returned %s", w.File)
	}
	for _, p := range ix.pdbs {
		ws, complete := ix.SelectedWorkloads(p.PDBFact)
		switch p.Ref().Name {
		case "api":
			if complete || len(ws) != 0 {
				t.Errorf("PDB api: %v complete=%v, want a tie", names(ws), complete)
			}
		case "web":
			if !complete || len(ws) != 1 || ws[0].File != "base/deploy.yaml" {
				t.Errorf("PDB web selects %v", ws)
			}
		}
	}
	if pdbs, ambiguous := ix.PDBsFor(ref("api"), "flat/b.yaml"); len(pdbs) != 0 || !ambiguous {
		t.Errorf("PDBsFor(api) = %d, %v; want a tie", len(pdbs), ambiguous)
	}
	if pdbs, ambiguous := ix.PDBsFor(ref("web"), "overlays/prod/deploy.yaml"); len(pdbs) != 0 || ambiguous {
		t.Errorf("the overlay is not the definition nearest the base PDB: %d, %v", len(pdbs), ambiguous)
	}
	if !ix.HasWorkloadsIn("default") || ix.HasWorkloadsIn("staging") {
		t.Error("HasWorkloadsIn")
	}
}

func TestHPAMetrics(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // resource/container/utilization/default@path
	}{
		{"v1 default", "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: a}\nspec:\n  maxReplicas: 3\n",
			[]string{"cpu//true/true@spec"}},
		{"v1 explicit", "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: a}\nspec:\n  maxReplicas: 3\n  targetCPUUtilizationPercentage: 50\n",
			[]string{"cpu//true/false@spec.targetCPUUtilizationPercentage"}},
		{"v2 no metrics", "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: a}\nspec:\n  maxReplicas: 3\n",
			[]string{"cpu//true/true@spec"}},
		{"v2beta2 mixed", `apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata: {name: a}
spec:
  maxReplicas: 3
  metrics:
    - type: Pods
      pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: "1"}}
    - type: Resource
      resource: {name: memory, target: {type: AverageValue, averageValue: 1Gi}}
    - type: ContainerResource
      containerResource: {name: cpu, container: app, target: {type: Utilization, averageUtilization: 50}}
`, []string{"memory//false/false@spec.metrics[1].resource.target.averageUtilization", "cpu/app/true/false@spec.metrics[2].containerResource.target.averageUtilization"}},
		{"v2beta1 from the tree", `apiVersion: autoscaling/v2beta1
kind: HorizontalPodAutoscaler
metadata: {name: a}
spec:
  maxReplicas: 3
  metrics:
    - type: Resource
      resource: {name: cpu, targetAverageUtilization: 60}
    - type: Resource
      resource: {name: memory, targetAverageValue: 100Mi}
    - type: ContainerResource
      containerResource: {name: memory, container: app, targetAverageUtilization: 70}
`, []string{"cpu//true/false@spec.metrics[0].resource.targetAverageUtilization", "memory//false/false@spec.metrics[1].resource.targetAverageUtilization", "memory/app/true/false@spec.metrics[2].containerResource.targetAverageUtilization"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs := load(t, "h.yaml", tt.yaml)
			var got []string
			for _, m := range HPAMetrics(objs[0]) {
				got = append(got, fmt.Sprintf("%s/%s/%v/%v@%s", m.Resource, m.Container, m.Utilization, m.Default, m.At))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestHasRequest(t *testing.T) {
	objs := load(t, "d.yaml", `apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers:
        - {name: req, image: x, resources: {requests: {cpu: 100m}}}
        - {name: lim, image: x, resources: {limits: {cpu: 100m}}}
        - {name: zero, image: x, resources: {requests: {cpu: "0"}, limits: {cpu: "1"}}}
        - {name: none, image: x}
`)
	w, _ := WorkloadOf(objs[0])
	want := map[string]bool{"req": true, "lim": true, "zero": false, "none": false}
	for _, c := range Containers(w.PodSpec(), w.SpecPath) {
		if got := HasRequest(c.Container, corev1.ResourceCPU); got != want[c.Name] {
			t.Errorf("%s: HasRequest = %v, want %v", c.Name, got, want[c.Name])
		}
	}
}

// TestLabelGroupsPerDefinition: definitions of one workload whose pod
// labels differ are matched each by its own labels (label groups of their
// own), and a definition's Service, budget and name are found as with one
// definition.
func TestLabelGroupsPerDefinition(t *testing.T) {
	ix := indexOf(t, map[string]string{
		"stable/deploy.yaml": deployment("web", "", 3, "{app: web, track: stable}"),
		"canary/deploy.yaml": deployment("web", "", 1, "{app: web, track: canary}"),
		// Above both, as near the stable definition, which its selector
		// does not match, as the canary one.
		"pdb.yaml": pdb("policy/v1", "web-canary", "", "  selector: {matchLabels: {track: canary}}\n"),
		"canary/svc.yaml": `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web, track: canary}
`,
	})
	web := ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "default", Name: "web"}
	if got := len(ix.byNS["default"].all); got != 2 {
		t.Fatalf("%d label groups for web, want one per set of labels (2)", got)
	}
	if pdbs, ambiguous := ix.PDBsFor(web, "canary/deploy.yaml"); len(pdbs) != 1 || ambiguous {
		t.Errorf("canary definition: %d budgets (ambiguous %v), want the canary budget", len(pdbs), ambiguous)
	}
	if pdbs, _ := ix.PDBsFor(web, "stable/deploy.yaml"); len(pdbs) != 0 {
		t.Errorf("stable definition: %d budgets, want none (the selector needs track: canary)", len(pdbs))
	}
	if !ix.Served(web, "canary/deploy.yaml") || ix.Served(web, "stable/deploy.yaml") {
		t.Errorf("Served: canary %v, stable %v; want true, false", ix.Served(web, "canary/deploy.yaml"), ix.Served(web, "stable/deploy.yaml"))
	}
	for _, p := range ix.pdbs {
		if ws, complete := ix.SelectedWorkloads(p.PDBFact); !complete || len(ws) != 1 || ws[0].File != "canary/deploy.yaml" {
			t.Errorf("the canary budget selects %v (complete %v)", names(ws), complete)
		}
	}
	if w := ix.WorkloadNamed("default", "web"); w == nil || w.Ref() != web {
		t.Errorf("WorkloadNamed(web) = %v", w)
	}
	if w := ix.Workload("default", "Deployment", "web"); w == nil || w.File != "canary/deploy.yaml" {
		t.Errorf("Workload(web) is not the first definition by file: %v", w)
	}
}

func TestRelated(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"app/deploy.yaml", "app/deploy.yaml", true},
		{"app/deploy.yaml", "app/hpa.yaml", true},
		{"app/base/deploy.yaml", "app/hpa.yaml", true},         // one directory inside the other
		{"deploy.yaml", "k8s/prod/hpa.yaml", true},             // the root holds every directory
		{"samples/a/deploy.yaml", "samples/b/hpa.yaml", false}, // sibling subtrees
		{"overlays/dev/hpa.yaml", "overlays/prod/deploy.yaml", false},
		{"api/deploy.yaml", "api/testdata/hpa/hpa.yaml", false}, // a test fixture of the code, not of the app
		{"api/testdata/deploy.yaml", "api/testdata/hpa.yaml", true},
	} {
		if got := Related(c.a, c.b); got != c.want {
			t.Errorf("Related(%s, %s) = %v, want %v", c.a, c.b, got, c.want)
		}
		if got := Related(c.b, c.a); got != c.want {
			t.Errorf("Related(%s, %s) = %v, want %v", c.b, c.a, got, c.want)
		}
	}
}

// TestRelationsStayInTheirDirectory: an HPA or budget in another sample's
// directory, or in a testdata directory, does not govern a workload.
func TestRelationsStayInTheirDirectory(t *testing.T) {
	ix := indexOf(t, map[string]string{
		"shop/deploy.yaml": deployment("web", "", 1, "{app: web}"),
		"other/hpa.yaml": `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
`,
		"shop/testdata/pdb.yaml": pdb("policy/v1", "web", "", "  selector: {matchLabels: {app: web}}\n"),
	})
	web := ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "default", Name: "web"}
	if hs := ix.HPAsFor(web, "shop/deploy.yaml"); len(hs) != 0 {
		t.Errorf("an HPA in a sibling directory manages shop/deploy.yaml")
	}
	if pdbs, _ := ix.PDBsFor(web, "shop/deploy.yaml"); len(pdbs) != 0 {
		t.Errorf("a budget in testdata/ selects shop/deploy.yaml")
	}
}

// TestTemplateRefs: a Rollout with workloadRef takes the template facts of
// the nearest related definition of the Deployment it names, and none when
// that is absent, ambiguous or unrelated.
func TestTemplateRefs(t *testing.T) {
	rollout := func(name, deploy string) string {
		return fmt.Sprintf(`apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: %s}
spec:
  replicas: 4
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: %s}
  strategy: {canary: {}}
`, name, deploy)
	}
	withPort := strings.Replace(deployment("web", "", 0, "{app: web, tier: front}"), "image: example/app:1}", "image: example/app:1, ports: [{containerPort: 8080}], resources: {requests: {cpu: 100m}}}", 1)
	ix := indexOf(t, map[string]string{
		"app/deploy.yaml":      withPort,
		"app/rollout.yaml":     rollout("web", "web") + "---\n" + rollout("gone", "gone"),
		"envs/a/deploy.yaml":   deployment("twin", "", 0, "{app: twin}"),
		"envs/b/deploy.yaml":   deployment("twin", "", 0, "{app: twin}"),
		"envs/rollout.yaml":    rollout("twin", "twin"),
		"other/deploy.yaml":    deployment("far", "", 0, "{app: far}"),
		"app/far/rollout.yaml": rollout("far", "far"),
	})
	get := func(name, file string) *WorkloadFact {
		t.Helper()
		w := ix.WorkloadNear("default", "Rollout", name, file)
		if w == nil {
			t.Fatalf("no Rollout %s", name)
		}
		return w
	}
	web := get("web", "app/rollout.yaml")
	if web.TemplateFile != "app/deploy.yaml" || web.Labels != NewLabelSet(map[string]string{"app": "web", "tier": "front"}) ||
		!web.Ports || len(web.Containers) != 1 || !web.Containers[0].CPU {
		t.Errorf("web: template not adopted: %+v", web)
	}
	dep := ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "default", Name: "web"}
	if ro := ix.TemplatedBy(dep, "app/deploy.yaml"); len(ro) != 1 || ro[0] != web {
		t.Errorf("TemplatedBy(web) = %v", names(ro))
	}
	// The Rollout's pods are found by the template's labels, which its
	// own (missing) selector never gave.
	if ws := ix.MatchWorkloads("default", mustSelector(t, "tier=front"), nil); !slices.Contains(names(ws), "default/web") || len(ws) != 2 {
		t.Errorf("tier=front selects %v, want the Deployment and the Rollout", names(ws))
	}
	for _, c := range []struct{ name, file, why string }{
		{"gone", "app/rollout.yaml", "absent"},
		{"twin", "envs/rollout.yaml", "two definitions tie below envs/"},
		{"far", "app/far/rollout.yaml", "the only definition is in a sibling subtree"},
	} {
		if w := get(c.name, c.file); w.TemplateFile != "" || w.Ports || len(w.Containers) != 0 {
			t.Errorf("%s (%s): template adopted from %q", c.name, c.why, w.TemplateFile)
		}
	}
}

func mustSelector(t *testing.T, s string) labels.Selector {
	t.Helper()
	sel, err := labels.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return sel
}
