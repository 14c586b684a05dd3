package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"

	"github.com/zdlint/zdlint/internal/testutil"
)

// TestFixProperties runs --fix --unsafe-fixes over copies of fixtures/,
// examples/ and ../shared/corpus/real and checks, file by file, what a
// fix promises:
//   - a file that parsed still parses;
//   - it decodes to the same objects except at the fields fixes write;
//   - every comment is kept;
//   - no line is removed except lines of the fields fixes write;
//   - a second run finds nothing left to fix and changes nothing.
//
// It logs how many files and findings were fixed, per rule.
func TestFixProperties(t *testing.T) {
	if testing.Short() {
		t.Skip("lints three trees several times")
	}
	root := testutil.RepoRoot(t)
	trees := map[string]string{
		"fixtures": filepath.Join(root, "fixtures"),
		"examples": filepath.Join(root, "examples"),
	}
	if dir := testutil.SharedCorpus(t, "real"); dir != "" {
		trees["corpus-real"] = dir
	}
	names := make([]string, 0, len(trees))
	for n := range trees {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) { checkFixProperties(t, trees[name]) })
	}
}

// fixedField matches a document path at or under a field some fix writes.
var fixedField = regexp.MustCompile(`(^|\.)(apiVersion|progressDeadlineSeconds|strategy|updateStrategy|terminationGracePeriodSeconds|lifecycle|minReplicas|selector\.matchLabels\.(app|name|app\.kubernetes\.io/name)$)($|[.\[])`)

// fixedLine matches a line a fix may replace.
var fixedLine = regexp.MustCompile(`^\s*(- )?["']?(apiVersion|maxUnavailable|maxSurge|rollingUpdate|strategy|progressDeadlineSeconds|scaleDownDelaySeconds|abortScaleDownDelaySeconds|gracePeriodSeconds|inPlaceUpdateStrategy|updateStrategy|terminationGracePeriodSeconds|minReplicas|setCanaryScale|weight|replicas|seconds|command|app|app\.kubernetes\.io/name|- ["']?\d+["']?)\b`)

func checkFixProperties(t *testing.T, src string) {
	dir := copyTree(t, src)
	before := readTree(t, dir)
	findings := lintJSON(t, dir)

	code, _, errOut := runCLI(t, "", "--no-config", "--fix", "--unsafe-fixes", dir)
	if code > ExitError || strings.Contains(errOut, "internal error") || strings.Contains(errOut, "please report") {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	for _, line := range strings.Split(errOut, "\n") {
		if strings.HasPrefix(line, "zdlint: fixed") {
			t.Log(strings.TrimPrefix(line, "zdlint: "))
		}
	}
	after := readTree(t, dir)

	// Files where a rename or a removal of a whole entry was fixed: the
	// objects differ there by design, at the finding's mapping.
	structural := map[string][]string{}
	dupFixed := map[string]bool{} // a removed duplicate takes its comments along
	for _, f := range findings {
		if f.Rule == "unknown-field" || f.Rule == "duplicate-key" {
			structural[f.File] = append(structural[f.File], parentPath(f.Path))
		}
		if f.Rule == "duplicate-key" {
			dupFixed[f.File] = true
		}
	}
	changed := 0
	for file, old := range before {
		neu := after[file]
		if bytes.Equal(old, neu) {
			continue
		}
		changed++
		rel, _ := filepath.Rel(dir, file)
		if !parses(neu) {
			t.Errorf("%s: parsed before the fixes, not after", rel)
			continue
		}
		if a, b := comments(old), comments(neu); !equalStrings(a, b) && !dupFixed[file] {
			t.Errorf("%s: comments changed:\n%q\n%q", rel, a, b)
		}
		if len(structural[file]) == 0 {
			for _, line := range removedLines(old, neu) {
				if !fixedLine.MatchString(line) && !strings.Contains(line, "maxUnavailable") && !grownLine(line, neu) {
					t.Errorf("%s: a line no fix writes was changed: %q", rel, line)
				}
			}
		}
		oldDocs, err1 := decodeAll(old)
		newDocs, err2 := decodeAll(neu)
		if err1 != nil {
			continue // duplicate keys: yaml.v3 refuses to decode them
		}
		if err2 != nil || len(oldDocs) != len(newDocs) {
			t.Errorf("%s: %d documents before, %d after (%v)", rel, len(oldDocs), len(newDocs), err2)
			continue
		}
		for i := range oldDocs {
			for _, p := range diffPaths("", oldDocs[i], newDocs[i]) {
				if !fixedField.MatchString(p) && !underAny(p, structural[file]) {
					t.Errorf("%s: document %d differs at %s, which no fix writes", rel, i+1, p)
				}
			}
		}
	}
	t.Logf("%d files changed", changed)

	// Twice is once, and nothing fixable is left.
	fixedOnce := readTree(t, dir)
	_, diff, _ := runCLI(t, "", "--no-config", "--diff", "--unsafe-fixes", dir)
	if diff != "" {
		t.Errorf("fixes left after --fix --unsafe-fixes:\n%s", diff)
	}
	runCLI(t, "", "--no-config", "--fix", "--unsafe-fixes", dir)
	for file, text := range readTree(t, dir) {
		if !bytes.Equal(text, fixedOnce[file]) {
			t.Errorf("%s: a second --fix changed it", file)
		}
	}

	// What was fixed, per rule: findings before minus findings after.
	count := func(fs []jsonFindingLite) map[string]int {
		m := map[string]int{}
		for _, f := range fs {
			m[f.Rule]++
		}
		return m
	}
	b, a := count(findings), count(lintJSON(t, dir))
	var parts []string
	for _, r := range sortedKeys(b) {
		if b[r] != a[r] {
			parts = append(parts, fmt.Sprintf("%s %d→%d", r, b[r], a[r]))
		}
	}
	t.Logf("findings per rule, before→after: %s", strings.Join(parts, ", "))
}

type jsonFindingLite struct {
	Rule, File, Path string
}

func lintJSON(t *testing.T, dir string) []jsonFindingLite {
	t.Helper()
	_, out, _ := runCLI(t, "", "--no-config", "--format", "json", dir)
	var r struct{ Findings []jsonFindingLite }
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("json: %v", err)
	}
	return r.Findings
}

func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		out[path] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// comments returns the comments of text, from '#' to the line end, in
// order, found outside quoted strings.
func comments(text []byte) []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(string(text), "\r\n", "\n"), "\n") {
		var quote byte
		for i := 0; i < len(line); i++ {
			c := line[i]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				if i == 0 || strings.ContainsRune(" :[{,-", rune(line[i-1])) {
					quote = c
				}
			case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
				out = append(out, line[i:])
				i = len(line)
			}
		}
	}
	return out
}

func removedLines(a, b []byte) []string {
	count := map[string]int{}
	// Lines are compared without their line break: a last line without
	// one gets one when a fix adds lines after it.
	for _, l := range strings.Split(string(b), "\n") {
		count[strings.TrimSuffix(l, "\r")]++
	}
	var out []string
	for _, l := range strings.Split(string(a), "\n") {
		l = strings.TrimSuffix(l, "\r")
		if count[l] > 0 {
			count[l]--
			continue
		}
		out = append(out, strings.TrimRight(l, "\r\n"))
	}
	return out
}

// grownLine reports whether text has a line that is line with text
// inserted (a key added inside a flow mapping), and aligned comment
// spaces absorbed.
func grownLine(line string, text []byte) bool {
	for _, l := range strings.Split(string(text), "\n") {
		l = strings.TrimRight(l, "\r")
		p := 0
		for p < len(line) && p < len(l) && line[p] == l[p] {
			p++
		}
		s := 0
		for s < len(line)-p && s < len(l)-p && line[len(line)-1-s] == l[len(l)-1-s] {
			s++
		}
		if len(l) > len(line) && p+s >= len(strings.TrimRight(line[:p+min(s, len(line)-p)], " ")) && p > 0 && strings.TrimSpace(line[p:len(line)-s]) == "" {
			return true
		}
	}
	return false
}

func decodeAll(text []byte) ([]any, error) {
	dec := yaml.NewDecoder(bytes.NewReader(text))
	var out []any
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
}

// diffPaths returns the paths at which a and b differ.
func diffPaths(path string, a, b any) []string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return []string{path}
		}
		var out []string
		for k, v := range x {
			out = append(out, diffPaths(join(path, k), v, y[k])...)
		}
		for k, v := range y {
			if _, ok := x[k]; !ok {
				out = append(out, diffPaths(join(path, k), nil, v)...)
			}
		}
		return out
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return []string{path}
		}
		var out []string
		for i := range x {
			out = append(out, diffPaths(fmt.Sprintf("%s[%d]", path, i), x[i], y[i])...)
		}
		return out
	}
	if fmt.Sprint(a) != fmt.Sprint(b) {
		return []string{path}
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func parentPath(p string) string {
	if i := strings.LastIndexAny(p, ".["); i >= 0 {
		return p[:i]
	}
	return ""
}

func underAny(p string, prefixes []string) bool {
	for _, q := range prefixes {
		if q == "" || p == q || strings.HasPrefix(p, q+".") || strings.HasPrefix(p, q+"[") {
			return true
		}
	}
	return false
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
