package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The pre-commit case: the staged file is linted, its HPA lives in a
// sibling file passed with --context.
const ctxDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: example/web:1
          ports: [{containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
`

const ctxHPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 70}
`

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runCtx(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestContextSeesObjectsWithoutReportingOnThem(t *testing.T) {
	dir := writeFiles(t, map[string]string{"deployment.yaml": ctxDeployment, "hpa.yaml": ctxHPA})
	dep, hpa := filepath.Join(dir, "deployment.yaml"), filepath.Join(dir, "hpa.yaml")
	rules := "--enable=single-replica,hpa-min-replicas-low,hpa-target-missing-requests"

	// Without the HPA (sibling context off), the Deployment is a plain
	// single-replica workload.
	code, out, stderr := runCtx(t, "-q", "--no-sibling-context", rules, dep)
	if code != ExitFindings {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(out, "deployment.yaml:5:1: warning: Deployment \"web\" does not set replicas (default 1) and no HorizontalPodAutoscaler manages it") {
		t.Errorf("without --context:\n%s", out)
	}
	if strings.Contains(out, "hpa-target-missing-requests") {
		t.Errorf("without --context no HPA is known:\n%s", out)
	}

	// With it, the HPA's metric and minReplicas count, and nothing is
	// reported on hpa.yaml although its minReplicas is 1.
	code, out, stderr = runCtx(t, "-q", rules, "--context", hpa, dep)
	if code != ExitFindings {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{
		"deployment.yaml:11:11: error: container \"web\" of Deployment \"web\" has no cpu request, but HorizontalPodAutoscaler \"web\" scales on cpu utilization",
		"deployment.yaml:5:1: warning: Deployment \"web\" can run a single pod: HorizontalPodAutoscaler \"web\" has minReplicas 1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("with --context, missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "hpa.yaml") {
		t.Errorf("findings reported on a --context file:\n%s", out)
	}

	// Swapped: the workload is only context, so the missing request is
	// reported on the HPA metric that needs it.
	code, out, _ = runCtx(t, "-q", rules, "--context", dep, hpa)
	if code != ExitFindings {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out, "hpa.yaml:13:57: error: HorizontalPodAutoscaler \"web\" scales on cpu utilization, but container(s) \"web\" of Deployment \"web\"") ||
		!strings.Contains(out, "hpa.yaml:7:16: warning: HorizontalPodAutoscaler \"web\": minReplicas is 1") {
		t.Errorf("workload as context:\n%s", out)
	}
	if strings.Contains(out, "deployment.yaml:") {
		t.Errorf("findings reported on a --context file:\n%s", out)
	}
}

func TestContextRepeatableAndNamespace(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"deployment.yaml": strings.NewReplacer("  name: web\n", "  name: web\n  namespace: shop\n",
			"          ports:", "          resources: {requests: {cpu: 100m}}\n          ports:").Replace(ctxDeployment),
		"hpa.yaml": strings.Replace(ctxHPA, "minReplicas: 1", "minReplicas: 3", 1),
		"pdb.yaml": `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 3
  selector:
    matchLabels: {app: web}
`,
	})
	dep := filepath.Join(dir, "deployment.yaml")
	ctx := []string{"--context", filepath.Join(dir, "hpa.yaml"), "--context", filepath.Join(dir, "pdb.yaml")}
	rules := "--enable=single-replica,pdb-missing" // and nothing else (--disable=all below)

	// The Deployment is in namespace shop; the HPA and PDB name none, so
	// they are in "default" and do not apply to it.
	code, out, _ := runCtx(t, append(append([]string{"-q", "--disable=all", rules}, ctx...), dep)...)
	if code != ExitFindings || !strings.Contains(out, "no HorizontalPodAutoscaler manages it") {
		t.Errorf("namespace default: exit %d\n%s", code, out)
	}
	// --namespace shop puts them beside it: the HPA keeps 3 replicas and
	// the PDB (from the second --context) selects its pods.
	code, out, stderr := runCtx(t, append(append([]string{"-q", "--disable=all", rules, "--namespace", "shop"}, ctx...), dep)...)
	if code != ExitClean || out != "" {
		t.Errorf("--namespace shop: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

// The pre-commit hook passes the whole directory as context and the staged
// file as input: the staged file is linted once, its siblings not at all.
func TestContextDirectoryHoldingTheInput(t *testing.T) {
	dir := writeFiles(t, map[string]string{"deployment.yaml": ctxDeployment, "hpa.yaml": ctxHPA})
	dep := filepath.Join(dir, "deployment.yaml")
	code, out, stderr := runCLI(t, "-q", "--context", dir, dep)
	if code != ExitFindings {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	seen := map[string]bool{}
	for _, l := range lines {
		if !strings.HasPrefix(l, dep+":") {
			t.Errorf("finding outside the linted file: %s", l)
		}
		if seen[l] {
			t.Errorf("reported twice: %s", l)
		}
		seen[l] = true
	}
	if !strings.Contains(out, "HorizontalPodAutoscaler \"web\" scales on cpu utilization") {
		t.Errorf("the HPA in the context directory was not seen:\n%s", out)
	}
}
