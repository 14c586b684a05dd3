package rules

import (
	"fmt"

	"github.com/zdlint/zdlint/loader/yamledit"
)

var duplicateKey = &Rule{
	Meta: Meta{
		ID:       "duplicate-key",
		Severity: Error,
		Summary:  "A key appears twice in one mapping, so the later value silently replaces the first",
		Rationale: `YAML forbids duplicate keys, but the parser kubectl uses keeps the last one without a word. A
second "lifecycle:" or "resources:" further down a long container spec (often from a merge
or a copy-paste) throws away the first block: the preStop hook or the requests a reviewer saw
are not what the cluster gets. The finding is on the later key, the one that wins, and names the
line of the first; a key written three times gives two findings, each naming the first line. The
first occurrence is not reported separately: it is one defect, and one finding per defect keeps
counts honest.`,
		Bad: `containers:
  - name: web
    lifecycle:
      preStop:
        sleep: {seconds: 10}
    image: example/web:1.2
    lifecycle: {}          # replaces the block above`,
		Fix: `containers:
  - name: web
    image: example/web:1.2
    lifecycle:
      preStop:
        sleep: {seconds: 10}`,
		Defaults: []string{
			"kubectl converts YAML with sigs.k8s.io/yaml (yaml.v2), which keeps the last of duplicate keys",
		},
		Since: "0.1.0",
		Fixes: []FixNote{
			{FixUnsafe, "a duplicate in a block mapping", "removes the first occurrence, the one the cluster never sees, so what is applied does not change; a person checks that the lost block was not the one meant"},
		},
	},
	Run: func(p *Pass) {
		for _, d := range p.Obj.Duplicates {
			var fix *FixSpec
			if len(d.Path) > 0 {
				fix = NewFix(FixUnsafe, yamledit.Change{Op: yamledit.Delete, At: d.Path[:len(d.Path)-1], KeyPos: d.First})
			}
			p.Report(Report{At: d.Path, Pos: d.Second, Fix: fix, Message: fmt.Sprintf("duplicate key %q in %s (first at line %d) replaces the earlier value; remove one of them", d.Key, p.Obj, d.First.Line)})
		}
	},
}
