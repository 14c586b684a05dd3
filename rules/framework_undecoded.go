package rules

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/zdlint/zdlint/loader"
)

// A value the loader could not decode (`memory: 1gb`) is reported as an
// input error at the value and left out of the typed object
// (loader.Object.Undecoded). A rule that reads the typed object sees it as
// absent, so a finding that could come from that absence is dropped: one
// at the value or inside it, or at the mapping that holds it, a sibling of
// it, or a sibling of that mapping (resources.requests when the bad value
// is resources.limits.memory). Findings further away (the container's
// probes, the pod's grace period) do not read the value and stay.

// aboutUndecoded reports whether a finding at path at may come from an
// undecoded value of the object.
func aboutUndecoded(obj *loader.Object, at loader.Path) bool {
	for _, u := range obj.Undecoded {
		if hasPrefix(at, u) {
			return true
		}
		if len(at) > 0 && hasPrefix(u, at[:len(at)-1]) && len(u) <= len(at)+1 {
			return true
		}
	}
	return false
}

func hasPrefix(p, prefix loader.Path) bool {
	if len(prefix) > len(p) {
		return false
	}
	for i, s := range prefix {
		if p[i] != s {
			return false
		}
	}
	return true
}

// undecodedResource reports whether the container's request or limit for
// the resource was written but could not be decoded: it is set, as far as
// other objects' rules are concerned.
func undecodedResource(obj *loader.Object, container loader.Path, name corev1.ResourceName) bool {
	for _, u := range obj.Undecoded {
		for _, list := range []string{"requests", "limits"} {
			if hasPrefix(u, container.Key("resources", list, string(name))) {
				return true
			}
		}
	}
	return false
}
