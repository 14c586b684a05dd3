package rules

import (
	"slices"
	"strings"
)

// all lists every rule: this list is the only place a rule is registered
// (no init-time registration), and every test, the docs and the CLI derive
// their sets from it (All). Each rule lives in the file named by its ID
// (rules/<id with - as _>.go); TestRegistry checks that IDs are unique,
// kebab-case and match their file, and that no metadata is missing.
var all = sortedRules([]*Rule{
	containerImageMissing,
	daemonSetSurgeMissing,
	duplicateKey,
	hpaDuplicateTarget,
	hpaMinReplicasLow,
	hpaReplicasConflict,
	hpaTargetMissing,
	hpaTargetMissingRequests,
	inPlaceUpdateGraceMissing,
	kedaScaleToZero,
	meshRetriesMissing,
	livenessEqualsReadiness,
	livenessProbeMissing,
	maxUnavailableNonzero,
	meshSidecarDrain,
	pdbBlocksEviction,
	pdbFlaggerTargetOnly,
	pdbMissing,
	pdbSelectorEmpty,
	preStopExceedsGracePeriod,
	preStopSleepMissing,
	probePortUndeclared,
	probeTimeoutExceedsPeriod,
	progressDeadlineBelowStartup,
	progressDeadlineTooLong,
	readinessProbeMissing,
	recreateStrategy,
	removedAPIVersion,
	replicasNotSpread,
	resourceRequestsMissing,
	rolloutScaleDownDelayShort,
	rolloutAbortScaleDown,
	rolloutWorkloadRefReplicas,
	rolloutCanaryScaleBelowWeight,
	rolloutDynamicStableScaleDrain,
	serviceSelectsNothing,
	singleReplica,
	startupProbeMissing,
	SuppressionMissingReason,
	terminationGracePeriodUnset,
	unknownField,
	UnusedSuppression,
	updateStrategyOnDelete,
})

func sortedRules(list []*Rule) []*Rule {
	out := slices.Clone(list)
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
