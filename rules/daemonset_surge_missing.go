package rules

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/zdlint/zdlint/loader"
)

var daemonSetSurgeMissing = &Rule{
	Meta: Meta{
		ID:       "daemonset-surge-missing",
		Severity: Warning,
		Summary:  "A serving DaemonSet updates with maxSurge 0, so each node loses its pod before the new one is ready",
		Rationale: `A DaemonSet runs one pod per node. With the default rolling update (maxUnavailable 1,
maxSurge 0) the controller deletes a node's old pod and only then creates the new one, so the
node has no serving pod for the whole shutdown, image pull and start-up. For node-local
traffic (an ingress controller, a node-local DNS cache, a log or metrics endpoint reached through
a Service) that is an outage per node. With maxSurge 1 and maxUnavailable 0 the new pod starts
next to the old one and takes over once it is ready. Pods that bind a hostPort cannot surge (two
pods cannot hold the same port on one node), so they are not flagged.`,
		Bad: `kind: DaemonSet
spec:
  template:
    spec:
      containers:
        - name: proxy
          ports:
            - containerPort: 8080`,
		Fix: `kind: DaemonSet
spec:
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  template:
    spec:
      containers:
        - name: proxy
          ports:
            - containerPort: 8080`,
		Defaults: []string{
			"DaemonSet updateStrategy defaults to RollingUpdate with maxUnavailable 1 and maxSurge 0",
			"maxSurge percentages round up to a minimum of 1",
			"maxSurge is ignored for pods that use hostPort, which cannot run twice on one node",
		},
		Kinds: []string{"DaemonSet"},
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		ds, ok := p.Obj.Typed.(*appsv1.DaemonSet)
		if !ok || ds.Spec.UpdateStrategy.Type == appsv1.OnDeleteDaemonSetStrategyType {
			return
		}
		serving := false
		for _, c := range Containers(&ds.Spec.Template.Spec, specTemplateSpec) {
			for _, port := range c.Ports {
				if port.HostPort != 0 {
					return // cannot surge
				}
				serving = true
			}
		}
		if !serving || ds.Spec.Template.Spec.HostNetwork {
			return // no ports, or the node's own ports: cannot surge either
		}
		var surge *intstr.IntOrString
		if ru := ds.Spec.UpdateStrategy.RollingUpdate; ru != nil {
			surge = ru.MaxSurge
		}
		if surge != nil && !isLiteralZero(surge) {
			return
		}
		at := loader.P("spec", "updateStrategy", "rollingUpdate", "maxSurge")
		p.Report(Report{At: at, Message: fmt.Sprintf("%s serves on container ports but updates with maxSurge 0, so each node has no ready pod while its pod is replaced; set updateStrategy.rollingUpdate.maxSurge: 1 and maxUnavailable: 0", p.Obj)})
	},
}
