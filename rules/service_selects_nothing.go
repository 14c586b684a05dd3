package rules

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/zdlint/zdlint/loader"
)

var serviceSelectsNothing = &Rule{
	Meta: Meta{
		ID:       "service-selects-nothing",
		Severity: Warning,
		Summary:  "A Service's selector matches no pod of the input, so it routes traffic nowhere",
		Rationale: `A Service sends traffic to the Ready pods whose labels include every pair of its selector, in
its own namespace. When no pod template carries them (a typo, a label renamed in the Deployment
but not in the Service, the wrong namespace), the Service has no endpoints: clients get
connection refused or time out, and nothing in the rollout fails to warn anyone.

zdlint only sees its input, so the rule reports a Service only when the input plausibly holds
its pods: some workload, Pod, Job, CronJob or custom resource of the Service's namespace is in
a related file (the same file or directory, one directory inside the other, or a --context
file). It does not report a Service when a custom resource (an operator's Prometheus, a Knative
Service, an Argo Rollout) lives in that namespace, since its controller may make pods with any
labels; nor Services without a selector (endpoints managed by hand) or of type ExternalName.`,
		Bad: `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: wbe}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
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
        - {name: web, image: example/web:1.2, ports: [{containerPort: 8080}]}`,
		Fix: `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]`,
		Defaults: []string{
			"A Service selects pods of its own namespace whose labels include every pair of spec.selector",
			"An object without metadata.namespace is in the --namespace namespace (default \"default\")",
		},
		Kinds: []string{"Service"},
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		svc, ok := p.Obj.Typed.(*corev1.Service)
		if !ok || len(svc.Spec.Selector) == 0 || svc.Spec.Type == corev1.ServiceTypeExternalName {
			return
		}
		p.Later(Report{At: loader.P("spec", "selector")})
	},
	Resolve: func(r *Resolution) (string, bool) {
		s := r.Fact.(*ServiceFact)
		ix := r.Index
		if ix.SelectsPods(s) || !ix.TargetsPlausible(s.Namespace, s.File) {
			return "", false
		}
		var pairs []string
		for k, v := range s.Selector.All() {
			pairs = append(pairs, k+"="+v)
		}
		slices.Sort(pairs)
		return fmt.Sprintf("%s selects pods labelled %s, but no workload, Pod or Job in namespace %q of the input has those labels, so it routes traffic nowhere; make spec.selector match the pod template labels (or pass the file that defines the pods with --context)",
			s.Ref().ObjectString(), strings.Join(pairs, ", "), s.Namespace), true
	},
}
