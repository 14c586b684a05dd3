package rules

import (
	"fmt"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

var hpaTargetMissingRequests = &Rule{
	Meta: Meta{
		ID:       "hpa-target-missing-requests",
		Severity: Error,
		Summary:  "An HPA scales on resource utilization but a container of its target has no request for that resource",
		Rationale: `Utilization is usage divided by the request. When an HorizontalPodAutoscaler scales on
cpu or memory utilization (a Resource or ContainerResource metric with a Utilization target,
targetAverageUtilization in autoscaling/v2beta1, targetCPUUtilizationPercentage in
autoscaling/v1, or no metrics at all, which means 80% cpu) and a container it counts has no
request for that resource, the controller cannot compute the ratio: it reports
FailedGetResourceMetric and never scales. The workload then stays at whatever size it has
while traffic grows, and pods overload and fail requests. A limit counts as a request, because
the API server copies it; a request of 0 does not. For a Resource metric every container and
native sidecar counts; for a ContainerResource metric only the named container.

The finding is on the container when the workload is linted, because that is where the
request goes; when the workload is only known from a --context file it is on the HPA metric.
An HPA may scale an Argo Rollout whose spec.workloadRef takes the pod template from a Deployment:
its requests are then the Deployment's containers', judged when that Deployment is in the input
or a --context file (and reported on its containers when it is linted).`,
		Bad: `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 70}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - name: web
          image: example/web:1.2   # no resources.requests.cpu`,
		Fix: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - name: web
          image: example/web:1.2
          resources:
            requests:
              cpu: 250m
              memory: 256Mi`,
		Defaults: []string{
			"An HPA or PDB governs a workload only when their files are related: the same file or directory, one directory inside the other, or a --context file; never across sibling directories or into a testdata directory (rules/model_index.go Related)",
			"An HPA without metrics scales on 80% average cpu utilization (docs/k8s-facts.md §7)",
			"A container without a request but with a limit gets the limit as its request (docs/k8s-facts.md §5)",
			"Utilization targets are a percentage of the pods' requests (docs/k8s-facts.md §5)",
			"An Argo Rollout with spec.workloadRef runs pods from the referenced Deployment's (or ReplicaSet's) template, labels included (argo-rollouts rollout/templateref.go); docs/k8s-facts.md §13",
		},
		Kinds: append(scalableKinds[:len(scalableKinds):len(scalableKinds)], "HorizontalPodAutoscaler", "ScaledObject"),
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		if _, ok := HPAOf(p.Obj); ok {
			hpaMissingRequestsOnHPA(p)
			return
		}
		w, ok := WorkloadOf(p.Obj)
		if !ok {
			return
		}
		for _, c := range w.Containers() {
			for _, res := range requestResources {
				if !HasRequest(c.Container, res) {
					p.Later(Report{At: c.Path.Key("resources", "requests", string(res)), Container: c.Name, Detail: strconv.Itoa(int(c.Kind)) + "/" + string(res)})
				}
			}
		}
	},
	Resolve: func(r *Resolution) (string, bool) {
		if h, ok := r.Fact.(*HPAFact); ok {
			return resolveMissingRequestsOnHPA(r, h)
		}
		w := r.Fact.(*WorkloadFact)
		k, resName, _ := strings.Cut(r.Detail, "/")
		kn, _ := strconv.Atoi(k)
		res, kind, name := corev1.ResourceName(resName), ContainerKind(kn), r.Container
		podHas := w.PodHas(res)
		var why []string
		for _, h := range r.Index.HPAsFor(w.Ref(), w.File) {
			for _, m := range h.Metrics {
				if needsRequest(m, res, name, podHas) {
					why = append(why, fmt.Sprintf("%s %q scales on %s", h.Ref().Kind, h.Ref().Name, m.Describe()))
					r.Relate(h, fmt.Sprintf("%s scales this %s on %s", h.Ref().ObjectString(), w.Kind, m.Describe()))
				}
			}
		}
		// An Argo Rollout whose workloadRef names this workload runs pods
		// from this template, so its autoscalers divide by these requests.
		for _, ro := range r.Index.TemplatedBy(w.Ref(), w.File) {
			for _, h := range r.Index.HPAsFor(ro.Ref(), ro.File) {
				for _, m := range h.Metrics {
					if needsRequest(m, res, name, podHas) {
						why = append(why, fmt.Sprintf("%s %q scales %s, which runs this template through workloadRef, on %s", h.Ref().Kind, h.Ref().Name, ro.Ref().ObjectString(), m.Describe()))
						r.Relate(h, fmt.Sprintf("%s scales %s on %s", h.Ref().ObjectString(), ro.Ref().ObjectString(), m.Describe()))
						r.Relate(ro, fmt.Sprintf("%s takes its pod template from this %s (workloadRef)", ro.Ref().ObjectString(), w.Kind))
					}
				}
			}
		}
		if len(why) == 0 {
			return "", false
		}
		return fmt.Sprintf("%s of %s has no %s request, but %s: utilization cannot be computed and the HPA never scales; set resources.requests.%s",
			kind.Label(name), w.Ref().ObjectString(), res, strings.Join(why, " and "), res), true
	},
}

// requestResources are the requests a utilization target divides by; a
// deferred finding's Detail names the container's kind and the resource
// ("2/cpu" for a sidecar's cpu).
var requestResources = [...]corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory}

// scalableKinds are the workloads an HPA can scale.
var scalableKinds = []string{"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout", "CloneSet", "AdvancedStatefulSet"}

// needsRequest reports whether metric m needs container's request for res.
func needsRequest(m HPAMetric, res corev1.ResourceName, container string, podLevel bool) bool {
	if !m.Utilization || m.Resource != res {
		return false
	}
	if m.Container != "" {
		return m.Container == container
	}
	// A Resource metric sums the requests of the whole pod; pod-level
	// requests (spec.resources) give it that sum directly.
	return !podLevel
}

// hpaMissingRequestsOnHPA reports on the HPA's metric when its target is
// known only from a --context file, where no finding can be reported.
func hpaMissingRequestsOnHPA(p *Pass) {
	for i, m := range HPAMetrics(p.Obj) {
		if m.Utilization {
			p.Later(Report{At: m.At, Detail: strconv.Itoa(i)})
		}
	}
}

// resolveMissingRequestsOnHPA decides the finding deferred on metric
// number Detail of HPA f.
func resolveMissingRequestsOnHPA(r *Resolution, f *HPAFact) (string, bool) {
	i, _ := strconv.Atoi(r.Detail)
	ns, h, file, m := f.Ref().Namespace, f.Target, f.File, f.Metrics[i]
	obj := f.Ref().ObjectString()
	ix := r.Index

	w := ix.WorkloadNear(ns, h.Kind, h.Name, file)
	if w == nil {
		return "", false
	}
	// The containers are reported where they are written when that file
	// is linted: the workload's, or for a Rollout with workloadRef the
	// template workload's (TemplatedBy brings its HPAs there).
	owner, ownerContext := fmt.Sprintf("%s %q (%s)", h.Kind, h.Name, w.File), w.Context
	if w.TemplateName != "" {
		if w.TemplateFile == "" {
			return "", false // the template is not in the input
		}
		owner = fmt.Sprintf("%s %q, whose pod template is %s %q (%s)", h.Kind, h.Name, w.TemplateKind, w.TemplateName, w.TemplateFile)
		ownerContext = w.TemplateContext
	}
	if !ownerContext {
		return "", false // linted: reported on the container
	}
	var missing []string
	for _, c := range w.Containers {
		if !c.Has(m.Resource) && needsRequest(m, m.Resource, c.Name, w.PodHas(m.Resource)) {
			missing = append(missing, fmt.Sprintf("%q", c.Name))
		}
	}
	if len(missing) == 0 {
		return "", false
	}
	r.Relate(w, fmt.Sprintf("%s, the target, whose container(s) %s have no %s request", w.Ref().ObjectString(), strings.Join(missing, ", "), m.Resource))
	return fmt.Sprintf("%s scales on %s, but container(s) %s of %s have no %s request: utilization cannot be computed and the HPA never scales; add resources.requests.%s there",
		obj, m.Describe(), strings.Join(missing, ", "), owner, m.Resource, m.Resource), true
}
