package engine

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/internal/testutil"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

// TestKeptFactsUnchanged checks the invariant the Cache's decoded facts
// rest on: no rule and no Index build changes a fact. Every manifest of
// fixtures/, examples/ and the shared corpus is split in two, its odd
// documents linted and its even ones context files kept by the Cache (and
// the other way round), so that deferred findings on the linted objects
// are resolved against an Index holding kept facts: HPAs, budgets and
// Services of one half govern the workloads of the other. After three runs
// (the first keeps the records, the second decodes them, the third reuses
// them), every kept fact must still encode to its records.
func TestKeptFactsUnchanged(t *testing.T) {
	seeds := [][]byte{[]byte(factCases)}
	if !testing.Short() {
		seeds = append(seeds, testutil.ManifestSeeds(t)...)
	}
	for parity := range 2 {
		dir := t.TempDir()
		var inputs []loader.Input
		texts := map[int][]byte{} // the linted inputs' texts, by input
		for i, data := range seeds {
			var linted, kept []string
			for j, doc := range strings.Split(string(data), "\n---") {
				if j%2 == parity {
					linted = append(linted, doc)
				} else {
					kept = append(kept, doc)
				}
			}
			name := fmt.Sprintf("s%03d.yaml", i)
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, []byte(strings.Join(kept, "\n---")), 0o644); err != nil {
				t.Fatal(err)
			}
			texts[len(inputs)+1] = []byte(strings.Join(linted, "\n---"))
			inputs = append(inputs,
				loader.Input{Name: p, Path: p, Context: true},
				loader.Input{Name: filepath.Join(dir, "lint", name)})
		}
		cache := NewCache(func(loader.Input) string { return "unchanged" })
		var resolved int
		records := map[cacheKey]string{} // the kept records, before the second run decodes them
		for run := range 3 {
			for i, text := range texts {
				inputs[i].Stdin = bytes.NewReader(text)
			}
			res := Run(inputs, Options{Rules: rules.All(), Settings: rules.DefaultSettings(), Cache: cache})
			if run == 0 {
				for key, cf := range cache.files {
					records[key] = cf.facts
				}
			}
			if run == 2 {
				resolved = len(res.Findings)
			}
		}
		decoded := 0
		var w factWriter
		for key, cf := range cache.files {
			if cf.decoded == nil {
				continue
			}
			file := key.path
			decoded += len(cf.decoded)
			w.Reset(nil)
			for _, f := range cf.decoded {
				w.Append(f)
			}
			if cf.facts != "" {
				t.Errorf("%s: records kept with the decoded facts", key.path)
			}
			if string(w.b) != records[key] {
				// Name the fact that changed.
				var r factReader
				r.Reset(records[key])
				for j, f := range cf.decoded {
					orig := r.Next()
					if diff := firstDiff(reflect.ValueOf(f), reflect.ValueOf(orig), reflect.TypeOf(f).Elem().Name()); diff != "" {
						t.Errorf("%s: kept fact %d (%s) changed during a run: %s", file, j, f.About().Ref(), diff)
					}
				}
				t.Errorf("%s: kept facts changed during a run", file)
			}
		}
		if decoded == 0 || resolved == 0 {
			t.Fatalf("parity %d: %d kept facts decoded, %d findings: the test checks nothing", parity, decoded, resolved)
		}
		t.Logf("parity %d: %d kept facts of %d files checked, %d findings", parity, decoded, len(cache.files), resolved)
	}
}
