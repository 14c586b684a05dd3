package rules

import (
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// hintPairs lists the labels a selector requires (its matchLabels and its
// In expressions with one value) as key, value pairs, for candidates.
func hintPairs(sel *metav1.LabelSelector) LabelSet {
	if sel == nil {
		return ""
	}
	n := 2 * len(sel.MatchLabels)
	for _, e := range sel.MatchExpressions {
		if e.Operator == metav1.LabelSelectorOpIn && len(e.Values) == 1 {
			n += 2
		}
	}
	if n == 0 {
		return ""
	}
	out := make([]string, 0, n)
	for k, v := range sel.MatchLabels {
		out = append(out, k, v)
	}
	for _, e := range sel.MatchExpressions {
		if e.Operator == metav1.LabelSelectorOpIn && len(e.Values) == 1 {
			out = append(out, e.Key, e.Values[0])
		}
	}
	return packPairs(out)
}

// Index answers cross-object questions. It is read-only once built.
//
// An input may hold several definitions of the same object: kustomize bases
// and overlays, one manifest per environment, several sample applications
// in one tree. A cluster holds one, so a relation between two objects (an
// HPA and its target, a PDB and the workloads it selects) is made with the
// nearest related definition only: the one in the same file, else the one
// in the other object's directory or below it, else the one directly in the
// nearest directory above it. When several files tie, the relation is
// ambiguous and rules make no claim about it.
// Even with one definition, a relation is made only between objects that
// are deployed together (see Related): same file, same directory, one
// directory inside the other, or a --context file; never across two
// sibling subtrees (two sample applications, two environments) or into a
// testdata directory. Every lookup costs the depth of a path, not the
// number of definitions, so thousands of copies of one manifest stay
// linear.
type Index struct {
	// refs holds the definitions of every workload, sorted by refID and
	// found by binary search: one contiguous slice, not a map entry and
	// an allocation per workload.
	refs []refDefs
	byNS map[string]*nsIndex
	hpas []*HPAFact
	// hpaTied and pdbTied hold, by workload, the directory prefixes (see
	// dirPrefixes) where resolving an HPA's target or a budget's
	// selection tied between definitions.
	hpaTied map[refID]map[string]bool
	pdbs    []budget
	pdbTied map[refID]map[string]bool
	// monitors are the ServiceMonitors and PodMonitors; serviceFiles
	// the namespace and file pairs that hold a Service (see ServingOf).
	monitors     []*MonitorFact
	serviceFiles map[string]bool
	// serviceGroups are, by Service (namespace and name), the label
	// groups its selector matches (see ServiceWorkloads).
	serviceGroups map[refID][]*labelGroup
	// podSources are the Pods, Jobs, CronJobs and custom resources by
	// namespace; podDirs the directory prefixes under which a namespace
	// has pods of any source, with the directories that hold them
	// directly (see TargetsPlausible).
	podSources map[string][]*PodSourceFact
	podDirs    map[string]*dirCounts
	// workloadNS are the namespaces with a workload outside sibling
	// context (see HasWorkloadsIn).
	workloadNS map[string]bool
	// mesh holds Istio's VirtualServices and DestinationRules
	// (model_mesh.go).
	mesh meshIndex
	// canaries are the Flagger Canaries (see FlaggerPrimary), and
	// flaggerTargets the workload definitions they target.
	canaries       []*CanaryFact
	flaggerTargets []*workload
}

// dirCounts records where a namespace's pod makers are: every directory
// prefix with one below it (under), the directories that hold one (at),
// and whether a --context file holds one.
type dirCounts struct {
	under, at map[string]bool
	context   bool
}

func (d *dirCounts) add(file string, context bool) {
	if context {
		d.context = true
	}
	ps := dirPrefixes(file)
	d.at[ps[0]] = true
	for _, p := range ps {
		d.under[p] = true
	}
}

// workload is the Index's node for one definition of a workload: its fact,
// and, set by NewIndex, its label group and the HPAs and budgets resolved
// to this definition. Fields, not maps keyed by the fact: an Index over
// 10,000 workloads is then a few small maps.
type workload struct {
	*WorkloadFact
	group *labelGroup
	links *workloadLinks // nil while none
}

// workloadLinks are a workload's HPAs (sorted by name) and budgets,
// allocated by NewIndex for the workloads that have some.
type workloadLinks struct {
	hpas []*HPAFact
	pdbs []*PDBFact
	// templated are the Rollouts whose workloadRef resolved to this
	// definition (see resolveTemplateRefs).
	templated []*WorkloadFact
	// flagger is the -primary copy a Canary makes of the workload.
	flagger *FlaggerPrimary
}

func (w *workload) linked() *workloadLinks {
	if w.links == nil {
		w.links = new(workloadLinks)
	}
	return w.links
}

func (w *workload) hpaList() []*HPAFact {
	if w.links == nil {
		return nil
	}
	return w.links.hpas
}

// fact returns w's fact; nil for none.
func (w *workload) fact() *WorkloadFact {
	if w == nil {
		return nil
	}
	return w.WorkloadFact
}

// budget is the Index's node for a PodDisruptionBudget: its fact with the
// effective selector built once, and the labels the selector requires
// (see candidates).
type budget struct {
	*PDBFact
	selector labels.Selector
	hint     LabelSet
}

func newBudget(p *PDBFact) budget {
	b := budget{PDBFact: p, selector: p.EffectiveSelector()}
	if p.SelectorState == SelectorSet {
		b.hint = hintPairs(&metav1.LabelSelector{MatchLabels: p.MatchLabels.Map(), MatchExpressions: p.MatchExpressions})
	}
	return b
}

// refID identifies an object within the input: namespace, kind and name.
type refID struct{ ns, kind, name string }

// refDefs holds the definitions of one object, one per file, input files
// before context files. Almost every object has one, so the per-file map
// and the prefix counts exist only once there is a second.
type refDefs struct {
	list  []*workload
	files map[string]*workload // when len(list) > 1
	// under counts, for each directory prefix, the files below it that
	// define the object, and at the files directly in it; kept only when
	// there are several.
	under, at map[string]*prefixCount
}

type prefixCount struct {
	n       int
	example *workload
}

// labelGroup is the definitions of one workload that carry the same pod
// labels: selectors are matched once per group, not once per copy.
type labelGroup struct {
	labels   LabelSet
	defs     *refDefs       // usually the workload's own, in Index.refs
	services []*ServiceFact // the Services that select these pods
}

// ref is the workload the group belongs to.
func (g *labelGroup) ref() ObjectRef { return g.defs.list[0].Ref() }

// nsIndex holds one namespace's label groups, all of them and by pod
// label, so a selector is matched against the groups that carry one of its
// required labels rather than against every workload.
type nsIndex struct {
	all []*labelGroup
	// pairs and pairGroups are the groups by pod label: pairs sorted by
	// key and value, pairGroups[i] a group carrying pairs[i], so the
	// groups with one label are a subslice (in the order of all).
	pairs      []labelPair
	pairGroups []*labelGroup
	// byName is the first workload of each name (by kind), built the
	// first time a suggestion needs it.
	byNameOnce sync.Once
	byName     map[string]*workload
}

type labelPair struct{ key, value string }

func (a labelPair) less(b labelPair) bool {
	return a.key < b.key || a.key == b.key && a.value < b.value
}

// withLabel returns the groups carrying label k=v.
func (n *nsIndex) withLabel(k, v string) []*labelGroup {
	p := labelPair{k, v}
	i := sort.Search(len(n.pairs), func(i int) bool { return !n.pairs[i].less(p) })
	j := i
	for j < len(n.pairs) && n.pairs[j] == p {
		j++
	}
	return n.pairGroups[i:j:j]
}

func key(ns, kind, name string) refID { return refID{ns, kind, name} }

func refKey(r ObjectRef) refID { return refID{r.Namespace, r.Kind, r.Name} }

func (a refID) less(b refID) bool {
	if a.ns != b.ns {
		return a.ns < b.ns
	}
	if a.kind != b.kind {
		return a.kind < b.kind
	}
	return a.name < b.name
}

// lookup returns the definitions of the workload k, or nil.
func (ix *Index) lookup(k refID) *refDefs {
	i := sort.Search(len(ix.refs), func(i int) bool { return !refKey(ix.refs[i].list[0].Ref()).less(k) })
	if i < len(ix.refs) && refKey(ix.refs[i].list[0].Ref()) == k {
		return &ix.refs[i]
	}
	return nil
}

// dirPrefixes returns the directory prefixes of file, from the whole
// directory up to the root (which every file shares). The slice is shared:
// callers must not change it.
func dirPrefixes(file string) []string {
	dir := filepath.Dir(file)
	prefixMemo.Lock()
	out, ok := prefixMemo.m[dir]
	prefixMemo.Unlock()
	if ok {
		return out
	}
	comps := strings.Split(filepath.ToSlash(dir), "/")
	out = make([]string, 0, len(comps)+1)
	for i := len(comps); i >= 0; i-- {
		out = append(out, strconv.Itoa(i)+":"+strings.Join(comps[:i], "/"))
	}
	prefixMemo.Lock()
	if prefixMemo.m == nil || len(prefixMemo.m) >= 1<<14 {
		prefixMemo.m = map[string][]string{} // bounded: started afresh
	}
	prefixMemo.m[dir] = out
	prefixMemo.Unlock()
	return out
}

// prefixMemo holds dirPrefixes by directory: an Index build asks for the
// prefixes of every file, files share few directories, and building them
// was a sixth of a build over 5,000 files.
var prefixMemo struct {
	sync.Mutex
	m map[string][]string
}

// add records a definition; a second one in the same file is ignored.
func (rd *refDefs) add(w *workload) {
	if rd.inFile(w.File) != nil {
		return
	}
	if len(rd.list) == 1 {
		rd.files = map[string]*workload{rd.list[0].File: rd.list[0]}
	}
	if rd.files != nil {
		rd.files[w.File] = w
	}
	rd.list = append(rd.list, w)
}

// inFile returns the definition in file, or nil.
func (rd *refDefs) inFile(file string) *workload {
	switch {
	case rd.files != nil:
		return rd.files[file]
	case len(rd.list) == 1 && rd.list[0].File == file:
		return rd.list[0]
	}
	return nil
}

// finish builds the prefix counts once every definition is added.
func (rd *refDefs) finish() {
	if len(rd.list) < 2 {
		return
	}
	rd.under, rd.at = map[string]*prefixCount{}, map[string]*prefixCount{}
	count := func(m map[string]*prefixCount, p string, w *workload) {
		c := m[p]
		if c == nil {
			c = &prefixCount{example: w}
			m[p] = c
		}
		c.n++
	}
	for _, w := range rd.list {
		ps := dirPrefixes(w.File)
		count(rd.at, ps[0], w)
		for _, p := range ps {
			count(rd.under, p, w)
		}
	}
}

// nearest returns the definition nearest to file, or, when several files
// tie, the directory prefix where they do.
func (rd *refDefs) nearest(file string) (w *workload, tie string, ok bool) {
	switch {
	case rd == nil || len(rd.list) == 0:
		return nil, "", false
	case len(rd.list) == 1:
		return rd.list[0], "", true
	}
	if w := rd.inFile(file); w != nil {
		return w, "", true
	}
	// Only related definitions (see Related) count: those in file's
	// directory or below it, else those directly in the nearest
	// directory above it that has some. A definition in a sibling
	// subtree is never nearest, however long the prefix it shares.
	ps := dirPrefixes(file)
	if c := rd.under[ps[0]]; c != nil {
		if c.n == 1 {
			return c.example, "", true
		}
		return nil, ps[0], false
	}
	for _, p := range ps[1:] {
		if c := rd.at[p]; c != nil {
			if c.n == 1 {
				return c.example, "", true
			}
			return nil, p, false
		}
	}
	return nil, "", false
}

// tiedAt reports whether one of file's directory prefixes is in tied.
func tiedAt(tied map[string]bool, file string) bool {
	if len(tied) == 0 {
		return false
	}
	for _, p := range dirPrefixes(file) {
		if tied[p] {
			return true
		}
	}
	return false
}

// NewIndex builds the index from the facts of every input and context file.
// It changes no fact; a Rollout whose workloadRef it resolves gets a copy
// of its fact with the template's pod facts, which replaces the fact in
// facts (see resolveTemplateRefs).
func NewIndex(facts []Fact) *Index { return (*IndexMemo)(nil).NewIndex(facts) }

// IndexMemo carries, from one Index build to the next, what the build
// derives from one fact alone: a budget's selector, a Service's. The
// language server builds an Index on every lint from mostly the same facts
// (the engine keeps the workspace files' facts, decoded, between lints),
// and these were a fifth of a build. Entries are keyed by the fact, which
// no one changes once extracted; an entry not used by a build is dropped.
// A nil *IndexMemo keeps nothing. Not safe for concurrent builds.
type IndexMemo struct {
	budgets, nextBudgets   map[*PDBFact]budget
	services, nextServices map[*ServiceFact]labels.Selector
	// The orders of the build's stable sorts, tried first by the next
	// (see order): sorting was a third of a build.
	workloads, hpas, pdbs sortMemo
	pairs, nextPairs      map[string]*sortMemo // by namespace
}

// sortMemo is the order the last stable sort through it found: perm[k] is
// the input position of the k-th element sorted.
type sortMemo struct{ perm []int32 }

// order returns the order in which a stable sort puts n elements that cmp
// compares by input position: perm[k] is the position of the k-th. It
// tries m's last order first. A stable sort's order is the only one in
// which the elements do not decrease and equal ones keep their input
// order, so a check of n-1 comparisons tells whether the last order is
// this one's (it is when the same files' facts come in the same order,
// and usually when a changed file's objects keep their names), and a
// reused order is exact.
func (m *sortMemo) order(n int, cmp func(i, j int) int) []int32 {
	if p := m.perm; len(p) == n {
		ok := true
		for k := 1; k < n && ok; k++ {
			c := cmp(int(p[k-1]), int(p[k]))
			ok = c < 0 || c == 0 && p[k-1] < p[k]
		}
		if ok {
			return p
		}
	}
	p := make([]int32, n)
	for i := range p {
		p[i] = int32(i)
	}
	slices.SortStableFunc(p, func(i, j int32) int { return cmp(int(i), int(j)) })
	m.perm = p
	return p
}

// sortStable sorts xs as slices.SortStableFunc(xs, cmp) does, through m
// when there is one.
func sortStable[T any](m *sortMemo, xs []T, cmp func(a, b T) int) {
	if m == nil {
		slices.SortStableFunc(xs, cmp)
		return
	}
	p := m.order(len(xs), func(i, j int) int { return cmp(xs[i], xs[j]) })
	sorted := make([]T, len(xs))
	for k, i := range p {
		sorted[k] = xs[i]
	}
	copy(xs, sorted)
}

func (m *IndexMemo) workloadSort() *sortMemo {
	if m == nil {
		return nil
	}
	return &m.workloads
}

func (m *IndexMemo) hpaSort() *sortMemo {
	if m == nil {
		return nil
	}
	return &m.hpas
}

func (m *IndexMemo) pdbSort() *sortMemo {
	if m == nil {
		return nil
	}
	return &m.pdbs
}

// pairSort is the memo of namespace ns's label pairs' sort.
func (m *IndexMemo) pairSort(ns string) *sortMemo {
	if m == nil {
		return nil
	}
	sm := m.pairs[ns]
	if sm == nil {
		sm = &sortMemo{}
	}
	m.nextPairs[ns] = sm
	return sm
}

func (m *IndexMemo) budget(p *PDBFact) budget {
	if m == nil {
		return newBudget(p)
	}
	b, ok := m.budgets[p]
	if !ok {
		b = newBudget(p)
	}
	m.nextBudgets[p] = b
	return b
}

func (m *IndexMemo) serviceSelector(s *ServiceFact) labels.Selector {
	if m == nil {
		return labels.SelectorFromSet(s.Selector.Map())
	}
	sel, ok := m.services[s]
	if !ok {
		sel = labels.SelectorFromSet(s.Selector.Map())
	}
	m.nextServices[s] = sel
	return sel
}

// start and finish bracket a build: what the build did not use is
// dropped.
func (m *IndexMemo) start() {
	if m != nil {
		m.nextBudgets = make(map[*PDBFact]budget, len(m.budgets))
		m.nextServices = make(map[*ServiceFact]labels.Selector, len(m.services))
		m.nextPairs = make(map[string]*sortMemo, len(m.pairs))
	}
}

func (m *IndexMemo) finish() {
	if m != nil {
		m.budgets, m.nextBudgets = m.nextBudgets, nil
		m.services, m.nextServices = m.nextServices, nil
		m.pairs, m.nextPairs = m.nextPairs, nil
	}
}

// NewIndex builds the index from facts as the package's NewIndex does,
// reusing what m kept of an earlier build's facts.
func (m *IndexMemo) NewIndex(facts []Fact) *Index {
	m.start()
	defer m.finish()
	ix := &Index{byNS: map[string]*nsIndex{}, hpaTied: map[refID]map[string]bool{}, pdbTied: map[refID]map[string]bool{}}
	nw := 0
	for _, f := range facts {
		if _, ok := f.(*WorkloadFact); ok {
			nw++
		}
	}
	nodes := make([]workload, 0, nw) // one allocation for every workload's node
	ws := make([]*workload, 0, nw)
	var svcs []*ServiceFact
	for _, f := range facts {
		switch f := f.(type) {
		case *WorkloadFact:
			nodes = append(nodes, workload{WorkloadFact: f})
			ws = append(ws, &nodes[len(nodes)-1])
		case *HPAFact:
			ix.hpas = append(ix.hpas, f)
		case *PDBFact:
			ix.pdbs = append(ix.pdbs, m.budget(f))
		case *ServiceFact:
			svcs = append(svcs, f)
		case *MonitorFact:
			ix.monitors = append(ix.monitors, f)
		case *MeshFact:
			ix.addMesh(f)
		case *PodSourceFact:
			if ix.podSources == nil {
				ix.podSources = map[string][]*PodSourceFact{}
			}
			ix.podSources[f.Namespace] = append(ix.podSources[f.Namespace], f)
			ix.addPodDir(&f.Subject)
		case *CanaryFact:
			// Flagger makes the -primary pods a Service may select:
			// an opaque pod source, as any custom resource.
			ix.canaries = append(ix.canaries, f)
			if ix.podSources == nil {
				ix.podSources = map[string][]*PodSourceFact{}
			}
			ix.podSources[f.Namespace] = append(ix.podSources[f.Namespace], &PodSourceFact{Subject: f.Subject, Opaque: true})
			ix.addPodDir(&f.Subject)
		}
	}
	for _, w := range ws {
		ix.addPodDir(&w.Subject)
		if !w.Sibling {
			if ix.workloadNS == nil {
				ix.workloadNS = map[string]bool{}
			}
			ix.workloadNS[w.Namespace] = true
		}
	}
	// slices' stable sort, with three-way comparisons of the fields
	// themselves, takes half the time of sort.SliceStable here.
	sortStable(m.workloadSort(), ws, func(a, b *workload) int {
		if c := subjectCmp(&a.Subject, &b.Subject); c != 0 {
			return c
		}
		if a.Context != b.Context {
			if !a.Context {
				return -1
			}
			return 1
		}
		return strings.Compare(a.File, b.File)
	})
	resolveTemplateRefs(ws)
	// A Rollout that adopted its workloadRef's template is a copy of its
	// fact: its deferred findings, which name facts by their place in
	// facts, see the copy, as the Index does. The nodes are in the order
	// of facts.
	k := 0
	for i, f := range facts {
		if _, ok := f.(*WorkloadFact); ok {
			if nodes[k].WorkloadFact != f {
				facts[i] = nodes[k].WorkloadFact
			}
			k++
		}
	}
	ix.buildWorkloads(ws, m)

	sortStable(m.hpaSort(), ix.hpas, func(a, b *HPAFact) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.File, b.File)
	})
	for _, h := range ix.hpas {
		if why, _ := h.Target.Unresolvable(); why != "" {
			continue // the controller cannot find its target: it manages nothing
		}
		k := key(h.Ref().Namespace, h.Target.Kind, h.Target.Name)
		w, tie, ok := ix.lookup(k).nearest(h.File)
		switch {
		case ok && !relatedFacts(w, h.File, h.Context):
			// The only candidate is in an unrelated directory.
		case ok:
			l := w.linked()
			l.hpas = append(l.hpas, h)
		case tie != "":
			addTie(ix.hpaTied, k, tie)
		}
	}

	sortStable(m.pdbSort(), ix.pdbs, func(a, b budget) int {
		if c := subjectCmp(&a.Subject, &b.Subject); c != 0 {
			return c
		}
		return strings.Compare(a.File, b.File)
	})
	for i := range ix.pdbs {
		p := &ix.pdbs[i]
		ws, ties := ix.selected(p)
		for _, w := range ws {
			l := w.linked()
			l.pdbs = append(l.pdbs, p.PDBFact)
		}
		for k, tie := range ties {
			addTie(ix.pdbTied, k, tie)
		}
	}
	ix.linkCanaries()
	ix.serviceFiles = map[string]bool{}
	ix.serviceGroups = map[refID][]*labelGroup{}
	for _, s := range svcs {
		ix.serviceFiles[s.Namespace+"\x00"+s.File] = true
		gs := ix.matchGroups(s.Ref().Namespace, m.serviceSelector(s), s.Selector)
		for _, g := range gs {
			g.services = append(g.services, s)
		}
		if len(gs) > 0 {
			k := key(s.Namespace, "Service", s.Name)
			ix.serviceGroups[k] = append(ix.serviceGroups[k], gs...)
		}
	}
	return ix
}

// templateKinds are the kinds an Argo Rollout's workloadRef may name that
// the Index holds as workloads (argo-rollouts rollout/templateref.go
// also accepts a core PodTemplate, which is no workload here).
var templateKinds = map[string]bool{"Deployment": true, "ReplicaSet": true}

// resolveTemplateRefs completes the fact of every Rollout with a
// workloadRef from the nearest related definition of the workload it names
// (the same choice an HPA's target gets), and links that definition back
// to the Rollout (TemplatedBy). It runs before the label groups are built,
// since the Rollout's pods carry the template's labels. The completed fact
// is a copy, which NewIndex puts in place of the Rollout's in its facts, so
// the Rollout's deferred findings see it too: facts are shared between
// runs by the language server's cache (engine.Cache), and none may change
// (TestKeptFactsUnchanged).
func resolveTemplateRefs(ws []*workload) {
	want := map[refID]*refDefs{}
	for _, w := range ws {
		if w.TemplateName != "" && templateKinds[w.TemplateKind] {
			want[key(w.Namespace, w.TemplateKind, w.TemplateName)] = nil
		}
	}
	if len(want) == 0 {
		return
	}
	for _, w := range ws { // sorted: a workload's definitions are adjacent
		k := refKey(w.Ref())
		if rd, ok := want[k]; ok && w.TemplateName == "" {
			if rd == nil {
				rd = new(refDefs)
				want[k] = rd
			}
			rd.add(w)
		}
	}
	for _, rd := range want {
		if rd != nil {
			rd.finish()
		}
	}
	for _, w := range ws {
		if w.TemplateName == "" || !templateKinds[w.TemplateKind] {
			continue
		}
		t, _, ok := want[key(w.Namespace, w.TemplateKind, w.TemplateName)].nearest(w.File)
		if !ok || !relatedFacts(t, w.File, w.Context) {
			continue // absent, ambiguous or unrelated: the selector's labels stay
		}
		// A copy: facts are read-only once extracted (the language
		// server keeps them from one lint to the next, and the
		// template may change or go in between). NewIndex puts the
		// copy in its caller's facts.
		c := *w.WorkloadFact
		c.adoptTemplate(t.WorkloadFact)
		w.WorkloadFact = &c
		l := t.linked()
		l.templated = append(l.templated, w.WorkloadFact)
	}
}

// TemplatedBy returns the Rollouts whose workloadRef resolved to the
// definition of ref in file: they run pods from its template.
func (ix *Index) TemplatedBy(ref ObjectRef, file string) []*WorkloadFact {
	w := ix.def(ref, file)
	if w == nil || w.links == nil {
		return nil
	}
	return w.links.templated
}

// buildWorkloads fills refs and the per-namespace label groups from the
// workloads, sorted by reference. The definitions of one workload are
// adjacent in ws, and so are the accepted ones in defs, which every
// refDefs and most label groups slice rather than copy.
func (ix *Index) buildWorkloads(ws []*workload, m *IndexMemo) {
	defs := make([]*workload, 0, len(ws))
	groups := make([]labelGroup, 0, len(ws))
	// refs is allocated once at its final size: label groups point
	// into it.
	nrefs := 0
	for i := range ws {
		if i == 0 || refKey(ws[i].Ref()) != refKey(ws[i-1].Ref()) {
			nrefs++
		}
	}
	ix.refs = make([]refDefs, 0, nrefs)
	for i := 0; i < len(ws); {
		k := refKey(ws[i].Ref())
		j := i + 1
		for j < len(ws) && refKey(ws[j].Ref()) == k {
			j++
		}
		start := len(defs)
		var rd refDefs
		for _, w := range ws[i:j] {
			if rd.inFile(w.File) == nil {
				defs = append(defs, w)
				rd.list = defs[start:len(defs):len(defs)]
				if len(rd.list) == 2 {
					rd.files = map[string]*workload{rd.list[0].File: rd.list[0]}
				}
				if rd.files != nil {
					rd.files[w.File] = w
				}
			}
		}
		rd.finish()
		ix.refs = append(ix.refs, rd)
		own := &ix.refs[len(ix.refs)-1]

		n := ix.byNS[k.ns]
		if n == nil {
			n = &nsIndex{}
			ix.byNS[k.ns] = n
		}
		// Label groups: the definitions of this workload with the same
		// pod labels; usually all of them, and then the group's
		// definitions are the workload's, shared rather than rebuilt.
		first := len(n.all)
		for _, w := range ws[i:j] {
			w.group = nil
			for _, g := range n.all[first:] {
				if g.labels == w.Labels {
					w.group = g
					break
				}
			}
			if w.group == nil {
				// groups never grows past its capacity (a group per
				// workload at most), so the pointers stay valid.
				groups = append(groups, labelGroup{labels: w.Labels})
				g := &groups[len(groups)-1]
				n.all = append(n.all, g)
				for key, value := range w.Labels.All() {
					n.pairs = append(n.pairs, labelPair{key, value})
					n.pairGroups = append(n.pairGroups, g)
				}
				w.group = g
			}
		}
		if len(n.all)-first == 1 {
			n.all[first].defs = own
		} else {
			for _, g := range n.all[first:] {
				g.defs = new(refDefs)
			}
			for _, w := range ws[i:j] {
				w.group.defs.add(w)
			}
			for _, g := range n.all[first:] {
				g.defs.finish()
			}
		}
		i = j
	}
	for ns, n := range ix.byNS {
		sm := m.pairSort(ns)
		if sm == nil {
			sort.Stable(byPair{n})
			continue
		}
		p := sm.order(len(n.pairs), func(i, j int) int {
			a, b := n.pairs[i], n.pairs[j]
			if c := strings.Compare(a.key, b.key); c != 0 {
				return c
			}
			return strings.Compare(a.value, b.value)
		})
		pairs, groups := make([]labelPair, len(p)), make([]*labelGroup, len(p))
		for k, i := range p {
			pairs[k], groups[k] = n.pairs[i], n.pairGroups[i]
		}
		n.pairs, n.pairGroups = pairs, groups
	}
}

// byPair sorts a namespace's label pairs, keeping groups in order within
// one pair.
type byPair struct{ n *nsIndex }

func (b byPair) Len() int           { return len(b.n.pairs) }
func (b byPair) Less(i, j int) bool { return b.n.pairs[i].less(b.n.pairs[j]) }
func (b byPair) Swap(i, j int) {
	b.n.pairs[i], b.n.pairs[j] = b.n.pairs[j], b.n.pairs[i]
	b.n.pairGroups[i], b.n.pairGroups[j] = b.n.pairGroups[j], b.n.pairGroups[i]
}

func addTie(m map[refID]map[string]bool, k refID, prefix string) {
	if m[k] == nil {
		m[k] = map[string]bool{}
	}
	m[k][prefix] = true
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

// subjectCmp orders two objects by reference as refLess does: namespace,
// kind, name, apiVersion.
func subjectCmp(a, b *Subject) int {
	if c := strings.Compare(a.Namespace, b.Namespace); c != 0 {
		return c
	}
	if c := strings.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return strings.Compare(a.APIVersion, b.APIVersion)
}

// Related reports whether objects read from files a and b are taken to be
// deployed together, so that one may govern the other (an HPA its target,
// a PDB the pods it selects): the same file, the same directory, or one
// file's directory inside the other's, and no testdata directory between
// them. Two sibling subtrees (samples/a and samples/b, overlays/dev and
// overlays/prod) are not related: nothing in the files says they are
// applied together. An object read with --context is related to every
// input (that is what the flag is for); the caller checks that.
func Related(a, b string) bool {
	if a == b {
		return true
	}
	da, db := dirParts(a), dirParts(b)
	n := 0
	for n < len(da) && n < len(db) && da[n] == db[n] {
		n++
	}
	if n < len(da) && n < len(db) {
		return false // sibling subtrees
	}
	for _, c := range da[n:] {
		if c == "testdata" {
			return false
		}
	}
	for _, c := range db[n:] {
		if c == "testdata" {
			return false
		}
	}
	return true
}

// dirParts splits the directory of file into its elements; the current
// directory has none.
func dirParts(file string) []string {
	d := filepath.ToSlash(filepath.Dir(file))
	if d == "." {
		return nil
	}
	return strings.Split(d, "/")
}

// relatedFacts reports whether a workload definition and the object in
// file (with its --context flag) are related (see Related).
func relatedFacts(w *workload, file string, context bool) bool {
	return w.Context || context || Related(w.File, file)
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

// Workload returns a definition of the workload with this namespace, kind
// and name (input before context), or nil.
func (ix *Index) Workload(ns, kind, name string) *WorkloadFact {
	if rd := ix.lookup(key(ns, kind, name)); rd != nil && len(rd.list) > 0 {
		return rd.list[0].WorkloadFact
	}
	return nil
}

// WorkloadNear returns the definition of the workload nearest to file (see
// Index), or nil when there is none or several files tie for nearest.
func (ix *Index) WorkloadNear(ns, kind, name, file string) *WorkloadFact {
	w, _, ok := ix.lookup(key(ns, kind, name)).nearest(file)
	if !ok || !relatedFacts(w, file, false) {
		return nil
	}
	return w.fact()
}

// def returns the definition of ref in file.
func (ix *Index) def(ref ObjectRef, file string) *workload {
	if rd := ix.lookup(refKey(ref)); rd != nil {
		return rd.inFile(file)
	}
	return nil
}

// HasWorkloadsIn reports whether any workload (input or --context; not
// sibling context, Subject.Sibling) lives in
// the namespace.
func (ix *Index) HasWorkloadsIn(ns string) bool {
	return ix.workloadNS[ns]
}

// HPAsFor returns the HPAs whose scaleTargetRef names the workload ref
// defined in file and for which that definition is the nearest; of several
// HPAs with one name (copies), the one nearest to file.
func (ix *Index) HPAsFor(ref ObjectRef, file string) []*HPAFact {
	w := ix.def(ref, file)
	if w == nil {
		return nil
	}
	list := w.hpaList() // sorted by name
	var out []*HPAFact
	for i := 0; i < len(list); {
		j := i
		best, bestScore := list[i], -1
		for ; j < len(list) && list[j].Ref().Name == list[i].Ref().Name; j++ {
			if s := proximity(list[j].File, file); s > bestScore {
				best, bestScore = list[j], s
			}
		}
		out = append(out, best)
		i = j
	}
	return out
}

// HPAAmbiguous reports whether an HPA names the workload ref but the
// definition in file ties with another as the nearest to it, so whether
// that HPA scales this definition is unknown.
func (ix *Index) HPAAmbiguous(ref ObjectRef, file string) bool {
	return tiedAt(ix.hpaTied[refKey(ref)], file)
}

// PDBsFor returns the budgets whose selector matches the pod template
// labels of the workload ref defined in file. ambiguous is true when a
// budget selects it but ties it with another definition of the workload.
func (ix *Index) PDBsFor(ref ObjectRef, file string) (pdbs []*PDBFact, ambiguous bool) {
	if w := ix.def(ref, file); w != nil {
		if w.links != nil {
			pdbs = w.links.pdbs
		}
	}
	return pdbs, tiedAt(ix.pdbTied[refKey(ref)], file)
}

// Served reports whether a Service in the input selects the pods of the
// workload ref defined in file.
func (ix *Index) Served(ref ObjectRef, file string) bool {
	w := ix.def(ref, file)
	return w != nil && w.group != nil && len(w.group.services) > 0
}

// ServiceWorkloads returns the workloads whose pods the Service ns/name
// selects (any definition of the Service in the input), with the HPAs or
// ScaledObjects of each: the nearest definition to file of each workload,
// each workload once, in the order of the index.
func (ix *Index) ServiceWorkloads(ns, name, file string) (ws []*WorkloadFact, hpas [][]*HPAFact) {
	seen := map[refID]bool{}
	for _, g := range ix.serviceGroups[key(ns, "Service", name)] {
		w, _, ok := g.defs.nearest(file)
		if !ok || seen[refKey(w.Ref())] {
			continue
		}
		seen[refKey(w.Ref())] = true
		ws = append(ws, w.WorkloadFact)
		hpas = append(hpas, w.hpaList())
	}
	return ws, hpas
}

// SelectedWorkloads returns the workloads in the budget's namespace whose
// pod template labels its selector matches, sorted by kind and name, with
// one definition (the nearest) of each. complete is false when some
// workload has several definitions equally near the budget, so which one
// the budget governs is unknown.
//
// The target of a Flagger Canary counts by its -primary copy's pods, which
// serve while the target runs none between analyses: it is selected when
// the budget matches the primary's labels, whether or not it matches the
// target's own (see FlaggerPrimary).
func (ix *Index) SelectedWorkloads(p *PDBFact) (ws []*WorkloadFact, complete bool) {
	b := newBudget(p)
	nodes, ties := ix.selected(&b)
	for _, w := range nodes {
		if fp := w.flaggerPrimary(); fp != nil && fp.Labels != "" && !fp.selectedBy(p) {
			continue // only the canary pods: pdb-flagger-target-only's case
		}
		ws = append(ws, w.WorkloadFact)
	}
	added := false
	for _, w := range ix.flaggerTargets {
		if fp := w.flaggerPrimary(); fp.selectedBy(p) && !slices.Contains(ws, w.WorkloadFact) {
			ws = append(ws, w.WorkloadFact)
			added = true
		}
	}
	if added {
		sort.SliceStable(ws, func(i, j int) bool { return refLess(ws[i].Ref(), ws[j].Ref()) })
	}
	return ws, len(ties) == 0
}

// selected returns the workloads the budget selects and, by key, the
// directory prefix where definitions of a selected workload tie.
func (ix *Index) selected(p *budget) (ws []*workload, ties map[refID]string) {
	if p.selector == nil || p.SelectorState == SelectorMissing || p.Beta && p.SelectorState == SelectorEmpty {
		return nil, nil // matches no pods
	}
	groups := ix.matchGroups(p.Ref().Namespace, p.selector, p.hint)
	for i := 0; i < len(groups); {
		j := i
		for j < len(groups) && groups[j].ref() == groups[i].ref() {
			j++
		}
		// The nearest definition among the groups that match (usually
		// one: the copies of a workload share their labels).
		var best *workload
		bestScore, tie := -1, ""
		for _, g := range groups[i:j] {
			w, t, ok := g.defs.nearest(p.File)
			s := -1
			if ok && !relatedFacts(w, p.File, p.Context) {
				ok = false
			}
			if ok {
				s = proximity(w.File, p.File)
			} else if t != "" {
				s, _ = strconv.Atoi(t[:strings.IndexByte(t, ':')])
			}
			switch {
			case s > bestScore:
				best, bestScore, tie = w, s, t
			case s == bestScore && s >= 0:
				best, tie = nil, t
				if tie == "" {
					tie = dirPrefixes(p.File)[0]
				}
			}
		}
		if best != nil {
			ws = append(ws, best)
		} else if tie != "" {
			if ties == nil {
				ties = map[refID]string{}
			}
			ties[refKey(groups[i].ref())] = tie
		}
		i = j
	}
	return ws, ties
}

// MatchWorkloads returns the workloads in namespace ns whose pod template
// labels sel matches, every definition of each, by kind and name. hint,
// the selector sel was built from, lets the index look only at workloads
// carrying one of its required labels; nil means every workload of the
// namespace is tried.
func (ix *Index) MatchWorkloads(ns string, sel labels.Selector, hint *metav1.LabelSelector) []*WorkloadFact {
	var out []*WorkloadFact
	for _, g := range ix.matchGroups(ns, sel, hintPairs(hint)) {
		for _, w := range g.defs.list {
			out = append(out, w.WorkloadFact)
		}
	}
	return out
}

// matchGroups returns the label groups of namespace ns that sel matches,
// sorted by reference.
func (ix *Index) matchGroups(ns string, sel labels.Selector, hint LabelSet) []*labelGroup {
	n := ix.byNS[ns]
	if n == nil || sel == nil {
		return nil
	}
	var out []*labelGroup
	for _, g := range n.candidates(hint) {
		if sel.Matches(g.labels) {
			out = append(out, g)
		}
	}
	return out
}

// candidates returns the shortest list of groups that can match: for every
// label the selector requires (a matchLabels pair, or an In expression with
// one value) only groups with that label qualify.
func (n *nsIndex) candidates(hint LabelSet) []*labelGroup {
	best := n.all
	for k, v := range hint.All() {
		if l := n.withLabel(k, v); len(l) < len(best) {
			best = l
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
	n.byNameOnce.Do(func() {
		// The first group of a name holds its first workload in kind
		// order: groups are made in that order.
		n.byName = map[string]*workload{}
		for _, g := range n.all {
			if w := g.defs.list[0]; n.byName[w.Ref().Name] == nil {
				n.byName[w.Ref().Name] = w
			}
		}
	})
	return n.byName[name].fact()
}

// addPodDir records where s, a maker of pods, is (TargetsPlausible);
// sibling context is left out (Subject.Sibling).
func (ix *Index) addPodDir(s *Subject) {
	if !s.Sibling {
		ix.podDir(s.Namespace).add(s.File, s.Context)
	}
}

func (ix *Index) podDir(ns string) *dirCounts {
	if ix.podDirs == nil {
		ix.podDirs = map[string]*dirCounts{}
	}
	d := ix.podDirs[ns]
	if d == nil {
		d = &dirCounts{under: map[string]bool{}, at: map[string]bool{}}
		ix.podDirs[ns] = d
	}
	return d
}

// TargetsPlausible reports whether the input plausibly holds the pods a
// Service in namespace ns read from file routes to: a workload, Pod, Job,
// CronJob or custom resource of that namespace in a related file (see
// Related: in file's directory or below it, or directly in a directory
// above it), or in a --context file.
func (ix *Index) TargetsPlausible(ns, file string) bool {
	d := ix.podDirs[ns]
	if d == nil {
		return false
	}
	if d.context {
		return true
	}
	ps := dirPrefixes(file)
	if d.under[ps[0]] {
		return true
	}
	for _, p := range ps[1:] {
		if d.at[p] {
			return true
		}
	}
	return false
}

// SelectsPods reports whether some workload, Pod, Job or CronJob of the
// Service's namespace in the input carries every label of its selector,
// or a custom resource there may make such pods.
func (ix *Index) SelectsPods(s *ServiceFact) bool {
	ns := s.Namespace
	if len(ix.matchGroups(ns, labels.SelectorFromSet(s.Selector.Map()), s.Selector)) > 0 {
		return true
	}
	for _, p := range ix.podSources[ns] {
		if p.Opaque || selectorMatches(s.Selector, p.Labels) {
			return true
		}
	}
	return false
}
