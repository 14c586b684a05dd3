package render_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/internal/cli"
)

type finding struct {
	Rule    string `json:"rule"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Path    string `json:"path"`
	Related []struct {
		File      string `json:"file"`
		Line      int    `json:"line"`
		Column    int    `json:"column"`
		EndColumn int    `json:"endColumn"`
		Message   string `json:"message"`
	} `json:"related"`
}

type report struct {
	Findings []finding `json:"findings"`
	Summary  struct {
		Objects int `json:"objects"`
	} `json:"summary"`
	Errors []struct {
		File    string `json:"file"`
		Line    int    `json:"line"`
		Message string `json:"message"`
	} `json:"errors"`
}

// lint runs zdlint in process with --format json and no configuration.
func lint(t *testing.T, args ...string) (int, report, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Main(append([]string{"--no-config", "-f", "json"}, args...), nil, &out, &errOut)
	var r report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("zdlint %v: bad JSON (%v)\nstdout: %s\nstderr: %s", args, err, out.String(), errOut.String())
	}
	return code, r, errOut.String()
}

func (f finding) String() string { return fmt.Sprintf("%s:%d:%d %s", f.File, f.Line, f.Column, f.Rule) }

func list(r report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.String())
	}
	sort.Strings(out)
	return out
}

func needHelm(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("helm"); err != nil {
		t.Skip("helm is not on PATH (CI installs it: go install helm.sh/helm/v3/cmd/helm@v3.22.0)")
	}
}

// The textbook layout: a clean base and an overlay patch that sets
// replicas: 6 and one container's resources. The only problem is the
// merged object's (6 replicas with the default 25% maxUnavailable), and it
// is reported at the patch's replicas: line, however the tree is named.
func TestTextbookOverlay(t *testing.T) {
	want := []string{"testdata/textbook/overlays/prod/patch.yaml:6:13 max-unavailable-nonzero"}
	for _, args := range [][]string{
		{"testdata/textbook"},
		{"testdata/textbook/overlays/prod"},
		{"testdata/textbook/overlays/prod/patch.yaml"},                                           // pre-commit stages the patch
		{"testdata/textbook/overlays/prod/kustomization.yaml"},                                   // or the kustomization
		{"testdata/textbook/overlays/prod/patch.yaml", "testdata/textbook/base/deployment.yaml"}, // or both
		{"--context", "testdata/textbook", "testdata/textbook/overlays/prod/patch.yaml"},         // an editor on save
	} {
		code, r, stderr := lint(t, args...)
		if got := list(r); strings.Join(got, "\n") != strings.Join(want, "\n") || code != 1 || len(r.Errors) != 0 {
			t.Errorf("zdlint %v: exit %d, findings\n%s\nerrors %v\nwant exit 1 and\n%s\n%s", args, code, strings.Join(got, "\n"), r.Errors, strings.Join(want, "\n"), stderr)
		}
	}
	// On save, the --context directory's files that the build reads are
	// not loaded again: the patch would be a second, partial Deployment
	// beside the built one. The build's Deployment and budget remain.
	if _, r, _ := lint(t, "--context", "testdata/textbook", "testdata/textbook/overlays/prod/patch.yaml"); r.Summary.Objects != 2 {
		t.Errorf("--context: %d objects, want the 2 built ones", r.Summary.Objects)
	}
	// The base alone is clean, built or named.
	for _, args := range [][]string{{"testdata/textbook/base"}, {"testdata/textbook/base/deployment.yaml"}} {
		if code, r, _ := lint(t, args...); code != 0 || len(r.Findings) != 0 || len(r.Errors) != 0 {
			t.Errorf("zdlint %v: exit %d, %v %v; want clean", args, code, list(r), r.Errors)
		}
	}
	// --no-render lints the patch as written: every field the base sets
	// is reported missing, as before rendering existed.
	code, r, _ := lint(t, "--no-render", "testdata/textbook/overlays/prod/patch.yaml")
	if code != 1 || len(r.Findings) < 3 {
		t.Errorf("--no-render: exit %d, %v; want the patch linted alone", code, list(r))
	}
}

// Components, name prefixes, an inline JSON 6902 patch, an inline
// strategic-merge patch and the replicas: field: findings land on the line inside the
// kustomization that wrote the value, or on the base's line.
func TestComponentsAndInlinePatches(t *testing.T) {
	code, r, stderr := lint(t, "testdata/components")
	want := []string{
		// prestop-exceeds-grace-period is about the preStop sleep, which
		// the base sets (the component lowered the grace period).
		"testdata/components/base/deployment.yaml:53:26 prestop-exceeds-grace-period",
		// value: 900 of the JSON patch inside the component.
		"testdata/components/components/tuning/kustomization.yaml:10:14 progress-deadline-too-long",
		// count: 8 of the replicas: field (after a JSON patch removed the
		// strategy): the transformer that set spec.replicas.
		"testdata/components/overlays/replicas/kustomization.yaml:9:10 max-unavailable-nonzero",
	}
	if got := list(r); strings.Join(got, "\n") != strings.Join(want, "\n") || code != 1 || len(r.Errors) != 0 {
		t.Errorf("exit %d, findings\n%s\nerrors %v\nwant\n%s\n%s", code, strings.Join(got, "\n"), r.Errors, strings.Join(want, "\n"), stderr)
	}
}

// A chart: findings on rendered objects name the template and its line;
// a field written by toYaml lands on the action's line; helpers and
// NOTES.txt produce nothing; --helm-values changes the rendering.
func TestHelmChart(t *testing.T) {
	needHelm(t)
	want := []string{
		"testdata/chart/web/templates/deployment.yaml:30:13 resource-requests-missing", // {{- toYaml .Values.resources }}
		"testdata/chart/web/templates/deployment.yaml:8:3 single-replica",              // replicas: {{ .Values.replicaCount }}
	}
	for _, args := range [][]string{{"testdata/chart"}, {"testdata/chart/web/templates/deployment.yaml"}, {"testdata/chart/web/values.yaml"}} {
		code, r, stderr := lint(t, args...)
		if got := list(r); strings.Join(got, "\n") != strings.Join(want, "\n") || code != 1 || len(r.Errors) != 0 {
			t.Errorf("zdlint %v: exit %d, findings\n%s\nerrors %v\nwant\n%s\n%s", args, code, strings.Join(got, "\n"), r.Errors, strings.Join(want, "\n"), stderr)
		}
	}
	code, r, _ := lint(t, "testdata/chart/web/templates/_helpers.tpl", "testdata/chart/web/templates/NOTES.txt")
	if code != 0 || len(r.Findings)+len(r.Errors) != 0 {
		t.Errorf("helpers and NOTES.txt: exit %d, %v %v; want nothing", code, list(r), r.Errors)
	}
	values := filepath.Join(t.TempDir(), "prod.yaml")
	if err := os.WriteFile(values, []byte("replicaCount: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, r, _ = lint(t, "--helm-values", values, "testdata/chart")
	if got := list(r); code != 1 || len(got) != 1 || got[0] != want[0] {
		t.Errorf("--helm-values: exit %d, %v; want only %s", code, got, want[0])
	}
}

// Without helm, a chart is one clear error at its Chart.yaml, not one per
// template.
func TestHelmMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	code, r, _ := lint(t, "testdata/chart")
	if code != 2 || len(r.Errors) != 1 || r.Errors[0].File != "testdata/chart/web/Chart.yaml" ||
		!strings.Contains(r.Errors[0].Message, "helm is not on PATH") || !strings.Contains(r.Errors[0].Message, "exclude") {
		t.Errorf("exit %d, errors %+v; want one error at Chart.yaml saying how to install or exclude", code, r.Errors)
	}
}

// Remote bases are not fetched: a warning names the kustomization and the
// remote, and the local resources are still linted.
func TestRemoteBase(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "kustomization.yaml", "resources:\n- github.com/example/app//deploy?ref=v1.0.0\n- deployment.yaml\n")
	write(t, dir, "deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: solo\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: solo}}\n  template:\n    metadata: {labels: {app: solo}}\n    spec:\n      containers: [{name: app, image: example/app:1}]\n")
	code, r, _ := lint(t, dir)
	if code != 1 || len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Message, "github.com/example/app//deploy?ref=v1.0.0") ||
		r.Errors[0].File != filepath.Join(dir, "kustomization.yaml") || r.Errors[0].Line != 2 {
		t.Errorf("exit %d, errors %+v; want one warning at kustomization.yaml:2 naming the remote", code, r.Errors)
	}
	found := false
	for _, f := range r.Findings {
		found = found || (f.File == filepath.Join(dir, "deployment.yaml") && f.Rule == "readiness-probe-missing")
	}
	if !found {
		t.Errorf("the local deployment was not linted: %v", list(r))
	}
}

// A kustomization that does not build is an error at its file with
// Kustomize's message; its resources that are whole objects are still
// linted as written.
func TestBuildFailure(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "kustomization.yaml", "resources:\n- deployment.yaml\npatches:\n- path: missing.yaml\n")
	write(t, dir, "deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: solo\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: solo}}\n  template:\n    metadata: {labels: {app: solo}}\n    spec:\n      containers: [{name: app, image: example/app:1}]\n")
	code, r, _ := lint(t, dir)
	if code != 2 || len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Message, "kustomize build failed") ||
		!strings.Contains(r.Errors[0].Message, "missing.yaml") || r.Errors[0].File != filepath.Join(dir, "kustomization.yaml") {
		t.Errorf("exit %d, errors %+v; want one error at the kustomization with Kustomize's message", code, r.Errors)
	}
	if len(r.Findings) == 0 {
		t.Errorf("the deployment of the failed build was not linted as written")
	}
}

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The three real trees of ../shared/corpus/trees (podinfo,
// metrics-server, microservices-demo): rendered, they lint without input
// errors and without duplicates; nothing is reported in a kustomization
// file; a finding in a patch or a template sits on a line that writes a
// value (a patch never gets a finding about a field only the base
// defines), and chart findings name templates.
func TestCorpusTrees(t *testing.T) {
	trees, _ := filepath.Glob("../../shared/corpus/trees/*/")
	if len(trees) == 0 {
		t.Skip("../shared/corpus/trees is not present")
	}
	needHelm(t)
	valueLine := regexp.MustCompile(`^\s*(- )?[\w./"-]+:\s*\S|^\s*- \S`)
	for _, tree := range trees {
		code, r, stderr := lint(t, tree)
		if code > 1 || len(r.Errors) > 0 {
			t.Errorf("%s: exit %d, errors %+v\n%s", tree, code, r.Errors, stderr)
		}
		seen := map[string]bool{}
		for _, f := range r.Findings {
			key := fmt.Sprintf("%s:%d:%d %s", f.File, f.Line, f.Column, f.Rule)
			if seen[key] {
				t.Errorf("%s: duplicate %s", tree, key)
			}
			seen[key] = true
			base := filepath.Base(f.File)
			if base == "kustomization.yaml" && !strings.Contains(f.File, "components") {
				t.Errorf("%s: finding in a kustomization: %s", tree, key)
			}
			if strings.Contains(base, "patch") || strings.Contains(f.File, "/templates/") || base == "kustomization.yaml" {
				lines := strings.Split(readFile(t, f.File), "\n")
				if f.Line < 1 || f.Line > len(lines) || !valueLine.MatchString(lines[f.Line-1]) {
					t.Errorf("%s: %s is not on a line that writes a value", tree, key)
				}
			}
		}
		if strings.Contains(tree, "podinfo") && !seen["../../shared/corpus/trees/stefanprodan__podinfo/charts/podinfo/templates/deployment.yaml:10:3 single-replica"] {
			t.Errorf("podinfo: the chart's replicas: {{ .Values.replicaCount }} finding is not at deployment.yaml:10:3: %v", list(r))
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// zdlint:ignore comments in Kustomize sources still apply: the build drops
// comments, so they are read from the files the findings map to.
func TestCommentSuppressionsInSources(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"base/kustomization.yaml", "base/deployment.yaml", "base/pdb.yaml", "overlays/prod/kustomization.yaml", "overlays/prod/patch.yaml"} {
		data := readFile(t, filepath.Join("testdata/textbook", f))
		if f == "overlays/prod/patch.yaml" {
			data = strings.Replace(data, "  replicas: 6\n", "  replicas: 6  # zdlint:ignore max-unavailable-nonzero -- surge capacity is reserved\n", 1)
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, dir, f, data)
	}
	for _, args := range [][]string{{dir}, {filepath.Join(dir, "overlays/prod/patch.yaml")}} {
		if code, r, stderr := lint(t, args...); code != 0 || len(r.Findings) != 0 {
			t.Errorf("zdlint %v: exit %d, %v; want the patch's comment to silence the finding\n%s", args, code, list(r), stderr)
		}
	}
}

// The other object of a cross-object finding on a rendered object is
// mapped to its source as the finding is: the HPA that the overlay adds
// is named in the overlay's hpa.yaml, the Service in the base's
// service.yaml (a patch in the overlay changes its type, not its name,
// and namePrefix renames it: the name is still written in the base).
func TestRelatedInSources(t *testing.T) {
	type rel struct {
		rule, at, related, msg string
	}
	want := []rel{
		{"hpa-replicas-conflict", "testdata/related/base/deployment.yaml:6:13", "testdata/related/overlays/prod/hpa.yaml:4:9-12", `HorizontalPodAutoscaler "prod-web" manages the replica count`},
		{"max-unavailable-nonzero", "testdata/related/base/deployment.yaml:5:1", "testdata/related/base/service.yaml:4:9-12", `Service "prod-web" routes requests to these pods`},
		{"max-unavailable-nonzero", "testdata/related/base/deployment.yaml:5:1", "testdata/related/overlays/prod/hpa.yaml:4:9-12", `HorizontalPodAutoscaler "prod-web" can scale this Deployment to 12 replicas`},
	}
	for _, args := range [][]string{{"testdata/related/overlays/prod"}, {"testdata/related"}, {"testdata/related/base/deployment.yaml"}} {
		_, r, stderr := lint(t, args...)
		var got []rel
		for _, f := range r.Findings {
			for _, l := range f.Related {
				got = append(got, rel{f.Rule, fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column), fmt.Sprintf("%s:%d:%d-%d", l.File, l.Line, l.Column, l.EndColumn), l.Message})
			}
		}
		sort.Slice(got, func(i, j int) bool { return fmt.Sprint(got[i]) < fmt.Sprint(got[j]) })
		if len(got) != len(want) {
			t.Errorf("zdlint %v: related %v, want %v\n%s", args, got, want, stderr)
			continue
		}
		for i, w := range want {
			if g := got[i]; g.rule != w.rule || g.at != w.at || g.related != w.related || !strings.HasPrefix(g.msg, w.msg) {
				t.Errorf("zdlint %v: related %d is %+v, want %+v", args, i, g, w)
			}
		}
	}
}

// In a chart, the other object of a cross-object finding is named at its
// template's line, as findings are: an HPA template added beside the
// Deployment's is the related location of hpa-replicas-conflict, on the
// template's name: line (the column is where the Helm mapping places the
// value, here the literal "-web" after the action; no extent is claimed
// in a template).
func TestRelatedInHelmChart(t *testing.T) {
	needHelm(t)
	dir := filepath.Join(t.TempDir(), "chart")
	for _, f := range []string{"web/Chart.yaml", "web/values.yaml", "web/templates/_helpers.tpl", "web/templates/deployment.yaml"} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, dir, f, readFile(t, filepath.Join("testdata/chart", f)))
	}
	write(t, dir, "web/templates/hpa.yaml", `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ .Release.Name }}-web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ .Release.Name }}-web
  minReplicas: 2
  maxReplicas: 6
  metrics:
    - type: Resource
      resource:
        name: memory
        target: {type: Utilization, averageUtilization: 80}
`)
	_, r, stderr := lint(t, dir)
	hpa := filepath.Join(dir, "web/templates/hpa.yaml")
	found := false
	for _, f := range r.Findings {
		if f.Rule != "hpa-replicas-conflict" {
			continue
		}
		found = true
		if len(f.Related) != 1 || f.Related[0].File != hpa || f.Related[0].Line != 4 || f.Related[0].Column < 9 || f.Related[0].EndColumn != 0 ||
			!strings.HasPrefix(f.Related[0].Message, `HorizontalPodAutoscaler "release-name-web"`) {
			t.Errorf("hpa-replicas-conflict at %s: related %+v, want %s line 4, at the value", f, f.Related, hpa)
		}
	}
	if !found {
		t.Errorf("no hpa-replicas-conflict: %v\n%s", list(r), stderr)
	}
}
