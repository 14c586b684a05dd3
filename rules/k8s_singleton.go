package rules

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/zdlint/zdlint/loader/crd"
)

// Singletons by design: workloads that must not run twice, for which "set
// replicas to 2" is the wrong advice. A second copy of a store that keeps
// its data on one volume has no data, or fights the first for the
// volume; a second copy of a controller without leader election acts
// twice; a second copy of a shard exports every series twice. What helps
// is a clustered setup of the store, or, for the drain itself, a
// PodDisruptionBudget and a PriorityClass.

// Singleton reasons, as packed into a deferred finding's arg (the low
// four bits; a port number above them).
const (
	singletonNone       = iota
	singletonClaim      // the pod template mounts a PersistentVolumeClaim
	singletonClaimTmpl  // a StatefulSet with volumeClaimTemplates
	singletonStorePort  // declares the port of a single-writer store
	singletonStateDir   // keeps state on an emptyDir at a daemon's state directory
	singletonShard      // runs one shard (--shard)
	singletonNoElection // runs with leader election disabled
)

// storePorts are the well-known ports of databases and caches that take
// writes on one node unless set up as a cluster: the wire protocol says
// what the container is, whatever its name.
var storePorts = map[int32]string{
	3306: "MySQL", 5432: "PostgreSQL", 6379: "Redis", 27017: "MongoDB", 11211: "memcached",
	9042: "Cassandra", 8086: "InfluxDB", 5984: "CouchDB", 1433: "SQL Server", 1521: "Oracle", 7687: "Neo4j",
}

// singletonOf returns why a workload runs once by design, packed as
// described above, or 0.
func singletonOf(w *Workload, typed any) int32 {
	spec := w.PodSpec()
	claims := map[string]bool{}
	scratch := map[string]bool{}
	for _, v := range spec.Volumes {
		switch {
		case v.PersistentVolumeClaim != nil && !v.PersistentVolumeClaim.ReadOnly:
			claims[v.Name] = true
		case v.EmptyDir != nil:
			scratch[v.Name] = true
		}
	}
	var why int32
	set := func(r int32) {
		if why == singletonNone {
			why = r
		}
	}
	for _, c := range w.Containers() {
		if IsMeshProxy(c.Container) {
			continue
		}
		for _, p := range c.Ports {
			if _, ok := storePorts[p.ContainerPort]; ok {
				set(singletonStorePort | p.ContainerPort<<4)
			}
		}
		for _, m := range c.VolumeMounts {
			if claims[m.Name] && !m.ReadOnly {
				set(singletonClaim) // read-only, a claim may be shared (ReadOnlyMany)
			}
		}
		for _, m := range c.VolumeMounts {
			if scratch[m.Name] && !m.ReadOnly && stateDir(m.MountPath) {
				set(singletonStateDir)
			}
		}
		for _, a := range append(append([]string(nil), c.Command...), c.Args...) {
			name, value, _ := strings.Cut(a, "=")
			name = strings.TrimLeft(name, "-")
			switch {
			case name == "shard" || name == "shard-index":
				set(singletonShard)
			case (name == "leader-elect" || name == "enable-leader-election" || name == "leader-election") && strings.EqualFold(value, "false"):
				set(singletonNoElection)
			}
		}
	}
	if ss, ok := typed.(*appsv1.StatefulSet); ok && len(ss.Spec.VolumeClaimTemplates) > 0 {
		set(singletonClaimTmpl)
	}
	if ss, ok := typed.(*crd.AdvancedStatefulSet); ok && len(ss.Spec.VolumeClaimTemplates) > 0 {
		set(singletonClaimTmpl)
	}
	return why
}

// stateDir reports whether an emptyDir is mounted where a daemon keeps its
// own state: /var/lib/<app> (the filesystem hierarchy's place for it, as
// Grafana's SQLite database or MySQL's tables) or /bitnami/<app>. A bare
// /data is not enough: stateless servers (podinfo's upload directory) and
// replicable ones (a Prometheus whose TSDB runs as an HA pair) mount
// scratch space there, and a second replica of those is what helps. A
// writable claim counts wherever it is mounted.
func stateDir(p string) bool {
	return strings.HasPrefix(p, "/var/lib/") || strings.HasPrefix(p, "/bitnami/")
}

// singletonText says why a workload runs once, from singletonOf's value.
func singletonText(why int32) string {
	switch why & 15 {
	case singletonClaim:
		return "its pods mount a PersistentVolumeClaim, which a second replica would share"
	case singletonClaimTmpl:
		return "it keeps its data on volumeClaimTemplates, so a second replica starts with empty volumes"
	case singletonStorePort:
		port := why >> 4
		return fmt.Sprintf("it serves the %s port %d, a store that takes writes on one node unless set up as a cluster", storePorts[port], port)
	case singletonStateDir:
		return "it keeps its state on an emptyDir in a state directory (/var/lib/..., /bitnami/...), which a second replica would not see"
	case singletonShard:
		return "it runs one shard (--shard), which a second copy would export twice"
	case singletonNoElection:
		return "leader election is disabled, so a second copy would act twice"
	}
	return ""
}
