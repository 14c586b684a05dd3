package rules

import (
	"fmt"
	"strings"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/crd"
)

var meshRetriesMissing = &Rule{
	Meta: Meta{
		ID:       "mesh-retries-missing",
		Severity: Warning,
		Summary:  "An Istio VirtualService or Flagger Canary disables the retries that hide requests lost to scale-down and rollouts",
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

A Canary is reported whatever its target, since Flagger rolls it on every release; a
VirtualService when one of its destinations is a Service in the input that selects an
autoscaled workload (an HPA or a KEDA ScaledObject targets it), an Argo Rollout or a CloneSet.
A retryOn that keeps one of the two classes is not reported.`,
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
		},
		Kinds: []string{"Canary", "VirtualService"},
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		switch o := p.Obj.Typed.(type) {
		case *crd.Canary:
			if pr := o.Spec.Provider; pr != "" && !strings.HasPrefix(pr, "istio") {
				return // retries are an Istio VirtualService's
			}
			at, what, ok := retryGap(o.Spec.Service.Retries, loader.P("spec", "service", "retries"))
			if !ok {
				return
			}
			p.Reportf(at, "%s: %s, so the requests lost while Flagger shifts traffic and scales %q (and its -primary) go back to callers as errors; set attempts: 3 or more and retryOn: gateway-error,connect-failure,refused-stream",
				what, p.Obj, o.Spec.TargetRef.Name)
		case *crd.VirtualService:
			for i, h := range o.Spec.HTTP {
				at, what, ok := retryGap(h.Retries, loader.P("spec", "http").Index(i).Key("retries"))
				if !ok {
					continue
				}
				var hosts []string
				for _, d := range h.Route {
					hosts = append(hosts, d.Destination.Host)
				}
				p.Later(Report{At: at, Detail: what + "\x00" + strings.Join(hosts, ",")})
			}
		}
	},
	Resolve: func(r *Resolution) (string, bool) {
		what, hosts, _ := strings.Cut(r.Detail, "\x00")
		sub := r.Fact.About()
		for _, host := range strings.Split(hosts, ",") {
			name, ns, ok := serviceOfHost(host, sub.Namespace)
			if !ok {
				continue
			}
			ws, hpas := r.Index.ServiceWorkloads(ns, name, sub.File)
			for i, w := range ws {
				var why string
				switch {
				case len(hpas[i]) > 0:
					why = fmt.Sprintf("autoscaled by %s %q", hpas[i][0].Kind, hpas[i][0].Name)
					r.Relate(w, fmt.Sprintf("%s, behind Service %q", w.Ref().ObjectString(), name))
					r.Relate(hpas[i][0], fmt.Sprintf("%s autoscales it", hpas[i][0].Ref().ObjectString()))
				case w.Kind == "Rollout" || w.Kind == "CloneSet":
					why = "rolled out progressively"
					r.Relate(w, fmt.Sprintf("%s, behind Service %q, rolls out progressively", w.Ref().ObjectString(), name))
				default:
					continue
				}
				return fmt.Sprintf("%s: VirtualService %q sends to Service %q, whose %s %q is %s, and the requests in flight to its removed pods fail unretried; set attempts: 3 or more and retryOn: gateway-error,connect-failure,refused-stream",
					what, sub.Name, name, w.Kind, w.Name, why), true
			}
		}
		return "", false
	},
}

// retryGap reports where and how a retry policy leaves the failures of a
// removed endpoint unretried; ok is false when it retries them (including
// when it is absent, and Istio's default applies).
func retryGap(rt *crd.HTTPRetry, at loader.Path) (loader.Path, string, bool) {
	if rt == nil {
		return nil, "", false
	}
	if rt.Attempts != nil && *rt.Attempts <= 0 {
		return at.Key("attempts"), fmt.Sprintf("retries.attempts is %d, which disables retries", *rt.Attempts), true
	}
	if rt.RetryOn == "" || retriesRemovalFailures(rt.RetryOn) {
		return nil, "", false
	}
	return at.Key("retryOn"), fmt.Sprintf("retryOn %q names neither gateway errors nor connection failures (refused streams)", rt.RetryOn), true
}

// retriesRemovalFailures reports whether an Envoy retry-on list retries
// the gateway errors or the connection failures a removed pod causes.
func retriesRemovalFailures(retryOn string) bool {
	for _, c := range strings.Split(retryOn, ",") {
		switch strings.TrimSpace(c) {
		case "5xx", "gateway-error", "502", "503", "504", "connect-failure", "refused-stream", "reset", "reset-before-request":
			return true
		}
	}
	return false
}

// serviceOfHost returns the Service a VirtualService destination host
// names in the mesh: a short name in the VirtualService's namespace, or
// name.namespace with an optional .svc or .svc.cluster.local. Other hosts
// (external names, wildcards) name no Service of the input.
func serviceOfHost(host, ns string) (name, namespace string, ok bool) {
	if host == "" || strings.Contains(host, "*") {
		return "", "", false
	}
	host = strings.TrimSuffix(strings.TrimSuffix(host, ".cluster.local"), ".svc")
	parts := strings.Split(host, ".")
	switch len(parts) {
	case 1:
		return parts[0], ns, true
	case 2:
		return parts[0], parts[1], true
	}
	return "", "", false
}
