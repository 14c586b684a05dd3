package rules

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestIndexMemoEqualsFresh builds Indexes through one IndexMemo, as the
// language server does on every lint, over a sequence of fact sets that
// keep, replace, rename, reorder and drop facts, and checks each against an
// Index built without the memo. The renames keep the number of workloads,
// budgets, HPAs and label pairs, so the memo's last sort order has the
// right length and must be found wrong by its check; two definitions of
// one Deployment in one file, swapped, must keep their input order, also
// when the last order put them the other way round.
func TestIndexMemoEqualsFresh(t *testing.T) {
	file := func(dir string, i int, name, labels string) string {
		ns := []string{"shop", "edge"}[i%2]
		return deployment(name, ns, 2, labels) + "---\n" +
			hpa(name, ns, name, 1+i%3) + "---\n" +
			pdb("policy/v1", name, ns, "  selector: {matchLabels: "+labels+"}\n") + "---\n" +
			fmt.Sprintf("apiVersion: v1\nkind: Service\nmetadata: {name: %s, namespace: %s}\nspec: {selector: %s, ports: [{port: 80}]}\n", name, ns, labels)
	}
	type src struct{ name, text string }
	var base []src
	for i := range 12 {
		dir := []string{"a", "a/b", "c"}[i%3]
		name := fmt.Sprintf("app%02d", i)
		base = append(base, src{fmt.Sprintf("%s/%s.yaml", dir, name), file(dir, i, name, fmt.Sprintf("{app: %s, tier: t%d}", name, i%4))})
	}
	// Two definitions of one Deployment in one file, with different
	// labels: the first is the one the Index keeps.
	twice := deployment("dup", "shop", 1, "{app: one}") + "---\n" + deployment("dup", "shop", 1, "{app: two}")
	twiceSwapped := deployment("dup", "shop", 1, "{app: two}") + "---\n" + deployment("dup", "shop", 1, "{app: one}")

	facts := map[string][]Fact{} // extracted once per text: kept facts keep their pointers
	extract := func(s src) []Fact {
		key := s.name + "\x00" + s.text
		if fs, ok := facts[key]; ok {
			return fs
		}
		var fs []Fact
		for _, o := range load(t, s.name, s.text) {
			if f := Extract(o, DefaultSettings(), true); f != nil {
				fs = append(fs, f)
			}
		}
		facts[key] = fs
		return fs
	}
	rename := func(s []src, i int, to string) []src {
		out := append([]src(nil), s...)
		from := fmt.Sprintf("app%02d", i)
		out[i].text = strings.ReplaceAll(out[i].text, from, to)
		return out
	}
	steps := []struct {
		name  string
		files []src
	}{
		{"first", base},
		{"same facts", base},
		{"one file read again", func() []src {
			out := append([]src(nil), base...)
			out[3].text += "# edited\n" // new facts, same keys
			return out
		}()},
		{"a workload renamed to sort first", rename(base, 7, "aaa")},
		{"renamed to sort last", rename(base, 7, "zzz")},
		{"back", base},
		{"files in another order", append(append([]src(nil), base[6:]...), base[:6]...)},
		{"one file fewer", base[1:]},
		{"labels changed", func() []src {
			out := append([]src(nil), base...)
			out[2].text = strings.ReplaceAll(out[2].text, "tier: t2", "tier: a0")
			return out
		}()},
		{"two definitions in a file", append(append([]src(nil), base...), src{"a/dup.yaml", twice})},
		{"the two swapped", append(append([]src(nil), base...), src{"a/dup.yaml", twiceSwapped})},
		// The second sorts first, then the two tie: the last order is
		// sorted but does not keep their input order.
		{"two workloads in a file", append(append([]src(nil), base...), src{"a/dup.yaml", strings.Replace(twiceSwapped, "dup", "zed", 1)})},
		{"now one", append(append([]src(nil), base...), src{"a/dup.yaml", twiceSwapped})},
	}
	var memo IndexMemo
	for _, st := range steps {
		var fs []Fact
		for _, s := range st.files {
			fs = append(fs, extract(s)...)
		}
		got, want := memo.NewIndex(fs), NewIndex(fs)
		// A budget's hint lists its selector's labels in map order: it
		// only narrows the search (candidates), in any order.
		for _, ix := range []*Index{got, want} {
			for i := range ix.pdbs {
				ix.pdbs[i].hint = ""
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the Index built through the memo differs from a fresh one", st.name)
		}
	}
}
