package rules

import "fmt"

var containerImageMissing = &Rule{
	Meta: Meta{
		ID:       "container-image-missing",
		Severity: Error,
		Summary:  "A container of a complete workload has no image, so the API server rejects the object",
		Rationale: `Every container and init container needs an image: the API server refuses to create the
object ("spec.template.spec.containers[0].image: Required value"), so the apply fails and the
rollout it was part of stops halfway, with some objects of the release updated and this one not.

The same shape is normal in a Kustomize or strategic-merge patch, which names a container only
to change some of its fields. zdlint reports only objects that are complete: a Deployment,
StatefulSet, DaemonSet, ReplicaSet or ReplicationController that sets spec.selector (patches
leave the selector to the base, and the apps/v1 API requires it). Pods, Jobs and CronJobs, whose
selector is optional, are not reported, because a patch of them cannot be told from the whole
object by the manifest alone. Injected mesh proxies (istio-proxy, linkerd-proxy) are left out:
the injector fills in their image.`,
		Bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          ports: [{containerPort: 8080}]`,
		Fix: `containers:
  - name: web
    image: example/web:1.2
    ports: [{containerPort: 8080}]`,
		Defaults: []string{
			"containers[].image is required when a workload is created (API validation); a webhook may fill it in, as mesh injectors do for their proxies",
		},
		Kinds: LongRunningKinds,
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		w, ok := WorkloadOf(p.Obj)
		if !ok || w.Selector == nil || w.TemplateRef {
			return // no selector: likely a patch, and the selector rule of its kind is not ours
		}
		spec := w.PodSpec()
		check := func(key string, i int, name string, image string, label string) {
			if image != "" || name == "istio-proxy" || name == "linkerd-proxy" {
				return
			}
			p.Report(Report{At: w.SpecPath.Key(key).Index(i), Container: name,
				Message: fmt.Sprintf("%s of %s has no image, so the API server rejects the object; set image", label, p.Obj)})
		}
		for i := range spec.InitContainers {
			c := &spec.InitContainers[i]
			check("initContainers", i, c.Name, c.Image, Init.Label(c.Name))
		}
		for i := range spec.Containers {
			c := &spec.Containers[i]
			check("containers", i, c.Name, c.Image, Regular.Label(c.Name))
		}
	},
}
