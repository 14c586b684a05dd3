package rules

import (
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/zdlint/zdlint/internal/chunk"
)

// An Arena allocates the facts a run decodes for its Index (see
// FactReader): each type in chunks of its own, so tens of thousands of
// facts take a few hundred allocations, and one ObjectKind per kind. Their
// strings are not copied: they are substrings of the records.
//
// An Arena is used by one goroutine at a time. A nil *Arena allocates from
// the heap.
type Arena struct {
	workloads  []WorkloadFact
	hpas       []HPAFact
	pdbs       []PDBFact
	services   []ServiceFact
	containers []ContainerRequests
	metrics    []HPAMetric
	ints       []intstr.IntOrString
	wheres     []Where
	kinds      map[ObjectKind]*ObjectKind
}

// newIn returns a zeroed T from the chunk of a that field picks, or from
// the heap for a nil Arena; listIn returns room for n of them (nil for
// none, as append leaves a list it never grew).
func newIn[T any](a *Arena, field func(*Arena) *[]T) *T {
	if a == nil {
		return new(T)
	}
	return &chunk.Take(field(a), 1)[0]
}

func listIn[T any](a *Arena, field func(*Arena) *[]T, n int) []T {
	switch {
	case n == 0:
		return nil
	case a == nil:
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
	p := &k
	a.kinds[k] = p
	return p
}
