package config

import (
	"fmt"
	"strings"

	"github.com/zdlint/zdlint/rules"
)

// Template renders the commented configuration `zdlint init` writes: every
// rule with its default state, severity and options, and every other key
// with an example. Uncommented values are the defaults, so the file changes
// nothing until it is edited.
func Template() string {
	var b strings.Builder
	b.WriteString(`# zdlint configuration (https://github.com/zdlint/zdlint/blob/main/docs/configuration.md).
# Every value below is the default; edit what you want to change.
version: 1

# Target Kubernetes version for removed-api-version.
kubernetesVersion: "` + rules.NewestKubeVersion + `"

# The lowest severity that makes the exit code 1 (--fail-on wins), and the
# lowest severity reported at all (--min-severity wins).
failOn: warning
minSeverity: info

# Files to skip, as globs ("**" spans directories); "!" re-includes. Walks
# already skip testdata, vendor, node_modules and hidden directories.
exclude: []
#  - "generated/**"
#  - "!.deploy"     # walk a hidden directory after all

# Findings to silence where you cannot edit the manifest (third-party charts,
# injected sidecars). Every entry needs a reason; one that matches nothing is
# reported as unused-suppression.
ignore: []
#  - kind: Deployment
#    namespace: kube-system
#    name: "coredns*"
#    rules: [single-replica]
#    reason: managed by the cloud provider

# Build Kustomize trees and template Helm charts, and report findings at
# the patch or template line (docs/rendering.md); false lints files as
# written (--no-render).
render: true

# Extra values files for every Helm chart, after its values.yaml
# (--helm-values adds to them).
helmValues: []

# Rules: enabled, severity (error, warning, info) and options.
# "all: {enabled: true}" switches every rule on.
rules:
`)
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
// docs/configuration.md from the same sources the decoder validates against.
func Reference() string {
	var b strings.Builder
	b.WriteString("| Key | Type | Default | Meaning |\n|---|---|---|---|\n")
	b.WriteString("| `version` | integer | `1` | configuration format version; only 1 exists |\n")
	b.WriteString("| `kubernetesVersion` | string | `\"" + rules.NewestKubeVersion + "\"` | target release for `removed-api-version` (`--kube-version` wins) |\n")
	b.WriteString("| `failOn` | `error`, `warning`, `info` | `warning` | lowest severity that makes the exit code 1 (`--fail-on` wins) |\n")
	b.WriteString("| `minSeverity` | `error`, `warning`, `info` | `info` | lowest severity reported at all (`--min-severity` wins) |\n")
	b.WriteString("| `exclude` | list of globs | `[]` | files not linted; `**` spans directories, a pattern without `/` also matches base names, `!` re-includes (also a directory walks skip) |\n")
	b.WriteString("| `ignore` | list | `[]` | findings to suppress: `path` (glob), `kind`, `namespace`, `name` (glob), `container`, `rules`, `reason` (required) |\n")
	b.WriteString("| `render` | boolean | `true` | build Kustomize trees and template Helm charts, mapping findings to the patch or template line ([rendering](rendering.md)); `false` lints files as written (`--no-render`) |\n")
	b.WriteString("| `helmValues` | list of files | `[]` | extra values files for every Helm chart, after its `values.yaml`; relative to the working directory (`--helm-values` adds to them) |\n")
	b.WriteString("| `rules.<id>.enabled` | boolean | per rule | run the rule (`--enable`/`--disable` win) |\n")
	b.WriteString("| `rules.<id>.severity` | `error`, `warning`, `info` | per rule | severity of its findings |\n")
	b.WriteString("| `rules.<id>.options.<name>` | integer, or a list of strings | per option | tunes the rule; see below |\n")
	b.WriteString("| `rules.all.enabled`, `rules.default.enabled` | boolean | | switch every rule, or the rules on by default, before per-rule settings apply |\n")
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
