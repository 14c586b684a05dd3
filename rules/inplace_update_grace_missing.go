package rules

import (
	"fmt"
	"strconv"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/crd"
)

var inPlaceUpdateGraceMissing = &Rule{
	Meta: Meta{
		ID:       "inplace-update-grace-missing",
		Severity: Error,
		Summary:  "A CloneSet or Advanced StatefulSet updates images in place before the pod is out of the endpoints",
		Rationale: `With updateStrategy.type InPlaceIfPossible or InPlaceOnly, an OpenKruise CloneSet
updates a pod's images without recreating it: it sets the pod's InPlaceUpdateReady readiness gate
to False, which makes the pod NotReady and starts its removal from the Services' endpoints, waits
inPlaceUpdateStrategy.gracePeriodSeconds, then changes the images, and the kubelet restarts the
containers. gracePeriodSeconds defaults to 0, so the restart starts at the same moment as the
endpoint removal, while kube-proxy, ingress controllers and meshes still send requests to the pod
(the in-place twin of a missing preStop sleep), and those requests fail.

The kubelet runs the container's preStop hook before stopping it for the restart, so a preStop
sleep keeps it serving as well: zdlint reports when gracePeriodSeconds plus the shortest preStop
sleep of the serving containers is below minSeconds. Only workloads that serve (docs/serving.md)
are reported.

An OpenKruise Advanced StatefulSet (apps.kruise.io StatefulSet) updates in place the same way
when updateStrategy.rollingUpdate.podUpdatePolicy is InPlaceIfPossible or InPlaceOnly, waiting
updateStrategy.rollingUpdate.inPlaceUpdateStrategy.gracePeriodSeconds (also 0 by default), and
is checked there. An Advanced DaemonSet's in-place update has no grace period at all:
daemonset-surge-missing covers it.`,
		Bad: `apiVersion: apps.kruise.io/v1alpha1
kind: CloneSet
metadata: {name: web}
spec:
  replicas: 4
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example/web:2.0
          ports: [{containerPort: 8080}]
  updateStrategy:
    type: InPlaceIfPossible
    maxUnavailable: 0
    maxSurge: 1`,
		Fix: `apiVersion: apps.kruise.io/v1alpha1
kind: CloneSet
metadata: {name: web}
spec:
  replicas: 4
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example/web:2.0
          ports: [{containerPort: 8080}]
  updateStrategy:
    type: InPlaceIfPossible
    maxUnavailable: 0
    maxSurge: 1
    inPlaceUpdateStrategy:
      gracePeriodSeconds: 10`,
		Defaults: []string{
			"updateStrategy.type defaults to ReCreate (pods are recreated, not updated in place) (openkruise/kruise-api apps/v1alpha1/cloneset_types.go:105-107); docs/k8s-facts.md §15",
			"inPlaceUpdateStrategy.gracePeriodSeconds, the time between setting the pod not-ready and updating its images, defaults to 0 (kruise-api apps/pub/inplace_update.go:106-111)",
			"The InPlaceUpdateReady readiness gate is False during the in-place update, so the pod leaves the endpoints then (kruise-api apps/pub/inplace_update.go:27-31)",
			"Endpoint removal reaches proxies with a delay, and a preStop hook runs before the kubelet stops a container (docs/k8s-facts.md §3)",
			"An Advanced StatefulSet's rollingUpdate.podUpdatePolicy defaults to ReCreate (kruise apis/apps/defaults/v1beta1.go SetDefaultsStatefulSet); in place, its controller waits rollingUpdate.inPlaceUpdateStrategy.gracePeriodSeconds (pkg/controller/statefulset/stateful_set_control.go), and its webhook requires the InPlaceUpdateReady readiness gate in the template (pkg/webhook/statefulset/validating/statefulset_validation.go); docs/k8s-facts.md §15",
		},
		Kinds: []string{"CloneSet", "AdvancedStatefulSet"},
		Options: []Option{
			{Name: "minSeconds", Default: 5, Doc: "shortest time, in seconds, a pod must keep serving after it is set not-ready (gracePeriodSeconds plus its preStop sleep)"},
		},
		Since: "0.1.0",
		Fixes: []FixNote{
			{FixSafe, "every finding", "sets inPlaceUpdateStrategy.gracePeriodSeconds to minSeconds less the preStop sleep: each in-place update waits that much longer"},
		},
	},
	Run: func(p *Pass) {
		var (
			policy string
			ip     *crd.InPlaceUpdateStrategy
			at     loader.Path // where the in-place settings live
		)
		switch o := p.Obj.Typed.(type) {
		case *crd.CloneSet:
			u := o.Spec.UpdateStrategy
			policy, ip, at = u.Type, u.InPlaceUpdateStrategy, loader.P("spec", "updateStrategy")
		case *crd.AdvancedStatefulSet:
			u := o.Spec.UpdateStrategy
			if u.Type == "OnDelete" || u.RollingUpdate == nil {
				return // podUpdatePolicy defaults to ReCreate
			}
			policy, ip, at = u.RollingUpdate.PodUpdatePolicy, u.RollingUpdate.InPlaceUpdateStrategy, loader.P("spec", "updateStrategy", "rollingUpdate")
		default:
			return
		}
		if policy != "InPlaceIfPossible" && policy != "InPlaceOnly" {
			return
		}
		w, ok := WorkloadOf(p.Obj)
		if !ok {
			return
		}
		sleep, serves := ShortestPreStopSleep(w)
		if !serves {
			return // no container to restart that serves
		}
		grace := int64(0)
		field := at.Key("inPlaceUpdateStrategy", "gracePeriodSeconds")
		what := "inPlaceUpdateStrategy.gracePeriodSeconds is unset (default 0)"
		if ip != nil {
			at = at.Key("inPlaceUpdateStrategy")
			if _, _, set := p.Obj.Lookup(field); set {
				grace, at = int64(ip.GracePeriodSeconds), field
				what = "inPlaceUpdateStrategy.gracePeriodSeconds is " + strconv.FormatInt(grace, 10)
			}
		}
		min := p.Option("minSeconds")
		if grace+sleep >= min {
			return
		}
		sleepText := ""
		if sleep > 0 {
			sleepText = fmt.Sprintf(" (its preStop sleep adds %d s)", sleep)
		}
		LaterIfServing(p, Report{At: at, Fix: NewFix(FixSafe, Set(field, strconv.FormatInt(min-sleep, 10))),
			Message: fmt.Sprintf("%s: %s updates a pod's images in place as soon as it marks it not-ready%s, while proxies still route requests to it; set gracePeriodSeconds: %d",
				what, p.Obj, sleepText, min-sleep)})
	},
	Resolve: func(r *Resolution) (string, bool) {
		msg, keep, _ := ResolveServing(r, Error)
		return msg, keep
	},
}
