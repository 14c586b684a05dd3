package rules

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/crd"
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
pods cannot hold the same port on one node), so they are not flagged.

Whether the DaemonSet serves comes from the serving model (docs/serving.md): a Service in the
input that selects its pods (even when they declare no ports), or a declared port that is not a
metrics or health endpoint. Not reported, on purpose: node agents that serve nothing or only
metrics endpoints (a scrape that misses one interval is not a dropped request), pods with a
hostPort or hostNetwork (the new pod cannot start next to the old one on the same node, so
surge is impossible), and OnDelete updates; pods whose signals disagree are reported as info.

OpenKruise's Advanced DaemonSet (apps.kruise.io DaemonSet) is checked the same way: its
controller is the upstream one extended, with the same defaults and surge arithmetic. Its
rollingUpdateType InPlaceIfPossible does not help: without surge it restarts each node's pod in
place, which leaves the node without a ready pod as well, and unlike a CloneSet or an Advanced
StatefulSet it has no gracePeriodSeconds to wait for the endpoints first; with maxSurge above 0 the
controller surges instead. The deprecated rollingUpdateType Surging defaults maxSurge to 1.`,
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
			"An OpenKruise Advanced DaemonSet (apps.kruise.io) has the same defaults and surge arithmetic (kruise apis/apps/defaults/v1alpha1.go SetDefaultsDaemonSet, pkg/controller/daemonset/daemonset_util.go surgeCount); its deprecated rollingUpdateType Surging defaults maxSurge to 1, and InPlaceIfPossible restarts pods in place only while maxSurge is 0 (docs/k8s-facts.md §15)",
		},
		Kinds: []string{"DaemonSet", "AdvancedDaemonSet"},
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		var (
			strategy string
			template *corev1.PodTemplateSpec
			surge    *intstr.IntOrString
			inPlace  bool
		)
		switch ds := p.Obj.Typed.(type) {
		case *appsv1.DaemonSet:
			strategy, template = string(ds.Spec.UpdateStrategy.Type), &ds.Spec.Template
			if ru := ds.Spec.UpdateStrategy.RollingUpdate; ru != nil {
				surge = ru.MaxSurge
			}
		case *crd.AdvancedDaemonSet:
			strategy, template = ds.Spec.UpdateStrategy.Type, &ds.Spec.Template
			if ru := ds.Spec.UpdateStrategy.RollingUpdate; ru != nil {
				surge = ru.MaxSurge
				if ru.Type == "Surging" && surge == nil {
					// The deprecated Surging type defaults maxSurge
					// to 1 (kruise apis/apps/defaults/v1alpha1.go
					// SetDefaultsDaemonSet).
					return
				}
				// In place only without surge, and only for pods
				// with the InPlaceUpdateReady readiness gate; others
				// are recreated (kruise
				// pkg/controller/daemonset/daemonset_update.go).
				inPlace = ru.Type == "InPlaceIfPossible" && hasReadinessGate(&ds.Spec.Template.Spec, inPlaceUpdateReady)
			}
		default:
			return
		}
		if strategy == "OnDelete" {
			return
		}
		for _, c := range Containers(&template.Spec, specTemplateSpec) {
			for _, port := range c.Ports {
				if port.HostPort != 0 {
					return // cannot surge
				}
			}
		}
		if template.Spec.HostNetwork {
			return // the node's own ports: cannot surge either
		}
		if surge != nil && !isLiteralZero(surge) {
			return
		}
		at := loader.P("spec", "updateStrategy", "rollingUpdate", "maxSurge")
		// Whether the pods serve (a Service routes to them, or they
		// declare ports that are not metrics or health endpoints) is
		// decided once every Service is known (ServingOf).
		how := "replaced"
		if inPlace {
			how = "restarted in place (an Advanced DaemonSet has no in-place grace period)"
		}
		LaterIfServing(p, Report{At: at, Message: fmt.Sprintf("%s serves requests but updates with maxSurge 0, so each node has no ready pod while its pod is %s; set updateStrategy.rollingUpdate.maxSurge: 1 and maxUnavailable: 0", p.Obj, how)})
	},
	Resolve: func(r *Resolution) (string, bool) {
		msg, keep, _ := ResolveServing(r, Warning)
		return msg, keep
	},
}
