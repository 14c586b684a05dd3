// Package rules holds zdlint's checks. A rule is metadata plus a function:
// its Meta drives the docs, `zdlint rules`, `zdlint explain` and SARIF rule
// descriptors, and its Run inspects one typed object through a Pass.
//
// The files show the package's layers (TestLayout keeps them so):
//
//   - <rule_id>.go: exactly one rule each, named by its ID
//     (readiness_probe_missing.go is readiness-probe-missing).
//   - framework_*.go: what a rule is (Rule, Meta, Pass, Report, Finding)
//     and the one list of rules (framework_registry.go).
//   - k8s_*.go: the Kubernetes knowledge rules share: workloads and their
//     pod templates, probes, preStop hooks and grace periods, HPA metrics
//     and PDB selectors, field schemas; defaults cite docs/k8s-facts.md.
//   - model_*.go: the cross-object model: the facts recorded about each
//     object (model_facts.go), their label sets, and the Index that
//     relates them.
//
// Rules are stateless and read-only, so one Rule runs on many objects at
// once. Anything that depends on other objects (an HPA managing a
// Deployment, a PDB selecting it) is reported through Pass.Later and judged
// against the Index once every input has been read. How facts are kept
// until then is the engine's business (internal/engine), not the rules':
// this package imports nothing of zdlint but loader.
package rules
