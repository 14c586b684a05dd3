package crd

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Canary is flagger.app/v1beta1 Canary
// (fluxcd/flagger pkg/apis/flagger/v1beta1/canary.go).
type Canary struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              CanarySpec `json:"spec"`
}

// CanarySpec is the part of Canary.spec the rules read.
type CanarySpec struct {
	// Provider overrides Flagger's -mesh-provider flag (default istio).
	Provider string `json:"provider,omitempty"`
	// TargetRef names the Deployment or DaemonSet Flagger copies into a
	// <name>-primary workload that serves the traffic.
	TargetRef CanaryRef `json:"targetRef"`
	// AutoscalerRef names the HorizontalPodAutoscaler or ScaledObject
	// Flagger copies, with the primary's name, as <name>-primary.
	AutoscalerRef           *AutoscalerRef `json:"autoscalerRef,omitempty"`
	Service                 CanaryServices `json:"service"`
	ProgressDeadlineSeconds *int32         `json:"progressDeadlineSeconds,omitempty"`
}

// CanaryRef is a Canary's targetRef (LocalObjectReference upstream).
type CanaryRef struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Name       string `json:"name"`
}

// AutoscalerRef is a Canary's autoscalerRef (AutoscalerReference
// upstream): the autoscaler to copy and the overrides of the copy's
// replica bounds.
type AutoscalerRef struct {
	APIVersion            string          `json:"apiVersion,omitempty"`
	Kind                  string          `json:"kind,omitempty"`
	Name                  string          `json:"name"`
	PrimaryScalerReplicas *ScalerReplicas `json:"primaryScalerReplicas,omitempty"`
}

// ScalerReplicas is autoscalerRef.primaryScalerReplicas: when set, they
// replace the copied autoscaler's minReplicas (minReplicaCount) and
// maxReplicas (maxReplicaCount) in the primary's.
type ScalerReplicas struct {
	MinReplicas *int32 `json:"minReplicas,omitempty"`
	MaxReplicas *int32 `json:"maxReplicas,omitempty"`
}

// CanaryServices is spec.service: Flagger copies its retries into the
// VirtualService it generates for the Istio provider.
type CanaryServices struct {
	Retries *HTTPRetry `json:"retries,omitempty"`
}

// HTTPRetry is Istio's HTTPRetry (istio/api networking/v1alpha3/
// virtual_service.proto), also used by a Flagger Canary.
type HTTPRetry struct {
	Attempts      *int32 `json:"attempts,omitempty"`
	PerTryTimeout string `json:"perTryTimeout,omitempty"`
	RetryOn       string `json:"retryOn,omitempty"`
}

// VirtualService is networking.istio.io VirtualService (v1alpha3, v1beta1
// and v1 share the shape).
type VirtualService struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              VirtualServiceSpec `json:"spec"`
}

// VirtualServiceSpec is the part of VirtualService.spec the rules read.
type VirtualServiceSpec struct {
	HTTP []HTTPRoute `json:"http,omitempty"`
}

// HTTPRoute is one of spec.http.
type HTTPRoute struct {
	Route   []HTTPRouteDestination `json:"route,omitempty"`
	Retries *HTTPRetry             `json:"retries,omitempty"`
	// Delegate hands the route to another VirtualService, whose routes
	// take the place of this one's (Route is then empty).
	Delegate *Delegate `json:"delegate,omitempty"`
}

// Delegate names the VirtualService a route delegates to; an empty
// namespace is the delegating VirtualService's own.
type Delegate struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
}

// HTTPRouteDestination is one of an HTTPRoute's route.
type HTTPRouteDestination struct {
	Destination Destination `json:"destination"`
}

// Destination names the Service (host) a route sends traffic to and,
// optionally, a subset of its pods that a DestinationRule defines.
type Destination struct {
	Host   string `json:"host"`
	Subset string `json:"subset,omitempty"`
}

// DestinationRule is networking.istio.io DestinationRule (v1alpha3,
// v1beta1 and v1 share the shape; istio/api networking/v1alpha3/
// destination_rule.proto): the rules read its subsets, the pods of its
// host that carry a subset's labels.
type DestinationRule struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              DestinationRuleSpec `json:"spec"`
}

// DestinationRuleSpec is the part of DestinationRule.spec the rules read.
type DestinationRuleSpec struct {
	Host    string   `json:"host"`
	Subsets []Subset `json:"subsets,omitempty"`
}

// Subset is one of a DestinationRule's subsets.
type Subset struct {
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels,omitempty"`
}
