package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// An Argo Rollout with workloadRef runs the referenced Deployment's
// template: cross-object rules judge its pods by that template whether the
// Deployment is an input or only a --context file.
const refDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 0
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: example/web:1
          ports: [{containerPort: 8080}]
`

const refRollout = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  strategy:
    canary:
      steps: [{setWeight: 50}, {pause: {}}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 70}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: web-queue
spec:
  scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: web}
  triggers:
    - type: rabbitmq
      metadata: {queueName: orders, mode: QueueLength, value: "20"}
`

func TestContextWorkloadRef(t *testing.T) {
	dir := writeFiles(t, map[string]string{"deployment.yaml": refDeployment, "rollout.yaml": refRollout})
	dep, ro := filepath.Join(dir, "deployment.yaml"), filepath.Join(dir, "rollout.yaml")
	rules := []string{"-q", "--disable=all", "--enable=hpa-target-missing-requests,keda-scale-to-zero"}
	run := func(args ...string) string {
		t.Helper()
		code, out, stderr := runCtx(t, append(append([]string(nil), rules...), args...)...)
		if code != ExitFindings {
			t.Fatalf("%v: exit %d, stderr %q\n%s", args, code, stderr, out)
		}
		return out
	}
	expect := func(out string, want, notWant []string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("missing %q in:\n%s", w, out)
			}
		}
		for _, w := range notWant {
			if strings.Contains(out, w) {
				t.Errorf("unexpected %q in:\n%s", w, out)
			}
		}
	}
	onContainer := "deployment.yaml:14:11: error: container \"web\" of Deployment \"web\" has no cpu request, but HorizontalPodAutoscaler \"web\" scales Rollout \"web\", which runs this template through workloadRef, on cpu utilization"
	onMetric := "rollout.yaml:25:57: error: HorizontalPodAutoscaler \"web\" scales on cpu utilization, but container(s) \"web\" of Rollout \"web\", whose pod template is Deployment \"web\" (" + dep + ") have no cpu request"
	// The Deployment declares a port: the Rollout's pods serve, so
	// scaling them to zero refuses requests.
	toZero := "rollout.yaml:31:1: error: minReplicaCount is unset (KEDA's default is 0): ScaledObject \"web-queue\" scales Rollout \"web\" to zero pods"

	// Both linted: the request is missing where it is written.
	expect(run(dep, ro), []string{onContainer, toZero}, []string{"rollout.yaml:25:"})
	// The Deployment only as context: reported on the HPA's metric.
	expect(run("--context", dep, ro), []string{onMetric, toZero}, []string{"deployment.yaml:"})
	// The Rollout and its autoscalers only as context: on the container.
	expect(run("--context", ro, dep), []string{onContainer}, []string{"rollout.yaml:"})

	// Without the Deployment nothing is known of the containers: the
	// Rollout's pods are judged by its selector alone, as before.
	code, out, _ := runCtx(t, append(append([]string(nil), rules...), "--no-sibling-context", ro)...)
	if code != ExitClean || out != "" {
		t.Errorf("Rollout alone: exit %d\n%s", code, out)
	}
}
