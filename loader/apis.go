package loader

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	yaml "go.yaml.in/yaml/v3"

	"github.com/zdlint/zdlint/rules/suggest"
)

// A typo in apiVersion or kind (kind: Deploymnet, apps/v2, app/v1) used to
// make an object "not a kind zdlint lints", so an unsafe workload passed
// with exit 0. The API server refuses such an object ("no matches for kind
// ... in version ..."), so the loader reports it as an input error at the
// value, with a suggestion, and counts it as not recognised.
//
// Only what is known for certain is judged: the groups built into
// Kubernetes (builtin_apis.go, generated from k8s.io/api, plus the versions
// and kinds removed over the years, below). Any group with a dot that is
// not built in belongs to a CRD or an aggregated API (monitoring.coreos.com,
// argoproj.io) and is never judged; CRD groups must contain a dot, so a
// dotless group that is not built in is a typo when it is close to a
// built-in one (app, Apps) and a tool's own format otherwise (skaffold/v4).
// In the core group ("v1") a kind that is neither close to a core kind nor
// a kind of another group is left alone too: OpenShift 3 wrote its own
// kinds (Template, Route, DeploymentConfig) with apiVersion v1, and client
// files (kubeconfig's Config) use it as well.

// historicAPIs are group versions and kinds that Kubernetes served once and
// k8s.io/api no longer ships, so that they are known (removed-api-version
// reports them) rather than typos.
var historicAPIs = map[string][]string{
	// kubeconfig files (client-go's clientcmd/v1), the encryption config
	// of Kubernetes 1.7 to 1.12, and the kinds OpenShift 3 served in v1.
	"v1": {"Config", "EncryptionConfig",
		"AppliedClusterResourceQuota", "Build", "BuildConfig", "BuildRequest", "BrokerTemplateInstance",
		"ClusterNetwork", "ClusterPolicy", "ClusterPolicyBinding", "ClusterResourceQuota", "ClusterRole",
		"ClusterRoleBinding", "DeploymentConfig", "DeploymentConfigRollback", "EgressNetworkPolicy", "Group",
		"HostSubnet", "Identity", "Image", "ImageSignature", "ImageStream", "ImageStreamImage",
		"ImageStreamImport", "ImageStreamMapping", "ImageStreamTag", "NetNamespace", "OAuthAccessToken",
		"OAuthAuthorizeToken", "OAuthClient", "OAuthClientAuthorization", "Policy", "PolicyBinding", "Project",
		"ProjectRequest", "Role", "RoleBinding", "RoleBindingRestriction", "Route", "SecurityContextConstraints",
		"Template", "TemplateInstance", "User", "UserIdentityMapping"},
	"extensions/v1beta1":                    {"HorizontalPodAutoscaler", "Job", "PodSecurityPolicy", "ThirdPartyResource", "ReplicationControllerDummy"},
	"policy/v1beta1":                        {"PodSecurityPolicy"},
	"autoscaling/v2beta1":                   {"HorizontalPodAutoscaler"},
	"autoscaling/v2beta2":                   {"HorizontalPodAutoscaler"},
	"batch/v2alpha1":                        {"CronJob", "ScheduledJob"},
	"apps/v1alpha1":                         {"PetSet"},
	"admissionregistration.k8s.io/v1alpha1": {"InitializerConfiguration"},
	"apiextensions.k8s.io/v1":               {"CustomResourceDefinition"},
	"apiextensions.k8s.io/v1beta1":          {"CustomResourceDefinition"},
	"apiregistration.k8s.io/v1":             {"APIService"},
	"apiregistration.k8s.io/v1beta1":        {"APIService"},
	"coordination.k8s.io/v1alpha1":          {"LeaseCandidate"},
	"flowcontrol.apiserver.k8s.io/v1alpha1": {"FlowSchema", "PriorityLevelConfiguration"},
	"networking.k8s.io/v1alpha1":            {"ClusterCIDR", "IPAddress", "ServiceCIDR"},
	"node.k8s.io/v1alpha1":                  {"RuntimeClass"},
	"resource.k8s.io/v1alpha1":              {"PodScheduling", "ResourceClaim", "ResourceClaimTemplate", "ResourceClass"},
	"resource.k8s.io/v1alpha2":              {"PodSchedulingContext", "ResourceClaim", "ResourceClaimParameters", "ResourceClaimTemplate", "ResourceClass", "ResourceClassParameters", "ResourceSlice"},
	"scheduling.k8s.io/v1alpha1":            {"PriorityClass"},
	"settings.k8s.io/v1alpha1":              {"PodPreset"},
	"storagemigration.k8s.io/v1alpha1":      {"StorageVersionMigration"},
}

// IsMetaKind reports whether kind is one that every group version has
// (the options and watch events of k8s.io/apimachinery's meta/v1).
func IsMetaKind(kind string) bool {
	switch kind {
	case "CreateOptions", "DeleteOptions", "GetOptions", "ListOptions", "PatchOptions", "UpdateOptions", "WatchEvent":
		return true
	}
	return false
}

// apiTable is the built-in API: group → version → kinds, and kind →
// the group versions that serve it now (generated ones only, newest first).
type apiTable struct {
	groups map[string]map[string]map[string]bool
	homes  map[string][]string
	kinds  []string // every kind served now, sorted, for suggestions
}

var builtinAPIs = sync.OnceValue(newAPITable)

func newAPITable() *apiTable {
	t := &apiTable{groups: map[string]map[string]map[string]bool{}, homes: map[string][]string{}}
	add := func(gv string, kinds []string, current bool) {
		g, v := splitAPIVersion(gv)
		if t.groups[g] == nil {
			t.groups[g] = map[string]map[string]bool{}
		}
		if t.groups[g][v] == nil {
			t.groups[g][v] = map[string]bool{}
		}
		for _, k := range kinds {
			t.groups[g][v][k] = true
			if current {
				t.homes[k] = append(t.homes[k], gv)
			}
		}
	}
	for gv, kinds := range generatedAPIs {
		add(gv, kinds, true)
	}
	for gv, kinds := range historicAPIs {
		add(gv, kinds, false)
	}
	for k := range t.homes {
		h := t.homes[k]
		sort.Slice(h, func(i, j int) bool { return lessGV(h[i], h[j]) })
	}
	for k := range t.homes {
		t.kinds = append(t.kinds, k)
	}
	sort.Strings(t.kinds)
	return t
}

// lessGV orders group versions for suggestions: stable before beta before
// alpha, higher versions first, then the core group, then by name.
func lessGV(a, b string) bool {
	ra, rb := gvRank(a), gvRank(b)
	if ra != rb {
		return ra.less(rb)
	}
	return a < b
}

type rank struct{ stage, major, core int }

func (r rank) less(q rank) bool {
	if r.stage != q.stage {
		return r.stage < q.stage
	}
	if r.major != q.major {
		return r.major > q.major
	}
	return r.core < q.core
}

func gvRank(gv string) rank {
	g, v := splitAPIVersion(gv)
	var r rank
	switch {
	case strings.Contains(v, "alpha"):
		r.stage = 2
	case strings.Contains(v, "beta"):
		r.stage = 1
	}
	num := strings.TrimPrefix(v, "v")
	if i := strings.IndexAny(num, "ab"); i >= 0 {
		num = num[:i]
	}
	r.major, _ = strconv.Atoi(num)
	if g != "" {
		r.core = 1
	}
	return r
}

func splitAPIVersion(apiVersion string) (group, version string) {
	if i := strings.LastIndexByte(apiVersion, '/'); i >= 0 {
		return apiVersion[:i], apiVersion[i+1:]
	}
	return "", apiVersion
}

// IsBuiltinAPI reports whether Kubernetes serves (or served) kind in
// apiVersion: a kind of the built-in API, its List, or a meta kind.
func IsBuiltinAPI(apiVersion, kind string) bool {
	g, v := splitAPIVersion(apiVersion)
	kinds, ok := builtinAPIs().groups[g][v]
	return ok && hasKind(kinds, kind)
}

func hasKind(kinds map[string]bool, kind string) bool {
	if kinds[kind] || IsMetaKind(kind) || kind == "List" {
		return true
	}
	base, ok := strings.CutSuffix(kind, "List")
	return ok && kinds[base]
}

// apiProblem is what is wrong with an object's apiVersion and kind.
type apiProblem struct {
	field string // "apiVersion" or "kind": where the mistake is
	msg   string
}

// checkAPI reports an apiVersion/kind pair that no Kubernetes version
// serves, when the group is a built-in one (see the top of the file).
func checkAPI(apiVersion, kind string) (apiProblem, bool) {
	t := builtinAPIs()
	g, v := splitAPIVersion(apiVersion)
	versions, builtin := t.groups[g]
	if !builtin {
		if strings.Contains(g, ".") || g == "" {
			return apiProblem{}, false
		}
		near := closestGroup(g)
		if near == "" {
			return apiProblem{}, false // a tool's own format: skaffold/v4beta6
		}
		want := suggestAPIVersion(near, v, kind)
		return apiProblem{"apiVersion", fmt.Sprintf("apiVersion `%s` names no Kubernetes API group; did you mean `%s`?", apiVersion, want)}, true
	}
	kinds, ok := versions[v]
	if !ok {
		home := t.homes[kind]
		if g == "" && len(home) == 0 {
			// apiVersion: v2 without a built-in kind: Helm's Chart.yaml
			// and other files that are not Kubernetes objects.
			return apiProblem{}, false
		}
		want := suggestAPIVersion(g, v, kind)
		return apiProblem{"apiVersion", fmt.Sprintf("`%s` is not a version of the %s; did you mean `%s`?", apiVersion, groupName(g), want)}, true
	}
	if hasKind(kinds, kind) {
		return apiProblem{}, false
	}
	if home := t.homes[kind]; len(home) > 0 {
		return apiProblem{"apiVersion", fmt.Sprintf("kind %s is not in `%s`; did you mean `%s`?", kind, apiVersion, home[0])}, true
	}
	inVersion := sortedKinds(kinds)
	if near := closestKind(kind, inVersion); near != "" {
		return apiProblem{"kind", fmt.Sprintf("kind `%s` does not exist in %s; did you mean `%s`?", kind, apiVersion, near)}, true
	}
	if near := closestKind(kind, t.kinds); near != "" && len(t.homes[near]) > 0 {
		return apiProblem{"kind", fmt.Sprintf("kind `%s` does not exist in %s; did you mean `%s` (%s)?", kind, apiVersion, near, t.homes[near][0])}, true
	}
	if g == "" {
		return apiProblem{}, false // OpenShift 3's kinds, client files: see the top of the file
	}
	return apiProblem{"kind", fmt.Sprintf("kind `%s` does not exist in %s (it has %s)", kind, apiVersion, strings.Join(inVersion, ", "))}, true
}

func groupName(g string) string {
	if g == "" {
		return "core API group (v1)"
	}
	return g + " API group"
}

func sortedKinds(kinds map[string]bool) []string {
	out := make([]string, 0, len(kinds))
	for k := range kinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// closestKind returns the kind that kind is a typo of: the same in another
// case (deployment), or at most two edits away and no more than a third of
// its length (Deploymnet, Confgmap), so that another project's kind is not
// taken for one (Template is not PodTemplate).
func closestKind(kind string, kinds []string) string {
	for _, k := range kinds {
		if strings.EqualFold(k, kind) {
			return k
		}
	}
	near := suggest.Closest(kind, kinds)
	if d := suggest.Distance(strings.ToLower(kind), strings.ToLower(near)); near == "" || d > 2 || 3*d > len(kind) {
		return ""
	}
	return near
}

// closestGroup returns the built-in group without a dot that g is a typo
// of (app, Apps, bacth), or "".
func closestGroup(g string) string {
	best, bestD := "", 3
	for name := range builtinAPIs().groups {
		if name == "" || strings.Contains(name, ".") {
			continue
		}
		d := suggest.Distance(strings.ToLower(g), name)
		if d < bestD || (d == bestD && name < best) {
			best, bestD = name, d
		}
	}
	if best == "" || bestD > 2 || 2*bestD > len(g) {
		return ""
	}
	return best
}

// suggestAPIVersion proposes an apiVersion in group g for kind: the
// version serving kind, or g/v when g has v, or g's newest version.
func suggestAPIVersion(g, v, kind string) string {
	t := builtinAPIs()
	for _, gv := range t.homes[kind] {
		if hg, _ := splitAPIVersion(gv); hg == g {
			return gv
		}
	}
	if len(t.homes[kind]) > 0 {
		return t.homes[kind][0]
	}
	join := func(v string) string {
		if g == "" {
			return v
		}
		return g + "/" + v
	}
	if _, ok := t.groups[g][v]; ok {
		return join(v)
	}
	var vs []string
	for ver := range t.groups[g] {
		vs = append(vs, join(ver))
	}
	sort.Slice(vs, func(i, j int) bool { return lessGV(vs[i], vs[j]) })
	if len(vs) == 0 {
		return g
	}
	return vs[0]
}

// apiMistake checks the apiVersion and kind of an object the loader does
// not decode and returns where the mistake is and what to say.
func apiMistake(node *yaml.Node, apiVersion, kind string) (Pos, string, bool) {
	switch {
	case kind == "":
		if k, _ := caseVariantKey(node, "kind"); k != nil {
			return NodePos(k), fmt.Sprintf("`%s` is not a field (field names are case-sensitive); did you mean `kind`?", k.Value), true
		}
		// apiVersion alone: Helm's Chart.yaml (v1, v2) and the like,
		// unless the group is a built-in one other than core.
		if g, _ := splitAPIVersion(apiVersion); g != "" && builtinAPIs().groups[g] != nil {
			return NodePos(fieldNode(node, "apiVersion")), "apiVersion `" + apiVersion + "` but no kind", true
		}
		return Pos{}, "", false
	case apiVersion == "":
		if k, _ := caseVariantKey(node, "apiVersion"); k != nil {
			return NodePos(k), fmt.Sprintf("`%s` is not a field (field names are case-sensitive); did you mean `apiVersion`?", k.Value), true
		}
		if home := builtinAPIs().homes[kind]; len(home) > 0 && fieldNode(node, "metadata") != nil {
			return NodePos(node), fmt.Sprintf("no apiVersion; did you mean `apiVersion: %s`?", home[0]), true
		}
		return Pos{}, "", false
	}
	// The usual cases answer without building the table: a kind of the
	// current API (ConfigMap, Ingress), a group of a custom resource.
	if slices.Contains(generatedAPIs[apiVersion], kind) {
		return Pos{}, "", false
	}
	if g, _ := splitAPIVersion(apiVersion); strings.Contains(g, ".") && !strings.HasSuffix(g, ".k8s.io") {
		return Pos{}, "", false
	}
	p, bad := checkAPI(apiVersion, kind)
	if !bad {
		return Pos{}, "", false
	}
	return NodePos(fieldNode(node, p.field)), p.msg, true
}

// caseVariantKey returns the key of m that is name in another case
// (Kind, KIND, ApiVersion, apiversion) and its value.
func caseVariantKey(m *yaml.Node, name string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if c := m.Content[i]; c.Kind == yaml.ScalarNode && c.Value != name && strings.EqualFold(c.Value, name) {
			return c, m.Content[i+1]
		}
	}
	return nil, nil
}

// looksLikeKind reports whether a `Kind:` key (in another case) with no
// apiVersion beside it is a Kubernetes object's: its value is a built-in
// kind, or apiVersion is there in another case too. Other YAML files may
// have a Kind key of their own.
func looksLikeKind(v *yaml.Node, m *yaml.Node) bool {
	if k, _ := caseVariantKey(m, "apiVersion"); k != nil {
		return true
	}
	v = deref(v)
	return v != nil && v.Kind == yaml.ScalarNode && len(builtinAPIs().homes[v.Value]) > 0
}
