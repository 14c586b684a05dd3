package rules

// catalogRules are the single-object rules of the full catalog: strategies,
// the termination chain, probe timing, API versions and schema problems.
var catalogRules = []*Rule{
	daemonSetSurgeMissing,
	livenessEqualsReadiness,
	preStopExceedsGracePeriod,
	probePortUndeclared,
	probeTimeoutExceedsPeriod,
	progressDeadlineBelowStartup,
	recreateStrategy,
	replicasNotSpread,
	startupProbeMissing,
	updateStrategyOnDelete,
}
