package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/internal/testutil"
)

// vscodeMatcher extracts the problem-matcher regexp from docs/editors.md,
// so the documented setting is what is tested.
func vscodeMatcher(t *testing.T) *regexp.Regexp {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testutil.RepoRoot(t), "docs", "editors.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`"regexp": ("(?:[^"\\]|\\.)*")`).FindSubmatch(data)
	if m == nil {
		t.Fatal(`docs/editors.md has no "regexp": line`)
	}
	var pattern string
	if err := json.Unmarshal(m[1], &pattern); err != nil {
		t.Fatal(err)
	}
	return regexp.MustCompile(pattern)
}

func TestVSCodeProblemMatcher(t *testing.T) {
	re := vscodeMatcher(t)
	root := testutil.RepoRoot(t)
	t.Chdir(root)
	_, stdout, stderr := runCLI(t, "", "--quiet", "--enable", "all", "examples/before", "internal/cli/testdata/broken.yaml")
	lines := strings.Split(strings.TrimSpace(stdout+stderr), "\n")
	if len(lines) < 5 {
		t.Fatalf("too little output to test:\n%s%s", stdout, stderr)
	}
	for _, l := range lines {
		m := re.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("VS Code matcher does not parse %q", l)
			continue
		}
		if !strings.HasPrefix(m[1], "examples/") && !strings.HasPrefix(m[1], "internal/") {
			t.Errorf("file %q parsed from %q", m[1], l)
		}
		if strings.HasSuffix(l, "]") && (m[6] == "" || strings.Contains(m[5], "[")) {
			t.Errorf("rule not split from the message in %q: message %q, code %q", l, m[5], m[6])
		}
	}
	// A line with a Helm source suffix still parses, rule and all.
	if m := re.FindStringSubmatch(`a.yaml:3:5: warning: msg (from chart/templates/x.yaml) [single-replica]`); m == nil || m[6] != "single-replica" || m[4] != "warning" {
		t.Errorf("matcher fails on a line with a source suffix: %q", m)
	}
}

// TestEditorLineShape checks the shape Vim's default errorformat (%f:%l:%c:%m),
// ALE's HandleAsError and Emacs compilation mode expect.
func TestEditorLineShape(t *testing.T) {
	t.Chdir(testutil.RepoRoot(t))
	shape := regexp.MustCompile(`^[^:\s][^:]*:[1-9][0-9]*:[1-9][0-9]*: (error|warning|info): \S`)
	data, err := os.ReadFile("examples/before/shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, stdout, _ := runCLI(t, string(data), "--quiet", "--enable", "all", "--stdin-filename", "k8s/shop.yaml", "-")
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if !shape.MatchString(l) || !strings.HasPrefix(l, "k8s/shop.yaml:") {
			t.Errorf("line %q does not have the file:line:col: severity: shape", l)
		}
	}
}

// editorPatterns extracts every output pattern of docs/editors.md as a Go
// regexp with named groups file, line, col and sev (the severity, or its
// first letter for errorformat's %t).
func editorPatterns(t *testing.T) map[string]*regexp.Regexp {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testutil.RepoRoot(t), "docs", "editors.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	out := map[string]*regexp.Regexp{}
	// VS Code: groups by position (file 1, line 2, column 3, severity 4).
	vs := vscodeMatcher(t).String()
	out["vscode"] = regexp.MustCompile(strings.Replace(strings.Replace(strings.Replace(strings.Replace(vs,
		"^(.+?)", "^(?P<file>.+?)", 1), ":(\\d+):(\\d+): ", ":(?P<line>\\d+):(?P<col>\\d+): ", 1),
		"(error|warning|info)", "(?P<sev>error|warning|info)", 1), "(.*?)", "(?P<msg>.*?)", 1))
	// Vim's errorformat and nvim-lint's: comma-separated alternatives.
	efms := map[string]string{}
	if m := regexp.MustCompile(`setlocal errorformat=((?:\\ |\S)+)`).FindStringSubmatch(doc); m != nil {
		efms["vim"] = strings.ReplaceAll(m[1], `\ `, " ")
	}
	if m := regexp.MustCompile(`from_errorformat\(\s*'([^']+)'`).FindStringSubmatch(doc); m != nil {
		efms["nvim-lint"] = m[1]
	}
	for name, efm := range efms {
		var alts []string
		for _, f := range strings.Split(efm, ",") {
			alts = append(alts, "(?:"+efmToRegexp(f)+")")
		}
		out[name] = regexp.MustCompile("^(?:" + strings.Join(alts, "|") + ")$")
	}
	// ALE: a very-magic Vim pattern, which reads as a Go one.
	if m := regexp.MustCompile(`let l:pattern = '\\v([^']+)'`).FindStringSubmatch(doc); m != nil {
		p := strings.Replace(m[1], "^(.+)", "^(?P<file>.+)", 1)
		p = strings.Replace(p, ":(\\d+):(\\d+): ", ":(?P<line>\\d+):(?P<col>\\d+): ", 1)
		out["ale"] = regexp.MustCompile(strings.Replace(p, "(error|warning|info)", "(?P<sev>error|warning|info)", 1))
	}
	// Flycheck: rx forms.
	var fly []string
	for _, m := range regexp.MustCompile(`\((error|warning|info) (line-start .*? line-end)\)`).FindAllStringSubmatch(doc, -1) {
		fly = append(fly, "(?:"+rxToRegexp(m[2], m[1])+")")
	}
	if len(fly) > 0 {
		out["flycheck"] = regexp.MustCompile(strings.Join(fly, "|"))
	}
	for _, name := range []string{"vscode", "vim", "nvim-lint", "ale", "flycheck"} {
		if out[name] == nil {
			t.Errorf("docs/editors.md: no %s pattern found", name)
		}
	}
	return out
}

// efmToRegexp translates one errorformat alternative (%f %l %c %t %m and
// literal text) to a Go regexp. Go has no duplicate group names, so the
// severity letter of each alternative gets a numbered name.
var efmAlt int

func efmToRegexp(f string) string {
	efmAlt++
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 == len(f) {
			b.WriteString(regexp.QuoteMeta(string(f[i])))
			continue
		}
		i++
		switch f[i] {
		case 'f':
			fmt.Fprintf(&b, "(?P<file%d>.+?)", efmAlt)
		case 'l':
			fmt.Fprintf(&b, "(?P<line%d>\\d+)", efmAlt)
		case 'c':
			fmt.Fprintf(&b, "(?P<col%d>\\d+)", efmAlt)
		case 't':
			fmt.Fprintf(&b, "(?P<sev%d>.)", efmAlt)
		case 'm':
			b.WriteString("(.*)")
		default:
			b.WriteString(regexp.QuoteMeta(string(f[i])))
		}
	}
	return b.String()
}

// rxToRegexp translates the rx forms Flycheck's snippet uses.
func rxToRegexp(rx, level string) string {
	efmAlt++
	var b strings.Builder
	for _, tok := range regexp.MustCompile(`"(?:[^"\\]|\\.)*"|\(\w[\w-]*\)|[\w-]+`).FindAllString(rx, -1) {
		switch {
		case tok == "line-start":
			b.WriteString("^")
		case tok == "line-end":
			b.WriteString("$")
		case tok == "(file-name)":
			fmt.Fprintf(&b, "(?P<file%d>.+?)", efmAlt)
		case tok == "line":
			fmt.Fprintf(&b, "(?P<line%d>\\d+)", efmAlt)
		case tok == "column":
			fmt.Fprintf(&b, "(?P<col%d>\\d+)", efmAlt)
		case tok == "(message)":
			b.WriteString("(.*)")
		case strings.HasPrefix(tok, `"`):
			s, err := strconv.Unquote(tok)
			if err != nil {
				panic(err)
			}
			b.WriteString(regexp.QuoteMeta(s))
		default:
			panic("rx form not translated: " + tok)
		}
	}
	// The level is the form's head, not a group: name it by a group that
	// matches nothing, and read it back from the alternative.
	fmt.Fprintf(&b, "(?P<sev%d>)", efmAlt)
	flyLevels[efmAlt] = level
	return b.String()
}

var flyLevels = map[int]string{}

// group returns the value of the first non-empty group whose name starts
// with prefix, and that group's name.
func group(re *regexp.Regexp, m []string, prefix string) (string, string) {
	for i, name := range re.SubexpNames() {
		if strings.HasPrefix(name, prefix) && i < len(m) && (m[i] != "" || prefix == "sev") {
			if prefix == "sev" && m[i] == "" {
				// Flycheck: the level of the alternative that matched
				// (its file group is set).
				n, _ := strconv.Atoi(strings.TrimPrefix(name, "sev"))
				if lvl, ok := flyLevels[n]; ok {
					if f, _ := group(re, m, fmt.Sprintf("file%d", n)); f != "" {
						return lvl, name
					}
				}
				continue
			}
			return m[i], name
		}
	}
	return "", ""
}

// Every editor snippet's pattern parses real output of the snippets'
// command line: each line about the saved file with its file, line,
// column and severity, and the line about a broken neighbour (a sibling
// read as context) with the neighbour's name, so handlers can drop it.
func TestEditorSnippets(t *testing.T) {
	patterns := editorPatterns(t)
	dir := repo(t, map[string]string{
		"k8s/web.yaml":    cfgDeployment,
		"k8s/broken.yaml": "kind: Deployment\nspec: [\n",
		".zdlint.yaml":    "rules:\n  liveness-probe-missing: {severity: info}\n",
	})
	file := filepath.Join(dir, "k8s", "web.yaml")
	code, stdout, stderr := runCLI(t, "", "--quiet", file)
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	var lines, other []string
	for _, l := range strings.Split(strings.TrimSpace(stdout+stderr), "\n") {
		if strings.HasPrefix(l, file+":") {
			lines = append(lines, l)
		} else {
			other = append(other, l)
		}
	}
	sevs := map[string]bool{}
	lineRe := regexp.MustCompile(`^.+?:(\d+):(\d+): (error|warning|info): `)
	for _, l := range lines {
		sevs[lineRe.FindStringSubmatch(l)[3]] = true
	}
	if !sevs["error"] || !sevs["warning"] || !sevs["info"] || len(other) != 1 || !strings.Contains(other[0], "broken.yaml:") {
		t.Fatalf("the output does not cover every case (severities %v, other lines %q):\n%s%s", sevs, other, stdout, stderr)
	}
	for name, re := range patterns {
		for _, l := range lines {
			m := re.FindStringSubmatch(l)
			if m == nil {
				t.Errorf("%s: does not parse %q", name, l)
				continue
			}
			want := lineRe.FindStringSubmatch(l)
			f, _ := group(re, m, "file")
			ln, _ := group(re, m, "line")
			col, _ := group(re, m, "col")
			sev, _ := group(re, m, "sev")
			if f != file || ln != want[1] || col != want[2] || !strings.HasPrefix(want[3], sev) || sev == "" {
				t.Errorf("%s: parsed %q as file %q line %s col %s severity %q", name, l, f, ln, col, sev)
			}
		}
		if m := re.FindStringSubmatch(other[0]); m != nil {
			if f, _ := group(re, m, "file"); f == file {
				t.Errorf("%s: the neighbour's line %q is read as the saved file's", name, other[0])
			}
		}
	}
}
