package rules

import (
	"slices"
	"strings"
)

// all lists every rule, sorted by ID. The lists are explicit (no init-time
// registration) so the set is visible in a few places: coreRules in
// registry_core.go, catalogRules in registry_catalog.go and crossRules in
// registry_cross.go, metaRules in registry_meta.go. TestRegistry checks that IDs are unique and kebab-case
// and that no metadata is missing.
var all = sortedRules(coreRules, catalogRules, crossRules, metaRules)

func sortedRules(lists ...[]*Rule) []*Rule {
	var out []*Rule
	for _, l := range lists {
		out = append(out, l...)
	}
	slices.SortFunc(out, func(a, b *Rule) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// All returns every rule, sorted by ID.
func All() []*Rule { return all }

// ByID returns the rule with this ID.
func ByID(id string) (*Rule, bool) {
	i, ok := slices.BinarySearchFunc(all, id, func(r *Rule, id string) int { return strings.Compare(r.ID, id) })
	if ok {
		return all[i], true
	}
	return nil, false
}
