package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/crd"
)

var meshRetriesMissing = &Rule{
	Meta: Meta{
		ID:       "mesh-retries-missing",
		Severity: Warning,
		Summary:  "An Istio VirtualService or Flagger Canary disables or lacks the retries that hide requests lost to scale-down and rollouts",
		Rationale: `When a pod is removed (the autoscaler scales down, a rollout replaces it, Flagger shifts
traffic between its primary and canary), the proxies in front of it learn of it a little later
than the pod stops accepting connections: requests sent in between fail with a refused
connection, a reset or refused stream, or a 502/503 from the pod's sidecar. A mesh retry on
another endpoint hides these failures from the caller.

Istio retries them by default: a route without a retries block gets 2 retries on
connect-failure, refused-stream, unavailable, cancelled and status 503, on a host that was not
tried yet. A Flagger Canary without spec.service.retries generates its VirtualService without
one, so the same default applies. The failures go unretried only when the route switches this
off: attempts: 0 (Istio installs no retry policy at all), or a retryOn that names neither the
gateway errors (gateway-error, 5xx, 502/503/504) nor the connection failures
(connect-failure, refused-stream, reset), which replaces the default list.

Flagger reads spec.service.retries only for two of its providers. With the Istio provider (also
the default, and what an unset spec.provider means unless Flagger's -mesh-provider flag says
otherwise) it copies the block into its VirtualService, as above. With the Contour provider it
copies it into the HTTPProxy it generates, and Contour's rules differ: a route without a
retryPolicy is not retried at all, so a Contour Canary without spec.service.retries is reported;
attempts -1 disables retries while attempts 0 means Envoy's default of one retry; and retryOn is
checked as for Istio. The other providers' routers (Linkerd and SMI, App Mesh, NGINX, Gloo,
Skipper, Traefik, APISIX, Kuma, Gateway API, Knative) ignore the block or, for App Mesh, turn
attempts 0 into one retry on gateway errors: not reported, their retries are configured
elsewhere. A provider name Flagger does not know gets the Istio router too (with a warning in
Flagger's log); zdlint does not report it, the name being likelier a mistake than a choice.

A Canary is reported whatever its target, since Flagger rolls it on every release; a
VirtualService route when one of its destinations is a Service in the input that selects an
autoscaled workload (an HPA or a KEDA ScaledObject targets it), an Argo Rollout or a CloneSet.
A destination with a subset reaches only the Service's pods that carry the subset's labels, read
from the DestinationRules in the input: it counts when one of those workloads does; when no
DestinationRule in the input defines the subset, only when every workload behind the Service
does. A route that delegates to another VirtualService hands its retries to the delegate's
routes that have none of their own (a delegate route's own retries win), so it is judged by the
destinations of those routes when the delegate is in the input. A retryOn that keeps one of the
two classes is not reported.`,
		Bad: `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: api}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  service:
    port: 80
    retries:
      attempts: 0
  analysis: {interval: 1m, threshold: 5, maxWeight: 50, stepWeight: 10}`,
		Fix: `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: api}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  service:
    port: 80
    retries:
      attempts: 3
      perTryTimeout: 5s
      retryOn: gateway-error,connect-failure,refused-stream
  analysis: {interval: 1m, threshold: 5, maxWeight: 50, stepWeight: 10}`,
		Defaults: []string{
			"An HTTP route without retries gets Istio's default policy: 2 retries on connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes with 503 retriable, on hosts not tried before; attempts 0 (or less) installs no retry policy; a retryOn replaces the default list, status codes in it becoming retriable status codes (istio/istio pilot networking route retry package, DefaultPolicy and ConvertPolicy); docs/k8s-facts.md §16",
			"A Flagger Canary's spec.service.retries is copied into the VirtualService Flagger generates for the Istio provider, and the provider defaults to Flagger's -mesh-provider flag, istio (fluxcd/flagger pkg/apis/flagger/v1beta1/canary.go, cmd/flagger/main.go); docs/k8s-facts.md §16",
			"Envoy's retry-on conditions: 5xx includes connect-failure and refused-stream; gateway-error is 502, 503 and 504 (Envoy router filter, x-envoy-retry-on)",
			"Flagger picks its router by provider, sending unknown names to Istio; only the Istio router (VirtualService) and the Contour router (HTTPProxy retryPolicy: numRetries from attempts, retryOn split on commas) read spec.service.retries (fluxcd/flagger pkg/router/factory.go, istio.go, contour.go); docs/k8s-facts.md §16",
			"Contour retries nothing on a route without retryPolicy; numRetries -1 disables retries and 0 means Envoy's default of 1 (projectcontour/contour internal/dag/policy.go retryPolicy); docs/k8s-facts.md §16",
			"A route to a DestinationRule subset reaches the host's pods that carry the subset's labels; a delegate VirtualService's routes replace the delegating route and take its retries when they have none (istio/istio pilot/pkg/model/virtualservice.go mergeHTTPRoute); docs/k8s-facts.md §16",
		},
		Kinds: []string{"Canary", "VirtualService"},
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		switch o := p.Obj.Typed.(type) {
		case *crd.Canary:
			runCanaryRetries(p, o)
		case *crd.VirtualService:
			for i, h := range o.Spec.HTTP {
				at, what, ok := retryGap(h.Retries, loader.P("spec", "http").Index(i).Key("retries"), true)
				if !ok {
					continue
				}
				// Which pods the route reaches (its destinations'
				// subsets, or a delegate's routes) is known once
				// every object is read.
				p.Later(Report{At: at, Detail: strconv.Itoa(i) + "\x00" + what})
			}
		}
	},
	Resolve: func(r *Resolution) (string, bool) {
		n, what, _ := strings.Cut(r.Detail, "\x00")
		i, err := strconv.Atoi(n)
		vs, ok := r.Fact.(*MeshFact)
		if err != nil || !ok || i >= len(vs.Routes) {
			return "", false
		}
		route := vs.Routes[i]
		if route.Delegate == "" {
			t, ok := retriedTarget(r.Index, route.Destinations, vs.Namespace, vs.File, vs.Context)
			if !ok {
				return "", false
			}
			t.relate(r)
			return fmt.Sprintf("%s: VirtualService %q sends to %s, whose %s %q is %s, and the requests in flight to its removed pods fail unretried; set attempts: 3 or more and retryOn: gateway-error,connect-failure,refused-stream",
				what, vs.Name, t.to, t.w.Kind, t.w.Name, t.why), true
		}
		// Istio merges each route of the delegate into this one; a
		// delegate route without retries of its own takes these
		// (pilot/pkg/model/virtualservice.go mergeHTTPRoute). Delegation
		// is one level deep: a delegate's own delegate is not followed.
		ns, name, _ := strings.Cut(route.Delegate, "/")
		d := r.Index.VirtualService(ns, name, vs.File, vs.Context)
		if d == nil {
			return "", false
		}
		for _, dr := range d.Routes {
			if dr.Retries || dr.Delegate != "" {
				continue
			}
			t, ok := retriedTarget(r.Index, dr.Destinations, d.Namespace, vs.File, vs.Context)
			if !ok {
				continue
			}
			r.Relate(d, fmt.Sprintf("%s, whose route to %s takes these retries", d.Ref().ObjectString(), t.to))
			t.relate(r)
			return fmt.Sprintf("%s: VirtualService %q delegates to VirtualService %q, whose route to %s has no retries of its own and takes these; its %s %q is %s, and the requests in flight to its removed pods fail unretried; set attempts: 3 or more and retryOn: gateway-error,connect-failure,refused-stream",
				what, vs.Name, d.Name, t.to, t.w.Kind, t.w.Name, t.why), true
		}
		return "", false
	},
}

// runCanaryRetries checks the retry policy Flagger derives from a Canary's
// spec.service.retries for the router its provider selects
// (fluxcd/flagger pkg/router/factory.go MeshRouter): Istio copies the block
// into its VirtualService, Contour into its HTTPProxy's retryPolicy; the
// other routers do not read it.
func runCanaryRetries(p *Pass, o *crd.Canary) {
	at := loader.P("spec", "service", "retries")
	rt := o.Spec.Service.Retries
	var what string
	switch pr := o.Spec.Provider; {
	case pr == "" || strings.HasPrefix(pr, "istio"):
		// An empty provider is Flagger's -mesh-provider flag, istio
		// by default.
		var ok bool
		if at, what, ok = retryGap(rt, at, true); !ok {
			return
		}
	case pr == "contour":
		var ok bool
		if at, what, ok = contourRetryGap(rt, at); !ok {
			return
		}
	default:
		return // a router that does not read spec.service.retries
	}
	p.Reportf(at, "%s: %s, so the requests lost while Flagger shifts traffic and scales %q (and its -primary) go back to callers as errors; set attempts: 3 or more and retryOn: gateway-error,connect-failure,refused-stream",
		what, p.Obj, o.Spec.TargetRef.Name)
}

// contourRetryGap is retryGap for the retry policy Flagger writes into a
// Contour HTTPProxy: no retries block means no retryPolicy, and Contour
// retries nothing then; attempts becomes numRetries, where 0 is Envoy's
// default of one retry and -1 disables retries; retryOn is split into
// Contour's list of Envoy conditions (projectcontour/contour
// internal/dag/policy.go retryPolicy; fluxcd/flagger pkg/router/contour.go
// makeRetryPolicy).
func contourRetryGap(rt *crd.HTTPRetry, at loader.Path) (loader.Path, string, bool) {
	if rt == nil {
		return at, "spec.service.retries is not set, and Contour does not retry a route without a retryPolicy", true
	}
	if rt.Attempts != nil && *rt.Attempts == -1 {
		return at.Key("attempts"), "retries.attempts is -1, which disables Contour's retries", true
	}
	if rt.RetryOn == "" || retriesRemovalFailures(rt.RetryOn, false) {
		return nil, "", false
	}
	return at.Key("retryOn"), fmt.Sprintf("retryOn %q names neither gateway errors nor connection failures (refused streams)", rt.RetryOn), true
}

// retriedTarget finds, among a route's destinations (hosts read in the
// namespace ns of the VirtualService that names them), a Service whose
// route-reached pods belong to a workload that loses pods often: one an
// HPA or ScaledObject scales, an Argo Rollout or a CloneSet. A destination
// with a subset reaches only the pods with the subset's labels, read from
// the DestinationRules for the host; when none in the input defines the
// subset, the destination counts only when every workload behind the
// Service loses pods often, whichever of them the subset holds.
func retriedTarget(ix *Index, dests []MeshDestination, ns, file string, context bool) (routeTarget, bool) {
	for _, d := range dests {
		name, svcNS, ok := ServiceOfHost(d.Host, ns)
		if !ok {
			continue
		}
		ws, hpas := ix.ServiceWorkloads(svcNS, name, file)
		to := fmt.Sprintf("Service %q", name)
		var labels LabelSet
		known := true
		if d.Subset != "" {
			to = fmt.Sprintf("subset %q of Service %q", d.Subset, name)
			labels, known = ix.SubsetLabels(svcNS, name, d.Subset, file, context)
		}
		var first *routeTarget
		all := len(ws) > 0
		for i, w := range ws {
			if labels != "" && !selectorMatches(labels, w.Labels) {
				continue // not in the subset
			}
			t := routeTarget{to: to, service: name, w: w}
			switch {
			case len(hpas[i]) > 0:
				t.hpa = hpas[i][0]
				t.why = fmt.Sprintf("autoscaled by %s %q", t.hpa.Kind, t.hpa.Name)
			case w.Kind == "Rollout" || w.Kind == "CloneSet":
				t.why = "rolled out progressively"
			default:
				all = false
				continue
			}
			if first == nil {
				first = &t
			}
		}
		if first != nil && (known || all) {
			return *first, true
		}
	}
	return routeTarget{}, false
}

// routeTarget is a workload behind a route that loses pods often: to names
// the route's destination, why says what removes the pods (hpa, when it is
// an autoscaler).
type routeTarget struct {
	to, service, why string
	w                *WorkloadFact
	hpa              *HPAFact
}

// relate names the workload and its autoscaler as the finding's related
// objects.
func (t routeTarget) relate(r *Resolution) {
	if t.hpa != nil {
		r.Relate(t.w, fmt.Sprintf("%s, behind Service %q", t.w.Ref().ObjectString(), t.service))
		r.Relate(t.hpa, fmt.Sprintf("%s autoscales it", t.hpa.Ref().ObjectString()))
		return
	}
	r.Relate(t.w, fmt.Sprintf("%s, behind Service %q, rolls out progressively", t.w.Ref().ObjectString(), t.service))
}

// retryGap reports where and how an Istio retry policy leaves the failures
// of a removed endpoint unretried; ok is false when it retries them
// (including when it is absent, and Istio's default applies).
func retryGap(rt *crd.HTTPRetry, at loader.Path, statusCodes bool) (loader.Path, string, bool) {
	if rt == nil {
		return nil, "", false
	}
	if rt.Attempts != nil && *rt.Attempts <= 0 {
		return at.Key("attempts"), fmt.Sprintf("retries.attempts is %d, which disables retries", *rt.Attempts), true
	}
	if rt.RetryOn == "" || retriesRemovalFailures(rt.RetryOn, statusCodes) {
		return nil, "", false
	}
	return at.Key("retryOn"), fmt.Sprintf("retryOn %q names neither gateway errors nor connection failures (refused streams)", rt.RetryOn), true
}

// retriesRemovalFailures reports whether an Envoy retry-on list retries
// the gateway errors or the connection failures a removed pod causes;
// statusCodes says whether the list may hold status codes (Istio turns
// them into retriable status codes; Contour's list has no such entries).
func retriesRemovalFailures(retryOn string, statusCodes bool) bool {
	for _, c := range strings.Split(retryOn, ",") {
		switch strings.TrimSpace(c) {
		case "5xx", "gateway-error", "connect-failure", "refused-stream", "reset", "reset-before-request":
			return true
		case "502", "503", "504":
			if statusCodes {
				return true
			}
		}
	}
	return false
}
