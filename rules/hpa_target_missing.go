package rules

import (
	"fmt"
	"slices"

	"github.com/zdlint/zdlint/loader"
)

var hpaTargetMissing = &Rule{
	Meta: Meta{
		ID:       "hpa-target-missing",
		Severity: Warning,
		Summary:  "An HPA's scaleTargetRef names no workload in the input",
		Rationale: `An HorizontalPodAutoscaler whose scaleTargetRef names a workload that does not exist
(a typo, a renamed Deployment, the wrong kind) scales nothing: the workload it was meant for
keeps its manifest's replica count through every traffic peak. The reference is matched by
namespace (the HPA's own), kind and name. zdlint only sees its input, so it reports a missing
target only when the input (or a --context file) holds at least one workload in that
namespace, and only for the kinds it knows (Deployment, StatefulSet, ReplicaSet,
ReplicationController); custom resources such as Argo Rollouts are never reported.

A reference the HPA controller cannot resolve is reported whatever the input holds, and does not
count as managing the workload (single-replica, pdb-missing and the other rules that read the
HPA ignore it): the controller maps scaleTargetRef's API group and kind to a resource, so a
missing apiVersion (the core group has no Deployment), an apiVersion of a group that no longer
serves the kind (extensions/v1beta1, removed in 1.16) and a kind in the wrong case
("deployment") all leave the workload unscaled. The version inside a group is not checked: the
controller does not use it.`,
		Bad: `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: wbe}
  minReplicas: 2
  maxReplicas: 10
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - {name: web, image: example/web:1.2}`,
		Fix: `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10`,
		Defaults: []string{
			"scaleTargetRef refers to an object in the HPA's own namespace (docs/k8s-facts.md §7)",
			"An object without metadata.namespace is in the --namespace namespace (default \"default\")",
			"Argo Rollouts' Rollout is served by argoproj.io/v1alpha1 and OpenKruise's CloneSet by apps.kruise.io/v1alpha1; OpenKruise's Advanced StatefulSet is a second StatefulSet, in apps.kruise.io (docs/k8s-facts.md §13, §15)",
			"A KEDA ScaledObject is checked like an HPA; its scaleTargetRef apiVersion defaults to apps/v1 and kind to Deployment, whatever the kind (docs/k8s-facts.md §14)",
			"A target named <name>-primary, where a Flagger Canary in the namespace targets <name> of the same kind, is the copy Flagger creates, and is not reported (docs/k8s-facts.md §17)",
		},
		Kinds: []string{"HorizontalPodAutoscaler", "ScaledObject"},
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		h, ok := HPAOf(p.Obj)
		if !ok || h.Target.Name == "" {
			return
		}
		if why, field := h.Target.Unresolvable(); why != "" {
			at := loader.P("spec", "scaleTargetRef")
			if field != "" {
				at = at.Key(field)
			}
			p.Reportf(at, "%s cannot resolve its target %s %q: %s", p.Obj, h.Target.Kind, h.Target.Name, why)
			return
		}
		if !slices.Contains(scalableKinds, h.Target.Kind) {
			return
		}
		p.Later(Report{At: targetNamePath})
	},
	Resolve: func(r *Resolution) (string, bool) {
		f := r.Fact.(*HPAFact)
		ix, ns, h := r.Index, f.Ref().Namespace, f.Target
		if ix.Workload(ns, h.Kind, h.Name) != nil || !ix.HasWorkloadsIn(ns) {
			return "", false
		}
		if ix.CanaryOfPrimary(ns, h.Kind, h.Name, f.File) != nil {
			return "", false // Flagger's -primary copy of a Canary's target
		}
		msg := fmt.Sprintf("%s targets %s %q, which is not in namespace %q of the input", f.Ref().ObjectString(), h.Kind, h.Name, ns)
		if other := ix.WorkloadNamed(ns, h.Name); other != nil {
			r.Relate(other, fmt.Sprintf("%s has the name scaleTargetRef gives", other.Ref().ObjectString()))
			msg += fmt.Sprintf("; there is a %s of that name: set scaleTargetRef.kind to %s", other.Ref().Kind, other.Ref().Kind)
		} else {
			msg += "; fix scaleTargetRef.name (or pass the file that defines it with --context)"
		}
		return msg, true
	},
}

var targetNamePath = loader.P("spec", "scaleTargetRef", "name")
