// Package rules holds zdlint's checks. A rule is metadata plus a function:
// its Meta drives the docs, `zdlint rules`, `zdlint explain` and SARIF rule
// descriptors, and its Run inspects one typed object through a Pass.
//
// Rules are stateless and read-only, so one Rule runs on many objects at
// once. Anything that depends on other objects (an HPA managing a
// Deployment, a PDB selecting it) is reported through Pass.Later and judged
// against the Index once every input has been read. The Kubernetes knowledge
// rules share (defaults, pod templates, percent rounding) lives in
// helpers.go, with the facts cited from docs/k8s-facts.md.
package rules
