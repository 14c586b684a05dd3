package rules

import (
	"reflect"
	"testing"

	"k8s.io/apimachinery/pkg/labels"
)

func TestLabelSet(t *testing.T) {
	m := map[string]string{"tier": "front", "app": "web", "track": ""}
	l := NewLabelSet(m)
	if want := (LabelSet{"app", "web", "tier", "front", "track", ""}); !reflect.DeepEqual(l, want) {
		t.Fatalf("NewLabelSet = %v, want %v", l, want)
	}
	for k, v := range m {
		if got, ok := l.Lookup(k); !ok || got != v || !l.Has(k) || l.Get(k) != v {
			t.Errorf("Lookup(%q) = %q, %v", k, got, ok)
		}
	}
	for _, k := range []string{"", "a", "zzz", "tie"} {
		if l.Has(k) {
			t.Errorf("Has(%q)", k)
		}
	}
	if !reflect.DeepEqual(l.Map(), m) {
		t.Errorf("Map = %v", l.Map())
	}
	if NewLabelSet(nil) != nil || NewLabelSet(nil).Has("a") {
		t.Error("empty set")
	}
	// Selectors match a LabelSet as they match the map.
	for _, sel := range []string{"app=web", "app=web,tier!=back", "track", "!track", "app in (web,api)", "app notin (web)", "nope"} {
		s, err := labels.Parse(sel)
		if err != nil {
			t.Fatal(err)
		}
		if s.Matches(l) != s.Matches(labels.Set(m)) {
			t.Errorf("%q matches the set and the map differently", sel)
		}
	}
}
