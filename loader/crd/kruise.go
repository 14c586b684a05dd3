package crd

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// CloneSet is apps.kruise.io/v1alpha1 CloneSet
// (openkruise/kruise-api apps/v1alpha1/cloneset_types.go).
type CloneSet struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              CloneSetSpec `json:"spec"`
}

// CloneSetSpec is the part of CloneSet.spec the rules read.
type CloneSetSpec struct {
	Replicas        *int32                 `json:"replicas,omitempty"`
	Selector        *metav1.LabelSelector  `json:"selector"`
	Template        corev1.PodTemplateSpec `json:"template"`
	UpdateStrategy  CloneSetUpdateStrategy `json:"updateStrategy,omitempty"`
	MinReadySeconds int32                  `json:"minReadySeconds,omitempty"`
}

// CloneSetUpdateStrategy is spec.updateStrategy.
type CloneSetUpdateStrategy struct {
	// Type is ReCreate (the default), InPlaceIfPossible or InPlaceOnly.
	Type                  string                 `json:"type,omitempty"`
	MaxUnavailable        *intstr.IntOrString    `json:"maxUnavailable,omitempty"`
	MaxSurge              *intstr.IntOrString    `json:"maxSurge,omitempty"`
	InPlaceUpdateStrategy *InPlaceUpdateStrategy `json:"inPlaceUpdateStrategy,omitempty"`
}

// InPlaceUpdateStrategy is apps/pub InPlaceUpdateStrategy.
type InPlaceUpdateStrategy struct {
	GracePeriodSeconds int32 `json:"gracePeriodSeconds,omitempty"`
}

// AdvancedStatefulSet is OpenKruise's Advanced StatefulSet:
// apps.kruise.io/v1beta1 StatefulSet (and v1alpha1, the same shape; kruise
// apis/apps/v1beta1/statefulset_types.go). Its kind is StatefulSet, like
// the built-in one it extends.
type AdvancedStatefulSet struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              AdvancedStatefulSetSpec `json:"spec"`
}

// AdvancedStatefulSetSpec is the part of the spec the rules read.
type AdvancedStatefulSetSpec struct {
	Replicas             *int32                         `json:"replicas,omitempty"`
	Selector             *metav1.LabelSelector          `json:"selector"`
	Template             corev1.PodTemplateSpec         `json:"template"`
	VolumeClaimTemplates []corev1.PersistentVolumeClaim `json:"volumeClaimTemplates,omitempty"`
	UpdateStrategy       AdvancedStatefulSetStrategy    `json:"updateStrategy,omitempty"`
}

// AdvancedStatefulSetStrategy is spec.updateStrategy.
type AdvancedStatefulSetStrategy struct {
	// Type is RollingUpdate (the default) or OnDelete.
	Type          string                            `json:"type,omitempty"`
	RollingUpdate *AdvancedStatefulSetRollingUpdate `json:"rollingUpdate,omitempty"`
}

// AdvancedStatefulSetRollingUpdate is spec.updateStrategy.rollingUpdate.
type AdvancedStatefulSetRollingUpdate struct {
	MaxUnavailable *intstr.IntOrString `json:"maxUnavailable,omitempty"`
	// PodUpdatePolicy is ReCreate (the default), InPlaceIfPossible or
	// InPlaceOnly.
	PodUpdatePolicy       string                 `json:"podUpdatePolicy,omitempty"`
	InPlaceUpdateStrategy *InPlaceUpdateStrategy `json:"inPlaceUpdateStrategy,omitempty"`
}

// AdvancedDaemonSet is OpenKruise's Advanced DaemonSet:
// apps.kruise.io/v1alpha1 DaemonSet (and v1beta1, the same shape for these
// fields; kruise apis/apps/v1alpha1/daemonset_types.go).
type AdvancedDaemonSet struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              AdvancedDaemonSetSpec `json:"spec"`
}

// AdvancedDaemonSetSpec is the part of the spec the rules read.
type AdvancedDaemonSetSpec struct {
	Selector       *metav1.LabelSelector     `json:"selector"`
	Template       corev1.PodTemplateSpec    `json:"template"`
	UpdateStrategy AdvancedDaemonSetStrategy `json:"updateStrategy,omitempty"`
}

// AdvancedDaemonSetStrategy is spec.updateStrategy.
type AdvancedDaemonSetStrategy struct {
	// Type is RollingUpdate (the default) or OnDelete.
	Type          string                          `json:"type,omitempty"`
	RollingUpdate *AdvancedDaemonSetRollingUpdate `json:"rollingUpdate,omitempty"`
}

// AdvancedDaemonSetRollingUpdate is spec.updateStrategy.rollingUpdate.
type AdvancedDaemonSetRollingUpdate struct {
	// Type is Standard (the default), InPlaceIfPossible or the deprecated
	// Surging.
	Type           string              `json:"rollingUpdateType,omitempty"`
	MaxUnavailable *intstr.IntOrString `json:"maxUnavailable,omitempty"`
	MaxSurge       *intstr.IntOrString `json:"maxSurge,omitempty"`
}
