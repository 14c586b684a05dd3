package rules

import (
	"fmt"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/crd"
)

var maxUnavailableNonzero = &Rule{
	Meta: Meta{
		ID:       "max-unavailable-nonzero",
		Severity: Error,
		Summary:  "A rolling update may stop pods before their replacements are ready",
		Rationale: `During a rolling update the Deployment controller may take up to maxUnavailable pods out of
service before new ones are ready. Capacity drops below what the traffic needs, and if the new
pods turn out not to start, the rollout has already removed working ones. The implicit default
is 25% rounded down, so it looks harmless at 3 replicas and silently becomes one, two or more
pods at 4, 8 or when an autoscaler scales up. With maxUnavailable 0 and maxSurge 1 the controller
starts a new pod, waits until it is ready, and only then stops an old one. The API server rejects
maxUnavailable 0 together with maxSurge 0, and when both resolve to 0 the controller quietly uses
maxUnavailable 1.

The capacity findings apply to Deployments that serve, by the serving model (docs/serving.md):
a Service in the input routes to them, or they declare a port that is not a metrics or health
endpoint. Not reported, on purpose: workloads that serve nothing (workers, load generators
without a Service) or only metrics and health endpoints, since a rollout that stops one of their
pods early drops no request; workloads whose signals disagree are reported as warnings. Invalid
values (a malformed percentage, a negative number, both 0) are reported whatever the workload
serves, since the API server rejects them.

Pods that cannot share a node with the old pod they replace cannot surge there: a container
binds a hostPort, the pod uses hostNetwork, or, at 2 replicas or more, a required pod
anti-affinity on kubernetes.io/hostname selects the workload's own pods. For them maxUnavailable:
0 with maxSurge: 1 stalls the rollout as soon as every eligible node runs a pod (the surge pod
stays Pending), so zdlint does not demand it: the capacity gap is reported as info, saying why,
and the autoscaler-driven default case is not reported.`,
		Bad: `spec:
  replicas: 4
  strategy:
    type: RollingUpdate   # maxUnavailable defaults to 25%: 1 of 4 pods`,
		Fix: `spec:
  replicas: 4
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1`,
		Defaults: []string{
			"An HPA or PDB governs a workload only when their files are related: the same file or directory, one directory inside the other, or a --context file; never across sibling directories or into a testdata directory (rules/model_index.go Related)",
			"strategy.type defaults to RollingUpdate, with maxUnavailable 25% and maxSurge 25%",
			"maxUnavailable percentages round down, maxSurge percentages round up",
			"replicas defaults to 1",
			"When maxSurge and maxUnavailable both resolve to 0, the controller uses maxUnavailable 1",
			"maxUnavailable 0 with maxSurge 0 is rejected; a string must be a percentage; maxUnavailable may not exceed 100%",
			"An Argo Rollout's basic canary (no trafficRouting) has the same defaults and rounding, reads a string without % as a percentage, and is checked at spec.strategy.canary; blue-green is not, and a traffic-routed canary only for both values 0, which Argo's validation rejects for every canary (docs/k8s-facts.md §13)",
			"A basic canary with workloadRef is judged with the referenced Deployment's template when the input or a --context file holds it: a finding is dropped when those pods cannot surge (hostPort, hostNetwork, required hostname anti-affinity)",
			"Flagger copies a Canary target's strategy to its <name>-primary, whose size comes from the primary's autoscaler: Flagger's copy of autoscalerRef, with primaryScalerReplicas.maxReplicas when set (docs/k8s-facts.md §17)",
		},
		Kinds: []string{"Deployment", "Rollout", "CloneSet"},
		Since: "0.1.0",
		Fixes: []FixNote{
			{FixSafe, "maxUnavailable above 0, or unset, or both resolving to 0, on a Deployment whose pods can surge",
				"sets maxUnavailable: 0 and, when maxSurge is unset or resolves to 0, maxSurge: 1 (an explicit maxSurge above 0 is kept)"},
			{FixNone, "pods that cannot surge onto a node running an old pod (hostPort, hostNetwork, required hostname anti-affinity), and invalid values",
				"maxUnavailable: 0 would stall their rollout; an invalid value needs the author's intent"},
		},
	},
	Run:     runMaxUnavailable,
	Resolve: resolveMaxUnavailable,
}

// rolling is the rolling-update arithmetic of a Deployment, or of an Argo
// Rollout's basic canary (no traffic routing), whose maxSurge and
// maxUnavailable have the same defaults and rounding (argo-rollouts
// utils/defaults/defaults.go:24-26, utils/replicaset/replicaset.go
// resolveFenceposts) but read a string without "%" as a percentage.
type rolling struct {
	mu, ms         *intstr.IntOrString
	muPath, msPath loader.Path
	replicas       *int32
	template       *corev1.PodTemplateSpec
	// rejecter names who refuses an invalid value; "" when zdlint does
	// not know how the controller validates them (a CloneSet), so only
	// the capacity findings are made.
	rejecter string
	// bare records which of mu, ms were written as a bare number string
	// ("25"), which Argo reads as "25%".
	bareMU, bareMS bool
	// defMU is maxUnavailable's default; unavailUp is true when its
	// percentages round up (a CloneSet without surge).
	defMU     string
	unavailUp bool
	// validateOnly: only values the controller rejects are judged (a
	// traffic-routed Argo canary). templateRef: the pods' template is
	// another workload's (an Argo Rollout's workloadRef), so whether they
	// can surge is decided with the Index (resolveMaxUnavailable).
	validateOnly, templateRef bool
}

func rollingOf(obj *loader.Object) (rolling, bool) {
	switch o := obj.Typed.(type) {
	case *appsv1.Deployment:
		if o.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
			return rolling{}, false
		}
		ruPath := loader.P("spec", "strategy", "rollingUpdate")
		r := rolling{muPath: ruPath.Key("maxUnavailable"), msPath: ruPath.Key("maxSurge"),
			replicas: o.Spec.Replicas, template: &o.Spec.Template, rejecter: "the API server", defMU: DefaultMaxUnavailable}
		if ru := o.Spec.Strategy.RollingUpdate; ru != nil {
			r.mu, r.ms = ru.MaxUnavailable, ru.MaxSurge
		}
		return r, true
	case *crd.Rollout:
		c := o.Spec.Strategy.Canary
		if c == nil {
			return rolling{}, false // blue-green replaces the whole set behind a switch
		}
		cp := loader.P("spec", "strategy", "canary")
		r := rolling{muPath: cp.Key("maxUnavailable"), msPath: cp.Key("maxSurge"),
			replicas: o.Spec.Replicas, template: &o.Spec.Template, rejecter: "the Argo Rollouts controller", defMU: DefaultMaxUnavailable,
			// With traffic routing the weights, not these fields, size
			// what serves; Argo still rejects both at 0 (validation.go
			// invalidMaxSurgeMaxUnavailable runs for every canary).
			validateOnly: c.TrafficRouting != nil,
			// With workloadRef the template is the referenced
			// Deployment's, whose surge blockers the Index knows.
			templateRef: o.Spec.WorkloadRef != nil}
		r.mu, r.bareMU = argoPercent(c.MaxUnavailable)
		r.ms, r.bareMS = argoPercent(c.MaxSurge)
		return r, true
	case *crd.CloneSet:
		// Every update type replaces or restarts pods in batches of
		// maxUnavailable (default 20%, rounded up unless maxSurge is
		// above 0; maxSurge defaults to 0): kruise-api
		// apps/v1alpha1/cloneset_types.go:33,115-124.
		u := o.Spec.UpdateStrategy
		sp := loader.P("spec", "updateStrategy")
		r := rolling{muPath: sp.Key("maxUnavailable"), msPath: sp.Key("maxSurge"), mu: u.MaxUnavailable, ms: u.MaxSurge,
			replicas: o.Spec.Replicas, template: &o.Spec.Template, defMU: "20%"}
		surge := 0
		if u.MaxSurge != nil {
			surge, _ = ScaledValue(u.MaxSurge, 100, true)
		}
		r.unavailUp = surge == 0
		return r, true
	}
	return rolling{}, false
}

// argoPercent returns v as Argo Rollouts reads it: a string without "%"
// is a percentage all the same (it resolves values with intstr's
// GetValueFromIntOrPercent, which strips "%" and parses the rest).
func argoPercent(v *intstr.IntOrString) (*intstr.IntOrString, bool) {
	if v == nil || v.Type != intstr.String || strings.HasSuffix(v.StrVal, "%") {
		return v, false
	}
	if _, err := strconv.Atoi(v.StrVal); err != nil {
		return v, false
	}
	return &intstr.IntOrString{Type: intstr.String, StrVal: v.StrVal + "%"}, true
}

func runMaxUnavailable(p *Pass) {
	d, ok := rollingOf(p.Obj)
	if !ok {
		return
	}
	muPath, msPath, mu, ms := d.muPath, d.msPath, d.mu, d.ms
	replicas := DefaultReplicas
	if d.replicas != nil {
		replicas = int(*d.replicas)
	}
	if d.validateOnly {
		if isLiteralZero(mu) && isLiteralZero(ms) {
			p.Report(Report{At: muPath, Message: "maxUnavailable and maxSurge are both 0, which " + d.rejecter + " rejects even with traffic routing (where neither sizes the canary or the stable set); set maxSurge: 1",
				Fix: NewFix(FixSafe, Set(msPath, "1", After("maxUnavailable")))})
		}
		return
	}

	// Malformed values: the API server rejects them.
	bad := false
	for _, f := range []struct {
		name string
		v    *intstr.IntOrString
		path loader.Path
	}{{"maxUnavailable", mu, muPath}, {"maxSurge", ms, msPath}} {
		if f.v == nil {
			continue
		}
		if _, err := ScaledValue(f.v, 100, false); err != nil {
			if d.rejecter == "" {
				return // the controller's own parsing: not judged
			}
			p.Reportf(f.path, "%s %s; %s rejects it", f.name, err, d.rejecter)
			bad = true
			continue
		}
		if f.v.Type == intstr.Int && f.v.IntVal < 0 {
			p.Reportf(f.path, "%s is %d; it must not be negative", f.name, f.v.IntVal)
			bad = true
		}
	}
	if bad {
		return
	}
	if IsString(mu) && d.rejecter != "" {
		if n, _ := ScaledValue(mu, 100, false); n > 100 {
			p.Reportf(muPath, "maxUnavailable is %s; it must not be greater than 100%%, and %s rejects it", mu.StrVal, d.rejecter)
			return
		}
	}
	if isLiteralZero(mu) && isLiteralZero(ms) && d.rejecter != "" {
		var fix *FixSpec
		if !d.templateRef { // a referenced template may not surge: no fix then
			fix = surgeFix(surgeBlocked(d.template, replicas), muPath, msPath, true)
		}
		p.Report(Report{At: muPath, Message: "maxUnavailable and maxSurge are both 0, which " + d.rejecter + " rejects; keep maxUnavailable: 0 and set maxSurge: 1", Fix: fix})
		return
	}

	surgeV := ms
	if surgeV == nil {
		surgeV = &intstr.IntOrString{Type: intstr.String, StrVal: DefaultMaxSurge}
		if p.Obj.Kind == "CloneSet" {
			surgeV = &intstr.IntOrString{Type: intstr.Int, IntVal: 0}
		}
	}
	unavailV := mu
	if unavailV == nil {
		unavailV = &intstr.IntOrString{Type: intstr.String, StrVal: d.defMU}
	}
	surge, _ := ScaledValue(surgeV, replicas, true)
	unavail, _ := ScaledValue(unavailV, replicas, d.unavailUp)
	// Pods that cannot share a node cannot surge onto one that runs an
	// old pod: maxUnavailable: 0 would stall the rollout once every
	// eligible node runs one, so the gap is the price, not a mistake.
	blocked := surgeBlocked(d.template, replicas)
	fix := surgeFix(blocked, muPath, msPath, ms == nil || surge == 0)

	// The capacity a rollout loses matters for a workload that serves:
	// whether it does is decided once every Service is known.
	reportf := func(at loader.Path, format string, args ...any) {
		LaterIfServing(p, Report{At: at, Message: fmt.Sprintf(format, args...), Fix: fix})
	}
	if blocked != "" {
		reportf = func(at loader.Path, format string, args ...any) {
			LaterIfServing(p, Report{At: at, Severity: Info, Message: fmt.Sprintf(format, args...) +
				fmt.Sprintf(" (but its pods %s, so a new pod cannot start on a node that runs an old one: with maxUnavailable: 0 the rollout stalls once every eligible node runs a pod; keep maxUnavailable at 1 and have more eligible nodes than replicas so maxSurge can use them)", blocked)})
		}
	}
	switch {
	case mu != nil && mu.Type == intstr.Int && mu.IntVal > 0:
		reportf(muPath, "maxUnavailable is %d: %s may stop %s before replacements are ready; set maxUnavailable: 0 and maxSurge: 1", mu.IntVal, p.Obj, pods(mu.IntVal))
	case IsString(mu) && !isLiteralZero(mu):
		shown := mu.StrVal
		if d.bareMU {
			shown = fmt.Sprintf("%q, which Argo Rollouts reads as %s", strings.TrimSuffix(mu.StrVal, "%"), mu.StrVal)
		}
		reportf(muPath, "maxUnavailable is %s (%d of %s now, more when it scales up): %s may stop pods before replacements are ready; set maxUnavailable: 0 and maxSurge: 1",
			shown, unavail, pods(int32(replicas)), p.Obj)
	case surge == 0 && unavail == 0 && replicas > 0 && d.rejecter != "":
		reportf(msPath, "maxSurge resolves to 0 and maxUnavailable to 0 of %s, so the controller stops 1 pod before its replacement is ready; set maxSurge: 1", pods(int32(replicas)))
	case mu == nil && unavail >= 1:
		at := muPath
		if _, _, ok := p.Obj.Lookup(muPath[:2]); !ok && d.replicas != nil { // spec.strategy, spec.updateStrategy
			// No strategy written: the replica count is what makes the
			// default unsafe, and where a reader looks (in a Kustomize
			// tree, the patch that raised it).
			at = loader.P("spec", "replicas")
		}
		reportf(at, "maxUnavailable defaults to %s, which lets %d of %s go down before replacements are ready; set %s: 0 and maxSurge: 1",
			d.defMU, unavail, pods(int32(replicas)), strings.TrimPrefix(muPath.String(), "spec."))
	case mu == nil:
		// At the current size the default rounds down to 0; an autoscaler
		// that can grow the Deployment to 4 or more makes it at least 1.
		if blocked == "" && p.Obj.Kind != "CloneSet" { // a CloneSet's 20% rounds up: never 0 here
			p.Later(Report{At: muPath, Fix: fix})
		}
	}
}

// surgeFix sets maxUnavailable: 0 and, with setSurge, maxSurge: 1; none
// for pods that cannot surge onto a node running an old pod (surgeBlocked:
// hostPort, hostNetwork, required hostname anti-affinity), whose rollout
// maxUnavailable: 0 would stall.
func surgeFix(blocked string, muPath, msPath loader.Path, setSurge bool) *FixSpec {
	if blocked != "" {
		return nil
	}
	// A missing strategy goes before the template; maxSurge next to
	// maxUnavailable.
	fix := NewFix(FixSafe, Set(muPath, "0", Before("template"), After("maxSurge")))
	if setSurge {
		fix.Changes = append(fix.Changes, Set(msPath, "1", After("maxUnavailable"), Before("template")))
	}
	return fix
}

// resolveMaxUnavailable decides the finding deferred when the default 25%
// rounds down to 0 at the current size: an autoscaler that can grow the
// Deployment to 4 or more replicas makes it at least 1.
func resolveMaxUnavailable(r *Resolution) (string, bool) {
	if w := r.Fact.(*WorkloadFact); w.TemplateName != "" && w.SurgeBlocked() != "" {
		// A Rollout running a Deployment's template whose pods cannot
		// surge onto a node with an old pod: maxUnavailable: 0 would
		// stall it, and the finding was made without knowing.
		return "", false
	}
	if msg, keep, ok := ResolveServing(r, Error); ok {
		return msg, keep
	}
	w := r.Fact.(*WorkloadFact)
	s := r.Index.ServingOf(w)
	switch s.Pod {
	case RoleNone, RoleScrape:
		return "", false
	case RoleMaybe:
		r.Severity = Warning
	}
	// A Flagger target's strategy is copied to its -primary, which
	// scales by the primary's autoscalers (Index.Autoscalers).
	hpas, _ := r.Index.Autoscalers(w.Ref(), w.File)
	for _, h := range hpas {
		if h.MaxReplicas >= 4 {
			r.Relate(h, fmt.Sprintf("%s can scale this %s to %d replicas", h.Ref().ObjectString(), w.Kind, h.MaxReplicas))
			s.RelateRoute(r, -1)
			n := h.MaxReplicas / 4
			field := "strategy.rollingUpdate.maxUnavailable"
			if w.Kind == "Rollout" {
				field = "strategy.canary.maxUnavailable"
			}
			return fmt.Sprintf("maxUnavailable defaults to 25%%, and %s %q can scale %s to %d replicas, where %s may go down before replacements are ready; set %s: 0 and maxSurge: 1",
				h.Ref().Kind, h.Ref().Name, h.Target.Name, h.MaxReplicas, pods(n), field), true
		}
	}
	return "", false
}

// surgeBlocked says why a surge pod cannot start on a node that runs an old
// pod, or "": a container binds a hostPort, the pod uses the host network,
// or (at 2 replicas or more) a required anti-affinity on the hostname keeps
// the workload's own pods on separate nodes.
func surgeBlocked(t *corev1.PodTemplateSpec, replicas int) string {
	if why := hostBound(t); why != "" {
		return why
	}
	if replicas >= 2 && hostnameSpread(t) {
		return hostnameSpreadWhy
	}
	return ""
}

const hostnameSpreadWhy = "require separate nodes (podAntiAffinity on " + corev1.LabelHostname + ")"

// hostBound says why a pod is tied to its node's network (hostNetwork, a
// hostPort), or "".
func hostBound(t *corev1.PodTemplateSpec) string {
	spec := &t.Spec
	if spec.HostNetwork {
		return "use hostNetwork"
	}
	for _, cs := range [][]corev1.Container{spec.InitContainers, spec.Containers} {
		for _, c := range cs {
			for _, port := range c.Ports {
				if port.HostPort != 0 {
					return fmt.Sprintf("bind hostPort %d", port.HostPort)
				}
			}
		}
	}
	return ""
}

// hostnameSpread reports whether a required pod anti-affinity on the
// hostname selects the template's own pods.
func hostnameSpread(t *corev1.PodTemplateSpec) bool {
	a := t.Spec.Affinity
	if a == nil || a.PodAntiAffinity == nil {
		return false
	}
	own := labels.Set(t.Labels)
	for _, term := range a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution {
		if term.TopologyKey != corev1.LabelHostname || term.LabelSelector == nil {
			continue
		}
		if sel, err := metav1.LabelSelectorAsSelector(term.LabelSelector); err == nil && sel.Matches(own) {
			return true
		}
	}
	return false
}

func isLiteralZero(v *intstr.IntOrString) bool {
	if v == nil {
		return false
	}
	if v.Type == intstr.Int {
		return v.IntVal == 0
	}
	return v.StrVal == "0%"
}
