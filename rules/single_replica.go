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
threshold, wherever that HPA is in the input (or in a --context file).

Whether the workload serves comes from the serving model (docs/serving.md): a workload that
serves nothing (no port and no Service selecting it) or only metrics and health endpoints (a
controller, an exporter) is not reported, since a drain drops no request; one whose signals
disagree is reported as info.

A singleton by design is reported as info, with what it is rather than "set replicas to 2":
a pod template that mounts a writable PersistentVolumeClaim, a StatefulSet with
volumeClaimTemplates, a container that declares the well-known port of a single-writer store
(MySQL 3306, PostgreSQL 5432, Redis 6379, MongoDB 27017, memcached 11211, Cassandra 9042,
InfluxDB 8086, CouchDB 5984, SQL Server 1433, Oracle 1521, Neo4j 7687), a writable emptyDir in
a daemon's state directory (/var/lib/..., /bitnami/...), --shard, or --leader-elect=false. A
bare /data emptyDir is not a signal: stateless servers keep scratch files there and replicable
ones (a Prometheus run as an HA pair) keep data that each replica rebuilds. A second copy
of these has no data, fights for the volume or acts twice; what shortens the outage is a
PodDisruptionBudget, a PriorityClass, or a clustered setup.`,
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
			"An HPA or PDB governs a workload only when their files are related: the same file or directory, one directory inside the other, or a --context file; never across sibling directories or into a testdata directory (rules/model_index.go Related)",
			"spec.replicas defaults to 1 (docs/k8s-facts.md §1, §2)",
			"A workload that declares no container port and that no Service in the input selects serves no requests and is not reported; neither is one whose only ports are metrics, health or profiling endpoints",
			"HPA minReplicas defaults to 1 (docs/k8s-facts.md §7)",
			"replicas: 0 is a workload scaled down on purpose and is not reported",
			"The target of a Flagger Canary is judged as its <name>-primary copy, which serves while the target runs 0 replicas between analyses: the target's replicas, and the primary's autoscaler (Flagger's copy of autoscalerRef with primaryScalerReplicas, or without autoscalerRef the target's HPAs, whose count Flagger copies at each promotion) (docs/k8s-facts.md §17)",
		},
		Kinds: []string{"Deployment", "StatefulSet", "Rollout", "CloneSet", "AdvancedStatefulSet"},
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
		// What runs once by design is known now; whether it serves
		// needs the Services (ServingOf).
		p.Later(Report{At: replicasPath, Detail: singletonText(singletonOf(w, p.Obj.Typed))})
	},
	Resolve: func(r *Resolution) (string, bool) {
		w := r.Fact.(*WorkloadFact)
		ix, ref, file, min := r.Index, w.Ref(), w.File, r.Option("minReplicas")
		s := ix.ServingOf(w)
		switch s.Pod {
		case RoleNone, RoleScrape:
			return "", false // serves no requests (or only scrapes): nothing to drop
		case RoleMaybe:
			r.Severity = Info
		}
		// The target of a Flagger Canary is judged as its -primary copy,
		// which serves every request: the same replicas, and the
		// primary's autoscalers (model_flagger.go).
		hpas, unknown := ix.Autoscalers(ref, file)
		fp := ix.FlaggerPrimary(ref, file)
		var low []string
		field := "minReplicas"
		for _, h := range hpas {
			if h.Kind == "ScaledObject" {
				field = "minReplicaCount"
			}
			if int64(h.EffectiveMinReplicas()) >= min {
				return "", false
			}
			low = append(low, autoscalerMin(h))
		}
		if unknown {
			return "", false // an HPA names it, but which definition is ambiguous
		}
		obj := ref.ObjectString()
		if fp != nil {
			obj = fmt.Sprintf("%s (served by %q, the copy Flagger Canary %q makes of it)", obj, fp.Name, fp.Canary.Name)
			r.Relate(fp.Canary, fmt.Sprintf("%s serves its traffic from %q", fp.Canary.Ref().ObjectString(), fp.Name))
			if fp.Canary.AutoscalerName != "" && fp.Canary.PrimaryMin != nil {
				field = "autoscalerRef.primaryScalerReplicas.minReplicas"
			}
		}
		if len(low) > 0 {
			for _, h := range hpas {
				r.Relate(h, fmt.Sprintf("%s lets it scale down to %s", h.Ref().ObjectString(), pods(h.EffectiveMinReplicas())))
			}
			s.RelateRoute(r, -1)
			return fmt.Sprintf("%s can run a single pod: %s; raise %s to at least %d so a drain or crash does not stop all of it", obj, strings.Join(low, ", "), field, min), true
		}
		how := fmt.Sprintf("has replicas %d", w.EffectiveReplicas())
		if w.Replicas == nil {
			how = fmt.Sprintf("does not set replicas (default %d)", DefaultReplicas)
		}
		if fp != nil && r.Detail == "" {
			return fmt.Sprintf("%s %s, which Flagger gives its primary, and no HorizontalPodAutoscaler manages the primary: a node drain, eviction or crash stops all of it; set replicas to at least %d, or name an HPA in the Canary's autoscalerRef",
				obj, how, min), true
		}
		if why := r.Detail; why != "" {
			r.Severity = Info
			return fmt.Sprintf("%s %s and runs once by design: %s. A node drain or eviction is an outage until it is rescheduled; a PodDisruptionBudget makes drains wait for you, a PriorityClass keeps it scheduled, and a replicated setup of the store removes the outage (more replicas of this one do not)", obj, how, why), true
		}
		s.RelateRoute(r, -1)
		return fmt.Sprintf("%s %s and no HorizontalPodAutoscaler manages it: a node drain, eviction or crash stops all of it; set replicas to at least %d", obj, how, min), true
	},
}

// replicasPath is spec.replicas, shared so deferring a finding there
// allocates no path.
var replicasPath = loader.P("spec", "replicas")

// autoscalerMin names an autoscaler's fewest replicas for messages.
func autoscalerMin(h *HPAFact) string {
	if h.Kind == "ScaledObject" {
		return fmt.Sprintf("ScaledObject %q scales it down to %d (idleReplicaCount, else minReplicaCount, which defaults to 0)", h.Ref().Name, h.EffectiveMinReplicas())
	}
	return fmt.Sprintf("HorizontalPodAutoscaler %q has minReplicas %d", h.Ref().Name, h.EffectiveMinReplicas())
}
