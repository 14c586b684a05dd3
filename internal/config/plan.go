package config

import (
	"fmt"
	"strings"

	"github.com/zdlint/zdlint/rules"
	"github.com/zdlint/zdlint/rules/suggest"
)

// Defaults of the settings that both the file and a flag can set.
const (
	DefaultFailOn      = rules.Warning
	DefaultMinSeverity = rules.Info
)

// Flags are the command-line settings that compete with the file.
type Flags struct {
	Enable, Disable []string // rule IDs, or "all"
	FailOn          string   // "" unless given
	MinSeverity     string   // "" unless given
	KubeVersion     string   // "" unless given
	Namespace       string   // "" means "default"
	NoRender        bool     // --no-render
	HelmValues      []string // --helm-values, after the file's
	NoSiblings      bool     // --no-sibling-context
}

// Plan is what a run does, resolved from the file and the flags.
type Plan struct {
	Rules       []*rules.Rule // enabled, sorted by ID
	Settings    *rules.Settings
	FailOn      rules.Severity // lowest severity that makes the exit code 1
	MinSeverity rules.Severity // lowest severity reported
	// Render is whether Kustomize trees and Helm charts are rendered;
	// HelmValues are the extra values files for every chart.
	Render     bool
	HelmValues []string
	// Siblings is whether a file named on the command line is judged
	// with the manifests of its directory as context.
	Siblings bool
}

// KubeVersion is the target Kubernetes version: the configured one, else
// the newest the bundled k8s.io/api knows.
func (p *Plan) KubeVersion() string {
	if p.Settings.KubeVersion != "" {
		return p.Settings.KubeVersion
	}
	return rules.NewestKubeVersion
}

// FlagError is a bad flag value: a usage error, not a configuration one.
type FlagError struct{ Msg string }

func (e *FlagError) Error() string { return e.Msg }

// Resolve turns the configuration (c may be nil) and the flags into the
// run's plan. It is the one place precedence is decided: flags win over
// the file, the file over the defaults (for rules: rule defaults, then the
// file's all/default switches, then its per-rule settings, then the
// flags' "all", then the flags' rule IDs). A bad flag is a *FlagError.
func Resolve(c *Config, f Flags) (*Plan, error) {
	if err := validateIDs(f.Enable, f.Disable); err != nil {
		return nil, err
	}
	p := &Plan{Settings: rules.DefaultSettings(), FailOn: DefaultFailOn, MinSeverity: DefaultMinSeverity, Render: true}
	// Rendering is on unless the flag or the file turns it off; the
	// flag's values files come after the file's.
	if f.NoRender || c != nil && c.Render != nil && !*c.Render {
		p.Render = false
	}
	if c != nil {
		p.HelmValues = append(p.HelmValues, c.HelmValues...)
	}
	p.Siblings = !f.NoSiblings && (c == nil || c.SiblingContext == nil || *c.SiblingContext)
	p.HelmValues = append(p.HelmValues, f.HelmValues...)
	if f.Namespace != "" {
		p.Settings.DefaultNamespace = f.Namespace
	}
	for _, s := range []struct {
		flag, file, name string
		v                *rules.Severity
	}{
		{f.FailOn, c.FailOnSetting(), "--fail-on", &p.FailOn},
		{f.MinSeverity, c.MinSeveritySetting(), "--min-severity", &p.MinSeverity},
	} {
		if s.flag != "" {
			v, err := rules.ParseSeverity(s.flag)
			if err != nil {
				return nil, &FlagError{s.name + ": " + err.Error()}
			}
			*s.v = v
		} else if s.file != "" {
			*s.v, _ = rules.ParseSeverity(s.file) // validated by Parse
		}
	}
	p.Rules = selectRules(c, Selection{Enable: f.Enable, Disable: f.Disable}, p.Settings)
	if f.KubeVersion != "" {
		if _, err := rules.ParseKubeVersion(f.KubeVersion); err != nil {
			return nil, &FlagError{"--kube-version: " + err.Error()}
		}
		p.Settings.KubeVersion = f.KubeVersion
	}
	return p, nil
}

// validateIDs checks rule IDs given on the command line.
func validateIDs(lists ...[]string) error {
	for _, ids := range lists {
		for _, id := range ids {
			id = strings.TrimSpace(id)
			if id == "" || id == "all" {
				continue
			}
			if _, ok := rules.ByID(id); !ok {
				return &FlagError{fmt.Sprintf("unknown rule %q%s", id, SuggestID(id))}
			}
		}
	}
	return nil
}

// SuggestID returns "; did you mean X?" for the rule ID closest to id,
// or "".
func SuggestID(id string) string {
	ids := make([]string, 0, len(rules.All()))
	for _, r := range rules.All() {
		ids = append(ids, r.ID)
	}
	if best := suggest.Closest(id, ids); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return ""
}
