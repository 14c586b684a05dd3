package rules

import "testing"

func TestSubsetLabels(t *testing.T) {
	dr := func(ns, host, subsets string) string {
		return "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: dr, namespace: " + ns + "}\nspec:\n  host: " + host + "\n  subsets: " + subsets + "\n"
	}
	ix := indexOf(t, map[string]string{
		"app/dr.yaml":        dr("shop", "web", "[{name: v1, labels: {version: v1}}, {name: all}]"),
		"app/dr-fqdn.yaml":   dr("other", "api.shop.svc.cluster.local", "[{name: v2, labels: {version: v2}}]"),
		"app/dr-clash1.yaml": dr("shop", "cart", "[{name: v1, labels: {version: v1}}]"),
		"app/dr-clash2.yaml": dr("shop", "cart", "[{name: v1, labels: {track: stable}}]"),
		"elsewhere/dr.yaml":  dr("shop", "search", "[{name: v1, labels: {version: v1}}]"),
	})
	tests := []struct {
		name, subset, file string
		want               LabelSet
		ok                 bool
	}{
		{"web", "v1", "app/vs.yaml", NewLabelSet(map[string]string{"version": "v1"}), true},
		{"web", "all", "app/vs.yaml", "", true}, // no labels: every pod of the host
		{"web", "v9", "app/vs.yaml", "", false},
		// A host written in full, from a DestinationRule in another namespace.
		{"api", "v2", "app/vs.yaml", NewLabelSet(map[string]string{"version": "v2"}), true},
		// Two definitions that disagree: unknown.
		{"cart", "v1", "app/vs.yaml", "", false},
		// A DestinationRule in a sibling directory is not applied with it.
		{"search", "v1", "app/vs.yaml", "", false},
	}
	for _, tt := range tests {
		got, ok := ix.SubsetLabels("shop", tt.name, tt.subset, tt.file, false)
		if got != tt.want || ok != tt.ok {
			t.Errorf("SubsetLabels(shop, %s, %s) = %q, %v; want %q, %v", tt.name, tt.subset, got, ok, tt.want, tt.ok)
		}
	}
}

func TestVirtualServiceLookup(t *testing.T) {
	vs := func(ns string) string {
		return "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: cart, namespace: " + ns + "}\nspec:\n  http:\n    - route: [{destination: {host: cart, subset: v1}}]\n    - delegate: {name: other}\n"
	}
	ix := indexOf(t, map[string]string{
		"a/vs.yaml":     vs("cart"),
		"a/b/vs.yaml":   vs("cart"),
		"sib/vs.yaml":   vs("shop"),
		"ctx/vs.yaml":   vs("ctxns"),
		"a/b/root.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
	}, "ctx/vs.yaml")
	f := ix.VirtualService("cart", "cart", "a/b/root.yaml", false)
	if f == nil || f.File != "a/b/vs.yaml" {
		t.Fatalf("nearest: got %+v", f)
	}
	if len(f.Routes) != 2 || f.Routes[0].Destinations[0] != (MeshDestination{Host: "cart", Subset: "v1"}) || f.Routes[1].Delegate != "cart/other" {
		t.Errorf("routes: %+v", f.Routes)
	}
	if f := ix.VirtualService("shop", "cart", "a/b/root.yaml", false); f != nil {
		t.Errorf("sibling directory: got %s", f.File)
	}
	if f := ix.VirtualService("ctxns", "cart", "a/b/root.yaml", false); f == nil {
		t.Error("--context file: not found")
	}
}
