package yamledit

import (
	"fmt"
	"strings"
)

// UnifiedDiff returns a unified diff (3 lines of context) from a to b,
// labelled with the file names; "" when they are equal. Lines are compared
// with their line breaks, so a change of CRLF shows.
func UnifiedDiff(nameA, nameB string, a, b []byte) string {
	if string(a) == string(b) {
		return ""
	}
	x, y := splitLines(string(a)), splitLines(string(b))
	ops := lineOps(x, y)
	const ctx = 3
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", nameA, nameB)
	// ops: one entry per line of the edit script: ' ', '-' or '+', with
	// the line index in x (for ' ' and '-') or y ('+').
	i := 0
	for i < len(ops) {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		// A hunk: from ctx lines before the change to ctx lines after
		// the last change that is within 2*ctx of the previous one.
		start := max(i-ctx, 0)
		for start < i && ops[start].kind != ' ' {
			start++
		}
		end := i
		for j := i; j < len(ops); j++ {
			if ops[j].kind != ' ' {
				end = j
				continue
			}
			if j-end > 2*ctx {
				break
			}
		}
		stop := min(end+ctx+1, len(ops))
		// Line numbers of the hunk's first line in each file.
		ax, by := 0, 0
		for _, o := range ops[:start] {
			if o.kind != '+' {
				ax++
			}
			if o.kind != '-' {
				by++
			}
		}
		na, nb := 0, 0
		for _, o := range ops[start:stop] {
			if o.kind != '+' {
				na++
			}
			if o.kind != '-' {
				nb++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(ax, na), hunkRange(by, nb))
		for _, o := range ops[start:stop] {
			var line string
			if o.kind == '+' {
				line = y[o.i]
			} else {
				line = x[o.i]
			}
			out.WriteByte(o.kind)
			out.WriteString(line)
			if !strings.HasSuffix(line, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
		i = stop
	}
	return out.String()
}

func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprint(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

func splitLines(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

type diffOp struct {
	kind byte
	i    int
}

// lineOps returns an edit script from x to y: the common head and tail,
// then a longest common subsequence of the lines between (dynamic
// programming, bounded: a middle too large to compare is shown as removed
// and added, still a correct diff). Fixes change few lines.
func lineOps(x, y []string) []diffOp {
	head := 0
	for head < len(x) && head < len(y) && x[head] == y[head] {
		head++
	}
	tail := 0
	for tail < len(x)-head && tail < len(y)-head && x[len(x)-1-tail] == y[len(y)-1-tail] {
		tail++
	}
	var ops []diffOp
	for i := 0; i < head; i++ {
		ops = append(ops, diffOp{' ', i})
	}
	mx, my := x[head:len(x)-tail], y[head:len(y)-tail]
	n, m := len(mx), len(my)
	if n*m > 16<<20 {
		for i := range mx {
			ops = append(ops, diffOp{'-', head + i})
		}
		for j := range my {
			ops = append(ops, diffOp{'+', head + j})
		}
	} else {
		// l[i][j]: the LCS length of mx[i:] and my[j:].
		l := make([]int32, (n+1)*(m+1))
		at := func(i, j int) int32 { return l[i*(m+1)+j] }
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				v := max(at(i+1, j), at(i, j+1))
				if mx[i] == my[j] {
					v = at(i+1, j+1) + 1
				}
				l[i*(m+1)+j] = v
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && mx[i] == my[j]:
				ops = append(ops, diffOp{' ', head + i})
				i++
				j++
			case i < n && (j == m || at(i+1, j) >= at(i, j+1)):
				ops = append(ops, diffOp{'-', head + i})
				i++
			default:
				ops = append(ops, diffOp{'+', head + j})
				j++
			}
		}
	}
	for i := len(x) - tail; i < len(x); i++ {
		ops = append(ops, diffOp{' ', i})
	}
	return ops
}
