package rules

import (
	"reflect"

	corev1 "k8s.io/api/core/v1"

	"github.com/zdlint/zdlint/loader"
)

// probeRef names one probe of a container with its path.
type probeRef struct {
	Kind  string // "readinessProbe", "livenessProbe", "startupProbe"
	Probe *corev1.Probe
	Path  loader.Path
}

// probesOf lists the probes a container declares.
func probesOf(c Container) []probeRef {
	var out []probeRef
	for _, p := range []struct {
		kind  string
		probe *corev1.Probe
	}{{"readinessProbe", c.ReadinessProbe}, {"livenessProbe", c.LivenessProbe}, {"startupProbe", c.StartupProbe}} {
		if p.probe != nil {
			out = append(out, probeRef{Kind: p.kind, Probe: p.probe, Path: c.Path.Key(p.kind)})
		}
	}
	return out
}

// sameHandler reports whether two probes run the same check. Scheme and
// host defaults are applied so `scheme: HTTP` equals an omitted scheme.
func sameHandler(a, b *corev1.ProbeHandler) bool {
	na, nb := normalizeHandler(a), normalizeHandler(b)
	return reflect.DeepEqual(na, nb)
}

func normalizeHandler(h *corev1.ProbeHandler) corev1.ProbeHandler {
	out := *h
	if h.HTTPGet != nil {
		g := *h.HTTPGet
		if g.Scheme == "" {
			g.Scheme = corev1.URISchemeHTTP
		}
		if g.Path == "" {
			g.Path = "/"
		}
		if len(g.HTTPHeaders) == 0 {
			g.HTTPHeaders = nil
		}
		out.HTTPGet = &g
	}
	return out
}
