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
