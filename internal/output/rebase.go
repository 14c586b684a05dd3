package output

import (
	"io"

	"github.com/zdlint/zdlint/internal/suppress"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

// rebased makes the file names of a report relative to --base-path for the
// formats that print names as given (JSON, GitHub, JUnit, Checkstyle), as
// SARIF and GitLab do themselves: a monorepo job that runs in a
// subdirectory passes --base-path $GITHUB_WORKSPACE and gets paths GitHub
// can place. The report is copied; the findings' files are not changed.
type rebased struct {
	f    Formatter
	base string
}

func (b rebased) Format(w io.Writer, r *Report) error {
	return b.f.Format(w, rebaseReport(r, b.base))
}

// rebaseReport returns a copy of r whose file names are relative to base.
func rebaseReport(r *Report, base string) *Report {
	paths := newRelPaths(base)
	cp := *r
	cp.Findings = make([]rules.Finding, len(r.Findings))
	for i, f := range r.Findings {
		f.File = paths.rel(f.File)
		f.Related = rebaseRelated(f.Related, paths)
		cp.Findings[i] = f
	}
	cp.Errors = make([]*loader.Error, len(r.Errors))
	for i, e := range r.Errors {
		e2 := *e
		e2.File = paths.rel(e.File)
		cp.Errors[i] = &e2
	}
	if r.Suppressed != nil {
		cp.Suppressed = make([]suppress.Suppressed, len(r.Suppressed))
		for i, s := range r.Suppressed {
			s.File = paths.rel(s.File)
			s.Related = rebaseRelated(s.Related, paths)
			cp.Suppressed[i] = s
		}
	}
	if r.Files != nil {
		cp.Files = make([]string, len(r.Files))
		for i, f := range r.Files {
			cp.Files[i] = paths.rel(f)
		}
	}
	return &cp
}

// rebaseRelated returns a copy of rel whose file names are relative to
// the base of paths.
func rebaseRelated(rel []rules.Location, paths *relPaths) []rules.Location {
	if len(rel) == 0 {
		return rel
	}
	out := make([]rules.Location, len(rel))
	for i, l := range rel {
		l.File = paths.rel(l.File)
		out[i] = l
	}
	return out
}
