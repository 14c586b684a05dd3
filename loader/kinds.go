package loader

import (
	appsv1 "k8s.io/api/apps/v1"
	appsv1beta1 "k8s.io/api/apps/v1beta1"
	appsv1beta2 "k8s.io/api/apps/v1beta2"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	batchv1beta1 "k8s.io/api/batch/v1beta1"
	corev1 "k8s.io/api/core/v1"
	extensionsv1beta1 "k8s.io/api/extensions/v1beta1"
	policyv1 "k8s.io/api/policy/v1"
	policyv1beta1 "k8s.io/api/policy/v1beta1"

	"github.com/zdlint/zdlint/loader/crd"
)

// kindType says how one apiVersion/kind is decoded. typed builds the value
// rules see; legacy spellings of a kind are decoded into the current shape
// (apps/v1 for extensions/v1beta1 Deployments) so they are linted too, while
// schema builds the value used for the strict unknown-field check, so fields
// that only the old version has are not reported as unknown. A nil schema
// means the typed value is checked strictly itself; strict false disables the
// check (kinds whose Go types are no longer shipped, such as
// autoscaling/v2beta1).
type kindType struct {
	typed  func() any
	schema func() any
	strict bool
}

// kindTable maps "apiVersion/kind" to its decoding. Functions, not values,
// so nothing is allocated or reflected on until a document needs it.
var kindTable = map[string]kindType{
	"apps/v1/Deployment":  {typed: func() any { return new(appsv1.Deployment) }, strict: true},
	"apps/v1/StatefulSet": {typed: func() any { return new(appsv1.StatefulSet) }, strict: true},
	"apps/v1/DaemonSet":   {typed: func() any { return new(appsv1.DaemonSet) }, strict: true},
	"apps/v1/ReplicaSet":  {typed: func() any { return new(appsv1.ReplicaSet) }, strict: true},

	"extensions/v1beta1/Deployment": {typed: func() any { return new(appsv1.Deployment) }, schema: func() any { return new(extensionsv1beta1.Deployment) }, strict: true},
	"extensions/v1beta1/DaemonSet":  {typed: func() any { return new(appsv1.DaemonSet) }, schema: func() any { return new(extensionsv1beta1.DaemonSet) }, strict: true},
	"extensions/v1beta1/ReplicaSet": {typed: func() any { return new(appsv1.ReplicaSet) }, schema: func() any { return new(extensionsv1beta1.ReplicaSet) }, strict: true},
	"apps/v1beta1/Deployment":       {typed: func() any { return new(appsv1.Deployment) }, schema: func() any { return new(appsv1beta1.Deployment) }, strict: true},
	"apps/v1beta1/StatefulSet":      {typed: func() any { return new(appsv1.StatefulSet) }, schema: func() any { return new(appsv1beta1.StatefulSet) }, strict: true},
	"apps/v1beta2/Deployment":       {typed: func() any { return new(appsv1.Deployment) }, schema: func() any { return new(appsv1beta2.Deployment) }, strict: true},
	"apps/v1beta2/StatefulSet":      {typed: func() any { return new(appsv1.StatefulSet) }, schema: func() any { return new(appsv1beta2.StatefulSet) }, strict: true},
	"apps/v1beta2/DaemonSet":        {typed: func() any { return new(appsv1.DaemonSet) }, schema: func() any { return new(appsv1beta2.DaemonSet) }, strict: true},
	"apps/v1beta2/ReplicaSet":       {typed: func() any { return new(appsv1.ReplicaSet) }, schema: func() any { return new(appsv1beta2.ReplicaSet) }, strict: true},

	"v1/ReplicationController": {typed: func() any { return new(corev1.ReplicationController) }, strict: true},
	"v1/Pod":                   {typed: func() any { return new(corev1.Pod) }, strict: true},
	"v1/Service":               {typed: func() any { return new(corev1.Service) }, strict: true},

	"batch/v1/Job":          {typed: func() any { return new(batchv1.Job) }, strict: true},
	"batch/v1/CronJob":      {typed: func() any { return new(batchv1.CronJob) }, strict: true},
	"batch/v1beta1/CronJob": {typed: func() any { return new(batchv1.CronJob) }, schema: func() any { return new(batchv1beta1.CronJob) }, strict: true},

	"policy/v1/PodDisruptionBudget":      {typed: func() any { return new(policyv1.PodDisruptionBudget) }, strict: true},
	"policy/v1beta1/PodDisruptionBudget": {typed: func() any { return new(policyv1.PodDisruptionBudget) }, schema: func() any { return new(policyv1beta1.PodDisruptionBudget) }, strict: true},

	"autoscaling/v1/HorizontalPodAutoscaler": {typed: func() any { return new(autoscalingv1.HorizontalPodAutoscaler) }, strict: true},
	"autoscaling/v2/HorizontalPodAutoscaler": {typed: func() any { return new(autoscalingv2.HorizontalPodAutoscaler) }, strict: true},
	// k8s.io/api no longer ships these packages; v2beta2 has the v2 shape,
	// v2beta1 differs in its metric targets, which HPAMetrics reads from the tree.
	"autoscaling/v2beta2/HorizontalPodAutoscaler": {typed: func() any { return new(autoscalingv2.HorizontalPodAutoscaler) }},
	"autoscaling/v2beta1/HorizontalPodAutoscaler": {typed: func() any { return new(autoscalingv2.HorizontalPodAutoscaler) }},
}

// customKinds are the custom resources decoded into the small types of
// loader/crd, which declare only the fields rules read: they are decoded
// leniently (strict false), since every other field of theirs would look
// unknown.
var customKinds = map[string]kindType{
	"argoproj.io/v1alpha1/Rollout":     {typed: func() any { return new(crd.Rollout) }},
	"keda.sh/v1alpha1/ScaledObject":    {typed: func() any { return new(crd.ScaledObject) }},
	"apps.kruise.io/v1alpha1/CloneSet": {typed: func() any { return new(crd.CloneSet) }},
	// Advanced StatefulSet and DaemonSet: v1beta1 is the stored version of
	// both (since kruise 1.9 for the DaemonSet); v1alpha1 is still served
	// with the same fields.
	"apps.kruise.io/v1alpha1/StatefulSet": {typed: func() any { return new(crd.AdvancedStatefulSet) }},
	"apps.kruise.io/v1beta1/StatefulSet":  {typed: func() any { return new(crd.AdvancedStatefulSet) }},
	"apps.kruise.io/v1alpha1/DaemonSet":   {typed: func() any { return new(crd.AdvancedDaemonSet) }},
	"apps.kruise.io/v1beta1/DaemonSet":    {typed: func() any { return new(crd.AdvancedDaemonSet) }},
	"flagger.app/v1beta1/Canary":          {typed: func() any { return new(crd.Canary) }},

	"networking.istio.io/v1alpha3/VirtualService": {typed: func() any { return new(crd.VirtualService) }},
	"networking.istio.io/v1beta1/VirtualService":  {typed: func() any { return new(crd.VirtualService) }},
	"networking.istio.io/v1/VirtualService":       {typed: func() any { return new(crd.VirtualService) }},

	"networking.istio.io/v1alpha3/DestinationRule": {typed: func() any { return new(crd.DestinationRule) }},
	"networking.istio.io/v1beta1/DestinationRule":  {typed: func() any { return new(crd.DestinationRule) }},
	"networking.istio.io/v1/DestinationRule":       {typed: func() any { return new(crd.DestinationRule) }},
}

// lookupKind returns how apiVersion/kind (as "group/version/kind") is
// decoded.
func lookupKind(gvk string) (kindType, bool) {
	if kt, ok := kindTable[gvk]; ok {
		return kt, true
	}
	kt, ok := customKinds[gvk]
	return kt, ok
}

// IsTypedKind reports whether zdlint decodes apiVersion/kind into a Go type.
func IsTypedKind(apiVersion, kind string) bool {
	_, ok := lookupKind(apiVersion + "/" + kind)
	return ok
}
