package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

// The staged Deployment of a pre-commit hook, with its HPA, budget and
// Service in the files beside it.
const (
	sibDeployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 8080}]
        resources: {requests: {cpu: 100m, memory: 64Mi}}
`
	sibHPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 3
  maxReplicas: 10
`
	sibPDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
`
	sibService = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`
	// Another workload of the directory, with findings of its own that a
	// run on dep.yaml must not report.
	sibOther = `apiVersion: apps/v1
kind: Deployment
metadata: {name: other}
spec:
  selector: {matchLabels: {app: other}}
  template:
    metadata: {labels: {app: other}}
    spec:
      containers: [{name: other, image: busybox:1.36}]
`
)

// sibDir writes the directory k8s/ of a repository in a fresh temporary
// directory and returns the path of k8s/.
func sibDir(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "k8s")
	for name, data := range files {
		writeFile(t, filepath.Join(dir, name), []byte(data))
	}
	return dir
}

func sibFiles() map[string]string {
	return map[string]string{"dep.yaml": sibDeployment, "hpa.yaml": sibHPA, "pdb.yaml": sibPDB, "svc.yaml": sibService, "other.yaml": sibOther}
}

// textRun runs zdlint -q --enable all and returns the exit code, the
// finding lines and standard error.
func textRun(t *testing.T, stdin string, args ...string) (int, []string, string) {
	t.Helper()
	code, out, stderr := runCLI(t, stdin, append([]string{"-q", "--no-config", "--color", "never", "--enable", "all"}, args...)...)
	if strings.Contains(out+stderr, "internal error") {
		t.Fatalf("internal error:\n%s\n%s", out, stderr)
	}
	var lines []string
	for l := range strings.SplitSeq(strings.TrimSpace(out), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return code, lines, stderr
}

// linesOn keeps the finding lines about file.
func linesOn(lines []string, file string) []string {
	var out []string
	for _, l := range lines {
		if strings.HasPrefix(l, file+":") {
			out = append(out, l)
		}
	}
	return out
}

// A file named alone is judged as the run on its directory judges it: the
// HPA, budget and Service beside it count, and nothing is reported on them.
func TestSiblingContextMatchesDirectoryRun(t *testing.T) {
	dir := sibDir(t, sibFiles())
	dep := filepath.Join(dir, "dep.yaml")
	dirCode, dirLines, _ := textRun(t, "", dir)
	want := linesOn(dirLines, dep)
	if len(want) == 0 || len(linesOn(dirLines, filepath.Join(dir, "other.yaml"))) == 0 || dirCode != ExitFindings {
		t.Fatalf("the directory run should report on dep.yaml and other.yaml (exit %d):\n%s", dirCode, strings.Join(dirLines, "\n"))
	}
	_, alone, _ := textRun(t, "", "--no-sibling-context", dep)
	if slices.Equal(alone, want) || !strings.Contains(strings.Join(alone, "\n"), "no HorizontalPodAutoscaler manages it") {
		t.Fatalf("judged alone, dep.yaml should look unmanaged:\n%s", strings.Join(alone, "\n"))
	}
	if strings.Contains(strings.Join(want, "\n"), "[single-replica]") || strings.Contains(strings.Join(want, "\n"), "[pdb-missing]") {
		t.Fatalf("the directory run sees the HPA and the budget:\n%s", strings.Join(want, "\n"))
	}
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"file", []string{dep}},
		{"file given twice", []string{dep, dep}},
		{"file spelled twice", []string{dep, filepath.Join(dir, ".", "dep.yaml")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, got, stderr := textRun(t, "", tt.args...)
			if !slices.Equal(got, want) || code != ExitFindings || stderr != "" {
				t.Errorf("exit %d, findings:\n%s\nwant those of the directory run:\n%s\nstderr: %s", code, strings.Join(got, "\n"), strings.Join(want, "\n"), stderr)
			}
		})
	}
	t.Run("directory plus file", func(t *testing.T) {
		code, got, stderr := textRun(t, "", dir, dep)
		if !slices.Equal(got, dirLines) || code != dirCode || stderr != "" {
			t.Errorf("exit %d, findings:\n%s\nwant the directory run's:\n%s\nstderr: %s", code, strings.Join(got, "\n"), strings.Join(dirLines, "\n"), stderr)
		}
	})
	t.Run("config off", func(t *testing.T) {
		cfg := filepath.Join(filepath.Dir(dir), ".zdlint.yaml")
		writeFile(t, cfg, []byte("siblingContext: false\n"))
		_, out, stderr := runCLI(t, "", "-q", "--color", "never", "--enable", "all", "--config", cfg, dep)
		got := strings.Split(strings.TrimSpace(out), "\n")
		if !slices.Equal(got, alone) {
			t.Errorf("siblingContext: false gave\n%s\nwant the run alone:\n%s\nstderr: %s", out, strings.Join(alone, "\n"), stderr)
		}
	})
}

// A problem in a sibling is a warning naming it; it does not change the
// exit code, and the named file is still judged with the readable ones.
func TestSiblingContextBrokenSibling(t *testing.T) {
	files := sibFiles()
	delete(files, "other.yaml")
	dir := sibDir(t, files)
	dep := filepath.Join(dir, "dep.yaml")
	wantCode, want, _ := textRun(t, "", dep)
	writeFile(t, filepath.Join(dir, "broken.yaml"), []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x\n"))
	code, got, stderr := textRun(t, "", dep)
	if code != wantCode || !slices.Equal(got, want) {
		t.Errorf("exit %d, findings:\n%s\nwant exit %d and\n%s", code, strings.Join(got, "\n"), wantCode, strings.Join(want, "\n"))
	}
	broken := filepath.Join(dir, "broken.yaml")
	if !strings.Contains(stderr, broken+":") || !strings.Contains(stderr, "warning:") || !strings.Contains(stderr, "a file beside a linted one, loaded as context") {
		t.Errorf("stderr should warn about %s as a sibling:\n%s", broken, stderr)
	}
	// Without findings the exit code stays 0.
	code, _, stderr = textRun(t, "", "--disable", "all", "--enable", "readiness-probe-missing", "--min-severity", "error", "--fail-on", "error", filepath.Join(dir, "pdb.yaml"))
	if code != ExitClean || !strings.Contains(stderr, broken) {
		t.Errorf("a clean file with a broken sibling: exit %d, stderr %s", code, stderr)
	}
}

// Standard input named with --stdin-filename stands for that file: the
// buffer is judged with the file's siblings, and the file on disk is not
// loaded beside it (a second Deployment "web" in the same file would tie
// the nearest-definition rule and silence hpa-replicas-conflict).
func TestSiblingContextStdinFilename(t *testing.T) {
	dir := sibDir(t, sibFiles())
	dep := filepath.Join(dir, "dep.yaml")
	buffer := strings.Replace(sibDeployment, "spec:\n  selector:", "spec:\n  replicas: 2\n  selector:", 1)
	code, got, stderr := textRun(t, buffer, "--stdin-filename", dep, "-")
	// The same text saved: what the directory run says about it.
	writeFile(t, dep, []byte(buffer))
	_, dirLines, _ := textRun(t, "", dir)
	want := linesOn(dirLines, dep)
	if !slices.Equal(got, want) || code != ExitFindings || stderr != "" {
		t.Errorf("exit %d, findings:\n%s\nwant those of the directory run:\n%s\nstderr: %s", code, strings.Join(got, "\n"), strings.Join(want, "\n"), stderr)
	}
	if !strings.Contains(strings.Join(got, "\n"), "[hpa-replicas-conflict]") {
		t.Errorf("the buffer's replicas conflict with the sibling HPA:\n%s", strings.Join(got, "\n"))
	}
	// The same with --context DIR instead of sibling context: the copy
	// on disk is not loaded beside the buffer either (the buffer and the
	// four other files of the directory are read, not a sixth).
	for _, args := range [][]string{{"--no-sibling-context", "--context", dir}, nil} {
		args = append(args, "--no-config", "--enable", "all", "--stdin-filename", dep, "-")
		var rep jsonReport
		_, out, stderr := runCLI(t, buffer, append(args, "--format", "json")...)
		if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Summary.Files != 5 || len(rep.Findings) != len(want) {
			t.Errorf("%v: %d files read, %d findings (want 5 and %d); %v %s", args, rep.Summary.Files, len(rep.Findings), len(want), err, stderr)
		}
	}
	// A name in a directory that does not exist: no siblings, no warning.
	code, _, stderr = textRun(t, buffer, "--stdin-filename", filepath.Join(dir, "new", "dep.yaml"), "-")
	if code != ExitFindings || stderr != "" {
		t.Errorf("unsaved file in a new directory: exit %d, stderr %q", code, stderr)
	}
}

// --fix changes the named file only, never a sibling, though the sibling
// has fixable findings of its own.
func TestSiblingContextFixLeavesSiblings(t *testing.T) {
	dir := sibDir(t, sibFiles())
	dep, other := filepath.Join(dir, "dep.yaml"), filepath.Join(dir, "other.yaml")
	_, _, _ = textRun(t, "", "--fix", "--unsafe-fixes", dep)
	if b, _ := os.ReadFile(other); string(b) != sibOther {
		t.Errorf("--fix changed the sibling other.yaml:\n%s", b)
	}
	if b, _ := os.ReadFile(dep); string(b) == sibDeployment {
		t.Errorf("--fix changed nothing in dep.yaml; the test needs a fixable finding there")
	}
	// other.yaml has fixable findings: a run on it changes it.
	_, _, _ = textRun(t, "", "--fix", "--unsafe-fixes", other)
	if b, _ := os.ReadFile(other); string(b) == sibOther {
		t.Errorf("other.yaml has no fixable finding; the check above proves nothing")
	}
}

// The configuration's exclude applies to siblings, and an ignore entry
// about a sibling is never reported unused by a run on one file.
func TestSiblingContextConfig(t *testing.T) {
	dir := sibDir(t, sibFiles())
	root := filepath.Dir(dir)
	dep := filepath.Join(dir, "dep.yaml")
	_, alone, _ := textRun(t, "", "--no-sibling-context", dep)
	cfg := filepath.Join(root, ".zdlint.yaml")
	writeFile(t, cfg, []byte(`exclude: ["k8s/hpa.yaml", "k8s/pdb.yaml", "k8s/svc.yaml"]
ignore:
  - path: k8s/other.yaml
    reason: owned by another team
`))
	code, out, stderr := runCLI(t, "", "-q", "--color", "never", "--enable", "all", "--config", cfg, dep)
	got := strings.Split(strings.TrimSpace(out), "\n")
	if !slices.Equal(got, alone) {
		t.Errorf("excluded siblings still count (exit %d):\n%s\nwant the run alone:\n%s", code, out, strings.Join(alone, "\n"))
	}
	if strings.Contains(out+stderr, "unused-suppression") {
		t.Errorf("the ignore entry about a sibling is reported unused:\n%s%s", out, stderr)
	}
}

// Directories a walk skips give no siblings: a file under testdata/ or a
// hidden directory is judged alone, as no walk of the repository would
// have read its neighbours.
func TestSiblingContextSkippedDirectories(t *testing.T) {
	for _, sub := range []string{"testdata", ".deploy", "vendor"} {
		t.Run(sub, func(t *testing.T) {
			root := sibDir(t, nil)
			dir := filepath.Join(root, sub)
			for name, data := range sibFiles() {
				writeFile(t, filepath.Join(dir, name), []byte(data))
			}
			dep := filepath.Join(dir, "dep.yaml")
			_, alone, _ := textRun(t, "", "--no-sibling-context", dep)
			_, got, _ := textRun(t, "", dep)
			if !slices.Equal(got, alone) {
				t.Errorf("siblings under %s/ were loaded:\n%s\nwant\n%s", sub, strings.Join(got, "\n"), strings.Join(alone, "\n"))
			}
		})
	}
}

// A named file that a Kustomize build reads is judged on the build, as
// before: the files beside it are not added as context, not even those
// the kustomization does not list (here the HPA, which would otherwise
// manage the built Deployment).
func TestSiblingContextKustomizeUnchanged(t *testing.T) {
	files := sibFiles()
	files["kustomization.yaml"] = "resources: [dep.yaml, svc.yaml]\n"
	dir := sibDir(t, files)
	dep := filepath.Join(dir, "dep.yaml")
	_, alone, _ := textRun(t, "", "--no-sibling-context", dep)
	if !strings.Contains(strings.Join(alone, "\n"), "no HorizontalPodAutoscaler manages it") {
		t.Fatalf("the build has no HPA:\n%s", strings.Join(alone, "\n"))
	}
	_, got, _ := textRun(t, "", dep)
	if !slices.Equal(got, alone) {
		t.Errorf("a file read by a kustomization got sibling context:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(alone, "\n"))
	}
	// Rendering off: the file is linted as written, with its siblings.
	_, got, _ = textRun(t, "", "--no-render", dep)
	if strings.Contains(strings.Join(got, "\n"), "no HorizontalPodAutoscaler manages it") {
		t.Errorf("--no-render: the sibling HPA should count:\n%s", strings.Join(got, "\n"))
	}
}

// Every kind that mayHoldFacts lets a sibling file be skipped for gives no
// fact to the cross-object rules, so leaving such files out changes no
// verdict. A kind that gains a fact must leave noFacts.
func TestNoFactKinds(t *testing.T) {
	settings := rules.DefaultSettings()
	for kind := range noFacts {
		apiVersion := "v1"
		switch kind {
		case "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding":
			apiVersion = "rbac.authorization.k8s.io/v1"
		case "NetworkPolicy", "Ingress", "IngressClass":
			apiVersion = "networking.k8s.io/v1"
		case "CustomResourceDefinition":
			apiVersion = "apiextensions.k8s.io/v1"
		case "APIService":
			apiVersion = "apiregistration.k8s.io/v1"
		case "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration":
			apiVersion = "admissionregistration.k8s.io/v1"
		case "StorageClass":
			apiVersion = "storage.k8s.io/v1"
		case "PriorityClass":
			apiVersion = "scheduling.k8s.io/v1"
		}
		// A selector and a pod template where the kind has none: the
		// fact, if any, must not come from fields a decoder might read.
		src := "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: {name: x, labels: {app: web}}\nspec:\n  selector: {app: web}\n  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: i}]}}\n"
		f := loader.Parse(kind+".yaml", []byte(src), loader.Options{})
		if len(f.Objects) != 1 {
			t.Fatalf("%s: %d objects", kind, len(f.Objects))
		}
		if fact := rules.Extract(f.Objects[0], settings, true); fact != nil {
			t.Errorf("%s gives a %T: it must leave noFacts", kind, fact)
		}
		if mayHoldFacts(kind+".yaml", []byte(src)) {
			t.Errorf("mayHoldFacts(%s) = true", kind)
		}
	}
}

func TestMayHoldFacts(t *testing.T) {
	for _, tt := range []struct {
		name, path, text string
		want             bool
	}{
		{"configmap", "a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", false},
		{"crds and comments", "a.yaml", "# CRDs\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition # x\n---\n---\napiVersion: apiextensions.k8s.io/v1\nkind: \"CustomResourceDefinition\"\n", false},
		{"CRLF", "a.yaml", "apiVersion: v1\r\nkind: Secret\r\n", false},
		{"deployment after a configmap", "a.yaml", "apiVersion: v1\nkind: ConfigMap\n---\napiVersion: apps/v1\nkind: Deployment\n", true},
		{"custom group", "a.yaml", "apiVersion: example.com/v1\nkind: ConfigMap\n", true},
		{"no apiVersion", "a.yaml", "kind: ConfigMap\n", true},
		{"no kind line", "a.yaml", "apiVersion: v1\nmetadata: {name: a}\n", true},
		{"flow style", "a.yaml", "{apiVersion: v1, kind: ConfigMap}\n", true},
		{"list", "a.yaml", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n", true},
		{"list of configmaps", "a.yaml", "apiVersion: v1\nitems:\n- apiVersion: v1\n  data:\n    a.json: |-\n      {\"kind\": \"Deployment\"}\n  kind: ConfigMap\nkind: ConfigMapList\n", false},
		{"kind after the items", "a.yaml", "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n- apiVersion: apps/v1\n  kind: Deployment\nkind: List\n", true},
		{"configmaps, kind after the items", "a.yaml", "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: ConfigMap\nkind: ConfigMapList\n", false},
		{"configmap list holding a deployment", "a.yaml", "apiVersion: v1\nkind: ConfigMapList\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n", true},
		{"list item of a custom group", "a.yaml", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: example.com/v1\n  kind: ConfigMap\n", true},
		{"list item in flow style", "a.yaml", "apiVersion: v1\nkind: List\nitems: [{apiVersion: apps/v1, kind: Deployment}]\n", true},
		{"json", "a.json", `{"apiVersion": "v1", "kind": "ConfigMap"}`, true},
		{"empty", "a.yaml", "# nothing\n", false},
	} {
		if got := mayHoldFacts(tt.path, []byte(tt.text)); got != tt.want {
			t.Errorf("%s: mayHoldFacts = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// A directory whose manifests are more than the budget is not read: a
// warning says so and how to read it anyway; files of kinds no rule reads
// do not count, and --context DIR reads it all.
func TestSiblingContextBudget(t *testing.T) {
	files := sibFiles()
	delete(files, "other.yaml")
	dir := sibDir(t, files)
	dep := filepath.Join(dir, "dep.yaml")
	wantCode, want, _ := textRun(t, "", dep)
	// A large ConfigMap costs nothing: it is not parsed.
	big := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  x: \"" + strings.Repeat("x", SiblingBudget) + "\"\n"
	writeFile(t, filepath.Join(dir, "big-configmap.yaml"), []byte(big))
	code, got, stderr := textRun(t, "", dep)
	if code != wantCode || !slices.Equal(got, want) || stderr != "" {
		t.Errorf("with a large ConfigMap beside it: exit %d, stderr %q, findings\n%s", code, stderr, strings.Join(got, "\n"))
	}
	// A large list of unrelated Deployments counts against the budget,
	// but none relates to dep.yaml: only the related files are read,
	// with no warning.
	var b strings.Builder
	for i := 0; b.Len() <= SiblingBudget; i++ {
		b.WriteString(strings.ReplaceAll(sibOther, "other", fmt.Sprintf("other-%d", i)))
		b.WriteString("---\n")
	}
	writeFile(t, filepath.Join(dir, "big-deployments.yaml"), []byte(b.String()))
	code, got, stderr = textRun(t, "", dep)
	if code != wantCode || !slices.Equal(got, want) || stderr != "" {
		t.Errorf("with unrelated Deployments over the budget: exit %d, stderr %q, findings\n%s\nwant\n%s", code, stderr, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Related ones count: a list of Deployments that the budget and
	// the Service select is more than the budget, so the directory is
	// not read, with a warning.
	b.Reset()
	for i := 0; b.Len() <= SiblingBudget; i++ {
		b.WriteString(strings.Replace(sibDeployment, "name: web}", fmt.Sprintf("name: web-%d}", i), 1))
		b.WriteString("---\n")
	}
	writeFile(t, filepath.Join(dir, "big-deployments.yaml"), []byte(b.String()))
	_, alone, _ := textRun(t, "", "--no-sibling-context", dep)
	code, got, stderr = textRun(t, "", dep)
	if !slices.Equal(got, alone) || !strings.Contains(stderr, dir+": warning: the manifests beside the linted file that may relate to it are more than sibling context reads") || !strings.Contains(stderr, "--context "+dir) {
		t.Errorf("over the budget: exit %d, stderr %q, findings\n%s\nwant those alone:\n%s", code, stderr, strings.Join(got, "\n"), strings.Join(alone, "\n"))
	}
	if code != ExitFindings {
		t.Errorf("the warning changed the exit code: %d", code)
	}
	// --context reads the directory whatever its size.
	_, got, stderr = textRun(t, "", "--context", dir, dep)
	if slices.Equal(got, alone) || strings.Contains(stderr, "more than sibling context reads") {
		t.Errorf("--context %s: stderr %q, findings\n%s", dir, stderr, strings.Join(got, "\n"))
	}
}

// Siblings count as present, but not as a sign that the input holds the
// whole namespace: an HPA whose target, or a Service whose pods, are not
// beside it may well be in another directory (podinfo's frontend HPA
// targets the backend Deployment of the next directory). Rules that claim
// something is missing stay as quiet as they were for the file alone; an
// explicit --context still counts as the rest of the picture.
func TestSiblingContextIsNoEvidenceOfAbsence(t *testing.T) {
	dir := sibDir(t, map[string]string{
		"deployment.yaml": sibDeployment,
		"hpa.yaml":        strings.Replace(sibHPA, "name: web}\n  minReplicas", "name: backend}\n  minReplicas", 1),
		"svc.yaml":        strings.Replace(sibService, "selector: {app: web}", "selector: {app: backend}", 1),
	})
	for _, tt := range []struct{ file, rule string }{
		{"hpa.yaml", "[hpa-target-missing]"},
		{"svc.yaml", "[service-selects-nothing]"},
	} {
		file := filepath.Join(dir, tt.file)
		_, ctx, _ := textRun(t, "", "--context", dir, file)
		if !strings.Contains(strings.Join(ctx, "\n"), tt.rule) {
			t.Fatalf("--context %s: want %s, got\n%s", dir, tt.rule, strings.Join(ctx, "\n"))
		}
		_, alone, _ := textRun(t, "", "--no-sibling-context", file)
		_, got, _ := textRun(t, "", file)
		if strings.Contains(strings.Join(got, "\n"), tt.rule) || !slices.Equal(got, alone) {
			t.Errorf("%s with sibling context:\n%s\nwant as alone:\n%s", tt.file, strings.Join(got, "\n"), strings.Join(alone, "\n"))
		}
	}
}

// bigSibDir writes the directory of sibDir with the given files and, over
// the budget, hundreds of unrelated applications (a Deployment, Service,
// budget and HPA each), none of which names or selects anything of web.
func bigSibDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := sibDir(t, files)
	size := 0
	for i := 0; size <= 2*SiblingBudget; i++ {
		name := fmt.Sprintf("other-%d", i)
		app := strings.Join([]string{
			strings.ReplaceAll(sibOther, "other", name),
			strings.ReplaceAll(sibService, "web", name),
			strings.ReplaceAll(sibPDB, "web", name),
			strings.ReplaceAll(sibHPA, "web", name),
		}, "---\n")
		writeFile(t, filepath.Join(dir, name+".yaml"), []byte(app))
		size += len(app)
	}
	return dir
}

// filesRead runs zdlint --format json and returns how many files it read.
func filesRead(t *testing.T, args ...string) int {
	t.Helper()
	var rep jsonReport
	_, out, stderr := runCLI(t, "", append([]string{"--no-config", "--enable", "all", "--format", "json"}, args...)...)
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, stderr)
	}
	return rep.Summary.Files
}

// In a directory whose manifests are more than the budget, a file is
// judged with the siblings that relate to it: its HPA, budget and Service
// among hundreds of unrelated applications give the verdicts of the
// directory run, with no warning, and only they are read.
func TestSiblingContextRelevantInBigDirectory(t *testing.T) {
	files := sibFiles()
	delete(files, "other.yaml")
	dir := bigSibDir(t, files)
	_, dirLines, _ := textRun(t, "", dir)
	for _, name := range []string{"dep.yaml", "hpa.yaml", "pdb.yaml", "svc.yaml"} {
		file := filepath.Join(dir, name)
		want := linesOn(dirLines, file)
		code, got, stderr := textRun(t, "", file)
		if !slices.Equal(got, want) || stderr != "" {
			t.Errorf("%s: exit %d, findings:\n%s\nwant those of the directory run:\n%s\nstderr: %s", name, code, strings.Join(got, "\n"), strings.Join(want, "\n"), stderr)
		}
		if n := filesRead(t, file); n != 4 {
			t.Errorf("%s: %d files read, want the 4 of web", name, n)
		}
	}
	dep := filepath.Join(dir, "dep.yaml")
	_, alone, _ := textRun(t, "", "--no-sibling-context", dep)
	if slices.Equal(alone, linesOn(dirLines, dep)) {
		t.Fatalf("dep.yaml is judged alone as in the directory: the test proves nothing\n%s", strings.Join(alone, "\n"))
	}
	// A name in a comment only makes a file relevant: it is read, and
	// changes nothing.
	writeFile(t, filepath.Join(dir, "note.yaml"), []byte("# the web team owns this one\n"+strings.ReplaceAll(sibOther, "other", "batch")))
	_, dirLines, _ = textRun(t, "", dir)
	_, got, stderr := textRun(t, "", dep)
	if want := linesOn(dirLines, dep); !slices.Equal(got, want) || stderr != "" {
		t.Errorf("with note.yaml: findings\n%s\nwant\n%s\nstderr: %s", strings.Join(got, "\n"), strings.Join(want, "\n"), stderr)
	}
	if n := filesRead(t, dep); n != 5 {
		t.Errorf("with note.yaml: %d files read, want 5", n)
	}
}

// Relations of more than one hop: a VirtualService routes to a Service by
// host, the Service selects the Deployment by labels, and an HPA scales the
// Deployment, which makes the route's disabled retries matter
// (mesh-retries-missing). Judged alone the VirtualService is not reported;
// among hundreds of unrelated files it is, as in the directory run.
func TestSiblingContextRelevantHops(t *testing.T) {
	files := sibFiles()
	delete(files, "other.yaml")
	delete(files, "pdb.yaml")
	files["svc.yaml"] = strings.Replace(sibService, "metadata: {name: web}", "metadata: {name: frontend, labels: {tier: edge}}", 1)
	files["vs.yaml"] = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: edge}
spec:
  hosts: [shop.example.com]
  http:
  - retries: {attempts: 0}
    route:
    - destination: {host: frontend.default.svc.cluster.local}
`
	files["monitor.yaml"] = `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: scrape-edge}
spec:
  selector: {matchLabels: {tier: edge}}
  endpoints: [{port: http}]
`
	dir := bigSibDir(t, files)
	_, dirLines, _ := textRun(t, "", dir)
	vs := filepath.Join(dir, "vs.yaml")
	want := linesOn(dirLines, vs)
	if !strings.Contains(strings.Join(want, "\n"), "[mesh-retries-missing]") {
		t.Fatalf("the directory run should report the route:\n%s", strings.Join(dirLines, "\n"))
	}
	_, alone, _ := textRun(t, "", "--no-sibling-context", vs)
	if slices.Equal(alone, want) {
		t.Fatalf("judged alone the route should not be reported:\n%s", strings.Join(alone, "\n"))
	}
	for _, name := range []string{"vs.yaml", "dep.yaml", "monitor.yaml", "hpa.yaml"} {
		file := filepath.Join(dir, name)
		want := linesOn(dirLines, file)
		code, got, stderr := textRun(t, "", file)
		if !slices.Equal(got, want) || stderr != "" {
			t.Errorf("%s: exit %d, findings:\n%s\nwant those of the directory run:\n%s\nstderr: %s", name, code, strings.Join(got, "\n"), strings.Join(want, "\n"), stderr)
		}
		if n := filesRead(t, file); n != 5 {
			t.Errorf("%s: %d files read, want the 5 of web", name, n)
		}
	}
}

// A budget whose selector the scan cannot read (here empty: every pod of
// the namespace) relates to every workload: the linted budget reads the
// whole directory, so over the budget it warns as before.
func TestSiblingContextRelevantEmptySelector(t *testing.T) {
	dir := bigSibDir(t, map[string]string{"pdb.yaml": strings.Replace(sibPDB, "selector: {matchLabels: {app: web}}", "selector: {}", 1)})
	_, _, stderr := textRun(t, "", filepath.Join(dir, "pdb.yaml"))
	if !strings.Contains(stderr, "more than sibling context reads") {
		t.Errorf("an empty selector should need every sibling; stderr %q", stderr)
	}
	// Beside a Deployment, such a budget is read.
	writeFile(t, filepath.Join(dir, "dep.yaml"), []byte(sibDeployment))
	_, dirLines, _ := textRun(t, "", dir)
	dep := filepath.Join(dir, "dep.yaml")
	_, got, stderr := textRun(t, "", dep)
	if want := linesOn(dirLines, dep); !slices.Equal(got, want) || stderr != "" {
		t.Errorf("findings\n%s\nwant\n%s\nstderr: %s", strings.Join(got, "\n"), strings.Join(want, "\n"), stderr)
	}
}

// Standard input in a directory over the budget: the buffer's objects
// choose the siblings (it is read for that and still linted whole).
func TestSiblingContextRelevantStdin(t *testing.T) {
	files := sibFiles()
	delete(files, "other.yaml")
	dir := bigSibDir(t, files)
	dep := filepath.Join(dir, "dep.yaml")
	_, want, _ := textRun(t, "", dep)
	code, got, stderr := textRun(t, sibDeployment, "--stdin-filename", dep, "-")
	if !slices.Equal(got, want) || stderr != "" || code != ExitFindings {
		t.Errorf("exit %d, findings:\n%s\nwant those of the file:\n%s\nstderr: %s", code, strings.Join(got, "\n"), strings.Join(want, "\n"), stderr)
	}
	if strings.Contains(strings.Join(got, "\n"), "no HorizontalPodAutoscaler manages it") {
		t.Errorf("the sibling HPA should count:\n%s", strings.Join(got, "\n"))
	}
}

// A custom resource zdlint does not read may make pods with any labels, so
// a Service beside one is not reported as selecting nothing. No token names
// it: one such sibling is kept for the namespace of a linted Service.
func TestSiblingContextRelevantOpaquePodSource(t *testing.T) {
	dir := bigSibDir(t, map[string]string{
		"app.yaml":    sibDeployment + "---\n" + strings.Replace(sibService, "selector: {app: web}", "selector: {app: ghost}", 1),
		"widget.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n",
	})
	app := filepath.Join(dir, "app.yaml")
	_, dirLines, _ := textRun(t, "", dir)
	want := linesOn(dirLines, app)
	_, alone, _ := textRun(t, "", "--no-sibling-context", app)
	if !strings.Contains(strings.Join(alone, "\n"), "[service-selects-nothing]") || strings.Contains(strings.Join(want, "\n"), "[service-selects-nothing]") {
		t.Fatalf("alone the Service selects nothing, in the directory it may select the Widget's pods:\n%s\n--\n%s", strings.Join(alone, "\n"), strings.Join(want, "\n"))
	}
	_, got, stderr := textRun(t, "", app)
	if !slices.Equal(got, want) || stderr != "" {
		t.Errorf("findings:\n%s\nwant those of the directory run:\n%s\nstderr: %s", strings.Join(got, "\n"), strings.Join(want, "\n"), stderr)
	}
}

// The summary tells the files read as context from the linted ones: one
// staged file judged with four siblings is "5 files (4 as context)", and a
// directory run, which lints every file, has no such count.
func TestSummaryCountsContextFiles(t *testing.T) {
	dir := sibDir(t, sibFiles())
	summary := func(args ...string) string {
		t.Helper()
		_, _, stderr := runCLI(t, "", append([]string{"--no-config", "--color", "never"}, args...)...)
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		return lines[len(lines)-1]
	}
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"siblings", []string{filepath.Join(dir, "dep.yaml")}, "5 files (4 as context), 5 objects"},
		{"no siblings", []string{"--no-sibling-context", filepath.Join(dir, "dep.yaml")}, "1 file, 1 object"},
		{"explicit context", []string{"--no-sibling-context", "--context", filepath.Join(dir, "hpa.yaml"), filepath.Join(dir, "dep.yaml")}, "2 files (1 as context), 2 objects"},
		{"directory", []string{dir}, "5 files, 5 objects"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := summary(tt.args...); !strings.HasPrefix(got, tt.want) {
				t.Errorf("summary %q, want it to start with %q", got, tt.want)
			}
		})
	}
}

// The scan reads the linted objects as the loader does: a budget whose
// selector is an alias of its own labels selects app: web, so the files of
// web are its relevant siblings (not "an unreadable selector: read every
// file", which over the budget is a warning and no context).
func TestSiblingContextRelevantAlias(t *testing.T) {
	files := sibFiles()
	delete(files, "other.yaml")
	files["pdb.yaml"] = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
  labels: &pods {app: web}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: *pods
`
	dir := bigSibDir(t, files)
	_, dirLines, _ := textRun(t, "", dir)
	pdb := filepath.Join(dir, "pdb.yaml")
	code, got, stderr := textRun(t, "", pdb)
	if want := linesOn(dirLines, pdb); !slices.Equal(got, want) || stderr != "" {
		t.Errorf("exit %d, findings:\n%s\nwant those of the directory run:\n%s\nstderr: %s", code, strings.Join(got, "\n"), strings.Join(want, "\n"), stderr)
	}
	if n := filesRead(t, pdb); n != 4 {
		t.Errorf("%d files read, want the 4 of web", n)
	}
}
