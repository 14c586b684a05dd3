package rules

import (
	"fmt"

	"github.com/zdlint/zdlint/loader"
)

// Settings are the run-wide choices that rules read.
type Settings struct {
	// DefaultNamespace is the namespace of objects that name none.
	DefaultNamespace string
	// Options overrides rule options: rule ID → option name → value.
	Options map[string]map[string]int64
	// ListOptions overrides list options: rule ID → option name → values.
	ListOptions map[string]map[string][]string
	// Severity overrides rule severities: rule ID → severity.
	Severity map[string]Severity
	// KubeVersion is the target Kubernetes minor version ("1.33"); empty
	// means the newest version the bundled k8s.io/api knows.
	KubeVersion string
}

// DefaultSettings returns the settings used when nothing is configured.
func DefaultSettings() *Settings { return &Settings{DefaultNamespace: "default"} }

// Report is what a rule says about one place in an object.
type Report struct {
	At loader.Path // field path inside the object; missing fields resolve to the nearest ancestor
	// AtKey positions the finding at the key of At rather than its value
	// (an unknown or duplicate field).
	AtKey bool
	// Pos, when valid, is used instead of looking At up: for findings
	// whose place the loader already knows (one of two duplicate keys).
	Pos       loader.Pos
	Container string
	// Severity overrides the rule's default for this finding (a rule whose
	// severity depends on the case, such as prestop-sleep-missing).
	Severity Severity
	Message  string
}

// Deferred is a finding whose verdict needs every object: the engine calls
// Check once the Index is complete and keeps the finding if it returns true,
// with the message it returns.
type Deferred struct {
	Finding Finding
	Check   func(ix *Index) (message string, ok bool)
}

// Pass is one rule running on one object.
type Pass struct {
	Rule     *Rule
	Obj      *loader.Object
	Settings *Settings

	findings []Finding
	deferred []Deferred
}

// NewPass prepares a run of rule r on obj.
func NewPass(r *Rule, obj *loader.Object, s *Settings) *Pass {
	if s == nil {
		s = DefaultSettings()
	}
	return &Pass{Rule: r, Obj: obj, Settings: s}
}

// Findings returns what the rule reported directly.
func (p *Pass) Findings() []Finding { return p.findings }

// DeferredFindings returns what the rule reported through Later.
func (p *Pass) DeferredFindings() []Deferred { return p.deferred }

// Option returns the configured value of one of the rule's options.
func (p *Pass) Option(name string) int64 {
	if v, ok := p.Settings.Options[p.Rule.ID][name]; ok {
		return v
	}
	v, ok := p.Rule.OptionDefault(name)
	if !ok {
		panic(fmt.Sprintf("rule %s reads undeclared option %q", p.Rule.ID, name))
	}
	return v
}

// ListOption returns the value of one of the rule's list options.
func (p *Pass) ListOption(name string) []string {
	if v, ok := p.Settings.ListOptions[p.Rule.ID][name]; ok {
		return v
	}
	v, ok := p.Rule.ListOptionDefault(name)
	if !ok {
		panic(fmt.Sprintf("rule %s reads undeclared list option %q", p.Rule.ID, name))
	}
	return v
}

// Namespace returns the object's namespace, defaulted.
func (p *Pass) Namespace() string {
	if p.Obj.Namespace != "" {
		return p.Obj.Namespace
	}
	return p.Settings.DefaultNamespace
}

// Ref identifies the object being checked, with its namespace defaulted.
func (p *Pass) Ref() ObjectRef {
	return ObjectRef{APIVersion: p.Obj.APIVersion, Kind: p.Obj.Kind, Namespace: p.Namespace(), Name: p.Obj.Name}
}

func (p *Pass) finding(r Report) Finding {
	var pos, end loader.Pos
	if r.Pos.IsValid() {
		pos = r.Pos
	} else if r.AtKey {
		pos, end, _ = p.Obj.KeyPos(r.At)
	} else {
		pos, end = p.Obj.Pos(r.At)
	}
	sev := r.Severity
	if s, ok := p.Settings.Severity[p.Rule.ID]; ok {
		sev = s
	}
	if sev == 0 {
		sev = p.Rule.Severity
	}
	return Finding{
		Rule:      p.Rule.ID,
		Severity:  sev,
		Message:   r.Message,
		File:      p.Obj.File,
		Pos:       pos,
		End:       end,
		Object:    p.Ref(),
		Container: r.Container,
		Path:      r.At.String(),
		Source:    p.Obj.Source,
	}
}

// Report records a finding.
func (p *Pass) Report(r Report) { p.findings = append(p.findings, p.finding(r)) }

// Reportf records a finding at path with a formatted message.
func (p *Pass) Reportf(at loader.Path, format string, args ...any) {
	p.Report(Report{At: at, Message: fmt.Sprintf(format, args...)})
}

// Later records a finding whose verdict depends on other objects. The
// position is resolved now, while the object's tree is at hand; check runs
// against the complete Index and returns the message, or false to drop it.
func (p *Pass) Later(r Report, check func(ix *Index) (string, bool)) {
	p.deferred = append(p.deferred, Deferred{Finding: p.finding(r), Check: check})
}
