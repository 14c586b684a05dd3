package rules

import (
	"fmt"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/crd"
)

// Kubernetes defaults the rules rely on (docs/k8s-facts.md §1-§4). The API
// server applies them at admission, so a manifest that omits the field gets
// these values; rules must compute the same effective values.
const (
	DefaultReplicas                      = 1 // apps/v1 DeploymentSpec.Replicas, StatefulSetSpec.Replicas
	DefaultMaxUnavailable                = "25%"
	DefaultMaxSurge                      = "25%"
	DefaultProgressDeadlineSeconds       = 600
	DefaultTerminationGracePeriodSeconds = 30
	DefaultProbePeriodSeconds            = 10
	DefaultProbeTimeoutSeconds           = 1
	DefaultProbeFailureThreshold         = 3
	DefaultProbeSuccessThreshold         = 1
	DefaultHPAMinReplicas                = 1
)

// LongRunningKinds are the controllers whose pods serve traffic and are
// replaced by rollouts: Kubernetes' own, Argo Rollouts' Rollout
// (docs/k8s-facts.md §13) and OpenKruise's CloneSet, Advanced StatefulSet
// and Advanced DaemonSet (§15), by their RuleKind. Jobs, CronJobs and bare
// Pods are not among them.
var LongRunningKinds = []string{"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Rollout", "CloneSet",
	"AdvancedStatefulSet", "AdvancedDaemonSet"}

// RuleKind is the kind Meta.Kinds names an object by: its kind, except for
// OpenKruise's Advanced StatefulSet and Advanced DaemonSet, whose kinds are
// StatefulSet and DaemonSet in the apps.kruise.io group. They extend the
// built-in controllers with other fields and defaults, so each rule says
// whether it covers them ("AdvancedStatefulSet", "AdvancedDaemonSet").
// Everywhere else (messages, findings, the Index) they keep their kind.
func RuleKind(apiVersion, kind string) string {
	if (kind == "StatefulSet" || kind == "DaemonSet") && strings.HasPrefix(apiVersion, kruiseGroup+"/") {
		return "Advanced" + kind
	}
	return kind
}

const kruiseGroup = "apps.kruise.io"

// Workload is the pod template of a long-running controller.
type Workload struct {
	Kind     string
	Replicas *int32 // nil for DaemonSets and when unset
	// KindHasReplicas is false for DaemonSets, whose kind has no replica
	// count.
	KindHasReplicas bool
	Template        *corev1.PodTemplateSpec
	// TemplatePath is "spec.template"; SpecPath is "spec.template.spec".
	TemplatePath, SpecPath loader.Path
	Selector               *metav1.LabelSelector
	// TemplateRef is true for a Rollout that takes its pod template from
	// another workload (spec.workloadRef): Template then holds only the
	// selector's labels, and rules about containers have nothing to read.
	TemplateRef bool
	// TemplateKind and TemplateName are the workloadRef's kind and name
	// (WorkloadFact.TemplateKind says how the Index uses them).
	TemplateKind, TemplateName string

	containers, serving []Container // computed on first use
	haveContainers      bool
	haveServing         bool
}

// Containers returns Containers(w.PodSpec(), w.SpecPath), computed once.
// The slice is shared: read it, never change it.
func (w *Workload) Containers() []Container {
	if !w.haveContainers {
		w.containers, w.haveContainers = Containers(w.PodSpec(), w.SpecPath), true
	}
	return w.containers
}

// ServingContainers returns ServingContainers(w.PodSpec(), w.SpecPath),
// computed once. The slice is shared: read it, never change it.
func (w *Workload) ServingContainers() []Container {
	if !w.haveServing {
		w.serving, w.haveServing = servingOf(w.Containers()), true
	}
	return w.serving
}

// ContainerIndex returns c's index in Containers(), which is also its
// index in WorkloadFact.Serve, or -1.
func (w *Workload) ContainerIndex(c Container) int {
	for i, o := range w.Containers() {
		if o.Container == c.Container {
			return i
		}
	}
	return -1
}

// PodSpec returns the pod spec of the template.
func (w *Workload) PodSpec() *corev1.PodSpec { return &w.Template.Spec }

// EffectiveReplicas returns spec.replicas with the default of 1 applied.
func (w *Workload) EffectiveReplicas() int32 {
	if w.Replicas != nil {
		return *w.Replicas
	}
	return DefaultReplicas
}

var (
	specTemplate     = loader.P("spec", "template")
	specTemplateSpec = loader.P("spec", "template", "spec")
)

// WorkloadOf returns the pod template of a Deployment, StatefulSet,
// DaemonSet, ReplicaSet or ReplicationController (any accepted apiVersion),
// of an Argo Rollout, or of an OpenKruise CloneSet, Advanced StatefulSet or
// Advanced DaemonSet, or false for every other object and for a ReplicationController without
// a template.
//
// The view is made once per object and shared by every rule (it caches the
// container list); treat it as read-only.
func WorkloadOf(obj *loader.Object) (*Workload, bool) {
	w := obj.Memo("rules.Workload", func() any { return workloadOf(obj) }).(*Workload)
	return w, w != nil
}

func workloadOf(obj *loader.Object) *Workload {
	w, ok := newWorkload(obj)
	if !ok {
		return nil
	}
	return w
}

func newWorkload(obj *loader.Object) (*Workload, bool) {
	switch o := obj.Typed.(type) {
	case *appsv1.Deployment:
		return &Workload{Kind: obj.Kind, Replicas: o.Spec.Replicas, KindHasReplicas: true, Template: &o.Spec.Template, TemplatePath: specTemplate, SpecPath: specTemplateSpec, Selector: o.Spec.Selector}, true
	case *appsv1.StatefulSet:
		return &Workload{Kind: obj.Kind, Replicas: o.Spec.Replicas, KindHasReplicas: true, Template: &o.Spec.Template, TemplatePath: specTemplate, SpecPath: specTemplateSpec, Selector: o.Spec.Selector}, true
	case *appsv1.DaemonSet:
		return &Workload{Kind: obj.Kind, Template: &o.Spec.Template, TemplatePath: specTemplate, SpecPath: specTemplateSpec, Selector: o.Spec.Selector}, true
	case *appsv1.ReplicaSet:
		return &Workload{Kind: obj.Kind, Replicas: o.Spec.Replicas, KindHasReplicas: true, Template: &o.Spec.Template, TemplatePath: specTemplate, SpecPath: specTemplateSpec, Selector: o.Spec.Selector}, true
	case *corev1.ReplicationController:
		if o.Spec.Template == nil {
			return nil, false
		}
		var sel *metav1.LabelSelector
		if o.Spec.Selector != nil {
			sel = &metav1.LabelSelector{MatchLabels: o.Spec.Selector}
		}
		return &Workload{Kind: obj.Kind, Replicas: o.Spec.Replicas, KindHasReplicas: true, Template: o.Spec.Template, TemplatePath: specTemplate, SpecPath: specTemplateSpec, Selector: sel}, true
	case *crd.CloneSet:
		return &Workload{Kind: obj.Kind, Replicas: o.Spec.Replicas, KindHasReplicas: true, Template: &o.Spec.Template, TemplatePath: specTemplate, SpecPath: specTemplateSpec, Selector: o.Spec.Selector}, true
	case *crd.AdvancedStatefulSet:
		return &Workload{Kind: obj.Kind, Replicas: o.Spec.Replicas, KindHasReplicas: true, Template: &o.Spec.Template, TemplatePath: specTemplate, SpecPath: specTemplateSpec, Selector: o.Spec.Selector}, true
	case *crd.AdvancedDaemonSet:
		return &Workload{Kind: obj.Kind, Template: &o.Spec.Template, TemplatePath: specTemplate, SpecPath: specTemplateSpec, Selector: o.Spec.Selector}, true
	case *crd.Rollout:
		if o.Spec.WorkloadRef != nil {
			// The pods come from the referenced Deployment's template,
			// which is linted as that Deployment. What is known of them
			// here is that they carry the selector's labels (Argo
			// requires the selector to match that template), which is
			// what HPAs, budgets and Services need to find them; the
			// Index completes the fact from the Deployment when the
			// input has it (WorkloadFact.TemplateKind).
			t := &corev1.PodTemplateSpec{}
			if o.Spec.Selector != nil {
				t.Labels = o.Spec.Selector.MatchLabels
			}
			return &Workload{Kind: obj.Kind, Replicas: o.Spec.Replicas, KindHasReplicas: true, Template: t, TemplatePath: specTemplate, SpecPath: specTemplateSpec, Selector: o.Spec.Selector,
				TemplateRef: true, TemplateKind: o.Spec.WorkloadRef.Kind, TemplateName: o.Spec.WorkloadRef.Name}, true
		}
		return &Workload{Kind: obj.Kind, Replicas: o.Spec.Replicas, KindHasReplicas: true, Template: &o.Spec.Template, TemplatePath: specTemplate, SpecPath: specTemplateSpec, Selector: o.Spec.Selector}, true
	}
	return nil, false
}

// PodSpecOf returns the pod spec of any object that has one (workloads,
// Jobs, CronJobs, Pods) and its path.
func PodSpecOf(obj *loader.Object) (*corev1.PodSpec, *metav1.ObjectMeta, loader.Path, bool) {
	if w, ok := WorkloadOf(obj); ok {
		return w.PodSpec(), &w.Template.ObjectMeta, w.SpecPath, true
	}
	switch o := obj.Typed.(type) {
	case *batchv1.Job:
		return &o.Spec.Template.Spec, &o.Spec.Template.ObjectMeta, specTemplateSpec, true
	case *batchv1.CronJob:
		t := &o.Spec.JobTemplate.Spec.Template
		return &t.Spec, &t.ObjectMeta, loader.P("spec", "jobTemplate", "spec", "template", "spec"), true
	case *corev1.Pod:
		return &o.Spec, &o.ObjectMeta, loader.P("spec"), true
	}
	return nil, nil, nil, false
}

// ContainerKind tells regular containers from init containers and native
// sidecars (init containers with restartPolicy: Always).
type ContainerKind int

// Container kinds.
const (
	Regular ContainerKind = iota
	Init
	Sidecar
)

// Container is one container of a pod spec with its path.
type Container struct {
	*corev1.Container
	Kind ContainerKind
	Path loader.Path // "spec.template.spec.containers[0]"
}

// Serving reports whether the container declares ports, the sign that it
// receives traffic.
func (c Container) Serving() bool { return len(c.Ports) > 0 }

// Label names the container in messages: container "app", or sidecar
// "proxy" for a native sidecar.
func (c Container) Label() string { return c.Kind.Label(c.Name) }

// Label names a container of this kind in messages: container "web".
func (k ContainerKind) Label(name string) string {
	switch k {
	case Sidecar:
		return fmt.Sprintf("sidecar %q", name)
	case Init:
		return fmt.Sprintf("init container %q", name)
	}
	return fmt.Sprintf("container %q", name)
}

// Containers lists the regular containers and the native sidecars of a pod
// spec; ordinary init containers run to completion before the pod serves,
// so no rollout-safety rule applies to them and they are left out.
func Containers(spec *corev1.PodSpec, specPath loader.Path) []Container {
	out := make([]Container, 0, len(spec.Containers)+len(spec.InitContainers))
	for i := range spec.InitContainers {
		c := &spec.InitContainers[i]
		if IsSidecar(c) {
			out = append(out, Container{Container: c, Kind: Sidecar, Path: specPath.Key("initContainers").Index(i)})
		}
	}
	for i := range spec.Containers {
		out = append(out, Container{Container: &spec.Containers[i], Kind: Regular, Path: specPath.Key("containers").Index(i)})
	}
	return out
}

// IsSidecar reports whether an init container is a native sidecar
// (restartPolicy: Always; GA in 1.33, docs/k8s-facts.md §8).
func IsSidecar(c *corev1.Container) bool {
	return c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways
}

// ServingContainers lists the containers the probe and preStop rules check:
// every regular container, and native sidecars that declare ports (a proxy
// in front of the app). Injected mesh proxies are left out; the mesh rules
// judge them.
func ServingContainers(spec *corev1.PodSpec, specPath loader.Path) []Container {
	return servingOf(Containers(spec, specPath))
}

func servingOf(all []Container) []Container {
	var out []Container
	for _, c := range all {
		if IsMeshProxy(c.Container) {
			continue
		}
		if c.Kind == Sidecar && !c.Serving() {
			continue
		}
		out = append(out, c)
	}
	return out
}

// IsMeshProxy reports whether a container is an injected service-mesh proxy
// (Istio's istio-proxy, Linkerd's linkerd-proxy), whose probes, hooks and
// resources the mesh manages.
func IsMeshProxy(c *corev1.Container) bool {
	return c.Name == "istio-proxy" || c.Name == "linkerd-proxy"
}

// ScaledValue resolves an int-or-percent against total the way the
// controllers do (docs/k8s-facts.md §1: maxUnavailable rounds down, maxSurge and
// PDB percentages round up). A string without a trailing "%" is an error.
func ScaledValue(v *intstr.IntOrString, total int, roundUp bool) (int, error) {
	if v == nil {
		return 0, nil
	}
	if v.Type == intstr.String {
		s := v.StrVal
		if !strings.HasSuffix(s, "%") {
			return 0, fmt.Errorf("invalid value %q: a string must be a percentage such as \"25%%\"", s)
		}
		n, err := strconv.Atoi(strings.TrimSuffix(s, "%"))
		if err != nil || n < 0 {
			return 0, fmt.Errorf("invalid percentage %q", s)
		}
	}
	return intstr.GetScaledValueFromIntOrPercent(v, total, roundUp)
}

// IsString reports whether v is written as a string ("25%", or a
// malformed value); Percent parses the percentage.
func IsString(v *intstr.IntOrString) bool { return v != nil && v.Type == intstr.String }

// ScaleTarget is the workload an HPA scales (spec.scaleTargetRef).
type ScaleTarget struct{ Kind, Name, APIVersion string }

// scaleGroups is the API group that serves each kind an HPA may scale;
// scaleVersions the version to advise where it is not v1 (the custom
// resources, docs/k8s-facts.md §13, §15). OpenKruise serves a second
// StatefulSet, the Advanced one, with a scale subresource in its own group
// (alsoScaled).
var (
	scaleGroups   = map[string]string{"Deployment": "apps", "StatefulSet": "apps", "ReplicaSet": "apps", "ReplicationController": "", "Rollout": "argoproj.io", "CloneSet": kruiseGroup}
	scaleVersions = map[string]string{"Rollout": "v1alpha1", "CloneSet": "v1alpha1"}
	alsoScaled    = map[string]string{"StatefulSet": kruiseGroup}
)

// Unresolvable explains why the HPA controller cannot find the target's
// scale subresource, and names the scaleTargetRef field at fault ("" for
// scaleTargetRef itself); it returns "" for a reference it can resolve or
// does not know (other custom resources). The controller maps the reference's
// group (from apiVersion; the version is not used) and kind, matched
// exactly, to a resource: a missing apiVersion means the core group, which
// serves no Deployment; extensions no longer serves workloads (removed in
// 1.16); and kinds are case-sensitive.
func (t ScaleTarget) Unresolvable() (why, field string) {
	for kind := range scaleGroups {
		if t.Kind != kind && strings.EqualFold(t.Kind, kind) {
			return fmt.Sprintf("kind %q matches no resource (kinds are case-sensitive); write %q", t.Kind, kind), "kind"
		}
	}
	want, ok := scaleGroups[t.Kind]
	if !ok {
		return "", ""
	}
	group, _, found := strings.Cut(t.APIVersion, "/")
	if !found {
		group = "" // "v1" is the core group
	}
	version := "v1"
	if v, ok := scaleVersions[t.Kind]; ok {
		version = v
	}
	gv := version
	if want != "" {
		gv = want + "/" + version
	}
	switch {
	case group == want, group != "" && group == alsoScaled[t.Kind]:
		return "", ""
	case t.APIVersion == "":
		return fmt.Sprintf("scaleTargetRef has no apiVersion, so the HPA controller looks for %s in the core API group, which has none; set apiVersion: %s/%s", t.Kind, want, version), ""
	case group == "extensions":
		return fmt.Sprintf("apiVersion %s no longer serves %s (removed in Kubernetes 1.16); set apiVersion: %s", t.APIVersion, t.Kind, gv), "apiVersion"
	}
	return fmt.Sprintf("API group %q of apiVersion %s has no %s; set apiVersion: %s", group, t.APIVersion, t.Kind, gv), "apiVersion"
}

// HPA is what the rules need from any HorizontalPodAutoscaler version.
type HPA struct {
	Target      ScaleTarget
	MinReplicas *int32
	MaxReplicas int32
}

// HPAOf normalises autoscaling/v1 and v2 (and the v2beta spellings decoded
// in the v2 shape) to the fields rules need.
func HPAOf(obj *loader.Object) (HPA, bool) {
	switch o := obj.Typed.(type) {
	case *autoscalingv2.HorizontalPodAutoscaler:
		r := o.Spec.ScaleTargetRef
		return HPA{Target: ScaleTarget{Kind: r.Kind, Name: r.Name, APIVersion: r.APIVersion}, MinReplicas: o.Spec.MinReplicas, MaxReplicas: o.Spec.MaxReplicas}, true
	case *autoscalingv1.HorizontalPodAutoscaler:
		r := o.Spec.ScaleTargetRef
		return HPA{Target: ScaleTarget{Kind: r.Kind, Name: r.Name, APIVersion: r.APIVersion}, MinReplicas: o.Spec.MinReplicas, MaxReplicas: o.Spec.MaxReplicas}, true
	case *crd.ScaledObject:
		return scaledObjectHPA(o), true
	}
	return HPA{}, false
}

// KEDA's defaults for a ScaledObject (docs/k8s-facts.md §14).
const (
	DefaultKEDAMinReplicaCount = 0   // pkg/scaling/executor/scale_scaledobjects.go
	DefaultKEDAMaxReplicaCount = 100 // apis/keda/v1alpha1/scaledobject_types.go defaultHPAMaxReplicas
)

// scaledObjectHPA reads a KEDA ScaledObject as the autoscaler it is: KEDA
// makes an HPA from it and scales the workload between its fewest
// replicas (idleReplicaCount when set, else minReplicaCount, default 0)
// and maxReplicaCount (default 100). scaleTargetRef's kind and apiVersion
// default to Deployment and apps/v1.
func scaledObjectHPA(o *crd.ScaledObject) HPA {
	h := HPA{MaxReplicas: DefaultKEDAMaxReplicaCount}
	if r := o.Spec.ScaleTargetRef; r != nil {
		h.Target = ScaleTarget{Kind: r.Kind, Name: r.Name, APIVersion: r.APIVersion}
		if h.Target.Kind == "" {
			h.Target.Kind = "Deployment"
		}
		if h.Target.APIVersion == "" {
			h.Target.APIVersion = "apps/v1"
		}
	}
	least := int32(DefaultKEDAMinReplicaCount)
	if o.Spec.MinReplicaCount != nil {
		least = *o.Spec.MinReplicaCount
	}
	if o.Spec.IdleReplicaCount != nil && *o.Spec.IdleReplicaCount < least {
		least = *o.Spec.IdleReplicaCount
	}
	h.MinReplicas = &least
	if o.Spec.MaxReplicaCount != nil {
		h.MaxReplicas = *o.Spec.MaxReplicaCount
	}
	return h
}

// ForServingContainers runs fn on every container of the object's pod
// template that the probe and lifecycle rules check (ServingContainers),
// and does nothing for objects that are not long-running workloads.
func ForServingContainers(p *Pass, fn func(w *Workload, c Container)) {
	w, ok := WorkloadOf(p.Obj)
	if !ok {
		return
	}
	for _, c := range w.ServingContainers() {
		fn(w, c)
	}
}

// inPlaceUpdateReady is the readiness condition OpenKruise sets to False
// while it updates a pod in place (kruise apis/apps/pub/inplace_update.go).
const inPlaceUpdateReady = "InPlaceUpdateReady"

// hasReadinessGate reports whether the pod spec lists the condition among
// its readiness gates.
func hasReadinessGate(spec *corev1.PodSpec, condition string) bool {
	for _, g := range spec.ReadinessGates {
		if string(g.ConditionType) == condition {
			return true
		}
	}
	return false
}
