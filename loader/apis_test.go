package loader

import (
	"fmt"
	"testing"
)

// TestAPIMistakes: an apiVersion or kind that no Kubernetes version serves,
// in a built-in group, is an error at the value with a suggestion, and the
// object is counted as not recognised; CRDs, tools' own files and the kinds
// OpenShift 3 served in v1 are left alone.
func TestAPIMistakes(t *testing.T) {
	obj := func(apiVersion, kind string) string {
		return fmt.Sprintf("apiVersion: %s\nkind: %s\nmetadata:\n  name: web\n", apiVersion, kind)
	}
	tests := []struct {
		name, src string
		want      string // "" for no error
	}{
		{"kind typo", obj("apps/v1", "Deploymnet"), "2:7: Deploymnet \"web\": kind `Deploymnet` does not exist in apps/v1; did you mean `Deployment`?"},
		{"kind in lower case", obj("apps/v1", "deployment"), "2:7: deployment \"web\": kind `deployment` does not exist in apps/v1; did you mean `Deployment`?"},
		{"core kind typo", obj("v1", "Confgmap"), "2:7: Confgmap \"web\": kind `Confgmap` does not exist in v1; did you mean `ConfigMap`?"},
		{"kind of another group in core", obj("v1", "Deploymnet"), "2:7: Deploymnet \"web\": kind `Deploymnet` does not exist in v1; did you mean `Deployment` (apps/v1)?"},
		{"version typo", obj("apps/v2", "Deployment"), "1:13: Deployment \"web\": `apps/v2` is not a version of the apps API group; did you mean `apps/v1`?"},
		{"group typo", obj("app/v1", "Deployment"), "1:13: Deployment \"web\": apiVersion `app/v1` names no Kubernetes API group; did you mean `apps/v1`?"},
		{"group in upper case", obj("Apps/v1", "StatefulSet"), "1:13: StatefulSet \"web\": apiVersion `Apps/v1` names no Kubernetes API group; did you mean `apps/v1`?"},
		{"group typo, batch", obj("bacth/v1", "CronJob"), "1:13: CronJob \"web\": apiVersion `bacth/v1` names no Kubernetes API group; did you mean `batch/v1`?"},
		{"kind in the wrong group", obj("v1", "Deployment"), "1:13: Deployment \"web\": kind Deployment is not in `v1`; did you mean `apps/v1`?"},
		{"kind in the wrong group, apps", obj("apps/v1", "Ingress"), "1:13: Ingress \"web\": kind Ingress is not in `apps/v1`; did you mean `networking.k8s.io/v1`?"},
		{"unknown kind in a built-in group", obj("apps/v1", "Foo"), "2:7: Foo \"web\": kind `Foo` does not exist in apps/v1 (it has ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet)"},
		{"capitalised Kind", "apiVersion: apps/v1\nKind: Deployment\nmetadata:\n  name: web\n", "2:1: Deployment \"web\": `Kind` is not a field (field names are case-sensitive); did you mean `kind`?"},
		{"capitalised Kind and ApiVersion", "ApiVersion: apps/v1\nKind: Deployment\nmetadata:\n  name: web\n", "2:1: Deployment \"web\": `Kind` is not a field (field names are case-sensitive); did you mean `kind`?"},
		{"apiversion in lower case", "apiversion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n", "1:1: Deployment \"web\": `apiversion` is not a field (field names are case-sensitive); did you mean `apiVersion`?"},
		{"no apiVersion", "kind: Deployment\nmetadata:\n  name: web\n", "1:1: Deployment \"web\": no apiVersion; did you mean `apiVersion: apps/v1`?"},
		{"no kind", "apiVersion: apps/v1\nmetadata:\n  name: web\n", "1:13: object \"web\": apiVersion `apps/v1` but no kind"},

		{"CRD", obj("monitoring.coreos.com/v1", "ServiceMonitor"), ""},
		{"CRD, Argo", obj("argoproj.io/v1alpha1", "Rollout"), ""},
		{"CRD in a k8s.io-like group", obj("gateway.networking.k8s.io/v1", "HTTPRoute"), ""},
		{"tool's own format", obj("skaffold/v4beta6", "Config"), ""},
		{"kustomize transformer", obj("builtin", "PatchTransformer"), ""},
		{"Helm Chart.yaml", "apiVersion: v2\nname: chart\nversion: 1.0.0\n", ""},
		{"Helm v2 Chart.yaml", "apiVersion: v1\nname: chart\nversion: 1.0.0\n", ""},
		{"kubeconfig", obj("v1", "Config"), ""},
		{"OpenShift 3", obj("v1", "DeploymentConfig"), ""},
		{"OpenShift 3 template", obj("v1", "Template"), ""},
		{"unknown kind in core", obj("v1", "Frobnicator"), ""},
		{"List kind", obj("apps/v1", "DeploymentList"), ""},
		{"removed version", obj("extensions/v1beta1", "Ingress"), ""},
		{"removed version gone from k8s.io/api", obj("autoscaling/v2beta1", "HorizontalPodAutoscaler"), ""},
		{"removed kind", obj("extensions/v1beta1", "PodSecurityPolicy"), ""},
		{"CRD definition", obj("apiextensions.k8s.io/v1", "CustomResourceDefinition"), ""},
		{"ConfigMap", obj("v1", "ConfigMap"), ""},
		{"kind only, not Kubernetes", "kind: Kustomization\nresources: [a.yaml]\n", ""},
		{"Kind key of another format", "Kind: fruit\nName: apple\n", ""},
		{"capitalised Kind without apiVersion", "Kind: Deployment\nmetadata:\n  name: web\n", "1:1: Deployment \"web\": `Kind` is not a field (field names are case-sensitive); did you mean `kind`?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Parse("a.yaml", []byte(tt.src), Options{})
			if tt.want == "" {
				if len(f.Errors) > 0 || f.Unrecognised > 0 {
					t.Errorf("errors %v, %d unrecognised; want none", f.Errors, f.Unrecognised)
				}
				return
			}
			if len(f.Errors) != 1 || f.Errors[0].Error() != "a.yaml:"+tt.want {
				t.Fatalf("errors %v\nwant a.yaml:%s", f.Errors, tt.want)
			}
			if f.Unrecognised != 1 || len(f.Objects) != 1 || !f.Objects[0].Unrecognised || f.Objects[0].Typed != nil {
				t.Errorf("%d unrecognised, %d objects; want the object passed on, marked and untyped", f.Unrecognised, len(f.Objects))
			}
		})
	}
}

// Every kind zdlint decodes is a built-in one: the typed path skips the
// check.
func TestKindTableIsBuiltin(t *testing.T) {
	for gvk := range kindTable {
		g, k := splitAPIVersion(gvk)
		if !IsBuiltinAPI(g, k) {
			t.Errorf("%s is decoded but not in the built-in API table", gvk)
		}
	}
}
