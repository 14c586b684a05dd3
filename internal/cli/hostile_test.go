package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"github.com/zdlint/zdlint/rules"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zdlint/zdlint/loader"
)

// jsonRun runs zdlint --format json and decodes the report.
type jsonReport struct {
	Findings []struct {
		Rule, File, Message string
		Line, Column        int
	}
	Errors []struct {
		File, Message, Severity string
		Line, Column            int
	}
	Summary struct{ Files, Documents, Objects, Linted, Findings, Errors int }
}

func jsonRun(t *testing.T, stdin string, args ...string) (int, jsonReport, string) {
	t.Helper()
	code, stdout, stderr := runCLI(t, stdin, readinessOnly(append([]string{"--format", "json"}, args...))...)
	var rep jsonReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("invalid JSON (%v):\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	if strings.Contains(stdout+stderr, "internal error") || strings.Contains(stderr, "panic") {
		t.Fatalf("internal error:\n%s\n%s", stdout, stderr)
	}
	return code, rep, stderr
}

// readinessOnly restricts a run to readiness-probe-missing, so these tests
// about input handling do not change whenever a rule is added.
func readinessOnly(args []string) []string {
	var others []string
	for _, r := range rules.All() {
		if r.ID != "readiness-probe-missing" {
			others = append(others, r.ID)
		}
	}
	return append([]string{"--disable", strings.Join(others, ",")}, args...)
}

func writeFile(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const noProbe = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx\n"

func toUTF16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, r := range s {
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

// TestHostileContent lints hostile files end to end: the exit code, the
// exact position of the finding where the file is valid, and a clear error
// where it is not.
func TestHostileContent(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name      string
		data      []byte
		args      []string
		code      int
		line, col int    // the readiness-probe-missing finding, 0: none
		err       string // substring of the one error, "": none
	}{
		{name: "plain", data: []byte(noProbe), code: ExitFindings, line: 10, col: 11},
		{name: "CRLF", data: []byte(strings.ReplaceAll(noProbe, "\n", "\r\n")), code: ExitFindings, line: 10, col: 11},
		{name: "UTF-8 BOM", data: []byte("\ufeff" + noProbe), code: ExitFindings, line: 10, col: 11},
		{name: "UTF-16 BOM", data: toUTF16LE(noProbe), code: ExitFindings, line: 10, col: 11},
		{name: "tabs", data: []byte(strings.Replace(noProbe, "- name: app\n          image: nginx", "- name:\tapp\n          image:\t\tnginx  \t", 1)), code: ExitFindings, line: 10, col: 11},
		{name: "long line", data: []byte(strings.Replace(noProbe, "- name: app\n          image: nginx", "- {env: [{name: A, value: \""+strings.Repeat("v", 2<<20)+"\"}], name: app, image: nginx}", 1)), code: ExitFindings, line: 10, col: 11},
		{name: "quoted replicas", data: []byte(strings.Replace(noProbe, "replicas: 2", `replicas: "3"`, 1)), code: ExitError, line: 10, col: 11, err: "spec.replicas: got a string, want int32"},
		{name: "null probe and lists", data: []byte(noProbe + "          readinessProbe: ~\n          ports: null\n          env:\n"), code: ExitFindings, line: 12, col: 27},
		{name: "NUL", data: []byte(noProbe + "\x00"), code: ExitError, err: "binary file"},
		{name: "invalid UTF-8", data: []byte(noProbe + "          args: [\"\xff\"]\n"), code: ExitError, err: "invalid leading UTF-8 octet"},
		{name: "only separators", data: []byte("---\n---\n...\n"), code: ExitClean},
		{name: "only comments", data: []byte("# nothing\n# here\n"), code: ExitClean},
		{name: "empty", data: nil, code: ExitClean},
		{name: "over --max-file-size", data: []byte(noProbe), args: []string{"--max-file-size", "100"}, code: ExitError, err: "larger than the 100-byte limit (--max-file-size)"},
		{name: "alias bomb", data: []byte(strings.Replace(noProbe, "spec:\n", "x: &a [1,1,1,1,1,1,1,1,1,1]\ny: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nz: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nw: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\nv: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nspec:\n", 1)), code: ExitError, err: "excessive aliasing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".yaml"), tt.data)
			// Each file alone: the others in the directory are not its
			// context.
			code, rep, stderr := jsonRun(t, "", append(tt.args, "--no-sibling-context", path)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s", code, tt.code, stderr)
			}
			if tt.line > 0 {
				if len(rep.Findings) != 1 || rep.Findings[0].Line != tt.line || rep.Findings[0].Column != tt.col || rep.Findings[0].File != path {
					t.Errorf("findings %+v, want one at %s:%d:%d", rep.Findings, path, tt.line, tt.col)
				}
			} else if len(rep.Findings) > 0 {
				t.Errorf("unexpected findings %+v", rep.Findings)
			}
			if tt.err == "" {
				if len(rep.Errors) > 0 {
					t.Errorf("unexpected errors %+v", rep.Errors)
				}
				return
			}
			if len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Message, tt.err) || rep.Errors[0].File != path {
				t.Errorf("errors %+v, want one in %s saying %q", rep.Errors, path, tt.err)
			}
		})
	}
}

// TestShowSourceUTF16: --show-source prints the line of a UTF-16 file as
// text, with the caret under the reported column.
func TestShowSourceUTF16(t *testing.T) {
	path := writeFile(t, filepath.Join(t.TempDir(), "u16.yaml"), toUTF16LE(noProbe))
	_, stdout, _ := runCLI(t, "", readinessOnly([]string{"--show-source", path})...)
	want := path + ":10:11: warning: " // no port, no Service: a rollout warning
	lines := strings.Split(stdout, "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], want) || lines[1] != "            - name: app" || lines[2] != "              ^" {
		t.Errorf("got:\n%s", stdout)
	}
}

// TestSizeLimits: the default cap is 64 MiB, checked before reading; standard
// input is capped while reading.
func TestSizeLimits(t *testing.T) {
	if loader.DefaultMaxFileSize != 64<<20 {
		t.Errorf("default cap %d, want 64 MiB", loader.DefaultMaxFileSize)
	}
	big := filepath.Join(t.TempDir(), "huge.yaml")
	fh, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: no 64 MiB written, and none read.
	if err := fh.Truncate(loader.DefaultMaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	code, rep, _ := jsonRun(t, "", big)
	if code != ExitError || len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Message, "67108865 bytes, larger than the 67108864-byte limit") {
		t.Errorf("exit %d, errors %+v", code, rep.Errors)
	}
	code, rep, _ = jsonRun(t, noProbe, "--max-file-size", "50", "-")
	if code != ExitError || len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Message, "larger than the 50-byte limit") || rep.Errors[0].File != "<stdin>" {
		t.Errorf("stdin over the limit: exit %d, errors %+v", code, rep.Errors)
	}
}

// TestYAMLCornersEndToEnd: merge keys and anchors reused across
// containers put findings on the source the value came from, and a type
// error does not stop the object from being linted.
func TestYAMLCornersEndToEnd(t *testing.T) {
	src := `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
x-defaults: &defaults
  image: nginx
  readinessProbe: null
spec:
  replicas: "2"
  template:
    spec:
      containers:
        - <<: *defaults
          name: merged
        - &plain
          name: plain
          image: busybox
        - *plain
`
	path := writeFile(t, filepath.Join(t.TempDir(), "corners.yaml"), []byte(src))
	code, rep, _ := jsonRun(t, "", path)
	if code != ExitError || len(rep.Errors) != 1 || rep.Errors[0].Line != 8 || rep.Errors[0].Column != 13 {
		t.Errorf("exit %d, errors %+v; want the quoted replicas at 8:13", code, rep.Errors)
	}
	var got []string
	for _, f := range rep.Findings {
		container, _, _ := strings.Cut(f.Message, " of ")
		got = append(got, fmt.Sprintf("%d:%d %s", f.Line, f.Column, container))
	}
	want := []string{
		`6:19 container "merged"`, // the null probe merged in from x-defaults
		`14:11 container "plain"`, // the anchored container
		`14:11 container "plain"`, // the alias of it
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestPathsWithSpacesAndNonASCII: names are reported exactly as given.
func TestPathsWithSpacesAndNonASCII(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my manifests", "déploiement ü")
	path := writeFile(t, filepath.Join(dir, "web app ✓.yaml"), []byte(noProbe))
	code, rep, _ := jsonRun(t, "", filepath.Dir(dir))
	if code != ExitFindings || len(rep.Findings) != 1 || rep.Findings[0].File != path {
		t.Errorf("exit %d, findings %+v; want one in %q", code, rep.Findings, path)
	}
	_, stdout, _ := runCLI(t, "", readinessOnly([]string{path})...)
	if !strings.HasPrefix(stdout, path+":10:11: warning: ") {
		t.Errorf("text output %q does not start with the path", stdout)
	}
}

// TestDirectoryWithoutManifests: a clear message; exit 2 only when nothing
// at all was linted.
func TestDirectoryWithoutManifests(t *testing.T) {
	empty := t.TempDir()
	writeFile(t, filepath.Join(empty, "README.md"), []byte("# not a manifest\n"))
	writeFile(t, filepath.Join(empty, ".hidden", "x.yaml"), []byte(noProbe))
	code, rep, stderr := jsonRun(t, "", empty)
	if code != ExitError || len(rep.Errors) != 1 || rep.Errors[0].Severity != "" || !strings.Contains(rep.Errors[0].Message, "no *.yaml, *.yml or *.json files found") {
		t.Errorf("alone: exit %d, errors %+v\n%s", code, rep.Errors, stderr)
	}
	other := writeFile(t, filepath.Join(t.TempDir(), "web.yaml"), []byte(noProbe))
	code, rep, stderr = jsonRun(t, "", empty, other)
	if code != ExitFindings || len(rep.Findings) != 1 || len(rep.Errors) != 1 || rep.Errors[0].Severity != "warning" {
		t.Errorf("with a manifest: exit %d, findings %d, errors %+v", code, len(rep.Findings), rep.Errors)
	}
	if !strings.Contains(stderr, "1 warning") {
		t.Errorf("summary does not count the warning: %q", stderr)
	}
	_, _, stderr = runCLI(t, "", readinessOnly([]string{empty, other})...)
	if !strings.Contains(stderr, empty+": warning: no *.yaml") {
		t.Errorf("text: warning not shown as one:\n%s", stderr)
	}
	clean := writeFile(t, filepath.Join(t.TempDir(), "cm.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"))
	if code, _, _ := runCLI(t, "", readinessOnly([]string{empty, clean})...); code != ExitClean {
		t.Errorf("empty directory next to a clean file: exit %d, want 0", code)
	}
}

// TestManyFiles lints 20,000 files in one directory with the open-file
// limit lowered far below that: the engine holds few files open at once.
func TestManyFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000 files")
	}
	dir := t.TempDir()
	const n = 20_000
	for i := range n {
		body := fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c%d}\n", i)
		if i%1000 == 0 {
			body = noProbe
		}
		writeFile(t, filepath.Join(dir, fmt.Sprintf("m%05d.yaml", i)), []byte(body))
	}
	restore := limitOpenFiles(t, 64)
	code, rep, stderr := jsonRun(t, "", "--jobs", "16", dir)
	restore()
	if code != ExitFindings || len(rep.Errors) > 0 || rep.Summary.Files != n || len(rep.Findings) != n/1000 {
		t.Errorf("exit %d, %d files, %d findings, errors %+v\n%s", code, rep.Summary.Files, len(rep.Findings), rep.Errors, stderr)
	}
}

// TestLargeFileBoundedMemory lints a valid 50 MiB file of 80,000
// documents and samples the heap meanwhile: objects are linted as their
// document is decoded, so the heap stays near the size of the file rather
// than of every document's tree (2 GB before).
func TestLargeFileBoundedMemory(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("50 MiB input; skipped with -short and under the race detector")
	}
	path := filepath.Join(t.TempDir(), "big.yaml")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(fh)
	docs, missing, size := 0, 0, 0
	for size < 50<<20 {
		probe := "          readinessProbe:\n            httpGet: {path: /ready, port: 8080}\n"
		if docs%1000 == 0 {
			probe = ""
			missing++
		}
		n, _ := fmt.Fprintf(w, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-%d\n  labels: {app: web, team: shop, tier: frontend}\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web-%d}\n  template:\n    metadata:\n      labels: {app: web-%d}\n    spec:\n      containers:\n        - name: app\n          image: nginx:1.27\n          ports:\n            - containerPort: 8080\n          resources:\n            requests: {cpu: 100m, memory: 128Mi}\n%s---\n", docs, docs, docs, probe)
		size += n
		docs++
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	fh.Close()

	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	code, stdout, stderr := runCLI(t, "", readinessOnly([]string{"--format", "json", "-q", path})...)
	close(stop)
	<-done
	var rep jsonReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if code != ExitFindings || rep.Summary.Objects != docs || len(rep.Findings) != missing || len(rep.Errors) > 0 {
		t.Errorf("exit %d, %d objects (want %d), %d findings (want %d), errors %+v\n%s", code, rep.Summary.Objects, docs, len(rep.Findings), missing, rep.Errors, stderr)
	}
	const limit = 512 << 20
	t.Logf("%d MiB file, %d documents, peak heap %d MiB", size>>20, docs, peak.Load()>>20)
	if peak.Load() > limit {
		t.Errorf("peak heap %d MiB for a %d MiB file, want at most %d MiB", peak.Load()>>20, size>>20, limit>>20)
	}
}
