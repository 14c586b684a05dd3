package engine

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/internal/packed"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

// TestRecordsRoundTrip: findings and deferred findings decode from their
// records to what was encoded, strings of any length and content, rules
// of the run and not, positions of any size.
func TestRecordsRoundTrip(t *testing.T) {
	rs := defaultRules()
	tab := newRuleTable(rs, rules.DefaultSettings())
	findings := []rules.Finding{
		{Rule: rs[0].ID, Severity: rules.Error, Message: "m", File: "a.yaml", Pos: loader.Pos{Line: 1, Col: 1}, End: loader.Pos{Line: 1, Col: 9},
			Object: rules.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "default", Name: "web"}, Container: "app", Path: "spec.replicas"},
		{Rule: "not-a-rule-of-the-run", Severity: rules.Info, Message: strings.Repeat("ü", 300), File: "dir/ß.yaml",
			Pos: loader.Pos{Line: 1 << 40, Col: 200}, Source: "chart/templates/x.yaml",
			Related: []rules.Location{{File: "hpa.yaml", Path: "metadata.name", Pos: loader.Pos{Line: 4, Col: 9}, End: loader.Pos{Line: 4, Col: 12}, Message: "HPA"}, {}}},
		{}, // every field empty
		// A second finding on the first's object: its strings are
		// references into the stream.
		{Rule: rs[0].ID, Severity: rules.Warning, Message: "another", File: "a.yaml", Pos: loader.Pos{Line: 3, Col: 2},
			Object: rules.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "default", Name: "web"}, Container: "app", Path: "spec.replicas"},
	}
	var b []byte
	var dict packed.Dict
	for i := range findings {
		b = tab.appendFinding(b, &dict, &findings[i])
	}
	facts := []rules.Fact{rules.Extract(testObject(t), rules.DefaultSettings(), false)}
	ds := []rules.Deferred{
		{Rule: rs[1], Fact: facts[0], Path: "spec.template.spec.containers[0].resources.requests.cpu", Container: "web", Detail: "0/cpu",
			Pos: loader.Pos{Line: 12, Col: 7}, End: loader.Pos{Line: 12, Col: 20}, Severity: rules.Warning},
		{Rule: rs[len(rs)-1], Fact: facts[0], Severity: rules.Error},
		{Rule: rs[1], Fact: facts[0], Pos: loader.Pos{Line: 1 << 40, Col: 3}, End: loader.Pos{Line: 1<<40 + 1, Col: 1 << 33}, Severity: rules.Info},
	}
	var db []byte
	dict.Reset()
	for i := range ds {
		db = tab.appendDeferred(db, &dict, &ds[i], 0)
	}
	var store recordStore
	var r reader
	r.Reset(store.get(store.put(b)))
	for i, want := range findings {
		if got := tab.readFinding(&r); !reflect.DeepEqual(got, want) {
			t.Errorf("finding %d: got %+v, want %+v", i, got, want)
		}
	}
	var dr reader
	dr.Reset(store.get(store.put(db)))
	for i, want := range ds {
		got := tab.readDeferred(&dr, facts)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("deferred %d: got %+v, want %+v", i, got, want)
		}
	}
	if r.S != "" || dr.S != "" {
		t.Errorf("bytes left over: %q, %q", r.S, dr.S)
	}
}

func testObject(t *testing.T) *loader.Object {
	t.Helper()
	f := loader.Parse("a.yaml", []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n"), loader.Options{})
	if len(f.Objects) != 1 {
		t.Fatalf("parse: %d objects, %v", len(f.Objects), f.Errors)
	}
	return f.Objects[0]
}

// TestRecordStore: records of every size come back as stored, after many
// more were added (small ones share blocks, large ones get their own), and
// the empty record takes no room.
func TestRecordStore(t *testing.T) {
	var s recordStore
	if ref := s.put(nil); ref != (recordRef{}) || s.get(ref) != "" || len(s.blocks) != 0 {
		t.Fatalf("empty record: %+v, %d blocks", ref, len(s.blocks))
	}
	// A large record first: later small ones start a block of their own
	// rather than fill its spare capacity.
	refs := []recordRef{s.put(bytes.Repeat([]byte("L"), recordBlock))}
	want := []string{strings.Repeat("L", recordBlock)}
	if small := s.put([]byte("s")); small.block == refs[0].block {
		t.Error("a small record went into a large record's block")
	}
	refs, want = append(refs, recordRef{1, 0, 1}), append(want, "s")
	for i := range 3000 {
		n := i % 700
		if i%500 == 499 {
			n = recordBlock/4 + i // a block of its own
		}
		rec := strings.Repeat(string(rune('a'+i%26)), n)
		refs = append(refs, s.put([]byte(rec)))
		want = append(want, rec)
	}
	for i, ref := range refs {
		if got := s.get(ref); got != want[i] {
			t.Fatalf("record %d: %d bytes, want %d (%+v)", i, len(got), len(want[i]), ref)
		}
	}
	if total := len(s.blocks); total > 3000*700/recordBlock+10 {
		t.Errorf("%d blocks for %d records: small records do not share blocks", total, len(refs))
	}
}
