// Package config reads .zdlint.yaml: which rules run and how severe they
// are, rule options, the target Kubernetes version, paths to exclude and
// findings to ignore with a reason. Decoding is strict: an unknown key or a
// bad value is an error with the file, line and column, and the closest
// valid key. One table of keys (Keys, keys.go) drives decoding, `zdlint
// init` and the reference in docs/configuration.md, so the three cannot
// drift apart, and one function (Resolve, plan.go) decides how the file
// and the flags combine into a run's plan.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/zdlint/zdlint/rules"
	"github.com/zdlint/zdlint/rules/suggest"
)

// FileNames are the names searched for, in order, in each directory.
var FileNames = []string{".zdlint.yaml", ".zdlint.yml"}

// RuleSetting is one entry under rules:.
type RuleSetting struct {
	Enabled  *bool
	Severity rules.Severity // 0: the rule's default
	Options  map[string]int64
	// ListOptions holds the options that take a list of strings.
	ListOptions map[string][]string
	Pos         Pos
}

// Ignore is one entry under ignore: findings it matches are suppressed.
type Ignore struct {
	Path      string // glob on the file path ("charts/**")
	Kind      string
	Namespace string
	Name      string // glob
	Container string
	Rules     []string // empty: every rule
	Reason    string
	Pos       Pos // where the entry is written, for unused-suppression
}

// Pos is a position in the configuration file.
type Pos struct{ Line, Col int }

// Config is a decoded configuration file.
type Config struct {
	File              string // path it was read from; "" for none
	Rules             map[string]RuleSetting
	All, Default      *bool // rules: {all: {enabled: ...}}, {default: {enabled: ...}}
	KubernetesVersion string
	FailOn            string // "" unless set: the lowest severity that fails the run
	MinSeverity       string // "" unless set: the lowest severity reported
	Exclude           []string
	Ignore            []Ignore
	// Render is false when Kustomize trees and Helm charts are linted as
	// written (render: false); nil when unset. HelmValues are extra values
	// files for every chart (docs/rendering.md).
	Render     *bool
	HelmValues []string
	// SiblingContext is false when files named on the command line are
	// judged without the manifests beside them (siblingContext: false);
	// nil when unset.
	SiblingContext *bool
}

// Error is a configuration problem at a position.
type Error struct {
	File string
	Pos  Pos
	Msg  string
}

func (e *Error) Error() string {
	if e.Pos.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Col, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Find looks for a configuration file from dir upwards, stopping after the
// repository root (a directory holding .git). It returns "" when there is
// none.
func Find(dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		for _, n := range FileNames {
			p := filepath.Join(dir, n)
			if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() {
				return p
			}
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Load reads and decodes a configuration file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: "cannot read configuration: " + err.Error()}
	}
	return Parse(path, data)
}

// Parse decodes configuration data strictly.
func Parse(path string, data []byte) (*Config, error) {
	c := &Config{File: path, Rules: map[string]RuleSetting{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: path, Msg: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if len(doc.Content) == 0 {
		return c, nil
	}
	d := decoder{file: path}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return c, nil // "---" alone, or only comments
	}
	d.mapping(root, topKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "version":
			if n, ok := d.int(v); ok && n != 1 {
				d.fail(v, "unsupported configuration version %d (this zdlint reads version 1)", n)
			}
		case "rules":
			d.rules(c, v)
		case "kubernetesVersion":
			if s, ok := d.str(v); ok {
				if _, err := rules.ParseKubeVersion(s); err != nil {
					d.fail(v, "%v", err)
				}
				c.KubernetesVersion = s
			}
		case "failOn", "minSeverity":
			if sv, ok := d.str(v); ok {
				if _, err := rules.ParseSeverity(sv); err != nil {
					d.fail(v, "%v", err)
				}
				if key == "failOn" {
					c.FailOn = sv
				} else {
					c.MinSeverity = sv
				}
			}
		case "exclude":
			c.Exclude = d.strings(v)
			for i, g := range c.Exclude {
				if _, err := filepath.Match(strings.ReplaceAll(g, "**", "*"), ""); err != nil {
					d.fail(v.Content[i], "bad glob %q: %v", g, err)
				}
			}
		case "ignore":
			d.ignores(c, v)
		case "render":
			if b, ok := d.bool(v); ok {
				c.Render = &b
			}
		case "helmValues":
			c.HelmValues = d.strings(v)
		case "siblingContext":
			if b, ok := d.bool(v); ok {
				c.SiblingContext = &b
			}
		}
	})
	if d.err != nil {
		return nil, d.err
	}
	return c, nil
}

var (
	topKeys     = keyNames()
	ruleKeys    = []string{"enabled", "severity", "options"}
	ignoreKeys  = []string{"path", "kind", "namespace", "name", "container", "rules", "reason"}
	selectorIDs = []string{"all", "default"}
)

type decoder struct {
	file string
	err  error
}

func (d *decoder) fail(n *yaml.Node, format string, args ...any) {
	if d.err == nil {
		d.err = &Error{File: d.file, Pos: Pos{n.Line, n.Column}, Msg: fmt.Sprintf(format, args...)}
	}
}

// mapping walks a mapping, rejecting keys not in allowed (with the closest
// one suggested) and duplicates.
func (d *decoder) mapping(n *yaml.Node, allowed []string, fn func(key string, k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, "expected a mapping")
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content) && d.err == nil; i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if allowed != nil && !slices.Contains(allowed, k.Value) {
			msg := fmt.Sprintf("unknown key %q", k.Value)
			if best := suggest.Closest(k.Value, allowed); best != "" {
				msg += fmt.Sprintf("; did you mean %q?", best)
			} else {
				msg += fmt.Sprintf(" (valid keys: %s)", strings.Join(allowed, ", "))
			}
			d.fail(k, "%s", msg)
			return
		}
		if seen[k.Value] {
			d.fail(k, "duplicate key %q", k.Value)
			return
		}
		seen[k.Value] = true
		fn(k.Value, k, v)
	}
}

func (d *decoder) str(v *yaml.Node) (string, bool) {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" || v.Tag == "!!map" {
		d.fail(v, "expected a string")
		return "", false
	}
	return v.Value, true
}

func (d *decoder) int(v *yaml.Node) (int64, bool) {
	n, err := strconv.ParseInt(v.Value, 10, 64)
	if v.Kind != yaml.ScalarNode || err != nil || v.Tag == "!!str" {
		d.fail(v, "expected an integer, got %q", v.Value)
		return 0, false
	}
	return n, true
}

func (d *decoder) bool(v *yaml.Node) (bool, bool) {
	switch v.Value {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	d.fail(v, "expected true or false, got %q", v.Value)
	return false, false
}

func (d *decoder) strings(v *yaml.Node) []string {
	if v.Kind == yaml.ScalarNode {
		s, _ := d.str(v)
		return []string{s}
	}
	if v.Kind != yaml.SequenceNode {
		d.fail(v, "expected a list of strings")
		return nil
	}
	var out []string
	for _, item := range v.Content {
		if s, ok := d.str(item); ok {
			out = append(out, s)
		}
	}
	return out
}

func ruleIDs() []string {
	ids := make([]string, 0, len(rules.All())+2)
	for _, r := range rules.All() {
		ids = append(ids, r.ID)
	}
	return append(ids, selectorIDs...)
}

func (d *decoder) rules(c *Config, v *yaml.Node) {
	d.mapping(v, ruleIDs(), func(id string, k, sv *yaml.Node) {
		set := RuleSetting{Pos: Pos{k.Line, k.Column}}
		rule, isRule := rules.ByID(id)
		d.mapping(sv, ruleKeys, func(key string, kk, vv *yaml.Node) {
			switch key {
			case "enabled":
				if b, ok := d.bool(vv); ok {
					set.Enabled = &b
				}
			case "severity":
				if !isRule {
					d.fail(kk, "%q selects rules; only enabled can be set for it", id)
					return
				}
				if s, ok := d.str(vv); ok {
					sev, err := rules.ParseSeverity(s)
					if err != nil {
						d.fail(vv, "%v", err)
						return
					}
					set.Severity = sev
				}
			case "options":
				if !isRule {
					d.fail(kk, "%q selects rules; only enabled can be set for it", id)
					return
				}
				var names []string
				for _, o := range rule.Options {
					names = append(names, o.Name)
				}
				if len(names) == 0 {
					d.fail(kk, "rule %s has no options", id)
					return
				}
				set.Options = map[string]int64{}
				set.ListOptions = map[string][]string{}
				d.mapping(vv, names, func(name string, _, ov *yaml.Node) {
					var opt rules.Option
					for _, o := range rule.Options {
						if o.Name == name {
							opt = o
						}
					}
					if opt.IsList() {
						if ov.Kind != yaml.SequenceNode {
							d.fail(ov, "option %s takes a list of strings", name)
							return
						}
						list := d.strings(ov)
						// An empty list is refused where the default is not
						// empty (topologyKeys: [] would make the rule
						// unsatisfiable); a list that is empty by default
						// (delayingImages) may be written empty.
						if len(list) == 0 && len(opt.DefaultList) > 0 && d.err == nil {
							d.fail(ov, "option %s needs at least one value", name)
							return
						}
						if list == nil {
							list = []string{} // written empty: set, not absent
						}
						set.ListOptions[name] = list
						return
					}
					if n, ok := d.int(ov); ok {
						if n < 0 {
							d.fail(ov, "option %s must not be negative", name)
							return
						}
						set.Options[name] = n
					}
				})
			}
		})
		switch id {
		case "all":
			c.All = set.Enabled
		case "default":
			c.Default = set.Enabled
		default:
			c.Rules[id] = set
		}
	})
}

func (d *decoder) ignores(c *Config, v *yaml.Node) {
	if v.Kind != yaml.SequenceNode {
		d.fail(v, "expected a list of ignore entries")
		return
	}
	for _, item := range v.Content {
		ig := Ignore{Pos: Pos{item.Line, item.Column}}
		d.mapping(item, ignoreKeys, func(key string, _, vv *yaml.Node) {
			switch key {
			case "path":
				ig.Path, _ = d.str(vv)
			case "kind":
				ig.Kind, _ = d.str(vv)
			case "namespace":
				ig.Namespace, _ = d.str(vv)
			case "name":
				ig.Name, _ = d.str(vv)
			case "container":
				ig.Container, _ = d.str(vv)
			case "reason":
				ig.Reason, _ = d.str(vv)
			case "rules":
				ig.Rules = d.strings(vv)
				for i, id := range ig.Rules {
					if _, ok := rules.ByID(id); !ok {
						n := vv
						if vv.Kind == yaml.SequenceNode {
							n = vv.Content[i]
						}
						msg := fmt.Sprintf("unknown rule %q", id)
						if best := suggest.Closest(id, ruleIDs()); best != "" {
							msg += fmt.Sprintf("; did you mean %q?", best)
						}
						d.fail(n, "%s", msg)
					}
				}
			}
		})
		if d.err != nil {
			return
		}
		c.Ignore = append(c.Ignore, ig)
	}
}

// FailOnSetting returns failOn, or "" when c is nil or does not set it.
func (c *Config) FailOnSetting() string {
	if c == nil {
		return ""
	}
	return c.FailOn
}

// MinSeveritySetting returns minSeverity, or "" when c is nil or does not
// set it.
func (c *Config) MinSeveritySetting() string {
	if c == nil {
		return ""
	}
	return c.MinSeverity
}

// ErrBoth is returned when --config and --no-config are both given.
var ErrBoth = errors.New("--config and --no-config cannot be used together")
