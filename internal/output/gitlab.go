package output

import (
	"encoding/json"
	"io"

	"github.com/zdlint/zdlint/rules"
)

// GitLab writes a GitLab Code Quality report (artifacts:reports:codequality).
// Fingerprints leave out the line, so a finding keeps its identity when
// unrelated lines above it change and merge requests show only new ones.
type GitLab struct {
	BasePath string
}

type gitlabIssue struct {
	Description string         `json:"description"`
	CheckName   string         `json:"check_name"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
}

func gitlabSeverity(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "major"
	case rules.Warning:
		return "minor"
	}
	return "info"
}

// Format implements Formatter.
func (g GitLab) Format(w io.Writer, r *Report) error {
	issues := make([]gitlabIssue, 0, len(r.Findings)+len(r.Errors))
	seen := map[string]int{}
	paths := newRelPaths(g.BasePath)
	for _, f := range r.Findings {
		path := paths.rel(f.File)
		fp := fingerprint(f.Rule, path, f.Object.String(), f.Container, f.Path, f.Message)
		// Two identical findings in one file (rare) still need distinct
		// fingerprints; number the repeats in output order.
		if n := seen[fp]; n > 0 {
			seen[fp]++
			fp = fingerprint(fp, string(rune('0'+n)))
		} else {
			seen[fp] = 1
		}
		desc := f.Message
		if f.Source != "" {
			desc += " (from " + f.Source + ")"
		}
		issues = append(issues, gitlabIssue{Description: desc, CheckName: f.Rule, Fingerprint: fp, Severity: gitlabSeverity(f.Severity),
			Location: gitlabLocation{Path: path, Lines: gitlabLines{Begin: max(f.Pos.Line, 1)}}})
	}
	for _, e := range r.Errors {
		path := paths.rel(e.File)
		sev := "critical"
		if e.Warning {
			sev = "minor"
		}
		issues = append(issues, gitlabIssue{Description: e.Msg, CheckName: "zdlint-input-error", Fingerprint: fingerprint("error", path, e.Msg),
			Severity: sev, Location: gitlabLocation{Path: path, Lines: gitlabLines{Begin: max(e.Pos.Line, 1)}}})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(issues)
}
