package loader

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/zdlint/zdlint/internal/benchgen/corpus"
	"github.com/zdlint/zdlint/internal/testutil"
)

// parseBoth parses data with the fast decoder on and off and reports the
// first difference in what the loader produced: typed values, unknown
// fields, duplicates and errors.
func parseBoth(name string, data []byte) (fast, slow *File, diff string) {
	collect := func(off bool) *File {
		slowDecode = off
		defer func() { slowDecode = false }()
		return Parse(name, data, Options{})
	}
	fast, slow = collect(false), collect(true)
	if len(fast.Objects) != len(slow.Objects) {
		return fast, slow, fmt.Sprintf("%d objects fast, %d slow", len(fast.Objects), len(slow.Objects))
	}
	for i := range fast.Objects {
		a, b := fast.Objects[i], slow.Objects[i]
		if !reflect.DeepEqual(a.Typed, b.Typed) {
			return fast, slow, fmt.Sprintf("object %d (%s): typed values differ:\nfast %+v\nslow %+v", i, a, a.Typed, b.Typed)
		}
		if !reflect.DeepEqual(a.UnknownFields, b.UnknownFields) || !reflect.DeepEqual(a.Duplicates, b.Duplicates) {
			return fast, slow, fmt.Sprintf("object %d (%s): unknown fields or duplicates differ", i, a)
		}
	}
	if len(fast.Errors) != len(slow.Errors) {
		return fast, slow, fmt.Sprintf("%d errors fast, %d slow", len(fast.Errors), len(slow.Errors))
	}
	for i := range fast.Errors {
		if fast.Errors[i].Error() != slow.Errors[i].Error() {
			return fast, slow, fmt.Sprintf("error %d: %q fast, %q slow", i, fast.Errors[i], slow.Errors[i])
		}
	}
	return fast, slow, ""
}

// TestFastDecodeMatches checks that decoding typed objects straight from
// the node tree gives exactly what the JSON path gives (ToJSON, then the
// strict case-sensitive decoder), over the fixtures, the examples, the
// shared corpus of real manifests when present, a generated corpus and the
// hostile seeds, and that the fast path is actually taken for most objects.
func TestFastDecodeMatches(t *testing.T) {
	type input struct {
		name string
		data []byte
	}
	var inputs []input
	eachManifest(t, func(path string, data []byte) { inputs = append(inputs, input{path, data}) })
	for _, f := range corpus.Generate(300, corpus.DefaultSeed) {
		inputs = append(inputs, input{f.Path, f.Data})
	}
	for i, s := range testutil.HostileSeeds() {
		inputs = append(inputs, input{fmt.Sprintf("hostile-%d.yaml", i), s})
	}
	var typed, viaFast int
	for _, in := range inputs {
		fast, _, diff := parseBoth(in.name, in.data)
		if diff != "" {
			t.Errorf("%s: %s", in.name, diff)
			continue
		}
		for _, o := range fast.Objects {
			if o.Typed != nil {
				typed++
				if fastDecodes(o) {
					viaFast++
				}
			}
		}
	}
	t.Logf("%d inputs, %d typed objects, %d decoded by the fast path", len(inputs), typed, viaFast)
	if typed == 0 || viaFast*10 < typed*8 {
		t.Errorf("the fast path decoded only %d of %d typed objects", viaFast, typed)
	}
}

// fastDecodes reports whether the fast decoder alone decodes o.
func fastDecodes(o *Object) bool {
	kt, ok := kindTable[o.APIVersion+"/"+o.Kind]
	if !ok || !kt.strict || kt.schema != nil || len(o.Duplicates) > 0 {
		return false
	}
	return fastDecode(o.Node, kt.typed())
}

// TestFastDecodePaths: inputs at the edge of what the fast decoder
// handles. Each case says which path it must take (the fast decoder, or the
// JSON path the fast decoder hands it to) and is checked to take it, and
// to give the JSON path's result either way.
func TestFastDecodePaths(t *testing.T) {
	const head = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
	const fast, slow = true, false
	tests := map[string]struct {
		data string
		fast bool
	}{
		// The JSON path: kubectl's YAML 1.1 reading or encoding/json's
		// strictness decides, and the fast decoder declines.
		"unknown field":       {head + "spec:\n  replicaz: 2\n", slow},
		"string for an int":   {head + "spec:\n  replicas: \"3\"\n", slow},
		"float for an int":    {head + "spec:\n  replicas: 3.0\n", slow},
		"number for a string": {head + "  labels: {version: 1}\n", slow},
		"bool for a string":   {head + "spec:\n  template:\n    spec:\n      containers: [{name: a, image: yes}]\n", slow},
		"merge key":           {head + "spec:\n  <<: {replicas: 2}\n", slow},
		"alias":               {"x: &r 2\n" + head + "spec:\n  replicas: *r\n", slow},
		"duplicate key":       {head + "spec:\n  replicas: 2\n  replicas: 3\n", slow},
		"non-string key":      {head + "  labels: {1: a}\n", slow},
		"bool key":            {head + "  labels: {yes: a}\n", slow},
		"null quantity":       {head + "spec:\n  template:\n    spec:\n      containers: [{name: a, resources: {requests: {cpu: null}}}]\n", slow},
		"bad quantity":        {head + "spec:\n  template:\n    spec:\n      containers: [{name: a, resources: {requests: {cpu: lots}}}]\n", slow},
		"out of range":        {head + "spec:\n  replicas: 99999999999\n", slow},
		"spec is a list":      {head + "spec: []\n", slow},
		"legacy kind":         {"apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: w}\nspec: {replicas: 2}\n", slow},
		// The fast decoder: values it reads exactly as the JSON path does.
		"null probe":           {head + "spec:\n  template:\n    spec:\n      containers: [{name: a, readinessProbe: null}]\n", fast},
		"int-or-string":        {head + "spec:\n  strategy: {rollingUpdate: {maxUnavailable: 25%, maxSurge: 1}}\n", fast},
		"octal and hex":        {head + "spec:\n  minReadySeconds: 0755\n  revisionHistoryLimit: 0x0A\n", fast},
		"binary tag":           {head + "  annotations: {a: !!binary aGVsbG8=}\n", fast},
		"quoted number string": {head + "  annotations: {a: \"1\"}\n", fast},
		"time":                 {head + "  creationTimestamp: 2024-01-02T03:04:05Z\n", fast},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, _, diff := parseBoth("d.yaml", []byte(tt.data))
			if diff != "" {
				t.Error(diff)
			}
			if len(got.Objects) != 1 || got.Objects[0].Typed == nil {
				t.Fatalf("%d objects, want one typed object", len(got.Objects))
			}
			if took := fastDecodes(got.Objects[0]); took != tt.fast {
				t.Errorf("took the fast path: %v, want %v", took, tt.fast)
			}
		})
	}
}

// FuzzFastDecode: for any input, the loader gives the same objects, typed
// values, unknown fields and errors with the fast decoder as without it.
func FuzzFastDecode(f *testing.F) {
	for _, s := range testutil.ManifestSeeds(f) {
		f.Add(s)
	}
	for _, s := range testutil.HostileSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		if _, _, diff := parseBoth("f.yaml", data); diff != "" {
			t.Fatalf("fast and JSON decoders disagree on %q: %s", data, diff)
		}
	})
}
