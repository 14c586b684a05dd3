package rules

import (
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/yamledit"
)

// Applicability says whether zdlint --fix may apply a fix on its own.
type Applicability int

// Applicabilities. The zero value means the finding has no fix.
const (
	// FixNone: no automatic fix; the message says what to write.
	FixNone Applicability = iota
	// FixUnsafe: correct in most cases, but a person should look; applied
	// only with --unsafe-fixes.
	FixUnsafe
	// FixSafe: exactly what the rule recommends, no judgment left;
	// applied by --fix.
	FixSafe
)

func (a Applicability) String() string {
	switch a {
	case FixSafe:
		return "safe"
	case FixUnsafe:
		return "unsafe"
	}
	return "none"
}

// MarshalText renders the applicability as its name.
func (a Applicability) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// FixNote documents which findings of a rule get which fix (Meta.Fixes):
// zdlint rules and the rule docs show it.
type FixNote struct {
	Applicability Applicability `json:"applicability"`
	// When names the findings ("maxUnavailable above 0 on a Deployment
	// that can surge"); What says what the fix writes, or for FixNone
	// why there is none.
	When string `json:"when"`
	What string `json:"what"`
}

// FixSpec is what a rule asks to change: changes to the object's tree,
// turned into text edits of the file when it is reported.
type FixSpec struct {
	Applicability Applicability
	Changes       []yamledit.Change
}

// Fix is a finding's fix: byte-range edits of its file.
type Fix struct {
	Applicability Applicability
	Edits         []yamledit.Edit
	// Changes are what the edits were made from, addressed inside the
	// object: a rendered object's fix is made again from them on the
	// file a person edits (render.Plan.Remap).
	Changes []yamledit.Change
}

// NewFix returns a fix of applicability a made of changes.
func NewFix(a Applicability, changes ...yamledit.Change) *FixSpec {
	return &FixSpec{Applicability: a, Changes: changes}
}

// Set is a change that sets the scalar at path to value (YAML text), a
// new key going next to the first of place that exists.
func Set(path loader.Path, value string, place ...yamledit.Anchor) yamledit.Change {
	return yamledit.Change{Op: yamledit.Set, At: path, Value: value, Place: place}
}

// SetString is Set for a string value: its quotes are kept.
func SetString(path loader.Path, value string) yamledit.Change {
	return yamledit.Change{Op: yamledit.Set, At: path, Value: value, Str: true}
}

// After places a new key right after its sibling key.
func After(key string) yamledit.Anchor { return yamledit.Anchor{Key: key} }

// Before places a new key right before its sibling key (and the comment
// lines above it).
func Before(key string) yamledit.Anchor { return yamledit.Anchor{Key: key, Before: true} }

// fixOf turns a rule's FixSpec into edits of the object's file. A change
// the editor cannot make in place (aliases, merge keys, block scalars)
// leaves the finding without a fix, as does a patch or an object whose
// text the loader transcoded: its edits would not apply to the file. An
// object from a Helm template gets a fix without edits (see below).
func (p *Pass) fixOf(spec *FixSpec) *Fix {
	if spec == nil || spec.Applicability == FixNone || p.Obj.Node == nil {
		return nil
	}
	text := p.Obj.Text()
	if text == nil || isPatch(p.Obj) {
		return nil
	}
	if p.Obj.Source != "" {
		// From a Helm template: the fix would edit the rendered text.
		// Its changes are kept, without edits, so that a rendering's
		// Remap can say why it is not applied; the engine drops it.
		return &Fix{Applicability: spec.Applicability, Changes: spec.Changes}
	}
	edits, err := yamledit.NewDoc(text, p.Obj.Node).Edits(spec.Changes)
	if err != nil || len(edits) == 0 {
		return nil
	}
	return &Fix{Applicability: spec.Applicability, Edits: edits, Changes: spec.Changes}
}

// isPatch reports whether obj is a fragment rather than a whole object: a
// Kustomize strategic-merge patch ($patch, $retainKeys and the other $
// directives) or a workload without containers (a patch that only sets
// replicas). Fields a fix would add belong in the base, not in the patch.
// An Argo Rollout with workloadRef has no containers of its own and is
// whole all the same.
func isPatch(obj *loader.Object) bool {
	if w, ok := WorkloadOf(obj); ok && !w.TemplateRef && len(w.PodSpec().Containers) == 0 {
		return true
	}
	var dollar func(n *yaml.Node, depth int) bool
	dollar = func(n *yaml.Node, depth int) bool {
		if n == nil || depth > 64 || n.Kind == yaml.AliasNode {
			return false
		}
		for i, c := range n.Content {
			if n.Kind == yaml.MappingNode && i%2 == 0 && strings.HasPrefix(c.Value, "$") {
				return true
			}
			if dollar(c, depth+1) {
				return true
			}
		}
		return false
	}
	return dollar(obj.Node, 0)
}

// FixLevel is the most a rule's fixes can do: safe if any fix is safe,
// else unsafe if any is, else none.
func FixLevel(notes []FixNote) Applicability {
	best := FixNone
	for _, n := range notes {
		best = max(best, n.Applicability)
	}
	return best
}
