package output

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/zdlint/zdlint/rules"
)

// GitHub writes GitHub Actions workflow commands, so findings appear as
// annotations on the pull request diff:
//
//	::error file=k8s/web.yaml,line=12,col=9,title=readiness-probe-missing::container "web" ...
type GitHub struct{}

// ghData escapes a command's message as the runner requires.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a property value: additionally ':' and ','.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

func ghCommand(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	}
	return "notice"
}

// Format implements Formatter.
func (GitHub) Format(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for _, f := range r.Findings {
		fmt.Fprintf(bw, "::%s file=%s", ghCommand(f.Severity), ghProperty(f.File))
		if f.Pos.IsValid() {
			fmt.Fprintf(bw, ",line=%d,col=%d", f.Pos.Line, f.Pos.Col)
			if f.End.IsValid() && f.End.Line == f.Pos.Line {
				fmt.Fprintf(bw, ",endColumn=%d", f.End.Col)
			}
		}
		msg := f.Message
		if f.Source != "" {
			msg += " (from " + f.Source + ")"
		}
		fmt.Fprintf(bw, ",title=%s::%s\n", ghProperty(f.Rule), ghData(msg))
	}
	for _, e := range r.Errors {
		cmd := "error"
		if e.Warning {
			cmd = "warning"
		}
		fmt.Fprintf(bw, "::%s file=%s", cmd, ghProperty(e.File))
		if e.Pos.IsValid() {
			fmt.Fprintf(bw, ",line=%d,col=%d", e.Pos.Line, max(e.Pos.Col, 1))
		}
		fmt.Fprintf(bw, ",title=zdlint::%s\n", ghData(e.Msg))
	}
	return bw.Flush()
}
