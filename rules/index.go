package rules

import (
	"path/filepath"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"

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
	// PodCPU and PodMemory report pod-level requests (spec.resources).
	PodCPU, PodMemory bool
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

// HPAFact records a HorizontalPodAutoscaler.
type HPAFact struct {
	Ref     ObjectRef
	File    string
	Context bool
	Target  HPATarget
	// Metrics lists the Resource and ContainerResource metrics (the
	// default CPU utilization when the HPA names none); other metric
	// types need no requests and are left out.
	Metrics []HPAMetric
}

// EffectiveMinReplicas returns minReplicas with the default of 1 applied.
func (h *HPAFact) EffectiveMinReplicas() int32 {
	if h.Target.MinReplicas != nil {
		return *h.Target.MinReplicas
	}
	return DefaultHPAMinReplicas
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
	Ref     ObjectRef
	File    string
	Context bool
	// Beta is true for policy/v1beta1, where an empty selector matches
	// no pods (k8s-facts.md §6).
	Beta          bool
	SelectorState SelectorState
	// Selector is the effective selector: labels.Nothing() for a missing
	// selector (and an empty one in policy/v1beta1), labels.Everything()
	// for an empty one in policy/v1; nil when the selector is invalid.
	Selector labels.Selector
	// hint narrows the candidates before matching (see candidates).
	hint                         *metav1.LabelSelector
	MinAvailable, MaxUnavailable *intstr.IntOrString
}

// Matches reports whether the budget selects pods with these labels.
func (p *PDBFact) Matches(l map[string]string) bool {
	return p.Selector != nil && p.Selector.Matches(labels.Set(l))
}

// ServiceFact records a Service that routes to pods by selector.
type ServiceFact struct {
	Ref      ObjectRef
	File     string
	Selector map[string]string
}

// Fact is what Extract returns for one object: a *WorkloadFact, a
// *HPAFact, a *PDBFact, a *ServiceFact, or nil.
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
		if r := w.PodSpec().Resources; r != nil {
			f.PodCPU = resourceSet(r, corev1.ResourceCPU)
			f.PodMemory = resourceSet(r, corev1.ResourceMemory)
		}
		return f
	}
	if h, ok := HPAOf(obj); ok {
		return &HPAFact{Ref: ref, File: obj.File, Context: context, Target: h, Metrics: HPAMetrics(obj)}
	}
	if svc, ok := obj.Typed.(*corev1.Service); ok {
		if len(svc.Spec.Selector) == 0 {
			return nil // no selector: endpoints are managed by hand
		}
		return &ServiceFact{Ref: ref, File: obj.File, Selector: svc.Spec.Selector}
	}
	if b, ok := PDBOf(obj); ok {
		f := &PDBFact{Ref: ref, File: obj.File, Context: context, Beta: b.Beta, SelectorState: b.SelectorState,
			Selector: b.Selector, MinAvailable: b.MinAvailable, MaxUnavailable: b.MaxUnavailable}
		if b.SelectorState == SelectorSet {
			f.hint = b.Raw
		}
		return f
	}
	return nil
}

// HasRequest reports whether a container effectively requests the
// resource: an explicit non-zero request, or, without one, a non-zero
// limit, which the API server copies into the request (k8s-facts.md §5).
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

// Index answers cross-object questions. It is read-only once built.
//
// An input may hold several definitions of the same object: kustomize bases
// and overlays, one manifest per environment, several sample applications
// in one tree. A cluster holds one, so a relation between two objects (an
// HPA and its target, a PDB and the workloads it selects) is made with the
// nearest definition only: the one in the same file, else the one whose
// directory shares the longest prefix with the other object's. With one
// definition per object, which is the usual case, this is plain matching
// across every file of the input.
type Index struct {
	workloads map[string][]*WorkloadFact // definitions, input before context
	byNS      map[string]*nsIndex
	hpas      []*HPAFact
	hpaByRef  map[string][]*HPAFact
	pdbs      []*PDBFact
	// pdbsOf maps a workload definition to the budgets selecting its pods.
	pdbsOf map[*WorkloadFact][]*PDBFact
	// pdbTied holds the definitions a budget selects but ties with
	// another definition of the same workload as the nearest to it.
	pdbTied map[*WorkloadFact]bool
	// served holds the workload definitions some Service routes to.
	served map[*WorkloadFact]bool
}

// nsIndex holds one namespace's workloads, all of them and by pod label,
// so a selector is matched against the workloads that carry one of its
// labels rather than against every workload.
type nsIndex struct {
	all     []*WorkloadFact
	byLabel map[string][]*WorkloadFact // "key\x00value"
	byName  map[string]*WorkloadFact   // first by kind
}

func key(ns, kind, name string) string { return ns + "\x00" + kind + "\x00" + name }

func labelKey(k, v string) string { return k + "\x00" + v }

// NewIndex builds the index from the facts of every input and context file.
func NewIndex(facts []Fact) *Index {
	ix := &Index{workloads: map[string][]*WorkloadFact{}, byNS: map[string]*nsIndex{}, hpaByRef: map[string][]*HPAFact{}}
	var ws []*WorkloadFact
	var svcs []*ServiceFact
	for _, f := range facts {
		switch f := f.(type) {
		case *WorkloadFact:
			ws = append(ws, f)
		case *HPAFact:
			ix.hpas = append(ix.hpas, f)
			k := key(f.Ref.Namespace, f.Target.Kind, f.Target.Name)
			ix.hpaByRef[k] = append(ix.hpaByRef[k], f)
		case *PDBFact:
			ix.pdbs = append(ix.pdbs, f)
		case *ServiceFact:
			svcs = append(svcs, f)
		}
	}
	sort.SliceStable(ws, func(i, j int) bool {
		if ws[i].Ref != ws[j].Ref {
			return refLess(ws[i].Ref, ws[j].Ref)
		}
		if ws[i].Context != ws[j].Context {
			return !ws[i].Context
		}
		return ws[i].File < ws[j].File
	})
	for _, w := range ws {
		k := key(w.Ref.Namespace, w.Ref.Kind, w.Ref.Name)
		ix.workloads[k] = append(ix.workloads[k], w)
		n := ix.byNS[w.Ref.Namespace]
		if n == nil {
			n = &nsIndex{byLabel: map[string][]*WorkloadFact{}, byName: map[string]*WorkloadFact{}}
			ix.byNS[w.Ref.Namespace] = n
		}
		n.all = append(n.all, w)
		if n.byName[w.Ref.Name] == nil {
			n.byName[w.Ref.Name] = w
		}
		for k, v := range w.Labels {
			lk := labelKey(k, v)
			n.byLabel[lk] = append(n.byLabel[lk], w)
		}
	}
	for _, list := range ix.hpaByRef {
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].Ref.Name != list[j].Ref.Name {
				return list[i].Ref.Name < list[j].Ref.Name
			}
			return list[i].File < list[j].File
		})
	}
	sort.SliceStable(ix.pdbs, func(i, j int) bool {
		if ix.pdbs[i].Ref != ix.pdbs[j].Ref {
			return refLess(ix.pdbs[i].Ref, ix.pdbs[j].Ref)
		}
		return ix.pdbs[i].File < ix.pdbs[j].File
	})
	ix.pdbsOf = map[*WorkloadFact][]*PDBFact{}
	ix.pdbTied = map[*WorkloadFact]bool{}
	for _, p := range ix.pdbs {
		ws, tied := ix.selected(p)
		for _, w := range ws {
			ix.pdbsOf[w] = append(ix.pdbsOf[w], p)
		}
		for _, w := range tied {
			ix.pdbTied[w] = true
		}
	}
	ix.served = map[*WorkloadFact]bool{}
	for _, s := range svcs {
		hint := &metav1.LabelSelector{MatchLabels: s.Selector}
		for _, w := range ix.MatchWorkloads(s.Ref.Namespace, labels.SelectorFromSet(s.Selector), hint) {
			ix.served[w] = true
		}
	}
	return ix
}

func refLess(a, b ObjectRef) bool {
	if a.Namespace != b.Namespace {
		return a.Namespace < b.Namespace
	}
	if a.Kind != b.Kind {
		return a.Kind < b.Kind
	}
	if a.Name != b.Name {
		return a.Name < b.Name
	}
	return a.APIVersion < b.APIVersion
}

// proximity scores how close two files are: the same file beats any
// directory, and directories score the number of leading path elements
// they share.
func proximity(a, b string) int {
	if a == b {
		return 1 << 30
	}
	da := strings.Split(filepath.ToSlash(filepath.Dir(a)), "/")
	db := strings.Split(filepath.ToSlash(filepath.Dir(b)), "/")
	n := 0
	for n < len(da) && n < len(db) && da[n] == db[n] {
		n++
	}
	return n
}

// nearest returns the definitions in defs closest to file.
func nearest[T any](defs []T, fileOf func(T) string, file string) []T {
	if len(defs) <= 1 {
		return defs
	}
	best, out := -1, []T(nil)
	for _, d := range defs {
		switch s := proximity(fileOf(d), file); {
		case s > best:
			best, out = s, []T{d}
		case s == best:
			out = append(out, d)
		}
	}
	return out
}

func workloadFile(w *WorkloadFact) string { return w.File }

// unique returns the one nearest definition, or false when several files
// tie and the relation is ambiguous.
func unique[T any](best []T, fileOf func(T) string) (T, bool) {
	var zero T
	if len(best) == 0 {
		return zero, false
	}
	for _, d := range best[1:] {
		if fileOf(d) != fileOf(best[0]) {
			return zero, false
		}
	}
	return best[0], true
}

// Workload returns a definition of the workload with this namespace, kind
// and name (input before context), or nil.
func (ix *Index) Workload(ns, kind, name string) *WorkloadFact {
	if defs := ix.workloads[key(ns, kind, name)]; len(defs) > 0 {
		return defs[0]
	}
	return nil
}

// WorkloadNear returns the definition of the workload nearest to file (see
// Index), or nil when there is none or several files tie for nearest.
func (ix *Index) WorkloadNear(ns, kind, name, file string) *WorkloadFact {
	w, _ := unique(nearest(ix.workloads[key(ns, kind, name)], workloadFile, file), workloadFile)
	return w
}

// isNearest reports whether the definition of ref in file is the
// definition nearest to other, without a tie.
func (ix *Index) isNearest(ref ObjectRef, file, other string) bool {
	w := ix.WorkloadNear(ref.Namespace, ref.Kind, ref.Name, other)
	return w != nil && w.File == file
}

// HasWorkloadsIn reports whether any workload (input or context) lives in
// the namespace.
func (ix *Index) HasWorkloadsIn(ns string) bool {
	n := ix.byNS[ns]
	return n != nil && len(n.all) > 0
}

// HPAsFor returns the HPAs whose scaleTargetRef names the workload ref
// defined in file: those for which that definition is the nearest one, and
// of several HPAs with one name the nearest to file.
func (ix *Index) HPAsFor(ref ObjectRef, file string) []*HPAFact {
	var out []*HPAFact
	list := ix.hpaByRef[key(ref.Namespace, ref.Kind, ref.Name)]
	for i := 0; i < len(list); {
		j := i
		for j < len(list) && list[j].Ref.Name == list[i].Ref.Name {
			j++
		}
		var same []*HPAFact
		for _, h := range list[i:j] {
			if ix.isNearest(ref, file, h.File) {
				same = append(same, h)
			}
		}
		if len(same) > 0 {
			out = append(out, nearest(same, func(h *HPAFact) string { return h.File }, file)[0])
		}
		i = j
	}
	return out
}

// HPAAmbiguous reports whether an HPA names the workload ref but the
// definition in file ties with another as the nearest to it, so whether
// that HPA scales this definition is unknown.
func (ix *Index) HPAAmbiguous(ref ObjectRef, file string) bool {
	k := key(ref.Namespace, ref.Kind, ref.Name)
	for _, h := range ix.hpaByRef[k] {
		best := nearest(ix.workloads[k], workloadFile, h.File)
		if _, ok := unique(best, workloadFile); ok {
			continue
		}
		for _, d := range best {
			if d.File == file {
				return true
			}
		}
	}
	return false
}

// PDBsFor returns the budgets whose selector matches the pod template
// labels of the workload ref defined in file. ambiguous is true when a
// budget selects it but ties it with another definition of the workload.
func (ix *Index) PDBsFor(ref ObjectRef, file string) (pdbs []*PDBFact, ambiguous bool) {
	for _, w := range ix.workloads[key(ref.Namespace, ref.Kind, ref.Name)] {
		if w.File == file {
			return ix.pdbsOf[w], ix.pdbTied[w]
		}
	}
	return nil, false
}

// Served reports whether a Service in the input selects the pods of the
// workload ref defined in file.
func (ix *Index) Served(ref ObjectRef, file string) bool {
	for _, w := range ix.workloads[key(ref.Namespace, ref.Kind, ref.Name)] {
		if w.File == file {
			return ix.served[w]
		}
	}
	return false
}

// SelectedWorkloads returns the workloads in the budget's namespace whose
// pod template labels its selector matches, sorted by kind and name, with
// one definition (the nearest) of each. complete is false when some
// workload has several definitions equally near the budget, so which one
// the budget governs is unknown.
func (ix *Index) SelectedWorkloads(p *PDBFact) (ws []*WorkloadFact, complete bool) {
	ws, tied := ix.selected(p)
	return ws, len(tied) == 0
}

// selected returns the workloads the budget selects and the definitions
// that tie as the nearest to it.
func (ix *Index) selected(p *PDBFact) (ws, tied []*WorkloadFact) {
	if p.Selector == nil || p.SelectorState == SelectorMissing || p.Beta && p.SelectorState == SelectorEmpty {
		return nil, nil // matches no pods
	}
	matched := ix.MatchWorkloads(p.Ref.Namespace, p.Selector, p.hint)
	for i := 0; i < len(matched); {
		j := i
		for j < len(matched) && matched[j].Ref == matched[i].Ref {
			j++
		}
		best := nearest(matched[i:j], workloadFile, p.File)
		if w, ok := unique(best, workloadFile); ok {
			ws = append(ws, w)
		} else {
			tied = append(tied, best...)
		}
		i = j
	}
	return ws, tied
}

// MatchWorkloads returns the workloads in namespace ns whose pod template
// labels sel matches, in index order (by kind and name). hint, the selector
// sel was built from, lets the index look only at workloads carrying one of
// its required labels; nil means every workload of the namespace is tried.
func (ix *Index) MatchWorkloads(ns string, sel labels.Selector, hint *metav1.LabelSelector) []*WorkloadFact {
	n := ix.byNS[ns]
	if n == nil || sel == nil {
		return nil
	}
	var out []*WorkloadFact
	for _, w := range n.candidates(hint) {
		if sel.Matches(labels.Set(w.Labels)) {
			out = append(out, w)
		}
	}
	return out
}

// candidates returns the shortest list of workloads that can match: for
// every label the selector requires (a matchLabels pair, or an In
// expression with one value) only workloads with that label qualify.
func (n *nsIndex) candidates(hint *metav1.LabelSelector) []*WorkloadFact {
	best := n.all
	if hint == nil {
		return best
	}
	consider := func(k, v string) {
		if l := n.byLabel[labelKey(k, v)]; len(l) < len(best) {
			best = l
		}
	}
	for k, v := range hint.MatchLabels {
		consider(k, v)
	}
	for _, e := range hint.MatchExpressions {
		if e.Operator == metav1.LabelSelectorOpIn && len(e.Values) == 1 {
			consider(e.Key, e.Values[0])
		}
	}
	return best
}

// WorkloadNamed returns a workload of any kind with this namespace and
// name, for suggestions.
func (ix *Index) WorkloadNamed(ns, name string) *WorkloadFact {
	n := ix.byNS[ns]
	if n == nil {
		return nil
	}
	return n.byName[name]
}
