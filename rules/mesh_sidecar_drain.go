package rules

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

const (
	istioInject      = "sidecar.istio.io/inject"
	istioNative      = "sidecar.istio.io/nativeSidecar"
	istioProxyConfig = "proxy.istio.io/config"
)

// istioProxyConfigFields are the ProxyConfig settings that decide how the
// proxy starts and stops (docs/k8s-facts.md §8, Istio).
type istioProxyConfigFields struct {
	TerminationDrainDuration        string            `json:"terminationDrainDuration"`
	HoldApplicationUntilProxyStarts *bool             `json:"holdApplicationUntilProxyStarts"`
	ProxyMetadata                   map[string]string `json:"proxyMetadata"`
}

var meshSidecarDrain = &Rule{
	Meta: Meta{
		ID:       "mesh-sidecar-drain",
		Severity: Warning,
		Summary:  "An Istio proxy can exit before the application has drained, or start after it",
		Rationale: `With a classic (non-native) sidecar, the kubelet sends SIGTERM to the application and the
istio-proxy container at the same moment. The proxy drains for terminationDrainDuration (5 s by
default) and exits; every request the application is still handling, and every request that
arrives during its preStop sleep, then has no network. At start-up the reverse happens: without
holdApplicationUntilProxyStarts the application may start before the proxy and fail its first
outbound calls. Native sidecar mode (Kubernetes 1.29+, Istio 1.19+) orders both for you; otherwise
set a drain duration that covers the application's preStop sleep, or
EXIT_ON_ZERO_ACTIVE_CONNECTIONS, and hold the application until the proxy is up.`,
		Bad: `template:
  metadata:
    annotations:
      sidecar.istio.io/inject: "true"
  spec:
    containers:
      - name: web
        lifecycle:
          preStop:
            sleep: {seconds: 15}`,
		Fix: `template:
  metadata:
    annotations:
      sidecar.istio.io/inject: "true"
      proxy.istio.io/config: |
        holdApplicationUntilProxyStarts: true
        terminationDrainDuration: 20s
  spec:
    containers:
      - name: web
        lifecycle:
          preStop:
            sleep: {seconds: 15}`,
		Defaults: []string{
			"Istio terminationDrainDuration defaults to 5s; EXIT_ON_ZERO_ACTIVE_CONNECTIONS and holdApplicationUntilProxyStarts default to false",
			"Classic sidecars get SIGTERM together with the application; native sidecars (initContainers with restartPolicy: Always) stop after it",
			"Injection enabled only by a namespace label cannot be seen in the manifest and is not checked",
			"A proxy that captures no inbound traffic (INBOUND_CAPTURE_PORTS: \"\" in proxyMetadata, or the traffic.sidecar.istio.io/includeInboundPorts annotation set to \"\") cuts no request the application serves when it exits, and gets no drain finding; the start-up finding still applies",
		},
		Kinds: LongRunningKinds,
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		w, ok := WorkloadOf(p.Obj)
		if !ok || w.TemplateRef { // the template is linted where it is written
			return
		}
		spec := w.PodSpec()
		meta := &w.Template.ObjectMeta
		annotations := w.TemplatePath.Key("metadata", "annotations")
		injected, native := istioMode(meta, spec)
		if !injected || native {
			return
		}
		var cfg istioProxyConfigFields
		if raw, ok := meta.Annotations[istioProxyConfig]; ok {
			if err := yaml.Unmarshal([]byte(raw), &cfg); err != nil {
				p.Report(Report{At: annotations.Key(istioProxyConfig), Message: fmt.Sprintf("the %s annotation of %s is not valid ProxyConfig YAML: %v", istioProxyConfig, p.Obj, err)})
				return
			}
		}
		var sleep int64
		var who string
		for _, c := range ServingContainers(spec, w.SpecPath) {
			if ps := PreStopOf(c.Container); ps.Sleeps && ps.Seconds > sleep {
				sleep, who = ps.Seconds, c.Label()
			}
		}
		exitOnZero := strings.EqualFold(cfg.ProxyMetadata["EXIT_ON_ZERO_ACTIVE_CONNECTIONS"], "true")
		drain := 5 * time.Second
		drainSet := false
		if cfg.TerminationDrainDuration != "" {
			if d, err := time.ParseDuration(cfg.TerminationDrainDuration); err == nil {
				drain, drainSet = d, true
			}
		}
		at := annotations.Key(istioProxyConfig)
		switch {
		case !capturesInbound(meta.Annotations, cfg.ProxyMetadata):
			// The proxy intercepts no inbound connection, so its exit
			// cuts none of the requests the application serves.
		case exitOnZero:
		case drainSet && int64(drain/time.Second) > sleep:
		case sleep > 0:
			p.Report(Report{At: at, Message: fmt.Sprintf("the Istio proxy of %s drains for %s while %s sleeps %d s in preStop, so the proxy exits first and in-flight requests fail; set terminationDrainDuration above %ds in %s, EXIT_ON_ZERO_ACTIVE_CONNECTIONS, or native sidecar mode",
				p.Obj, drain, who, sleep, sleep, istioProxyConfig)})
		default:
			p.Report(Report{At: at, Message: fmt.Sprintf("the Istio proxy of %s exits after its %s drain regardless of in-flight requests; set EXIT_ON_ZERO_ACTIVE_CONNECTIONS or a terminationDrainDuration that covers the drain in %s, or use native sidecar mode",
				p.Obj, drain, istioProxyConfig)})
		}
		if cfg.HoldApplicationUntilProxyStarts == nil || !*cfg.HoldApplicationUntilProxyStarts {
			p.Report(Report{At: at, Message: fmt.Sprintf("%s may start before its Istio proxy and fail its first requests; set holdApplicationUntilProxyStarts: true in %s", p.Obj, istioProxyConfig)})
		}
	},
}

// capturesInbound reports whether the Istio proxy intercepts inbound
// traffic: not when INBOUND_CAPTURE_PORTS (proxyMetadata) or the
// traffic.sidecar.istio.io/includeInboundPorts annotation is set to "".
func capturesInbound(annotations, proxyMetadata map[string]string) bool {
	if v, ok := proxyMetadata["INBOUND_CAPTURE_PORTS"]; ok && strings.TrimSpace(v) == "" {
		return false
	}
	if v, ok := annotations["traffic.sidecar.istio.io/includeInboundPorts"]; ok && strings.TrimSpace(v) == "" {
		return false
	}
	return true
}

// istioMode reports whether the pod gets an Istio proxy (injection
// annotation or label, or a proxy container written out) and whether it
// runs as a native sidecar.
func istioMode(meta interface {
	GetAnnotations() map[string]string
	GetLabels() map[string]string
}, spec *corev1.PodSpec) (injected, native bool) {
	a, l := meta.GetAnnotations(), meta.GetLabels()
	if a[istioInject] == "false" || l[istioInject] == "false" {
		return false, false
	}
	injected = a[istioInject] == "true" || l[istioInject] == "true"
	native = strings.EqualFold(a[istioNative], "true")
	for i := range spec.InitContainers {
		if c := &spec.InitContainers[i]; c.Name == "istio-proxy" {
			injected = true
			if IsSidecar(c) {
				native = true
			}
		}
	}
	for i := range spec.Containers {
		if spec.Containers[i].Name == "istio-proxy" {
			injected = true
		}
	}
	return injected, native
}
