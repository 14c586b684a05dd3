package rules

import (
	"fmt"
	"strings"

	"github.com/zdlint/zdlint/loader/yamledit"
	"github.com/zdlint/zdlint/rules/suggest"
)

var unknownField = &Rule{
	Meta: Meta{
		ID:       "unknown-field",
		Severity: Error,
		Summary:  "A field does not exist in the object's schema, so the API server drops it silently",
		Rationale: `Fields that the schema does not know are discarded when the object is stored (kubectl warns at
best, depending on its field validation setting). A misspelled readinessProbe, preStop or
terminationGracePeriodSeconds looks right in review and does nothing in the cluster: the probe or
delay it was meant to add does not exist, and the rollout drops requests exactly as if it had
never been written.

A key with dots or a slash (app.kubernetes.io/name) is one field, and is named whole. A field
with the wrong type elsewhere in the object (reported as a load error) does not hide the
unknown fields: they are found as if that field were absent, so a typo shows up in the same
run rather than after the type error is fixed. Kustomize patch directives ($patch,
$retainKeys) are not reported, and objects zdlint does not decode (custom resources) are not
checked.`,
		Bad: `containers:
  - name: web
    readynessProbe:
      httpGet: {path: /ready, port: 8080}`,
		Fix: `containers:
  - name: web
    readinessProbe:
      httpGet: {path: /ready, port: 8080}`,
		Defaults: []string{
			"The API server prunes unknown fields of built-in kinds; kubectl's --validate setting only decides whether it warns or fails",
		},
		Since: "0.1.0",
		Fixes: []FixNote{
			{FixUnsafe, "a field with a close known name (did you mean ...?) that the mapping does not already have", "renames the key to the suggestion; the value was never applied, so renaming changes what the cluster runs"},
			{FixNone, "no close name, or the suggested key already exists", "which of the two values is meant is the author's to say"},
		},
	},
	Run: func(p *Pass) {
		for _, path := range p.Obj.UnknownFields {
			if len(path) == 0 || path[len(path)-1].IsIndex {
				continue
			}
			name := path[len(path)-1].Key
			if strings.HasPrefix(name, "$") {
				continue // strategic-merge-patch directives ($patch, $retainKeys) in kustomize patches
			}
			msg := fmt.Sprintf("unknown field %q in %s; the API server drops it", name, p.Obj)
			var fix *FixSpec
			if best := suggest.Closest(name, fieldNamesAt(p.Obj.Typed, path[:len(path)-1])); best != "" {
				if _, _, taken := p.Obj.Lookup(path[:len(path)-1].Key(best)); !taken {
					fix = NewFix(FixUnsafe, yamledit.Change{Op: yamledit.Rename, At: path, Value: best})
				}
				msg = fmt.Sprintf("unknown field %q in %s (did you mean %q?); the API server drops it", name, p.Obj, best)
			}
			if parent := path[:len(path)-1]; strings.ContainsAny(name, "./") && len(parent) > 0 && !parent[len(parent)-1].IsIndex && parent[len(parent)-1].Key == "metadata" {
				msg += fmt.Sprintf("; a label or annotation key belongs under %s.labels or %s.annotations", parent, parent)
			}
			p.Report(Report{At: path, AtKey: true, Message: msg, Fix: fix})
		}
	},
}
