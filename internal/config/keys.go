package config

import (
	"fmt"
	"strings"

	"github.com/zdlint/zdlint/rules"
)

// Key is one top-level key of .zdlint.yaml. The table Keys is the schema:
// the decoder accepts exactly its names, `zdlint init` writes each key with
// its comment, default and example (Template), and the reference in
// docs/configuration.md has a row for each (Reference), so the three
// cannot drift apart. A new key is added here and decoded in Parse.
type Key struct {
	Name string
	// Comment introduces the key in the template, a line each; empty
	// continues the previous key's paragraph.
	Comment []string
	// Value is the default as the template writes it; Example follows
	// it, commented out.
	Value   string
	Example []string
	// Type, Default and Meaning are the reference's row; Sub, when set,
	// replaces it with rows for the key's sub-keys.
	Type, Default, Meaning string
	Sub                    []SubKey
}

// SubKey is a documented key below a top-level one (rules.<id>.enabled).
type SubKey struct{ Name, Type, Default, Meaning string }

// Keys are the top-level keys, in the order the template and the reference
// list them.
var Keys = []Key{
	{Name: "version", Value: "1",
		Type: "integer", Default: "`1`", Meaning: "configuration format version; only 1 exists"},
	{Name: "kubernetesVersion", Comment: []string{"Target Kubernetes version for removed-api-version."},
		Value: `"` + rules.NewestKubeVersion + `"`,
		Type:  "string", Default: "`\"" + rules.NewestKubeVersion + "\"`", Meaning: "target release for `removed-api-version` (`--kube-version` wins)"},
	{Name: "failOn", Comment: []string{"The lowest severity that makes the exit code 1 (--fail-on wins), and the", "lowest severity reported at all (--min-severity wins)."},
		Value: DefaultFailOn.String(),
		Type:  "`error`, `warning`, `info`", Default: "`" + DefaultFailOn.String() + "`", Meaning: "lowest severity that makes the exit code 1 (`--fail-on` wins)"},
	{Name: "minSeverity", Value: DefaultMinSeverity.String(),
		Type: "`error`, `warning`, `info`", Default: "`" + DefaultMinSeverity.String() + "`", Meaning: "lowest severity reported at all (`--min-severity` wins)"},
	{Name: "exclude", Comment: []string{`Files to skip, as globs ("**" spans directories); "!" re-includes. Walks`, "already skip testdata, vendor, node_modules and hidden directories."},
		Value: "[]", Example: []string{`  - "generated/**"`, `  - "!.deploy"     # walk a hidden directory after all`},
		Type: "list of globs", Default: "`[]`", Meaning: "files not linted; `**` spans directories, a pattern without `/` also matches base names, `!` re-includes (also a directory walks skip)"},
	{Name: "ignore", Comment: []string{"Findings to silence where you cannot edit the manifest (third-party charts,", "injected sidecars). Every entry needs a reason; one that matches nothing is", "reported as unused-suppression."},
		Value: "[]", Example: []string{"  - kind: Deployment", "    namespace: kube-system", `    name: "coredns*"`, "    rules: [single-replica]", "    reason: managed by the cloud provider"},
		Type: "list", Default: "`[]`", Meaning: "findings to suppress: `path` (glob), `kind`, `namespace`, `name` (glob), `container`, `rules`, `reason` (required)"},
	{Name: "render", Comment: []string{"Build Kustomize trees and template Helm charts, and report findings at", "the patch or template line (docs/rendering.md); false lints files as", "written (--no-render)."},
		Value: "true",
		Type:  "boolean", Default: "`true`", Meaning: "build Kustomize trees and template Helm charts, mapping findings to the patch or template line ([rendering](rendering.md)); `false` lints files as written (`--no-render`)"},
	{Name: "helmValues", Comment: []string{"Extra values files for every Helm chart, after its values.yaml", "(--helm-values adds to them)."},
		Value: "[]",
		Type:  "list of files", Default: "`[]`", Meaning: "extra values files for every Helm chart, after its `values.yaml`; relative to the working directory (`--helm-values` adds to them)"},
	{Name: "siblingContext", Comment: []string{"A file named on the command line (a pre-commit hook's staged files) is", "judged with the other manifests of its directory as context: its HPA, PDB", "and Service in sibling files count (docs/cross-object.md); false judges it", "alone (--no-sibling-context)."},
		Value: "true",
		Type:  "boolean", Default: "`true`", Meaning: "load the manifests beside each file named on the command line as context, so its HPA, PDB and Service in sibling files count ([cross-object](cross-object.md#sibling-context)); `false` judges named files alone (`--no-sibling-context`)"},
	{Name: "rules", Comment: []string{"Rules: enabled, severity (error, warning, info) and options.", `"all: {enabled: true}" switches every rule on.`},
		Sub: []SubKey{
			{"`rules.<id>.enabled`", "boolean", "per rule", "run the rule (`--enable`/`--disable` win)"},
			{"`rules.<id>.severity`", "`error`, `warning`, `info`", "per rule", "severity of its findings"},
			{"`rules.<id>.options.<name>`", "integer, or a list of strings", "per option", "tunes the rule; see below"},
			{"`rules.all.enabled`, `rules.default.enabled`", "boolean", "", "switch every rule, or the rules on by default, before per-rule settings apply"},
		}},
}

// cell renders a table cell's text and the space after it; an empty cell
// is one space wide.
func cell(s string) string {
	if s == "" {
		return ""
	}
	return s + " "
}

// keyNames are the names of Keys, for the decoder.
func keyNames() []string {
	names := make([]string, len(Keys))
	for i, k := range Keys {
		names[i] = k.Name
	}
	return names
}

// Template renders the commented configuration `zdlint init` writes: every
// key of Keys with its default and an example, then every rule with its
// default state, severity and options. Uncommented values are the
// defaults, so the file changes nothing until it is edited.
func Template() string {
	var b strings.Builder
	b.WriteString("# zdlint configuration (https://github.com/zdlint/zdlint/blob/main/docs/configuration.md).\n# Every value below is the default; edit what you want to change.\n")
	for _, k := range Keys {
		if len(k.Comment) > 0 {
			b.WriteString("\n")
			for _, l := range k.Comment {
				b.WriteString("# " + l + "\n")
			}
		}
		if k.Name == "rules" {
			b.WriteString("rules:\n")
			continue
		}
		b.WriteString(k.Name + ": " + k.Value + "\n")
		for _, l := range k.Example {
			b.WriteString("#" + l + "\n")
		}
	}
	for _, r := range rules.All() {
		fmt.Fprintf(&b, "  # %s.\n", r.Summary)
		fmt.Fprintf(&b, "  %s:\n    enabled: %t\n    severity: %s\n", r.ID, !r.Disabled, r.Severity)
		if len(r.Options) > 0 {
			b.WriteString("    options:\n")
			for _, o := range r.Options {
				fmt.Fprintf(&b, "      %s: %s   # %s\n", o.Name, o.DefaultText(), o.Doc)
			}
		}
	}
	return b.String()
}

// Reference renders the configuration reference section of
// docs/configuration.md from Keys and the rules.
func Reference() string {
	var b strings.Builder
	b.WriteString("| Key | Type | Default | Meaning |\n|---|---|---|---|\n")
	for _, k := range Keys {
		if len(k.Sub) == 0 {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", k.Name, k.Type, k.Default, k.Meaning)
		}
		for _, s := range k.Sub {
			fmt.Fprintf(&b, "| %s | %s | %s| %s |\n", s.Name, s.Type, cell(s.Default), s.Meaning)
		}
	}
	b.WriteString("\n### Rules and their options\n\n| Rule | Enabled | Severity | Options (default) |\n|---|---|---|---|\n")
	for _, r := range rules.All() {
		var opts []string
		for _, o := range r.Options {
			opts = append(opts, fmt.Sprintf("`%s` (`%s`): %s", o.Name, o.DefaultText(), o.Doc))
		}
		o := strings.Join(opts, "<br>")
		if o == "" {
			o = "none"
		}
		fmt.Fprintf(&b, "| [`%s`](rules/%s.md) | %t | %s | %s |\n", r.ID, r.ID, !r.Disabled, r.Severity, o)
	}
	return b.String()
}
