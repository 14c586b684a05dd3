package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/zdlint/zdlint/loader"
)

// NewestKubeVersion is the Kubernetes minor version of the bundled
// k8s.io/api (v0.37.x ships the 1.37 API); TestNewestKubeVersionMatchesGoMod
// keeps the two in step.
const NewestKubeVersion = "1.37"

// removedAPI is one apiVersion/kind that the API server stops serving at a
// release. Kind "*" covers every kind of the group version.
type removedAPI struct {
	APIVersion, Kind    string
	Deprecated, Removed string
	Replacement         string
}

// removedAPIs is the removal table. Sources: the Kubernetes deprecated API
// migration guide (kubernetes.io/docs/reference/using-api/deprecation-guide/)
// and the +k8s:prerelease-lifecycle-gen tags in k8s.io/api (docs/k8s-facts.md
// §9). The guide starts at 1.16; the older removals are from the release
// notes: extensions/v1beta1 Job and HorizontalPodAutoscaler went in 1.6
// (kubernetes#38614, #29778), and the alpha InitializerConfiguration with the
// Initializers admission plugin in 1.14. Sorted by removal release, then
// apiVersion.
var removedAPIs = []removedAPI{
	{"extensions/v1beta1", "HorizontalPodAutoscaler", "1.5", "1.6", "autoscaling/v1 (or autoscaling/v2)"},
	{"extensions/v1beta1", "Job", "1.5", "1.6", "batch/v1"},
	{"admissionregistration.k8s.io/v1alpha1", "InitializerConfiguration", "1.14", "1.14", "a mutating admission webhook (admissionregistration.k8s.io/v1); initializers were removed without a replacement kind"},
	{"extensions/v1beta1", "Deployment", "1.8", "1.16", "apps/v1"},
	{"extensions/v1beta1", "DaemonSet", "1.8", "1.16", "apps/v1"},
	{"extensions/v1beta1", "ReplicaSet", "1.8", "1.16", "apps/v1"},
	{"extensions/v1beta1", "NetworkPolicy", "1.9", "1.16", "networking.k8s.io/v1"},
	{"extensions/v1beta1", "PodSecurityPolicy", "1.10", "1.16", "policy/v1beta1 (itself removed in 1.25)"},
	{"apps/v1beta1", "*", "1.8", "1.16", "apps/v1"},
	{"apps/v1beta2", "*", "1.9", "1.16", "apps/v1"},
	{"extensions/v1beta1", "Ingress", "1.14", "1.22", "networking.k8s.io/v1"},
	{"networking.k8s.io/v1beta1", "Ingress", "1.19", "1.22", "networking.k8s.io/v1"},
	{"networking.k8s.io/v1beta1", "IngressClass", "1.19", "1.22", "networking.k8s.io/v1"},
	{"admissionregistration.k8s.io/v1beta1", "*", "1.16", "1.22", "admissionregistration.k8s.io/v1"},
	{"apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "1.16", "1.22", "apiextensions.k8s.io/v1"},
	{"apiregistration.k8s.io/v1beta1", "APIService", "1.19", "1.22", "apiregistration.k8s.io/v1"},
	{"authentication.k8s.io/v1beta1", "TokenReview", "1.19", "1.22", "authentication.k8s.io/v1"},
	{"authorization.k8s.io/v1beta1", "*", "1.19", "1.22", "authorization.k8s.io/v1"},
	{"certificates.k8s.io/v1beta1", "CertificateSigningRequest", "1.19", "1.22", "certificates.k8s.io/v1"},
	{"coordination.k8s.io/v1beta1", "Lease", "1.19", "1.22", "coordination.k8s.io/v1"},
	{"rbac.authorization.k8s.io/v1beta1", "*", "1.17", "1.22", "rbac.authorization.k8s.io/v1"},
	{"scheduling.k8s.io/v1beta1", "PriorityClass", "1.14", "1.22", "scheduling.k8s.io/v1"},
	{"storage.k8s.io/v1beta1", "CSIDriver", "1.19", "1.22", "storage.k8s.io/v1"},
	{"storage.k8s.io/v1beta1", "CSINode", "1.17", "1.22", "storage.k8s.io/v1"},
	{"storage.k8s.io/v1beta1", "StorageClass", "1.6", "1.22", "storage.k8s.io/v1"},
	{"storage.k8s.io/v1beta1", "VolumeAttachment", "1.13", "1.22", "storage.k8s.io/v1"},
	{"autoscaling/v2beta1", "HorizontalPodAutoscaler", "1.22", "1.25", "autoscaling/v2"},
	{"batch/v1beta1", "CronJob", "1.21", "1.25", "batch/v1"},
	{"discovery.k8s.io/v1beta1", "EndpointSlice", "1.21", "1.25", "discovery.k8s.io/v1"},
	{"events.k8s.io/v1beta1", "Event", "1.19", "1.25", "events.k8s.io/v1"},
	{"node.k8s.io/v1beta1", "RuntimeClass", "1.20", "1.25", "node.k8s.io/v1"},
	{"policy/v1beta1", "PodDisruptionBudget", "1.21", "1.25", "policy/v1"},
	{"policy/v1beta1", "PodSecurityPolicy", "1.21", "1.25", "Pod Security Admission (no replacement kind)"},
	{"autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.23", "1.26", "autoscaling/v2"},
	{"flowcontrol.apiserver.k8s.io/v1beta1", "*", "1.23", "1.26", "flowcontrol.apiserver.k8s.io/v1"},
	{"storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.24", "1.27", "storage.k8s.io/v1"},
	{"flowcontrol.apiserver.k8s.io/v1beta2", "*", "1.26", "1.29", "flowcontrol.apiserver.k8s.io/v1"},
	{"flowcontrol.apiserver.k8s.io/v1beta3", "*", "1.29", "1.32", "flowcontrol.apiserver.k8s.io/v1"},
}

// removedIn returns the table entry for apiVersion/kind.
func removedIn(apiVersion, kind string) (removedAPI, bool) {
	for _, r := range removedAPIs {
		if r.APIVersion == apiVersion && (r.Kind == kind || r.Kind == "*") {
			return r, true
		}
	}
	return removedAPI{}, false
}

// ParseKubeVersion turns "1.29", "v1.29" or "1.29.3" into its minor number.
func ParseKubeVersion(v string) (int, error) {
	s := strings.TrimPrefix(strings.TrimSpace(v), "v")
	major, rest, ok := strings.Cut(s, ".")
	if !ok || major != "1" {
		return 0, fmt.Errorf("invalid Kubernetes version %q (want 1.N, e.g. 1.33)", v)
	}
	minor, _, _ := strings.Cut(rest, ".")
	n, err := strconv.Atoi(minor)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("invalid Kubernetes version %q (want 1.N, e.g. 1.33)", v)
	}
	return n, nil
}

var removedAPIVersion = &Rule{
	Meta: Meta{
		ID:       "removed-api-version",
		Severity: Error,
		Summary:  "The apiVersion is no longer served by the target Kubernetes version, so the manifest cannot be applied",
		Rationale: `Kubernetes stops serving beta API versions a few releases after their replacement is stable.
A manifest that still uses one is rejected at apply time ("no matches for kind ... in version
..."), typically during a cluster upgrade or in the middle of a release, when nothing can be
deployed until it is rewritten. zdlint checks against the release given by --kube-version (or
kubernetesVersion in the configuration); by default the newest release the bundled API knows.

The table follows the deprecated API migration guide (1.16 onwards) and, before it, the release
notes: extensions/v1beta1 Job and HorizontalPodAutoscaler (removed in 1.6) and the alpha
InitializerConfiguration (1.14). Not reported: versions of custom resources (their
CustomResourceDefinition decides what is served, and zdlint does not see the cluster's), alpha
versions that were never served by default and are not in the table, and versions that are
deprecated but still served by the target release.`,
		Bad: `apiVersion: extensions/v1beta1
kind: Deployment`,
		Fix: `apiVersion: apps/v1
kind: Deployment
spec:
  selector:               # required in apps/v1
    matchLabels: {app: web}`,
		Defaults: []string{
			"extensions/v1beta1 Job and HorizontalPodAutoscaler: removed in 1.6; admissionregistration.k8s.io/v1alpha1 InitializerConfiguration: removed in 1.14",
			"extensions/v1beta1, apps/v1beta1 and apps/v1beta2 workloads: removed in 1.16",
			"policy/v1beta1 PodDisruptionBudget, batch/v1beta1 CronJob, autoscaling/v2beta1: removed in 1.25",
			"autoscaling/v2beta2 HorizontalPodAutoscaler: removed in 1.26",
		},
		Untyped: true,
		Since:   "0.1.0",
		Fixes: []FixNote{
			{FixSafe, "a version whose replacement has the same schema and defaults (apps/v1beta2 workloads, batch/v1beta1 CronJob, autoscaling/v2beta2 HPA, policy/v1beta1 PDB with a non-empty selector, rbac, networking NetworkPolicy and IngressClass, scheduling, coordination)",
				"rewrites apiVersion, keeping its quotes and comment"},
			{FixNone, "versions whose replacement changes the schema or the defaults (extensions/v1beta1 and apps/v1beta1 workloads, Ingress, autoscaling/v2beta1 metrics, EndpointSlice topology), or has no replacement kind",
				"the object needs other changes a person writes"},
		},
	},
	Run: func(p *Pass) {
		r, ok := removedIn(p.Obj.APIVersion, p.Obj.Kind)
		if !ok {
			return
		}
		target := p.Settings.KubeVersion
		if target == "" {
			target = NewestKubeVersion
		}
		want, err := ParseKubeVersion(target)
		if err != nil {
			return // validated by the CLI and the configuration
		}
		removed, _ := ParseKubeVersion(r.Removed)
		if want < removed {
			return
		}
		var fix *FixSpec
		if to, ok := sameSchemaReplacement(p.Obj); ok {
			fix = NewFix(FixSafe, SetString(loader.P("apiVersion"), to))
		}
		p.Report(Report{At: loader.P("apiVersion"), Fix: fix,
			Message: fmt.Sprintf("%s %s is not served since Kubernetes %s (target %s); use %s", p.Obj.APIVersion, p.Obj.Kind, r.Removed, target, r.Replacement)})
	},
}

// sameSchemaReplacements are the removed versions whose replacement reads
// the same fields with the same defaults: rewriting apiVersion is the
// whole change. apiVersion → kind ("*": every kind) → replacement.
var sameSchemaReplacements = map[string]map[string]string{
	"apps/v1beta2":                      {"Deployment": "apps/v1", "DaemonSet": "apps/v1", "StatefulSet": "apps/v1", "ReplicaSet": "apps/v1"},
	"batch/v1beta1":                     {"CronJob": "batch/v1"},
	"autoscaling/v2beta2":               {"HorizontalPodAutoscaler": "autoscaling/v2"},
	"policy/v1beta1":                    {"PodDisruptionBudget": "policy/v1"},
	"rbac.authorization.k8s.io/v1beta1": {"*": "rbac.authorization.k8s.io/v1"},
	"extensions/v1beta1":                {"NetworkPolicy": "networking.k8s.io/v1"},
	"networking.k8s.io/v1beta1":         {"IngressClass": "networking.k8s.io/v1"},
	"scheduling.k8s.io/v1beta1":         {"PriorityClass": "scheduling.k8s.io/v1"},
	"coordination.k8s.io/v1beta1":       {"Lease": "coordination.k8s.io/v1"},
}

// sameSchemaReplacement returns the apiVersion obj can move to with no
// other change. A PodDisruptionBudget with an empty selector is the
// exception among them: policy/v1beta1 selects no pod with it, policy/v1
// every pod of the namespace.
func sameSchemaReplacement(obj *loader.Object) (string, bool) {
	kinds := sameSchemaReplacements[obj.APIVersion]
	to, ok := kinds[obj.Kind]
	if !ok {
		to, ok = kinds["*"]
	}
	if !ok {
		return "", false
	}
	if obj.Kind == "PodDisruptionBudget" {
		_, sel, found := obj.Lookup(loader.P("spec", "selector"))
		if !found || sel == nil || len(sel.Content) == 0 {
			return "", false
		}
		for i := 0; i+1 < len(sel.Content); i += 2 {
			if v := sel.Content[i+1]; len(v.Content) == 0 {
				return "", false // matchLabels: {} selects as little as nothing
			}
		}
	}
	return to, true
}
