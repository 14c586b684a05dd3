package rules

import (
	"reflect"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/labels"
)

func TestLabelSet(t *testing.T) {
	m := map[string]string{"tier": "front", "app": "web", "track": ""}
	l := NewLabelSet(m)
	var keys, values []string
	for k, v := range l.All() {
		keys, values = append(keys, k), append(values, v)
	}
	if !reflect.DeepEqual(keys, []string{"app", "tier", "track"}) || !reflect.DeepEqual(values, []string{"web", "front", ""}) || l.Len() != 3 {
		t.Fatalf("NewLabelSet = %s (keys %q, values %q, len %d)", l, keys, values, l.Len())
	}
	if k, v := l.At(1); k != "tier" || v != "front" {
		t.Errorf("At(1) = %q, %q", k, v)
	}
	if got := l.String(); got != "app=web,tier=front,track=" {
		t.Errorf("String = %q", got)
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
	if NewLabelSet(nil) != "" || NewLabelSet(nil).Has("a") || NewLabelSet(nil).Len() != 0 {
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

// TestLabelSetLongStrings: lengths that take more than one varint byte
// decode to what was packed.
func TestLabelSetLongStrings(t *testing.T) {
	long := strings.Repeat("v", 300)
	m := map[string]string{"a": long, strings.Repeat("k", 200): "x", "b": ""}
	l := NewLabelSet(m)
	if !reflect.DeepEqual(l.Map(), m) || l.Len() != 3 {
		t.Errorf("Map = %v (len %d)", l.Map(), l.Len())
	}
	if l.Get("a") != long || !l.Has("b") || l.Has("c") {
		t.Error("lookups")
	}
}
