package rules

import (
	appsv1 "k8s.io/api/apps/v1"

	"github.com/zdlint/zdlint/loader"
)

var recreateStrategy = &Rule{
	Meta: Meta{
		ID:       "recreate-strategy",
		Severity: Error,
		Summary:  "The update strategy is Recreate, so every pod stops before any new pod starts",
		Rationale: `With strategy type Recreate the controller deletes every old pod and waits until they have
all terminated before it creates a single new one. Every rollout is a full outage lasting
shutdown plus image pull plus start-up plus readiness. Use RollingUpdate; if two versions truly
cannot run side by side, make that explicit in a migration step rather than in every deploy.`,
		Bad: `spec:
  strategy:
    type: Recreate`,
		Fix: `spec:
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1`,
		Defaults: []string{
			"Deployment strategy.type defaults to RollingUpdate; Recreate must be chosen explicitly",
			"StatefulSet updateStrategy.type Recreate is alpha (feature gate StatefulSetRecreateStrategy) and likewise stops every pod first",
		},
		Kinds: []string{"Deployment", "StatefulSet"},
		Since: "0.1.0",
	},
	Run: func(p *Pass) {
		switch o := p.Obj.Typed.(type) {
		case *appsv1.Deployment:
			if o.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
				fix := "use RollingUpdate with maxUnavailable: 0"
				for _, v := range o.Spec.Template.Spec.Volumes {
					if v.PersistentVolumeClaim != nil {
						// A ReadWriteOnce claim is the usual reason for
						// Recreate: say what removes the need for it.
						fix = "if a ReadWriteOnce volume forces it, run the workload as a StatefulSet (one claim per pod) and roll it with RollingUpdate"
						break
					}
				}
				p.Reportf(loader.P("spec", "strategy", "type"), "%s uses strategy type Recreate: every pod stops before new ones start, so each rollout is an outage; %s", p.Obj, fix)
			}
		case *appsv1.StatefulSet:
			if string(o.Spec.UpdateStrategy.Type) == "Recreate" {
				p.Reportf(loader.P("spec", "updateStrategy", "type"), "%s uses updateStrategy type Recreate: every pod stops before new ones start; use RollingUpdate", p.Obj)
			}
		}
	},
}
