package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/zdlint/zdlint/loader"
)

// Severity ranks findings. The zero value means "the rule's default".
type Severity int

// Severities, least to most severe.
const (
	Info Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "unknown"
}

// MarshalText renders the severity as its name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity parses "error", "warning" or "info".
func ParseSeverity(name string) (Severity, error) {
	switch strings.ToLower(name) {
	case "error":
		return Error, nil
	case "warning", "warn":
		return Warning, nil
	case "info":
		return Info, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", name)
}

// Option is a tunable value a rule uses instead of a constant in code: a
// number (Default) or, when DefaultList is set, a list of strings.
// Configuration may override it per rule.
type Option struct {
	Name        string // lowerCamelCase, as written in .zdlint.yaml
	Default     int64
	DefaultList []string // non-nil: a list option
	Doc         string
}

// IsList reports whether the option takes a list of strings.
func (o Option) IsList() bool { return o.DefaultList != nil }

// DefaultText renders the default as written in YAML: 300, or
// [a, b] for a list.
func (o Option) DefaultText() string {
	if o.IsList() {
		return "[" + strings.Join(o.DefaultList, ", ") + "]"
	}
	return strconv.FormatInt(o.Default, 10)
}

// Meta describes a rule. Every field is required except Kinds, Options,
// Disabled and Related; TestRegistry enforces it.
type Meta struct {
	ID        string   // stable kebab-case ID, never renamed
	Severity  Severity // default severity
	Summary   string   // one line, no trailing period
	Rationale string   // why it drops requests or blocks a rollout (markdown)
	Fix       string   // YAML snippet of the corrected manifest
	Bad       string   // YAML snippet that the rule flags
	Defaults  []string // Kubernetes defaults the rule relies on
	// Kinds limits the rule to these object kinds ("Deployment"), named
	// by RuleKind ("AdvancedStatefulSet" for OpenKruise's); empty means
	// every typed kind.
	Kinds   []string
	Options []Option
	// Untyped rules also run on objects zdlint does not decode (Ingress,
	// CRDs, ...), whose Typed is nil; they may only read the object's
	// apiVersion, kind, name and node tree.
	Untyped bool
	// Engine rules are reported by the engine about the run itself (unused
	// suppressions); they are never run on objects.
	Engine   bool
	Disabled bool   // off unless enabled explicitly
	Since    string // zdlint version that added the rule
	// Fixes says which findings zdlint --fix can fix and how safely
	// (docs/fixes.md); empty means none has a fix.
	Fixes []FixNote
}

// Rule is a check: metadata plus the function that runs it on one object
// and, for a rule whose verdict needs other objects, the function that
// decides what it deferred with Pass.Later.
type Rule struct {
	Meta
	Run func(p *Pass)
	// Resolve returns the message of a deferred finding, or false to drop
	// it, once every object's fact is in r.Index.
	Resolve func(r *Resolution) (message string, ok bool)
}

// AppliesTo reports whether the rule runs on objects of this kind, as
// RuleKind names it.
func (r *Rule) AppliesTo(kind string) bool {
	if len(r.Kinds) == 0 {
		return true
	}
	for _, k := range r.Kinds {
		if k == kind {
			return true
		}
	}
	return false
}

// SeverityIn returns the rule's severity under s: the configured
// override, else the default.
func (r *Rule) SeverityIn(s *Settings) Severity {
	if v, ok := s.Severity[r.ID]; ok {
		return v
	}
	return r.Severity
}

// OptionDefault returns the default of a declared number option.
func (r *Rule) OptionDefault(name string) (int64, bool) {
	for _, o := range r.Options {
		if o.Name == name && !o.IsList() {
			return o.Default, true
		}
	}
	return 0, false
}

// ListOptionDefault returns the default of a declared list option.
func (r *Rule) ListOptionDefault(name string) ([]string, bool) {
	for _, o := range r.Options {
		if o.Name == name && o.IsList() {
			return o.DefaultList, true
		}
	}
	return nil, false
}

// ObjectRef identifies a Kubernetes object.
type ObjectRef struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
}

// ObjectString names the object in messages, as loader.Object.String
// does: Deployment "web".
func (r ObjectRef) ObjectString() string { return loader.ObjectName(r.Kind, r.Name) }

func (r ObjectRef) String() string {
	ns := r.Namespace
	if ns != "" {
		ns += "/"
	}
	return fmt.Sprintf("%s/%s %s%s", r.APIVersion, r.Kind, ns, r.Name)
}

// Finding is one problem at an exact position.
type Finding struct {
	Rule      string
	Severity  Severity
	Message   string
	File      string
	Pos, End  loader.Pos
	Object    ObjectRef
	Container string
	// Path is the field path inside the object
	// ("spec.template.spec.containers[0].readinessProbe").
	Path string
	// Source is the Helm template the object came from, when known.
	Source string
	// Fix, when set, is the edit of File that fixes the finding.
	Fix *Fix
	// Related are the other objects a cross-object finding is about (the
	// HPA that sizes the workload, the budget that selects its pods), in
	// the order the rule named them.
	Related []Location
}

// Location is another place a finding is about: where the other object of
// a cross-object finding is named, and how it bears on the finding.
type Location struct {
	File string
	// Path is the document path of the node at Pos ("metadata.name"),
	// which maps a rendered object's position to its source as a
	// finding's Path does.
	Path     string
	Pos, End loader.Pos
	Message  string // "HorizontalPodAutoscaler \"web\" scales this Deployment"
}
