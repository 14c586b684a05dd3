package crd

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ScaledObject is keda.sh/v1alpha1 ScaledObject
// (kedacore/keda apis/keda/v1alpha1/scaledobject_types.go).
type ScaledObject struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              ScaledObjectSpec `json:"spec"`
}

// ScaledObjectSpec is the part of ScaledObject.spec the rules read.
type ScaledObjectSpec struct {
	ScaleTargetRef   *ScaleTarget    `json:"scaleTargetRef"`
	IdleReplicaCount *int32          `json:"idleReplicaCount,omitempty"`
	MinReplicaCount  *int32          `json:"minReplicaCount,omitempty"`
	MaxReplicaCount  *int32          `json:"maxReplicaCount,omitempty"`
	Triggers         []ScaleTriggers `json:"triggers"`
}

// ScaleTarget is spec.scaleTargetRef; kind and apiVersion default to
// Deployment and apps/v1 (apis/keda/v1alpha1/gvkr.go).
type ScaleTarget struct {
	Name       string `json:"name"`
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
}

// ScaleTriggers is one of spec.triggers.
type ScaleTriggers struct {
	Type       string            `json:"type"`
	Metadata   map[string]string `json:"metadata"`
	MetricType string            `json:"metricType,omitempty"`
}
