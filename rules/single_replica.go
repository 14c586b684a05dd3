package rules

import (
	"fmt"
	"strings"

	"github.com/zdlint/zdlint/loader"
)

var singleReplica = &Rule{
	Meta: Meta{
		ID:       "single-replica",
		Severity: Warning,
		Summary:  "A Deployment or StatefulSet runs fewer than two replicas and no HPA keeps more",
		Rationale: `With one replica every disruption is an outage. A node drain evicts the only pod and
nothing serves until its replacement is scheduled, pulled and Ready; a StatefulSet rollout
stops the pod before it starts the new one; a crash or an OOM kill takes the whole service
down. A second replica on another node turns each of these into a capacity dip instead of
dropped requests. When an HorizontalPodAutoscaler manages the workload, its minReplicas is
the floor that counts, so the rule is satisfied by an HPA whose minReplicas is at least the
threshold, wherever that HPA is in the input (or in a --context file).`,
		Bad: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  # replicas omitted: the default is 1
  template:
    spec:
      containers:
        - name: web
          image: example/web:1.2
          ports:
            - containerPort: 8080`,
		Fix: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: example/web:1.2
          ports:
            - containerPort: 8080`,
		Defaults: []string{
			"spec.replicas defaults to 1 (k8s-facts.md §1, §2)",
			"A workload that declares no container port and that no Service in the input selects serves no requests and is not reported",
			"HPA minReplicas defaults to 1 (k8s-facts.md §7)",
			"replicas: 0 is a workload scaled down on purpose and is not reported",
		},
		Kinds: []string{"Deployment", "StatefulSet"},
		// Workloads that declare no container port and that no Service in
		// the input selects serve no requests and are not reported.
		Options: []Option{
			{Name: "minReplicas", Default: 2, Doc: "the fewest replicas (or HPA minReplicas) that is not reported"},
		},
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		w, ok := WorkloadOf(p.Obj)
		if !ok || !w.KindHasReplicas {
			return
		}
		min := p.Option("minReplicas")
		n := w.EffectiveReplicas()
		if int64(n) >= min || n == 0 {
			return
		}
		p.Later(Report{At: replicasPath})
	},
	Resolve: func(r *Resolution) (string, bool) {
		w := r.Fact.(*WorkloadFact)
		ix, ref, file, min := r.Index, w.Ref(), w.File, r.Option("minReplicas")
		if !w.Ports && !ix.Served(ref, file) {
			return "", false // serves no requests: nothing to drop
		}
		hpas := ix.HPAsFor(ref, file)
		var low []string
		for _, h := range hpas {
			if int64(h.EffectiveMinReplicas()) >= min {
				return "", false
			}
			low = append(low, fmt.Sprintf("HorizontalPodAutoscaler %q has minReplicas %d", h.Ref().Name, h.EffectiveMinReplicas()))
		}
		if len(hpas) == 0 && ix.HPAAmbiguous(ref, file) {
			return "", false // an HPA names it, but which definition is ambiguous
		}
		obj := ref.ObjectString()
		if len(low) > 0 {
			return fmt.Sprintf("%s can run a single pod: %s; raise minReplicas to at least %d so a drain or crash does not stop all of it", obj, strings.Join(low, ", "), min), true
		}
		how := fmt.Sprintf("has replicas %d", w.EffectiveReplicas())
		if w.Replicas == nil {
			how = fmt.Sprintf("does not set replicas (default %d)", DefaultReplicas)
		}
		return fmt.Sprintf("%s %s and no HorizontalPodAutoscaler manages it: a node drain, eviction or crash stops all of it; set replicas to at least %d", obj, how, min), true
	},
}

// replicasPath is spec.replicas, shared so deferring a finding there
// allocates no path.
var replicasPath = loader.P("spec", "replicas")
