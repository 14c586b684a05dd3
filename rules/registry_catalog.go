package rules

// catalogRules are the single-object rules of the full catalog: strategies,
// the termination chain, probe timing, API versions and schema problems.
var catalogRules = []*Rule{
	containerImageMissing,
	daemonSetSurgeMissing,
	duplicateKey,
	livenessEqualsReadiness,
	meshSidecarDrain,
	preStopExceedsGracePeriod,
	probePortUndeclared,
	probeTimeoutExceedsPeriod,
	progressDeadlineBelowStartup,
	recreateStrategy,
	removedAPIVersion,
	replicasNotSpread,
	startupProbeMissing,
	unknownField,
	updateStrategyOnDelete,
}
