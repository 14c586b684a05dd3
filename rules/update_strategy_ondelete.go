package rules

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/crd"
)

var updateStrategyOnDelete = &Rule{
	Meta: Meta{
		ID:       "update-strategy-ondelete",
		Severity: Warning,
		Summary:  "The update strategy is OnDelete, so template changes never roll out by themselves",
		Rationale: `With updateStrategy OnDelete a StatefulSet or DaemonSet replaces a pod only when someone
deletes it. Applying a new image or configuration changes nothing that is running: the fix you
deployed is not live, the pods drift apart in version, and the eventual manual deletions happen
without the controller's ordering and readiness checks.`,
		Bad: `spec:
  updateStrategy:
    type: OnDelete`,
		Fix: `spec:
  updateStrategy:
    type: RollingUpdate`,
		Defaults: []string{
			"StatefulSet and DaemonSet updateStrategy.type defaults to RollingUpdate",
			"OnDelete replaces a pod only after it is deleted manually",
			"OpenKruise's Advanced StatefulSet and Advanced DaemonSet have the same two types and default (kruise apis/apps/defaults/v1beta1.go SetDefaultsStatefulSet, v1alpha1.go SetDefaultsDaemonSet); docs/k8s-facts.md §15",
		},
		Kinds: []string{"StatefulSet", "DaemonSet", "AdvancedStatefulSet", "AdvancedDaemonSet"},
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		var t string
		switch o := p.Obj.Typed.(type) {
		case *appsv1.StatefulSet:
			t = string(o.Spec.UpdateStrategy.Type)
		case *appsv1.DaemonSet:
			t = string(o.Spec.UpdateStrategy.Type)
		case *crd.AdvancedStatefulSet:
			t = o.Spec.UpdateStrategy.Type
		case *crd.AdvancedDaemonSet:
			t = o.Spec.UpdateStrategy.Type
		}
		if t == "OnDelete" {
			p.Report(Report{At: loader.P("spec", "updateStrategy", "type"),
				Message: fmt.Sprintf("%s uses updateStrategy type OnDelete: template changes are not rolled out until each pod is deleted by hand; use RollingUpdate", p.Obj)})
		}
	},
}
