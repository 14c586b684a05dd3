package rules

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/zdlint/zdlint/loader"
)

var pdbBlocksEviction = &Rule{
	Meta: Meta{
		ID:       "pdb-blocks-eviction",
		Severity: Error,
		Summary:  "A PodDisruptionBudget can never allow a disruption, so node drains hang",
		Rationale: `A PodDisruptionBudget limits the Eviction API, which kubectl drain, cluster-autoscaler
scale-down and node upgrades use. A budget that allows zero disruptions even when every pod is
healthy (maxUnavailable 0 or "0%", minAvailable "100%", or a minAvailable that equals or
exceeds the number of pods it selects) makes every eviction fail: drains retry forever, node
pools cannot be upgraded, and operators end up deleting the PDB or the pods by hand at the
worst moment, which is a real outage. Rolling updates are not limited by PDBs, so the budget
does not even protect rollouts.

The number of pods is the selected workloads' replicas (default 1), or the minReplicas of
the HorizontalPodAutoscaler that manages a workload, since the HPA may scale it down to that.
Percentages are resolved the way the disruption controller does it: rounded up, so
minAvailable "50%" of one pod is one pod. Workloads are matched by the budget's selector
(matchLabels and matchExpressions) against their pod template labels in the budget's namespace.

A budget that sets neither minAvailable nor maxUnavailable blocks every eviction too. The API
server accepts it and no API version defaults either field (policy/v1 has no defaulting for it,
and policy/v1beta1 defaults only PodSecurityPolicy); the disruption controller then computes an
expected pod count of 0, and with 0 expected pods it allows no disruption. Only pods that are
not Ready can still be evicted (unhealthyPodEvictionPolicy). pdb-missing does not report the
workloads such a budget selects: this finding on the budget is the one to fix.

Not reported: a minAvailable whose workloads are defined more than once in the input with
different sizes, and budgets over DaemonSets (their pod count is the number of nodes).`,
		Bad: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 2
  selector:
    matchLabels: {app: web}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - {name: web, image: example/web:1.2}`,
		Fix: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web}`,
		Defaults: []string{
			"An HPA or PDB governs a workload only when their files are related: the same file or directory, one directory inside the other, or a --context file; never across sibling directories or into a testdata directory (rules/model_index.go Related)",
			"PDB percentages are rounded up against the controllers' scale (docs/k8s-facts.md §6)",
			"spec.replicas defaults to 1; HPA minReplicas defaults to 1 (docs/k8s-facts.md §1, §7)",
			"A null selector matches no pods; in policy/v1 {} matches every pod of the namespace, in policy/v1beta1 none (docs/k8s-facts.md §6)",
			"The target of a Flagger Canary counts by its <name>-primary copy: selected when the budget matches the primary's pod labels (the selector label's value suffixed -primary), with the target's replicas or the primary's autoscaler; a budget that matches only the target's pods selects none between analyses (pdb-flagger-target-only) (docs/k8s-facts.md §17)",
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
		if v := b.MaxUnavailable; v != nil {
			if n, ok := Percent(v); (ok && n == 0) || (v.Type == intstr.Int && v.IntVal == 0) {
				p.Reportf(loader.P("spec", "maxUnavailable"), "%s has maxUnavailable %s: no pod it selects can ever be evicted, so kubectl drain and cluster-autoscaler wait forever; set maxUnavailable to 1 or more",
					obj, FormatIntOrString(v))
			}
			return
		}
		v := b.MinAvailable
		if v == nil {
			if b.SelectorState == SelectorMissing {
				return // it selects no pod: pdb-selector-empty reports it
			}
			// Neither field: no version defaults one, and the disruption
			// controller then expects 0 pods, which it treats as "allow
			// no disruption" (disruptionsAllowed is 0 while expectedPods
			// is 0).
			p.Reportf(loader.P("spec"), "%s sets neither minAvailable nor maxUnavailable: the disruption controller then allows no eviction of a Ready pod it selects, so kubectl drain and cluster-autoscaler wait forever; set maxUnavailable: 1",
				obj)
			return
		}
		pct, isPct := Percent(v)
		switch {
		case isPct && pct >= 100:
			p.Reportf(loader.P("spec", "minAvailable"), "%s has minAvailable %s: no pod it selects can ever be evicted, so kubectl drain and cluster-autoscaler wait forever; use maxUnavailable: 1 instead",
				obj, FormatIntOrString(v))
			return
		case isPct && pct == 0, v.Type == intstr.Int && v.IntVal <= 0:
			return
		case v.Type == intstr.String && !isPct:
			return // invalid; the API server rejects it
		}
		p.Later(Report{At: minAvailablePath})
	},
	Resolve: func(r *Resolution) (string, bool) {
		fact := r.Fact.(*PDBFact)
		ix, v := r.Index, fact.MinAvailable
		_, isPct := Percent(v)
		var total int32
		var parts []string
		ws, complete := ix.SelectedWorkloads(fact)
		if !complete {
			return "", false // several definitions of a workload: its size is unknown
		}
		for _, w := range ws {
			if !w.KindHasReplicas {
				return "", false // a DaemonSet: its pod count is the number of nodes
			}
			n, how, h := podFloor(ix, w)
			total += n
			parts = append(parts, fmt.Sprintf("%s %q (%s)", w.Ref().Kind, w.Ref().Name, how))
			r.Relate(w, fmt.Sprintf("%s, whose pods the budget selects (%s)", w.Ref().ObjectString(), how))
			if h != nil {
				r.Relate(h, fmt.Sprintf("%s lets it run %s", h.Ref().ObjectString(), pods(n)))
			}
		}
		if total == 0 {
			return "", false
		}
		desired := v.IntVal
		if isPct {
			d, err := ScaledValue(v, int(total), true)
			if err != nil {
				return "", false
			}
			desired = int32(d)
		}
		if desired < total {
			return "", false
		}
		what := fmt.Sprintf("minAvailable %s", FormatIntOrString(v))
		if isPct {
			what += fmt.Sprintf(" (rounded up: %d of %d)", desired, total)
		}
		fix := fmt.Sprintf("lower minAvailable to %d or use maxUnavailable: 1", total-1)
		if total == 1 {
			fix = "run at least 2 replicas with minAvailable: 1, or use maxUnavailable: 1"
		}
		return fmt.Sprintf("%s has %s but selects only %s (%s): no pod can ever be evicted, so kubectl drain and cluster-autoscaler wait forever; %s",
			fact.Ref().ObjectString(), what, pods(total), strings.Join(parts, ", "), fix), true
	},
}

var minAvailablePath = loader.P("spec", "minAvailable")

// podFloor returns the fewest pods a workload may run, for budgets: the
// smallest minReplicas of the HPAs managing it, else its replicas (default
// 1), how that number came about, and the HPA that set it (nil for
// replicas).
//
// The target of a Flagger Canary counts as its -primary copy, which runs
// the pods while the target runs none between analyses (see
// Index.Autoscalers).
func podFloor(ix *Index, w *WorkloadFact) (int32, string, *HPAFact) {
	var best *HPAFact
	hpas, _ := ix.Autoscalers(w.Ref(), w.File)
	for _, h := range hpas {
		if best == nil || h.EffectiveMinReplicas() < best.EffectiveMinReplicas() {
			best = h
		}
	}
	prefix := ""
	if fp := ix.FlaggerPrimary(w.Ref(), w.File); fp != nil {
		prefix = fmt.Sprintf("as its Flagger primary %q: ", fp.Name)
	}
	if best != nil {
		return best.EffectiveMinReplicas(), fmt.Sprintf("%s%s %q minReplicas %d", prefix, best.Ref().Kind, best.Ref().Name, best.EffectiveMinReplicas()), best
	}
	if w.Replicas == nil {
		return DefaultReplicas, fmt.Sprintf("%sreplicas not set, default %d", prefix, DefaultReplicas), nil
	}
	return *w.Replicas, fmt.Sprintf("%sreplicas %d", prefix, *w.Replicas), nil
}
