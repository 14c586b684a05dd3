// Package loader turns files and standard input into Kubernetes objects that
// rules can inspect: it reads paths, parses each YAML stream exactly once into
// a yaml.v3 node tree (the source of every line and column), converts each
// document to JSON with the YAML 1.1 rules kubectl applies, and decodes the
// kinds zdlint lints into their k8s.io/api types.
//
// The loader knows nothing about rules. Bad input becomes an Error value that
// names the file and, where known, the line; it never panics and never stops
// other files from loading.
package loader
