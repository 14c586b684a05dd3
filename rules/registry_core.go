package rules

// coreRules are the seven rollout-safety rules every manifest needs.
var coreRules = []*Rule{
	livenessProbeMissing,
	maxUnavailableNonzero,
	preStopSleepMissing,
	progressDeadlineTooLong,
	readinessProbeMissing,
	resourceRequestsMissing,
	terminationGracePeriodUnset,
}
