package rules

import (
	"fmt"
	"strconv"
	"strings"

	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/crd"
)

// Cross-object knowledge: HPA metrics in every autoscaling version and
// PodDisruptionBudget selectors and budgets (docs/k8s-facts.md §6, §7).

// DefaultHPACPUUtilization is the target an HPA uses when it names no
// metric: 80% average CPU utilization (autoscaling/v2 HorizontalPodAutoscalerSpec.Metrics;
// autoscaling/v1 targetCPUUtilizationPercentage).
const DefaultHPACPUUtilization = 80

// HPAMetric is one Resource or ContainerResource metric of an HPA.
type HPAMetric struct {
	// Container is set for a ContainerResource metric: only that
	// container's request counts.
	Container string
	Resource  corev1.ResourceName
	// Utilization is true for a target that is a percentage of the
	// pods' requests (type Utilization, targetAverageUtilization,
	// targetCPUUtilizationPercentage or the default), false for an
	// absolute AverageValue target, which needs no request.
	Utilization bool
	// Default is true when the HPA names no metric and the 80% CPU
	// default applies.
	Default bool
}

// HPAMetricAt is a metric with its place in the HPA: the utilization
// value, or the spec when the default applies.
type HPAMetricAt struct {
	HPAMetric
	At loader.Path
}

// Describe names the metric for messages.
func (m HPAMetric) Describe() string {
	switch {
	case m.Default:
		return fmt.Sprintf("the default %d%% %s utilization (it names no metric)", DefaultHPACPUUtilization, m.Resource)
	case m.Container != "":
		return fmt.Sprintf("%s utilization of container %q", m.Resource, m.Container)
	}
	return fmt.Sprintf("%s utilization", m.Resource)
}

// HPAMetrics lists the Resource and ContainerResource metrics of any
// HorizontalPodAutoscaler version. autoscaling/v2 and v2beta2 are read from
// the typed value; autoscaling/v2beta1, whose Go types k8s.io/api no longer
// ships, is decoded in the v2 shape, which keeps the metric type, resource
// and container but drops targetAverageUtilization, so that is read from
// the node tree. No metrics means the default 80% CPU utilization.
func HPAMetrics(obj *loader.Object) []HPAMetricAt {
	spec := loader.P("spec")
	switch o := obj.Typed.(type) {
	case *autoscalingv1.HorizontalPodAutoscaler:
		if o.Spec.TargetCPUUtilizationPercentage == nil {
			return []HPAMetricAt{{HPAMetric{Resource: corev1.ResourceCPU, Utilization: true, Default: true}, spec}}
		}
		return []HPAMetricAt{{HPAMetric{Resource: corev1.ResourceCPU, Utilization: true}, spec.Key("targetCPUUtilizationPercentage")}}
	case *autoscalingv2.HorizontalPodAutoscaler:
		if len(o.Spec.Metrics) == 0 {
			return []HPAMetricAt{{HPAMetric{Resource: corev1.ResourceCPU, Utilization: true, Default: true}, spec}}
		}
		beta1 := obj.APIVersion == "autoscaling/v2beta1"
		var out []HPAMetricAt
		for i, m := range o.Spec.Metrics {
			mp := spec.Key("metrics").Index(i)
			switch {
			case m.Type == autoscalingv2.ResourceMetricSourceType && m.Resource != nil:
				at := mp.Key("resource")
				util := false
				if beta1 {
					util = hasNode(obj, at.Key("targetAverageUtilization"))
					at = at.Key("targetAverageUtilization")
				} else {
					util = isUtilization(m.Resource.Target)
					at = at.Key("target", "averageUtilization")
				}
				out = append(out, HPAMetricAt{HPAMetric{Resource: m.Resource.Name, Utilization: util}, at})
			case m.Type == autoscalingv2.ContainerResourceMetricSourceType && m.ContainerResource != nil:
				at := mp.Key("containerResource")
				util := false
				if beta1 {
					util = hasNode(obj, at.Key("targetAverageUtilization"))
					at = at.Key("targetAverageUtilization")
				} else {
					util = isUtilization(m.ContainerResource.Target)
					at = at.Key("target", "averageUtilization")
				}
				out = append(out, HPAMetricAt{HPAMetric{Container: m.ContainerResource.Container, Resource: m.ContainerResource.Name, Utilization: util}, at})
			}
		}
		return out
	case *crd.ScaledObject:
		// KEDA's cpu and memory triggers become Resource (or, with
		// metadata.containerName, ContainerResource) metrics of its HPA;
		// the target type is metricType, or the deprecated metadata.type
		// (pkg/scalers/cpu_memory_scaler.go).
		var out []HPAMetricAt
		for i, t := range o.Spec.Triggers {
			if t.Type != "cpu" && t.Type != "memory" {
				continue
			}
			mt := t.MetricType
			if mt == "" {
				mt = t.Metadata["type"]
			}
			out = append(out, HPAMetricAt{HPAMetric{Resource: corev1.ResourceName(t.Type), Container: t.Metadata["containerName"], Utilization: mt == "Utilization"},
				spec.Key("triggers").Index(i)})
		}
		return out
	}
	return nil
}

func isUtilization(t autoscalingv2.MetricTarget) bool {
	return t.Type == autoscalingv2.UtilizationMetricType || t.Type == "" && t.AverageUtilization != nil
}

func hasNode(obj *loader.Object, p loader.Path) bool {
	_, v, ok := obj.Lookup(p)
	return ok && v.Tag != "!!null"
}

// PDB is what the rules need from a PodDisruptionBudget of either version.
type PDB struct {
	Beta          bool // policy/v1beta1
	SelectorState SelectorState
	// Raw is the selector as written; Selector the effective one (see
	// PDBFact.EffectiveSelector), nil when the selector is invalid.
	Raw                          *metav1.LabelSelector
	Selector                     labels.Selector
	MinAvailable, MaxUnavailable *intstr.IntOrString
}

// PDBOf reads a policy/v1 or policy/v1beta1 PodDisruptionBudget (both are
// decoded into the policy/v1 type).
func PDBOf(obj *loader.Object) (PDB, bool) {
	o, ok := obj.Typed.(*policyv1.PodDisruptionBudget)
	if !ok {
		return PDB{}, false
	}
	b := PDB{Beta: obj.APIVersion == "policy/v1beta1", Raw: o.Spec.Selector,
		MinAvailable: o.Spec.MinAvailable, MaxUnavailable: o.Spec.MaxUnavailable}
	b.SelectorState = selectorState(o.Spec.Selector)
	b.Selector = effectiveSelector(b.Beta, b.SelectorState, o.Spec.Selector)
	return b, true
}

func selectorState(sel *metav1.LabelSelector) SelectorState {
	switch {
	case sel == nil:
		return SelectorMissing
	case len(sel.MatchLabels) == 0 && len(sel.MatchExpressions) == 0:
		return SelectorEmpty
	}
	return SelectorSet
}

// effectiveSelector is the selector a budget in the given state applies
// (see PDBFact.EffectiveSelector): sel is only read when it is set.
func effectiveSelector(beta bool, state SelectorState, sel *metav1.LabelSelector) labels.Selector {
	switch state {
	case SelectorMissing:
		return labels.Nothing()
	case SelectorEmpty:
		if beta {
			return labels.Nothing()
		}
		return labels.Everything()
	}
	if s, err := metav1.LabelSelectorAsSelector(sel); err == nil {
		return s
	}
	return nil
}

// Percent returns the number of a percent string ("25%" → 25) and whether
// v is a valid percentage.
func Percent(v *intstr.IntOrString) (int, bool) {
	if v == nil || v.Type != intstr.String || !strings.HasSuffix(v.StrVal, "%") {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSuffix(v.StrVal, "%"))
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// FormatIntOrString renders an int-or-percent as written: 2 or "50%".
func FormatIntOrString(v *intstr.IntOrString) string {
	if v.Type == intstr.String {
		return strconv.Quote(v.StrVal)
	}
	return strconv.Itoa(int(v.IntVal))
}

// declaresPorts reports whether a workload's containers (mesh proxies
// aside) declare a port: the sign that it serves requests.
func declaresPorts(w *Workload) bool {
	for _, c := range w.Containers() {
		if c.Serving() && !IsMeshProxy(c.Container) {
			return true
		}
	}
	return false
}

// pods renders a pod count: "1 pod", "3 pods".
func pods(n int32) string {
	if n == 1 {
		return "1 pod"
	}
	return strconv.Itoa(int(n)) + " pods"
}
