package rules

// crossRules judge objects against each other: HPAs, PDBs and the
// workloads they govern.
var crossRules = []*Rule{
	hpaMinReplicasLow,
	hpaReplicasConflict,
	hpaTargetMissing,
	hpaTargetMissingRequests,
	pdbBlocksEviction,
	pdbMissing,
	pdbSelectorEmpty,
	singleReplica,
}
