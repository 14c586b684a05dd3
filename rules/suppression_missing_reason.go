package rules

// SuppressionMissingReason is reported by internal/suppress, which reads
// its ID and severity from here.
var SuppressionMissingReason = &Rule{
	Meta: Meta{
		ID:       "suppression-missing-reason",
		Severity: Warning,
		Summary:  "A suppression does not say why the finding is acceptable",
		Rationale: `A silenced finding is a decision that someone will have to revisit: when the workload
grows, when the chart is upgraded, when the person who made it has moved on. Without a reason
nobody can tell a deliberate exception from a quick way to make CI green. Every form of
suppression takes one: after " -- " in a comment, in the zdlint.io/ignore-reason annotation,
or as reason: in a configuration ignore entry.`,
		Bad: `# zdlint:ignore single-replica
apiVersion: apps/v1
kind: Deployment`,
		Fix: `# zdlint:ignore single-replica -- singleton leader, a second replica would split the work
apiVersion: apps/v1
kind: Deployment`,
		Defaults: []string{
			"The suppression still applies; only the missing reason is reported",
		},
		Engine: true,
		Since:  "0.1.0",
	},
	Run: func(*Pass) {},
}
