package rules

import (
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/crd"
)

// Facts are what the cross-object rules know about the objects of a run: a
// compact record of every object that another object's rule may ask about,
// extracted when the object is linted (Extract) and read through the
// Index once every file is.
//
// A fact is a plain value: exported fields of booleans, numbers, strings,
// pointers to them, structs and slices of them, and no methods the engine
// relies on beyond About. The engine keeps facts encoded between
// extraction and the Index and encodes every exported field on its own
// (internal/engine), so adding a field means adding it here, filling it in
// the fact's extraction below and reading it in a rule.

// Subject identifies the object a fact records and where it was read.
type Subject struct {
	Namespace, Name  string
	APIVersion, Kind string
	File             string
	Source           string // the Helm template, when known
	Context          bool   // loaded with --context
	// Sibling is set on context read only because it sits beside a named
	// file (loader.Input.Sibling): the rules that claim something is
	// missing from the input (hpa-target-missing, service-selects-nothing)
	// do not take it as a sign that the input holds the whole namespace,
	// since what they miss may be in another directory.
	Sibling bool
	// NamePos and NameEnd are where the object is named (its
	// metadata.name value, else the nearest node above it), and
	// NamePath that node's document path: where a finding about
	// another object points at this one (Resolution.Relate).
	NamePos, NameEnd loader.Pos
	NamePath         string
}

// Ref identifies the object.
func (s *Subject) Ref() ObjectRef {
	return ObjectRef{APIVersion: s.APIVersion, Kind: s.Kind, Namespace: s.Namespace, Name: s.Name}
}

// About returns the object the fact records.
func (s *Subject) About() *Subject { return s }

// Fact is what Extract returns for one object: a *WorkloadFact, a
// *HPAFact, a *PDBFact, a *ServiceFact, a *MonitorFact, a *MeshFact, a
// *PodSourceFact, a *CanaryFact, or nil.
type Fact interface{ About() *Subject }

// FactTypes returns a zero value of every fact type, for the engine's
// encoding: a new fact type is added here.
func FactTypes() []Fact {
	return []Fact{&WorkloadFact{}, &HPAFact{}, &PDBFact{}, &ServiceFact{}, &MonitorFact{}, &PodSourceFact{}, &MeshFact{}, &CanaryFact{}}
}

// PodSourceFact records an object that makes pods but is no workload of
// the Index: a bare Pod, a Job or CronJob (with its pod labels), or an
// object of a custom resource, whose controller may make pods with any
// labels (an operator's Prometheus, a Knative Service, an Argo Rollout).
// A Service that selects only such pods still routes somewhere.
type PodSourceFact struct {
	Subject
	Labels LabelSet
	Opaque bool // a custom resource: the labels of its pods are unknown
}

func extractPodSource(sub Subject, obj *loader.Object) *PodSourceFact {
	if _, meta, _, ok := PodSpecOf(obj); ok {
		return &PodSourceFact{Subject: sub, Labels: NewLabelSet(meta.Labels)}
	}
	// A custom resource zdlint decodes has a fact of its own (a Rollout
	// or CloneSet is a workload; a Flagger Canary has a CanaryFact and an
	// Istio VirtualService or DestinationRule a MeshFact, which the Index
	// counts as opaque pod sources as before they were decoded).
	if customResource(obj.APIVersion) && obj.Typed == nil {
		return &PodSourceFact{Subject: sub, Opaque: true}
	}
	return nil
}

// customResource reports whether apiVersion belongs to an API group that is
// not one of Kubernetes' own: a dotted group outside *.k8s.io.
func customResource(apiVersion string) bool {
	group, _, ok := strings.Cut(apiVersion, "/")
	return ok && strings.Contains(group, ".") && !strings.HasSuffix(group, ".k8s.io") && group != "k8s.io"
}

// WorkloadFact records a long-running workload.
type WorkloadFact struct {
	Subject
	Replicas *int32
	// KindHasReplicas is false for DaemonSets, whose kind has no replica
	// count.
	KindHasReplicas bool
	Labels          LabelSet // pod template labels
	// Containers lists regular containers and native sidecars with the
	// requests they effectively have (limits imply requests).
	Containers []ContainerRequests
	// PodCPU and PodMemory report pod-level requests (spec.resources).
	PodCPU, PodMemory bool
	// Ports is true when a container declares a port: the workload
	// serves requests even when no Service in the input selects it.
	Ports bool
	// Serve lists each container's serving signals (see ServingOf),
	// in the order of Containers.
	Serve []ContainerServing
	// The fields from PreStopSleep to SpreadKeys describe the pod
	// template for an Argo Rollout that borrows it (adoptTemplate): they
	// are recorded for Deployments and ReplicaSets, the kinds a
	// workloadRef may name, and zero for other kinds.
	//
	// PreStopSleep is the shortest preStop sleep of the serving
	// containers, in seconds (0 when one has none; see
	// ShortestPreStopSleep).
	PreStopSleep int64
	// HostBound says why the pods are tied to their node's network
	// (hostNetwork, a hostPort), or is empty; SpreadByHost is true when
	// a required hostname anti-affinity selects the workload's own pods.
	// Either keeps a surge pod off a node that runs an old one.
	HostBound    string
	SpreadByHost bool
	// StartupSeconds is how long the slowest container's probes let a
	// new pod take to become Ready (startupBudgetOf without
	// minReadySeconds, which belongs to the workload, not the template);
	// StartupWho names that container and StartupHow says how.
	StartupSeconds         int64
	StartupWho, StartupHow string
	// SpreadKeys are the topology keys on which the template spreads its
	// own pods (spreadKeysOf), for a Rollout that borrows it.
	SpreadKeys []string

	// TemplateKind and TemplateName name the workload an Argo Rollout
	// takes its pod template from (spec.workloadRef). NewIndex completes
	// such a fact from that workload's nearest related definition: its
	// pod labels, containers, pod requests, ports, serving signals and
	// preStop sleep replace the Rollout's own (which only knew the
	// selector), TemplateFile is the file it was read from and
	// TemplateContext whether that is a --context file. TemplateFile
	// stays empty when the input holds no such workload.
	TemplateKind, TemplateName string
	TemplateFile               string
	TemplateContext            bool

	// PrimaryLabel is, for a Deployment or DaemonSet, the label of its
	// selector that a Flagger Canary would rename in its -primary copy
	// (see flaggerPrimaryLabel); "" for none.
	PrimaryLabel string
}

// SurgeBlocked says why a surge pod of this workload cannot start on a
// node that runs an old pod (see surgeBlocked), or "".
func (f *WorkloadFact) SurgeBlocked() string {
	if f.HostBound != "" {
		return f.HostBound
	}
	if f.SpreadByHost && f.EffectiveReplicas() >= 2 {
		return hostnameSpreadWhy
	}
	return ""
}

// adoptTemplate copies the template facts of t, the workload a Rollout's
// workloadRef names, into f (see TemplateKind).
func (f *WorkloadFact) adoptTemplate(t *WorkloadFact) {
	f.Labels, f.Containers, f.Serve = t.Labels, t.Containers, t.Serve
	f.PodCPU, f.PodMemory, f.Ports, f.PreStopSleep = t.PodCPU, t.PodMemory, t.Ports, t.PreStopSleep
	f.HostBound, f.SpreadByHost = t.HostBound, t.SpreadByHost
	f.StartupSeconds, f.StartupWho, f.StartupHow = t.StartupSeconds, t.StartupWho, t.StartupHow
	f.SpreadKeys = t.SpreadKeys
	f.TemplateFile, f.TemplateContext = t.File, t.Context
}

// ContainerRequests says which resource requests a container has.
type ContainerRequests struct {
	Name        string
	CPU, Memory bool
}

// Has reports whether the container requests the resource.
func (c ContainerRequests) Has(res corev1.ResourceName) bool {
	switch res {
	case corev1.ResourceCPU:
		return c.CPU
	case corev1.ResourceMemory:
		return c.Memory
	}
	return true // other resources are not recorded; assume nothing
}

// PodHas reports whether the pod-level resources request res.
func (w *WorkloadFact) PodHas(res corev1.ResourceName) bool {
	switch res {
	case corev1.ResourceCPU:
		return w.PodCPU
	case corev1.ResourceMemory:
		return w.PodMemory
	}
	return false
}

// EffectiveReplicas returns the replica count with the default applied.
func (w *WorkloadFact) EffectiveReplicas() int32 {
	if w.Replicas != nil {
		return *w.Replicas
	}
	return DefaultReplicas
}

func extractWorkload(sub Subject, obj *loader.Object, w *Workload) *WorkloadFact {
	f := &WorkloadFact{Subject: sub, KindHasReplicas: w.KindHasReplicas, Labels: NewLabelSet(w.Template.Labels), Ports: declaresPorts(w),
		TemplateKind: w.TemplateKind, TemplateName: w.TemplateName}
	if templateKinds[w.Kind] {
		// What a Rollout that borrows this template needs of it
		// (adoptTemplate); only the kinds a workloadRef may name.
		f.PreStopSleep, _ = ShortestPreStopSleep(w)
		f.HostBound, f.SpreadByHost = hostBound(w.Template), hostnameSpread(w.Template)
		b := startupBudgetOf(progress{Template: w.Template})
		f.StartupSeconds, f.StartupWho, f.StartupHow = b.Total, b.Who, b.How
		f.SpreadKeys = spreadKeysOf(w, obj.Namespace)
	}
	if w.Replicas != nil {
		f.Replicas = new(int32)
		*f.Replicas = *w.Replicas
	}
	for _, c := range w.Containers() {
		f.Containers = append(f.Containers, ContainerRequests{
			Name:   c.Name,
			CPU:    HasRequest(c.Container, corev1.ResourceCPU) || undecodedResource(obj, c.Path, corev1.ResourceCPU),
			Memory: HasRequest(c.Container, corev1.ResourceMemory) || undecodedResource(obj, c.Path, corev1.ResourceMemory),
		})
		f.Serve = append(f.Serve, containerServing(c, w.PodSpec().HostNetwork))
	}
	if r := w.PodSpec().Resources; r != nil {
		f.PodCPU = resourceSet(r, corev1.ResourceCPU)
		f.PodMemory = resourceSet(r, corev1.ResourceMemory)
	}
	if slices.Contains(flaggerTargetKinds, w.Kind) && w.Selector != nil {
		f.PrimaryLabel = flaggerPrimaryLabel(w.Selector.MatchLabels)
	}
	return f
}

// HPAFact records a HorizontalPodAutoscaler.
type HPAFact struct {
	Subject
	Target      ScaleTarget
	MinReplicas *int32
	MaxReplicas int32
	// Metrics lists the Resource and ContainerResource metrics (the
	// default CPU utilization when the HPA names none); other metric
	// types need no requests and are left out.
	Metrics []HPAMetric
}

// EffectiveMinReplicas returns minReplicas with the default of 1 applied.
func (h *HPAFact) EffectiveMinReplicas() int32 {
	if h.MinReplicas != nil {
		return *h.MinReplicas
	}
	return DefaultHPAMinReplicas
}

func extractHPA(sub Subject, obj *loader.Object, h HPA) *HPAFact {
	f := &HPAFact{Subject: sub, Target: h.Target, MaxReplicas: h.MaxReplicas}
	if h.MinReplicas != nil {
		f.MinReplicas = new(int32)
		*f.MinReplicas = *h.MinReplicas
	}
	for _, m := range HPAMetrics(obj) {
		f.Metrics = append(f.Metrics, m.HPAMetric)
	}
	return f
}

// SelectorState tells a missing PDB selector from an empty one.
type SelectorState int

// Selector states.
const (
	SelectorSet     SelectorState = iota // at least one label or expression
	SelectorMissing                      // absent or null
	SelectorEmpty                        // {} (no labels, no expressions)
)

// PDBFact records a PodDisruptionBudget.
type PDBFact struct {
	Subject
	// Beta is true for policy/v1beta1, where an empty selector matches
	// no pods (docs/k8s-facts.md §6).
	Beta          bool
	SelectorState SelectorState
	// MatchLabels and MatchExpressions are the selector as written, when
	// it is set (see EffectiveSelector).
	MatchLabels                  LabelSet
	MatchExpressions             []metav1.LabelSelectorRequirement
	MinAvailable, MaxUnavailable *intstr.IntOrString
}

// EffectiveSelector returns the pods the budget selects: labels.Nothing()
// for a missing selector (and an empty one in policy/v1beta1),
// labels.Everything() for an empty one in policy/v1; nil when the selector
// is invalid.
func (p *PDBFact) EffectiveSelector() labels.Selector {
	var sel *metav1.LabelSelector
	if p.SelectorState == SelectorSet {
		sel = &metav1.LabelSelector{MatchExpressions: p.MatchExpressions}
		if p.MatchLabels != "" {
			sel.MatchLabels = p.MatchLabels.Map()
		}
	}
	return effectiveSelector(p.Beta, p.SelectorState, sel)
}

func extractPDB(sub Subject, b PDB) *PDBFact {
	f := &PDBFact{Subject: sub, Beta: b.Beta, SelectorState: b.SelectorState,
		MinAvailable: b.MinAvailable, MaxUnavailable: b.MaxUnavailable}
	if b.SelectorState == SelectorSet {
		f.MatchLabels = NewLabelSet(b.Raw.MatchLabels)
		f.MatchExpressions = b.Raw.MatchExpressions
	}
	return f
}

// ServiceFact records a Service that routes to pods by selector.
type ServiceFact struct {
	Subject
	Selector LabelSet
	Labels   LabelSet // the Service's own labels, which ServiceMonitors select
	Ports    []ServicePortFact
}

// Extract records what other objects' rules may need to know about obj.
// The engine encodes the fact as soon as the object is linted, so it may
// share obj's strings: nothing keeps it longer.
func Extract(obj *loader.Object, s *Settings, context bool) Fact {
	ns := obj.Namespace
	if ns == "" {
		ns = s.DefaultNamespace
	}
	sub := Subject{Namespace: ns, Name: obj.Name, APIVersion: obj.APIVersion, Kind: obj.Kind,
		File: obj.File, Source: obj.Source, Context: context}
	sub.NamePos, sub.NameEnd = obj.Pos(namePath)
	sub.NamePath = "metadata.name"
	if len(obj.Prefix) > 0 {
		sub.NamePath = obj.Prefix.Concat(namePath).String()
	}
	if w, ok := WorkloadOf(obj); ok {
		return extractWorkload(sub, obj, w)
	}
	if h, ok := HPAOf(obj); ok {
		return extractHPA(sub, obj, h)
	}
	if svc, ok := obj.Typed.(*corev1.Service); ok {
		if len(svc.Spec.Selector) == 0 {
			return nil // no selector: endpoints are managed by hand
		}
		return &ServiceFact{Subject: sub, Selector: NewLabelSet(svc.Spec.Selector), Labels: NewLabelSet(svc.Labels), Ports: servicePorts(svc)}
	}
	if m := monitorOf(obj, sub); m != nil {
		return m
	}
	if b, ok := PDBOf(obj); ok {
		return extractPDB(sub, b)
	}
	if m := meshOf(obj, sub); m != nil {
		return m
	}
	if c, ok := obj.Typed.(*crd.Canary); ok {
		return extractCanary(sub, c)
	}
	if f := extractPodSource(sub, obj); f != nil {
		return f
	}
	return nil
}

// HasRequest reports whether a container effectively requests the
// resource: an explicit non-zero request, or, without one, a non-zero
// limit, which the API server copies into the request (docs/k8s-facts.md §5).
// A zero request counts as none: the HPA cannot divide by it.
func HasRequest(c *corev1.Container, name corev1.ResourceName) bool {
	return resourceSet(&c.Resources, name)
}

func resourceSet(r *corev1.ResourceRequirements, name corev1.ResourceName) bool {
	if q, ok := r.Requests[name]; ok {
		return !q.IsZero()
	}
	q, ok := r.Limits[name]
	return ok && !q.IsZero()
}
