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
	// Fix is what to change to fix the finding, when the rule knows
	// (Meta.Fixes documents it).
	Fix *FixSpec
	// Detail is what a deferred finding (Pass.Later) passes to its rule's
	// Resolve beyond the object's fact and the container: which resource,
	// which metric. Unused by Report.
	Detail string
}

// Deferred is a finding whose verdict needs every object: the engine calls
// its rule's Resolve once the Index is complete and keeps the finding if it
// returns true, with the message it returns. Its position is resolved
// while the object's tree is at hand; everything else the verdict needs
// comes from the object's fact and Detail.
type Deferred struct {
	Rule *Rule
	// Fact is the fact of the object the finding is about.
	Fact                    Fact
	Path, Container, Detail string
	Pos, End                loader.Pos
	Severity                Severity // with the configured override applied
	Fix                     *Fix
}

// Resolution is what a rule's Resolve decides a deferred finding from.
type Resolution struct {
	Fact      Fact // the fact of the object the finding is about
	Index     *Index
	Container string // Report.Container
	Detail    string // Report.Detail
	// Option returns the configured value of one of the rule's options.
	Option func(name string) int64
	// Severity starts as the severity the finding was deferred with;
	// Resolve may change it (a finding the serving model lowers), and
	// a severity configured for the rule still wins.
	Severity Severity
	// Related are the other objects the finding is about; Resolve adds
	// them with Relate.
	Related []Location
}

// Relate names another object the finding is about: where f's object is
// named, and msg, which says how it bears on the finding ("HPA \"web\"
// scales this Deployment"). A fact without a position (none was read)
// adds nothing; neither does one named twice.
func (r *Resolution) Relate(f Fact, msg string) {
	if f == nil {
		return
	}
	sub := f.About()
	if !sub.NamePos.IsValid() {
		return
	}
	for _, x := range r.Related {
		if x.File == sub.File && x.Pos == sub.NamePos {
			return
		}
	}
	r.Related = append(r.Related, Location{File: sub.File, Path: sub.NamePath, Pos: sub.NamePos, End: sub.NameEnd, Message: msg})
}

// Pass is one rule running on one object. The engine makes it (see Bind);
// a rule reads the object and its settings and reports through it.
type Pass struct {
	Rule     *Rule
	Obj      *loader.Object
	Settings *Settings

	fact   Fact // the object's fact, nil when it has none
	report func(Finding)
	later  func(Deferred)
}

// Bind prepares p for a run of rule r on obj: report receives its
// findings, later its deferred findings, and fact is the object's fact
// (nil when it has none, and then Later defers nothing). It is the
// driver's side of a Pass, called by the engine, not by rules.
func Bind(p *Pass, r *Rule, obj *loader.Object, s *Settings, fact Fact, report func(Finding), later func(Deferred)) {
	if s == nil {
		s = DefaultSettings()
	}
	*p = Pass{Rule: r, Obj: obj, Settings: s, fact: fact, report: report, later: later}
}

// Option returns the configured value of one of the rule's options.
func (p *Pass) Option(name string) int64 { return p.Rule.OptionValue(p.Settings, name) }

// OptionValue returns the value of one of r's number options under s: the
// configured one, else the default. Reading an undeclared option is a bug
// in the rule and panics.
func (r *Rule) OptionValue(s *Settings, name string) int64 {
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
	return ObjectRef{APIVersion: p.Obj.APIVersion, Kind: p.Obj.Kind, Namespace: p.Namespace(), Name: p.Obj.Name}
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
func (p *Pass) Report(r Report) {
	if len(p.Obj.Undecoded) > 0 && aboutUndecoded(p.Obj, r.At) {
		return // the value is written but invalid, and reported as such
	}
	pos, end := p.position(r)
	p.report(Finding{
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
		Fix:       p.fixOf(r.Fix),
	})
}

// Reportf records a finding at path with a formatted message.
func (p *Pass) Reportf(at loader.Path, format string, args ...any) {
	p.Report(Report{At: at, Message: fmt.Sprintf(format, args...)})
}

// Later records a finding whose verdict depends on other objects: the
// rule's Resolve decides it once every object is known, from the object's
// fact, r.Container and r.Detail. The position is resolved now, while the
// object's tree is at hand. An object without a fact (its extraction
// failed, and was reported) defers nothing.
func (p *Pass) Later(r Report) {
	if p.Rule.Resolve == nil {
		panic(fmt.Sprintf("rule %s defers a finding but has no Resolve", p.Rule.ID))
	}
	if p.fact == nil || (len(p.Obj.Undecoded) > 0 && aboutUndecoded(p.Obj, r.At)) {
		return
	}
	pos, end := p.position(r)
	p.later(Deferred{Rule: p.Rule, Fact: p.fact, Path: p.docPath(r.At), Container: r.Container, Detail: r.Detail,
		Pos: pos, End: end, Severity: p.severity(r), Fix: p.fixOf(r.Fix)})
}
