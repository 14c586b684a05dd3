package rules

import "sort"

// all lists every rule. It is explicit (no init-time registration) so the
// set and its order are visible in one place; TestRegistry checks that IDs
// are unique, kebab-case and sorted and that no metadata is missing.
var all = []*Rule{
	readinessProbeMissing,
}

// All returns every rule, sorted by ID.
func All() []*Rule { return all }

// ByID returns the rule with this ID.
func ByID(id string) (*Rule, bool) {
	i := sort.Search(len(all), func(i int) bool { return all[i].ID >= id })
	if i < len(all) && all[i].ID == id {
		return all[i], true
	}
	return nil, false
}
