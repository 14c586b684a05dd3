// Package crd holds small Go types for the custom resources zdlint lints as
// workloads: Argo Rollouts' Rollout, KEDA's ScaledObject, OpenKruise's
// CloneSet, Advanced StatefulSet and Advanced DaemonSet. Each declares only the fields rules read, with the json names
// of the upstream API, so that a manifest decodes exactly as upstream
// would for those fields and everything else is ignored.
//
// Why not the upstream Go types: github.com/argoproj/argo-rollouts,
// github.com/kedacore/keda and github.com/openkruise/kruise-api bring in
// client-go, controller-runtime and their generated deep-copy and OpenAPI
// code; zdlint needs a dozen fields (docs/performance.md has the measured
// cost). The price is that unknown fields of these kinds are not reported.
package crd

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Rollout is argoproj.io/v1alpha1 Rollout
// (argo-rollouts pkg/apis/rollouts/v1alpha1/types.go).
type Rollout struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              RolloutSpec `json:"spec"`
}

// RolloutSpec is the part of Rollout.spec the rules read.
type RolloutSpec struct {
	Replicas *int32                `json:"replicas,omitempty"`
	Selector *metav1.LabelSelector `json:"selector,omitempty"`
	// Template is empty when WorkloadRef names a Deployment whose
	// template the Rollout uses.
	Template                corev1.PodTemplateSpec `json:"template"`
	WorkloadRef             *ObjectRef             `json:"workloadRef,omitempty"`
	MinReadySeconds         int32                  `json:"minReadySeconds,omitempty"`
	Strategy                RolloutStrategy        `json:"strategy"`
	ProgressDeadlineSeconds *int32                 `json:"progressDeadlineSeconds,omitempty"`
}

// ObjectRef is a Rollout's workloadRef.
type ObjectRef struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Name       string `json:"name,omitempty"`
	ScaleDown  string `json:"scaleDown,omitempty"`
}

// RolloutStrategy holds one of the two strategies.
type RolloutStrategy struct {
	BlueGreen *BlueGreenStrategy `json:"blueGreen,omitempty"`
	Canary    *CanaryStrategy    `json:"canary,omitempty"`
}

// BlueGreenStrategy is spec.strategy.blueGreen.
type BlueGreenStrategy struct {
	ActiveService              string              `json:"activeService"`
	PreviewService             string              `json:"previewService,omitempty"`
	ScaleDownDelaySeconds      *int32              `json:"scaleDownDelaySeconds,omitempty"`
	AbortScaleDownDelaySeconds *int32              `json:"abortScaleDownDelaySeconds,omitempty"`
	MaxUnavailable             *intstr.IntOrString `json:"maxUnavailable,omitempty"`
}

// CanaryStrategy is spec.strategy.canary.
type CanaryStrategy struct {
	CanaryService              string              `json:"canaryService,omitempty"`
	StableService              string              `json:"stableService,omitempty"`
	MaxUnavailable             *intstr.IntOrString `json:"maxUnavailable,omitempty"`
	MaxSurge                   *intstr.IntOrString `json:"maxSurge,omitempty"`
	TrafficRouting             *TrafficRouting     `json:"trafficRouting,omitempty"`
	ScaleDownDelaySeconds      *int32              `json:"scaleDownDelaySeconds,omitempty"`
	AbortScaleDownDelaySeconds *int32              `json:"abortScaleDownDelaySeconds,omitempty"`
	DynamicStableScale         bool                `json:"dynamicStableScale,omitempty"`
	MinPodsPerReplicaSet       *int32              `json:"minPodsPerReplicaSet,omitempty"`
	Steps                      []CanaryStep        `json:"steps,omitempty"`
}

// CanaryStep is one of spec.strategy.canary.steps; only the steps that
// set the traffic weight or the canary's scale are read.
type CanaryStep struct {
	SetWeight      *int32          `json:"setWeight,omitempty"`
	SetCanaryScale *SetCanaryScale `json:"setCanaryScale,omitempty"`
}

// SetCanaryScale is a step's setCanaryScale: an explicit canary size
// (replicas, or weight as a percentage of spec.replicas) that holds,
// whatever later setWeight steps say, until a step with
// matchTrafficWeight: true.
type SetCanaryScale struct {
	Weight             *int32 `json:"weight,omitempty"`
	Replicas           *int32 `json:"replicas,omitempty"`
	MatchTrafficWeight bool   `json:"matchTrafficWeight,omitempty"`
}

// TrafficRouting is spec.strategy.canary.trafficRouting; its presence is
// what matters most (a mesh or ingress splits traffic by weight, and the
// stable ReplicaSet keeps its full size), so no provider is declared.
// MaxTrafficWeight is the total weight (default 100) that setWeight and
// setCanaryScale.weight are shares of.
type TrafficRouting struct {
	MaxTrafficWeight *int32 `json:"maxTrafficWeight,omitempty"`
}
