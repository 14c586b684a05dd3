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
	ops := myers(x, y)
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
			line := x[o.i]
			if o.kind == '+' {
				line = y[o.i]
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

// myers returns the shortest edit script from x to y (E. Myers, "An O(ND)
// difference algorithm", 1986). Fixes change few lines, so D is small.
func myers(x, y []string) []diffOp {
	n, m := len(x), len(y)
	maxD := n + m
	off := maxD + 1
	v := make([]int, 2*maxD+3)
	var trace [][]int
	for d := 0; d <= maxD; d++ {
		trace = append(trace, append([]int(nil), v...))
		for k := -d; k <= d; k += 2 {
			var px int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				px = v[off+k+1]
			} else {
				px = v[off+k-1] + 1
			}
			py := px - k
			for px < n && py < m && x[px] == y[py] {
				px++
				py++
			}
			v[off+k] = px
			if px >= n && py >= m {
				return backtrack(trace, x, y, d, off)
			}
		}
	}
	return nil
}

func backtrack(trace [][]int, x, y []string, d, off int) []diffOp {
	var rev []diffOp
	px, py := len(x), len(y)
	for ; d > 0; d-- {
		v := trace[d]
		k := px - py
		var pk int
		if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		sx := v[off+pk]
		sy := sx - pk
		for px > sx && py > sy {
			px--
			py--
			rev = append(rev, diffOp{' ', px})
		}
		if px == sx {
			py--
			rev = append(rev, diffOp{'+', py})
		} else {
			px--
			rev = append(rev, diffOp{'-', px})
		}
	}
	for px > 0 && py > 0 {
		px--
		py--
		rev = append(rev, diffOp{' ', px})
	}
	ops := make([]diffOp, len(rev))
	for i, o := range rev {
		ops[len(rev)-1-i] = o
	}
	return ops
}
