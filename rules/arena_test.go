package rules

import (
	"strings"
	"testing"
	"unsafe"
)

func TestArena(t *testing.T) {
	a := new(Arena)
	// Vocabulary strings come back as the static string.
	dep := strings.Clone("Deployment")
	if got := a.String(dep); got != "Deployment" || unsafe.StringData(got) != unsafe.StringData(vocabulary()["Deployment"]) {
		t.Error("a vocabulary string was copied")
	}
	// A copy does not alias its source, and one file's repeats share it.
	src := []byte("web-123")
	w := a.where("a.yaml", "", false)
	s1 := a.String(string(src))
	s2 := a.String(strings.Clone("web-123"))
	src[0] = 'X'
	if s1 != "web-123" || unsafe.StringData(s1) != unsafe.StringData(s2) {
		t.Errorf("String: %q and %q, shared %v", s1, s2, unsafe.StringData(s1) == unsafe.StringData(s2))
	}
	// The same file keeps its Where; a new file starts a new one and
	// forgets the previous file's strings.
	if a.where("a.yaml", "", false) != w {
		t.Error("the same file got a second Where")
	}
	if w2 := a.where("b.yaml", "", false); w2 == w || w2.File != "b.yaml" {
		t.Error("a new file kept the old Where")
	}
	if s3 := a.String(strings.Clone("web-123")); unsafe.StringData(s3) == unsafe.StringData(s1) {
		t.Error("a string was shared across files")
	}
	// Kinds are shared by value.
	if a.kind("apps/v1", "Deployment") != a.kind(strings.Clone("apps/v1"), "Deployment") {
		t.Error("two ObjectKinds for one kind")
	}
	// Long strings and a nil Arena fall back to the heap.
	long := strings.Repeat("x", maxArenaString+1)
	if a.String(long) != long || (*Arena)(nil).String("abc") != "abc" || (*Arena)(nil).Text("abc") != "abc" {
		t.Error("fallbacks")
	}
	// Texts fill a chunk without overlapping.
	var texts []string
	for i := range 2000 {
		texts = append(texts, a.Text(strings.Repeat(string(rune('a'+i%26)), i%50+1)))
	}
	for i, s := range texts {
		if s != strings.Repeat(string(rune('a'+i%26)), i%50+1) {
			t.Fatalf("text %d overwritten: %q", i, s)
		}
	}
}
