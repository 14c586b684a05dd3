package rules

import (
	"fmt"

	"github.com/zdlint/zdlint/loader"
)

var pdbMissing = &Rule{
	Meta: Meta{
		ID:       "pdb-missing",
		Severity: Warning,
		Summary:  "A replicated Deployment or StatefulSet has no PodDisruptionBudget selecting its pods",
		Rationale: `Replicas only protect a service from drains if the drains take them one at a time.
Without a PodDisruptionBudget, kubectl drain, cluster-autoscaler scale-down and node pool
upgrades evict every pod on a node at once, and when several replicas share a node (or several
nodes are drained together) all of them can be gone before replacements are Ready. A budget
with maxUnavailable: 1 makes the Eviction API wait for one replacement before the next
eviction. The rule counts replicas as the HPA's minReplicas when one manages the workload.
It is off by default because PDBs often live in another repository or chart; enable it where
the input holds the whole application, or pass the budgets with --context.

Not reported: workloads that serve nothing or only metrics and health endpoints, by the serving
model (docs/serving.md), since evicting them all drops no request; workloads whose signals
disagree are reported as info.`,
		Bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: example/web:1.2
          ports:
            - containerPort: 8080`,
		Fix: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web}`,
		Defaults: []string{
			"An HPA or PDB governs a workload only when their files are related: the same file or directory, one directory inside the other, or a --context file; never across sibling directories or into a testdata directory (rules/model_index.go Related)",
			"Without a PDB the Eviction API allows every eviction (docs/k8s-facts.md §6)",
			"spec.replicas defaults to 1; HPA minReplicas defaults to 1 (docs/k8s-facts.md §1, §7)",
			"A workload that declares no container port and that no Service in the input selects serves no requests and is not reported; neither is one whose only ports are metrics, health or profiling endpoints",
			"The target of a Flagger Canary is judged as its <name>-primary copy, which serves while the target runs 0 replicas between analyses: the target's replicas, and the primary's autoscaler (Flagger's copy of autoscalerRef with primaryScalerReplicas, or without autoscalerRef the target's HPAs, whose count Flagger copies at each promotion) (docs/k8s-facts.md §17)",
			"For a Flagger target only a budget selecting the primary's pods (the selector label's value suffixed -primary, or a label the copy keeps) counts; a budget on the target's own labels only is pdb-flagger-target-only's finding, and no claim is made when the target's selector has none of Flagger's default selector labels (docs/k8s-facts.md §17)",
		},
		Kinds: []string{"Deployment", "StatefulSet", "Rollout", "CloneSet", "AdvancedStatefulSet"},
		Options: []Option{
			{Name: "minReplicas", Default: 2, Doc: "workloads with fewer replicas (or HPA minReplicas) are not reported"},
		},
		Disabled: true,
		Since:    "0.1.0",
	},
	Run: func(p *Pass) {
		if _, ok := WorkloadOf(p.Obj); !ok {
			return
		}
		p.Later(Report{At: namePath})
	},
	Resolve: func(r *Resolution) (string, bool) {
		own := r.Fact.(*WorkloadFact)
		ix, ref, file := r.Index, own.Ref(), own.File
		w := ix.WorkloadNear(ref.Namespace, ref.Kind, ref.Name, file)
		if w == nil {
			return "", false
		}
		s := ix.ServingOf(own)
		switch s.Pod {
		case RoleNone, RoleScrape:
			return "", false // serves no requests (or only scrapes): a drain drops nothing
		case RoleMaybe:
			r.Severity = Info
		}
		n, how, h := podFloor(ix, w)
		if int64(n) < r.Option("minReplicas") {
			return "", false
		}
		pdbs, ambiguous := ix.PDBsFor(ref, file)
		if fp := ix.FlaggerPrimary(ref, file); fp != nil {
			// Flagger serves from the -primary copy, whose pods carry
			// <label>: <value>-primary: only a budget selecting them
			// protects what serves. A budget that selects only the
			// target's pods is pdb-flagger-target-only's finding.
			if fp.Labels == "" || len(fp.PDBs) > 0 || len(pdbs) > 0 || ambiguous {
				return "", false
			}
			r.Relate(fp.Canary, fmt.Sprintf("%s serves its traffic from %q", fp.Canary.Ref().ObjectString(), fp.Name))
			if h != nil {
				r.Relate(h, fmt.Sprintf("%s keeps at least %s running", h.Ref().ObjectString(), pods(n)))
			}
			return fmt.Sprintf("%s is served by %q, the copy Flagger Canary %q makes of it, which runs %s (%s), but no PodDisruptionBudget in namespace %q selects its pods: a drain may evict them all at once; add a PDB with maxUnavailable: 1 selecting %s: %s",
				ref.ObjectString(), fp.Name, fp.Canary.Name, pods(n), how, ref.Namespace, fp.LabelKey, fp.LabelValue), true
		}
		if len(pdbs) > 0 || ambiguous {
			return "", false
		}
		if h != nil {
			r.Relate(h, fmt.Sprintf("%s keeps at least %s running", h.Ref().ObjectString(), pods(n)))
		}
		s.RelateRoute(r, -1)
		return fmt.Sprintf("%s runs %s (%s) but no PodDisruptionBudget in namespace %q selects its pods: a drain may evict them all at once; add a PDB with maxUnavailable: 1 selecting its pod labels",
			ref.ObjectString(), pods(n), how, ref.Namespace), true
	},
}

var namePath = loader.P("metadata", "name")
