package rules

// UnusedSuppression is reported by internal/suppress, which reads its ID
// and severity from here.
var UnusedSuppression = &Rule{
	Meta: Meta{
		ID:       "unused-suppression",
		Severity: Warning,
		Summary:  "A suppression silenced no finding, or names a rule that does not exist",
		Rationale: `A zdlint:ignore comment, a zdlint.io/ignore annotation or a configuration ignore entry that
matches nothing is a leftover: the problem it excused was fixed, or it never matched because of
a typo in the rule ID or the wrong line. Left in place it would silently swallow the next real
finding at that spot, so it is reported until it is removed or corrected.`,
		Bad: `containers:
  # zdlint:ignore readiness-probe-missing -- legacy batch worker
  - name: web
    readinessProbe:
      httpGet: {path: /ready, port: 8080}`,
		Fix: `containers:
  - name: web
    readinessProbe:
      httpGet: {path: /ready, port: 8080}`,
		Defaults: []string{
			"A comment on its own line applies to the next line's node and everything inside it; a trailing comment to its own line's node",
			"A suppression of a rule that is disabled in this run is not reported as unused",
			"A configuration ignore entry is judged only by a run that walked every file its path can match, never by a run of named files, standard input or --context",
		},
		Engine: true,
		Since:  "0.1.0",
	},
	Run: func(*Pass) {},
}
