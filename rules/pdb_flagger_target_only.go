package rules

import (
	"fmt"
	"strings"

	"github.com/zdlint/zdlint/loader"
)

var pdbFlaggerTargetOnly = &Rule{
	Meta: Meta{
		ID:       "pdb-flagger-target-only",
		Severity: Warning,
		Summary:  "A PodDisruptionBudget selects the pods of a Flagger Canary's target but not those of its -primary, which serve",
		Rationale: `Flagger does not serve from the Deployment a Canary's targetRef names. It copies it into
<name>-primary, points the Service at the copy's pods and scales the target to zero
replicas; the target runs pods again only while Flagger analyses a new version. The copy's
pods carry the target's labels except one: the selector label Flagger found (app, name or
app.kubernetes.io/name, the first of these in the target's spec.selector.matchLabels) gets the
value <value>-primary. A budget written against the target's labels therefore selects no pod
between analyses, and the pods that serve every request have no budget: kubectl drain and
cluster-autoscaler evict them all at once. Flagger's maintainers answer this by pointing the
budget at the primary's pods (fluxcd/flagger#815); Flagger does not manage budgets itself
(fluxcd/flagger#1604).

A budget that selects the primary's pods, by the -primary value or by a label the primary
keeps (app.kubernetes.io/instance, team, ...), is not reported, whatever else it selects. The
rule makes no claim when the target's selector has none of Flagger's default selector labels
(Flagger then runs with a -selector-labels flag zdlint cannot see).`,
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
            - containerPort: 8080
---
apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: web}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  service: {port: 8080}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web}`,
		Fix: `apiVersion: apps/v1
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
            - containerPort: 8080
---
apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: web}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  service: {port: 8080}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web-primary}`,
		Defaults: []string{
			"Flagger serves from <targetRef.name>-primary and scales the target to 0 replicas after initialization and after every promotion (fluxcd/flagger v1.44.0 pkg/canary/deployment_controller.go, pkg/controller/scheduler.go; docs/k8s-facts.md §17)",
			"The primary's pods have the target's pod labels with the selector label's value suffixed -primary; the selector label is the first of Flagger's -selector-labels (default app, name, app.kubernetes.io/name) in the target's spec.selector.matchLabels (pkg/canary/util.go makePrimaryLabels, cmd/flagger/main.go; docs/k8s-facts.md §17)",
			"A Canary relates to its target, and a budget to the pods it selects, only when their files are related (rules/model_index.go Related)",
		},
		Kinds: []string{"PodDisruptionBudget"},
		Since: "0.1.0",
		Fixes: []FixNote{
			{FixUnsafe, "a matchLabels entry on the label Flagger renames, with the target's value", "appends -primary to the value, so the budget selects the primary's pods; the canary pods lose the budget during an analysis, which is what Flagger's maintainers advise, but a person should confirm no other workload relied on it"},
		},
	},
	Run: func(p *Pass) {
		b, ok := PDBOf(p.Obj)
		if !ok || b.SelectorState != SelectorSet || b.Selector == nil {
			return
		}
		// Point at the matchLabels entry Flagger would rename, when the
		// budget has one: the value to change. Which label Flagger uses
		// is the target's business, so Resolve checks the key; the fixed
		// variant and the plain one are both deferred, and Resolve keeps
		// the one that fits.
		at := loader.P("spec", "selector")
		for _, k := range flaggerSelectorLabels {
			if v, ok := b.Raw.MatchLabels[k]; ok {
				mp := at.Key("matchLabels", k)
				p.Later(Report{At: mp, Detail: "fix\x00" + k, Fix: NewFix(FixUnsafe, SetString(mp, v+"-primary"))})
				p.Later(Report{At: mp, Detail: "nofix\x00" + k})
				return
			}
		}
		p.Later(Report{At: at, Detail: "nofix\x00"})
	},
	Resolve: func(r *Resolution) (string, bool) {
		fact := r.Fact.(*PDBFact)
		targets, primaries := r.Index.FlaggerTargetOnly(fact)
		if len(targets) == 0 {
			return "", false
		}
		variant, key, _ := strings.Cut(r.Detail, "\x00")
		// The fix renames key, which is right only when every target
		// renames that same label; otherwise the plain variant reports.
		fits := key != ""
		for _, fp := range primaries {
			if fp.LabelKey != key {
				fits = false
			}
		}
		if fits != (variant == "fix") {
			return "", false
		}
		var what, fix []string
		for i, w := range targets {
			fp := primaries[i]
			what = append(what, fmt.Sprintf("%s (Flagger Canary %q serves it from %q, whose pods have %s: %s)", w.Ref().ObjectString(), fp.Canary.Name, fp.Name, fp.LabelKey, fp.LabelValue))
			fix = append(fix, fmt.Sprintf("%s: %s", fp.LabelKey, fp.LabelValue))
			r.Relate(w, fmt.Sprintf("%s runs no pods between analyses", w.Ref().ObjectString()))
			r.Relate(fp.Canary, fmt.Sprintf("%s serves its traffic from %q, whose pods have %s: %s", fp.Canary.Ref().ObjectString(), fp.Name, fp.LabelKey, fp.LabelValue))
		}
		return fmt.Sprintf("%s selects the pods of %s but not the primary's: Flagger scales the target to 0 between analyses, so the budget protects no serving pod and a drain may evict the primary's pods all at once; select %s instead",
			fact.Ref().ObjectString(), strings.Join(what, ", "), strings.Join(fix, ", ")), true
	},
}
