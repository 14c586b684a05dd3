package rules

import (
	"sync"

	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/zdlint/zdlint/internal/chunk"
)

// An Arena allocates what a run keeps until its end (facts, their label
// sets and container lists, and copies of their strings) in chunks that
// hold nothing else.
//
// Why: a fact is created while its file's node tree and typed object are
// live, and both are garbage a moment later. Allocated one by one, every
// small fact and string lands in a span full of soon-dead tree nodes and
// pins it: on 10,000 files the heap held 13 MB more in partly used spans
// than in live objects (runtime.MemStats HeapInuse against HeapAlloc),
// more than half again the live heap. Chunks keep what is kept together.
//
// An Arena is used by one goroutine at a time; the engine keeps one per
// worker. A nil *Arena allocates from the heap, for callers outside a run.
type Arena struct {
	workloads  []WorkloadFact
	hpas       []HPAFact
	pdbs       []PDBFact
	services   []ServiceFact
	containers []ContainerRequests
	metrics    []HPAMetric
	ints       []intstr.IntOrString
	texts      chunk.Texts
	kinds      map[ObjectKind]*ObjectKind
	wheres     []Where
	lastWhere  *Where
	// names holds the current file's strings: a workload's name is
	// usually also its Service's, its budget's, its HPA's target and a
	// pod label, kept once.
	names map[string]string
}

// Strings longer than maxArenaString are not looked up in a file's names
// (they are rarely names); Texts gives those of more than a quarter of a
// block an allocation of their own.
const (
	textBlock      = 16 << 10
	maxArenaString = 1 << 10
)

// newIn returns a zeroed T from the chunk of a that field picks, or from
// the heap for a nil Arena; listIn returns room for n of them.
func newIn[T any](a *Arena, field func(*Arena) *[]T) *T {
	if a == nil {
		return new(T)
	}
	return &chunk.Take(field(a), 1)[0]
}

func listIn[T any](a *Arena, field func(*Arena) *[]T, n int) []T {
	if a == nil || n == 0 {
		return make([]T, 0, n)
	}
	return chunk.Take(field(a), n)[:0]
}

func (a *Arena) newWorkload() *WorkloadFact {
	return newIn(a, func(a *Arena) *[]WorkloadFact { return &a.workloads })
}

func (a *Arena) newHPA() *HPAFact { return newIn(a, func(a *Arena) *[]HPAFact { return &a.hpas }) }

func (a *Arena) newPDB() *PDBFact { return newIn(a, func(a *Arena) *[]PDBFact { return &a.pdbs }) }

func (a *Arena) newService() *ServiceFact {
	return newIn(a, func(a *Arena) *[]ServiceFact { return &a.services })
}

func (a *Arena) containerList(n int) []ContainerRequests {
	return listIn(a, func(a *Arena) *[]ContainerRequests { return &a.containers }, n)
}

func (a *Arena) metricList(n int) []HPAMetric {
	return listIn(a, func(a *Arena) *[]HPAMetric { return &a.metrics }, n)
}

// intOrString returns a copy of v in the arena; nil for nil.
func (a *Arena) intOrString(v *intstr.IntOrString) *intstr.IntOrString {
	if v == nil {
		return nil
	}
	p := newIn(a, func(a *Arena) *[]intstr.IntOrString { return &a.ints })
	*p = intstr.IntOrString{Type: v.Type, IntVal: v.IntVal, StrVal: a.String(v.StrVal)}
	return p
}

// kind returns the shared ObjectKind for apiVersion and kind.
func (a *Arena) kind(apiVersion, kind string) *ObjectKind {
	k := ObjectKind{APIVersion: apiVersion, Kind: kind}
	if a == nil {
		return &k
	}
	if p := a.kinds[k]; p != nil {
		return p
	}
	if a.kinds == nil {
		a.kinds = map[ObjectKind]*ObjectKind{}
	}
	p := &ObjectKind{APIVersion: a.String(apiVersion), Kind: a.String(kind)}
	a.kinds[*p] = p
	return p
}

// where returns a Where for the file, shared with the previous object's
// when it is the same: objects come file by file.
func (a *Arena) where(file, source string, context bool) *Where {
	w := Where{File: file, Source: source, Context: context}
	if a == nil {
		return &w
	}
	if a.lastWhere != nil && *a.lastWhere == w {
		return a.lastWhere
	}
	p := &chunk.Take(&a.wheres, 1)[0]
	clear(a.names) // a new file
	*p = Where{File: file, Source: a.String(source), Context: context}
	a.lastWhere = p
	return p
}

// String returns s, or a copy of s in the arena. Names that every manifest
// repeats (kinds, API versions, resource names) come back as the static
// string itself, and a name the current file already stored comes back as
// that copy.
func (a *Arena) String(s string) string {
	if k, ok := vocabulary()[s]; ok {
		return k
	}
	if a == nil || len(s) > maxArenaString {
		return s
	}
	if c, ok := a.names[s]; ok {
		return c
	}
	c := a.Text(s)
	if a.names == nil {
		a.names = map[string]string{}
	}
	a.names[c] = c
	return c
}

// Text returns a copy of s in the arena, for text seen once.
func (a *Arena) Text(s string) string {
	if a == nil {
		return s
	}
	return chunk.Store(a.textBlocks(), s)
}

func (a *Arena) textBlocks() *chunk.Texts {
	if a.texts.Size == 0 {
		a.texts.Size = textBlock
	}
	return &a.texts
}

// vocabulary holds the strings facts repeat most, so copies of them are
// shared rather than made; built on first use, not at start-up.
var vocabulary = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, s := range []string{
		"", "v1", "apps/v1", "autoscaling/v1", "autoscaling/v2", "autoscaling/v2beta1", "autoscaling/v2beta2",
		"policy/v1", "policy/v1beta1", "extensions/v1beta1", "apps/v1beta1", "apps/v1beta2",
		"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob", "Pod",
		"Service", "HorizontalPodAutoscaler", "PodDisruptionBudget",
		"default", "cpu", "memory",
		"app", "name", "component", "tier", "version", "release",
		"app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component",
		"app.kubernetes.io/part-of", "app.kubernetes.io/version", "app.kubernetes.io/managed-by",
	} {
		m[s] = s
	}
	return m
})
