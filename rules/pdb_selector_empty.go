package rules

import (
	"github.com/zdlint/zdlint/loader"
)

var pdbSelectorEmpty = &Rule{
	Meta: Meta{
		ID:       "pdb-selector-empty",
		Severity: Warning,
		Summary:  "A PodDisruptionBudget has no selector or an empty one",
		Rationale: `A budget protects the pods its selector matches, and the two ways of leaving the
selector out do opposite things. A missing (null) selector matches no pods in any version:
the budget exists but drains evict the workload's pods freely, all at once if the node holds
them all. An empty selector ({}) matches every pod in the namespace in policy/v1, so one budget
counts unrelated workloads together: evictions of one app are allowed or refused depending on
the health of the others, and a single unready pod anywhere in the namespace can block drains.
policy/v1beta1 treated an empty selector as matching no pods, so a budget written for v1beta1
protected nothing and changes meaning when it is moved to policy/v1. The message says which
applies to the apiVersion written.`,
		Bad: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  maxUnavailable: 1
  selector: {}`,
		Fix: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web}`,
		Defaults: []string{
			"policy/v1: a null selector matches no pods, {} matches every pod in the namespace (docs/k8s-facts.md §6)",
			"policy/v1beta1: both a null and an empty selector match no pods (docs/k8s-facts.md §6)",
		},
		Kinds: []string{"PodDisruptionBudget"},
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		b, ok := PDBOf(p.Obj)
		if !ok {
			return
		}
		obj := p.Obj.String()
		at := loader.P("spec", "selector")
		switch {
		case b.SelectorState == SelectorMissing:
			p.Reportf(at, "%s has no selector: a null selector matches no pods (in policy/v1 and policy/v1beta1), so this budget protects nothing; set spec.selector.matchLabels to the pod labels of the workload it is for", obj)
		case b.SelectorState == SelectorEmpty && b.Beta:
			p.Reportf(at, "%s has an empty selector ({}): policy/v1beta1 treats it as matching no pods, so this budget protects nothing (in policy/v1 it would match every pod in namespace %q); set spec.selector.matchLabels to the workload's pod labels", obj, p.Namespace())
		case b.SelectorState == SelectorEmpty:
			p.Reportf(at, "%s has an empty selector ({}): in policy/v1 it matches every pod in namespace %q, so one budget governs unrelated workloads; set spec.selector.matchLabels to the workload's pod labels", obj, p.Namespace())
		}
	},
}
