// Package docs holds zdlint's documentation. The rule pages under rules/,
// the rule index and the rule table in README.md are generated from each
// rule's metadata by ./gen; `go test ./docs/...` fails when they are stale.
package docs

//go:generate go run ./gen
