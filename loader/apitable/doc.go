// Package apitable keeps loader's table of the built-in Kubernetes API
// (loader/builtin_apis.go) in step with the bundled k8s.io/api: its test
// registers every group version of k8s.io/api in a scheme and compares.
// Run `go test ./loader/apitable -update` after upgrading k8s.io/api.
package apitable
