package rules

import (
	"sort"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/zdlint/zdlint/loader"
)

// The Index is the cross-object view: a compact record (a fact) of every
// object that another object's rule may ask about, extracted while the
// object's file is loaded. Holding facts rather than trees keeps memory flat
// on large inputs; lookups are by namespace+kind+name and by labels, so no
// rule compares every object with every other.

// WorkloadFact records a long-running workload.
type WorkloadFact struct {
	Ref         ObjectRef
	File        string
	Context     bool // loaded with --context
	Replicas    *int32
	HasReplicas bool
	Labels      map[string]string // pod template labels
	Selector    *metav1.LabelSelector
	// Containers lists regular containers and native sidecars with the
	// requests they effectively have (limits imply requests).
	Containers []ContainerRequests
}

// ContainerRequests says which resource requests a container has.
type ContainerRequests struct {
	Name        string
	CPU, Memory bool
}

// EffectiveReplicas returns the replica count with the default applied.
func (w *WorkloadFact) EffectiveReplicas() int32 {
	if w.Replicas != nil {
		return *w.Replicas
	}
	return DefaultReplicas
}

// HPAFact records a HorizontalPodAutoscaler.
type HPAFact struct {
	Ref     ObjectRef
	File    string
	Context bool
	Target  HPATarget
}

// EffectiveMinReplicas returns minReplicas with the default of 1 applied.
func (h *HPAFact) EffectiveMinReplicas() int32 {
	if h.Target.MinReplicas != nil {
		return *h.Target.MinReplicas
	}
	return DefaultHPAMinReplicas
}

// Fact is what Extract returns for one object: a *WorkloadFact, a *HPAFact,
// or nil.
type Fact any

// Extract records what other objects' rules may need to know about obj.
func Extract(obj *loader.Object, s *Settings, context bool) Fact {
	ns := obj.Namespace
	if ns == "" {
		ns = s.DefaultNamespace
	}
	ref := ObjectRef{APIVersion: obj.APIVersion, Kind: obj.Kind, Namespace: ns, Name: obj.Name}
	if w, ok := WorkloadOf(obj); ok {
		f := &WorkloadFact{Ref: ref, File: obj.File, Context: context, Replicas: w.Replicas, HasReplicas: w.HasReplicas,
			Labels: w.Template.Labels, Selector: w.Selector}
		for _, c := range Containers(w.PodSpec(), w.SpecPath) {
			f.Containers = append(f.Containers, ContainerRequests{
				Name:   c.Name,
				CPU:    HasRequest(c.Container, corev1.ResourceCPU),
				Memory: HasRequest(c.Container, corev1.ResourceMemory),
			})
		}
		return f
	}
	if h, ok := HPAOf(obj); ok {
		return &HPAFact{Ref: ref, File: obj.File, Context: context, Target: h}
	}
	return nil
}

// HasRequest reports whether a container effectively requests the
// resource: an explicit request, or a limit, which the API server copies
// into the request (k8s-facts.md §5).
func HasRequest(c *corev1.Container, name corev1.ResourceName) bool {
	if _, ok := c.Resources.Requests[name]; ok {
		return true
	}
	_, ok := c.Resources.Limits[name]
	return ok
}

// Index answers cross-object questions. It is read-only once built.
type Index struct {
	workloads map[string]*WorkloadFact
	hpas      []*HPAFact
	hpaByRef  map[string][]*HPAFact
}

func key(ns, kind, name string) string { return ns + "\x00" + kind + "\x00" + name }

// NewIndex builds the index from the facts of every input and context file.
func NewIndex(facts []Fact) *Index {
	ix := &Index{workloads: map[string]*WorkloadFact{}, hpaByRef: map[string][]*HPAFact{}}
	for _, f := range facts {
		switch f := f.(type) {
		case *WorkloadFact:
			ix.workloads[key(f.Ref.Namespace, f.Ref.Kind, f.Ref.Name)] = f
		case *HPAFact:
			ix.hpas = append(ix.hpas, f)
			k := key(f.Ref.Namespace, f.Target.Kind, f.Target.Name)
			ix.hpaByRef[k] = append(ix.hpaByRef[k], f)
		}
	}
	for _, list := range ix.hpaByRef {
		sort.Slice(list, func(i, j int) bool { return list[i].Ref.Name < list[j].Ref.Name })
	}
	return ix
}

// Workload returns the workload with this namespace, kind and name.
func (ix *Index) Workload(ns, kind, name string) *WorkloadFact {
	return ix.workloads[key(ns, kind, name)]
}

// HPAsFor returns the HPAs whose scaleTargetRef names this workload.
func (ix *Index) HPAsFor(ref ObjectRef) []*HPAFact {
	return ix.hpaByRef[key(ref.Namespace, ref.Kind, ref.Name)]
}
