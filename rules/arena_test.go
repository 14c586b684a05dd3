package rules

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/zdlint/zdlint/loader"
)

func TestArena(t *testing.T) {
	// Facts decoded in an Arena equal those decoded on the heap, each its
	// own, with one ObjectKind per kind and container lists that do not
	// overlap.
	var fw FactWriter
	var rec []byte
	var want []Fact
	for i := range 300 { // enough to fill several chunks
		for _, o := range loader.Parse(fmt.Sprintf("f%d.yaml", i), []byte(factCases), loader.Options{}).Objects {
			if f := Extract(o, DefaultSettings(), false); f != nil {
				want = append(want, f)
				rec = fw.Append(rec, f)
			}
		}
	}
	a := new(Arena)
	inArena, onHeap := NewFactReader(a, string(rec)), NewFactReader(nil, string(rec))
	kinds := map[ObjectKind]*ObjectKind{}
	var got []Fact
	for i := range want {
		f, h := inArena.Next(), onHeap.Next()
		if !factsEqual(f, h) || !factsEqual(f, want[i]) {
			t.Fatalf("fact %d: arena %#v, heap %#v", i, f, h)
		}
		k := f.subject().ObjectKind
		if p, ok := kinds[*k]; ok && p != k {
			t.Fatalf("fact %d: a second ObjectKind for %v", i, *k)
		}
		kinds[*k] = k
		got = append(got, f)
	}
	for _, f := range got {
		if w, ok := f.(*WorkloadFact); ok && len(w.Containers) > 0 {
			w.Containers = append(w.Containers, ContainerRequests{Name: "appended"})
		}
	}
	for i, f := range got {
		if w, ok := f.(*WorkloadFact); ok && len(w.Containers) > 0 && !reflect.DeepEqual(w.Containers[:len(w.Containers)-1], want[i].(*WorkloadFact).Containers) {
			t.Fatalf("fact %d: containers changed by a neighbour's append: %v", i, w.Containers)
		}
	}
}
