package rules

import (
	"fmt"
	"math"

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
// its rule's Resolve once the Index is complete and keeps the finding if it
// returns true, with the message it returns. A large input holds one per
// workload or more until every file is read, so it is kept small: the
// position is resolved while the tree is at hand, and everything else the
// verdict needs comes from the object's own fact (already kept for the
// Index) and Arg, not from a closure over copies.
type Deferred struct {
	Rule      *Rule
	Fact      Fact // the fact of the object the finding is about
	Path      string
	Container string
	at        [4]int32 // line, column, end line, end column
	// Arg is the rule's own detail, such as which resource or which
	// metric the finding is about.
	Arg int32
	sev int8 // with the configured override applied
}

// NewDeferred makes the deferred finding Later would record: the engine
// keeps them encoded between the pass and the Index.
func NewDeferred(r *Rule, f Fact, path, container string, pos, end loader.Pos, sev Severity, arg int32) Deferred {
	return Deferred{Rule: r, Fact: f, Path: path, Container: container, at: packPos(pos, end), sev: int8(sev), Arg: arg}
}

// Severity returns the finding's severity, with the configured override
// applied.
func (d *Deferred) Severity() Severity { return Severity(d.sev) }

// Pos returns where the finding starts.
func (d *Deferred) Pos() loader.Pos { return loader.Pos{Line: int(d.at[0]), Col: int(d.at[1])} }

// End returns where the finding ends.
func (d *Deferred) End() loader.Pos { return loader.Pos{Line: int(d.at[2]), Col: int(d.at[3])} }

// packPos stores a position in 32 bits a coordinate, clamped: a file would
// need more than 2 GiB for a line or column number not to fit, and the
// loader reads at most --max-file-size bytes.
func packPos(pos, end loader.Pos) [4]int32 {
	c := func(n int) int32 { return int32(min(max(n, 0), math.MaxInt32)) }
	return [4]int32{c(pos.Line), c(pos.Col), c(end.Line), c(end.Col)}
}

// Object returns the object the deferred finding is about and its file.
func (d *Deferred) Object() (ObjectRef, string) {
	s := d.Fact.subject()
	return s.Ref(), s.File
}

// Resolution is one deferred finding being decided.
type Resolution struct {
	*Deferred
	Index    *Index
	Settings *Settings
}

// Option returns the configured value of one of the rule's options.
func (r *Resolution) Option(name string) int64 { return option(r.Rule, r.Settings, name) }

// Resolve decides d against the complete Index: the finding and true, or
// false when the rule drops it.
func (d *Deferred) Resolve(ix *Index, s *Settings) (Finding, bool) {
	if s == nil {
		s = DefaultSettings()
	}
	msg, ok := d.Rule.Resolve(&Resolution{Deferred: d, Index: ix, Settings: s})
	if !ok {
		return Finding{}, false
	}
	sub := d.Fact.subject()
	return Finding{
		Rule:      d.Rule.ID,
		Severity:  d.Severity(),
		Message:   msg,
		File:      sub.File,
		Pos:       d.Pos(),
		End:       d.End(),
		Object:    sub.Ref(),
		Container: d.Container,
		Path:      d.Path,
		Source:    sub.Source,
	}, true
}

// Pass is one rule running on one object.
type Pass struct {
	Rule     *Rule
	Obj      *loader.Object
	Settings *Settings

	fact      Fact // the object's Index fact (see SetFact)
	extracted bool

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

// Reset prepares p for a run of rule r on obj, keeping its buffers: the
// engine runs every rule on every object with one Pass. What Findings and
// DeferredFindings returned before is overwritten.
func (p *Pass) Reset(r *Rule, obj *loader.Object, s *Settings) {
	if s == nil {
		s = DefaultSettings()
	}
	*p = Pass{Rule: r, Obj: obj, Settings: s, findings: p.findings[:0], deferred: p.deferred[:0]}
}

// Findings returns what the rule reported directly.
func (p *Pass) Findings() []Finding { return p.findings }

// DeferredFindings returns what the rule reported through Later.
func (p *Pass) DeferredFindings() []Deferred { return p.deferred }

// Option returns the configured value of one of the rule's options.
func (p *Pass) Option(name string) int64 { return option(p.Rule, p.Settings, name) }

func option(r *Rule, s *Settings, name string) int64 {
	if v, ok := s.Options[r.ID][name]; ok {
		return v
	}
	v, ok := r.OptionDefault(name)
	if !ok {
		panic(fmt.Sprintf("rule %s reads undeclared option %q", r.ID, name))
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
	if p.fact != nil {
		return p.fact.subject().Ref() // the same strings, kept in the fact's arena
	}
	return ObjectRef{APIVersion: p.Obj.APIVersion, Kind: p.Obj.Kind, Namespace: p.Namespace(), Name: p.Obj.Name}
}

func (p *Pass) finding(r Report) Finding {
	pos, end := p.position(r)
	return Finding{
		Rule:      p.Rule.ID,
		Severity:  p.severity(r),
		Message:   r.Message,
		File:      p.Obj.File,
		Pos:       pos,
		End:       end,
		Object:    p.Ref(),
		Container: r.Container,
		Path:      p.docPath(r.At),
		Source:    p.Obj.Source,
	}
}

// docPath renders a path inside the object as a path inside its document:
// an object that is an item of a kind: List is at items[i], and a reported
// path must lead a reader (or a tool) from the document to the node.
func (p *Pass) docPath(at loader.Path) string {
	if len(p.Obj.Prefix) == 0 {
		return at.String()
	}
	full := make(loader.Path, 0, len(p.Obj.Prefix)+len(at))
	return append(append(full, p.Obj.Prefix...), at...).String()
}

func (p *Pass) position(r Report) (pos, end loader.Pos) {
	if r.Pos.IsValid() {
		pos = r.Pos
	} else if r.AtKey {
		pos, end, _ = p.Obj.KeyPos(r.At)
	} else {
		pos, end = p.Obj.Pos(r.At)
	}
	return pos, end
}

func (p *Pass) severity(r Report) Severity {
	sev := r.Severity
	if s, ok := p.Settings.Severity[p.Rule.ID]; ok {
		sev = s
	}
	if sev == 0 {
		sev = p.Rule.Severity
	}
	return sev
}

// Report records a finding.
func (p *Pass) Report(r Report) { p.findings = append(p.findings, p.finding(r)) }

// Reportf records a finding at path with a formatted message.
func (p *Pass) Reportf(at loader.Path, format string, args ...any) {
	p.Report(Report{At: at, Message: fmt.Sprintf(format, args...)})
}

// SetFact hands the pass the object's fact, which the engine extracts once
// for the Index before running the rules, so deferred findings share it
// rather than extracting their own; nil when the object has none.
func (p *Pass) SetFact(f Fact) { p.fact, p.extracted = f, true }

// ownFact returns the object's fact, extracting it when the engine did not.
func (p *Pass) ownFact() Fact {
	if !p.extracted {
		p.SetFact(Extract(p.Obj, p.Settings, false))
	}
	return p.fact
}

// Later records a finding whose verdict depends on other objects: the
// rule's Resolve decides it once every object is known, with arg passed
// through. The position is resolved now, while the object's tree is at
// hand. An object without a fact (its extraction failed, and was
// reported) defers nothing.
func (p *Pass) Later(r Report, arg int32) {
	if p.Rule.Resolve == nil {
		panic(fmt.Sprintf("rule %s defers a finding but has no Resolve", p.Rule.ID))
	}
	if p.ownFact() == nil {
		return
	}
	pos, end := p.position(r)
	p.deferred = append(p.deferred, NewDeferred(p.Rule, p.fact, p.docPath(r.At), r.Container, pos, end, p.severity(r), arg))
}
