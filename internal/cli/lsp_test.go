package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/zdlint/zdlint/internal/lsp/lsptest"
)

const lspDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  progressDeadlineSeconds: 900
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: example/web:1
`

const lspHPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
`

// lspSession runs 'zdlint lsp' in-process over pipes.
func lspSession(t testing.TB) *lsptest.Client {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		code := Main([]string{"lsp"}, inR, outW, &stderr)
		_ = outW.Close()
		done <- code
	}()
	t.Cleanup(func() {
		_ = inW.Close()
		select {
		case <-done:
		case <-time.After(lsptest.Timeout):
			t.Error("zdlint lsp did not stop after its input closed")
		}
	})
	return lsptest.New(t, outR, inW)
}

func lspWorkspace(t testing.TB) string {
	dir := t.TempDir()
	for name, text := range map[string]string{"deploy.yaml": lspDeployment, "hpa.yaml": lspHPA} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The configuration is looked for up to the repository root.
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func fileURI(p string) string { return "file://" + filepath.ToSlash(p) }

// applyEdits applies LSP text edits to an ASCII text.
func applyEdits(t *testing.T, text string, edits []struct {
	Range   struct{ Start, End lsptest.Position } `json:"range"`
	NewText string                                `json:"newText"`
}) string {
	t.Helper()
	starts := []int{0}
	for i, c := range text {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	off := func(p lsptest.Position) int { return starts[p.Line] + p.Character }
	sort.Slice(edits, func(i, j int) bool { return off(edits[i].Range.Start) > off(edits[j].Range.Start) })
	for _, e := range edits {
		text = text[:off(e.Range.Start)] + e.NewText + text[off(e.Range.End):]
	}
	return text
}

// TestLSPEndToEnd drives zdlint lsp through the protocol: diagnostics
// with the workspace on disk as context, a fix applied from a code
// action, an unsaved HPA buffer changing the Deployment's diagnostics,
// a configuration change, a hover, and shutdown.
func TestLSPEndToEnd(t *testing.T) {
	dir := lspWorkspace(t)
	deployURI, hpaURI := fileURI(filepath.Join(dir, "deploy.yaml")), fileURI(filepath.Join(dir, "hpa.yaml"))
	c := lspSession(t)
	var init struct {
		Capabilities struct {
			PositionEncoding string `json:"positionEncoding"`
		} `json:"capabilities"`
	}
	c.CallResult("initialize", map[string]any{"processId": nil,
		"capabilities":     map[string]any{"workspace": map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}}},
		"workspaceFolders": []any{map[string]any{"uri": fileURI(dir), "name": "w"}}}, &init)
	if init.Capabilities.PositionEncoding != "utf-16" {
		t.Errorf("positionEncoding %q", init.Capabilities.PositionEncoding)
	}
	c.Notify("initialized", map[string]any{})
	c.Wait("the watcher registration", func(m lsptest.Message) bool { return m.Method == "client/registerCapability" })

	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": deployURI, "languageId": "yaml", "version": 1, "text": lspDeployment}})
	d := c.WaitVersion(deployURI, 1)
	// The HPA on disk, not open, is context: the Deployment's replicas
	// conflict with it.
	for _, want := range []string{"hpa-replicas-conflict", "progress-deadline-too-long", "readiness-probe-missing"} {
		if !d.Has(want) {
			t.Errorf("diagnostics %v lack %s", d.Codes(), want)
		}
	}
	var deadline lsptest.Diagnostic
	for _, x := range d.Diagnostics {
		if x.Code == "progress-deadline-too-long" {
			deadline = x
		}
		if x.Source != "zdlint" || x.CodeDescription == nil || !strings.HasSuffix(x.CodeDescription.Href, "/docs/rules/"+x.Code+".md") {
			t.Errorf("diagnostic %+v", x)
		}
	}
	// "  progressDeadlineSeconds: 900": the value, line 7 (0-based 6),
	// columns 27-30.
	if deadline.Range.Start != (lsptest.Position{Line: 6, Character: 27}) || deadline.Range.End != (lsptest.Position{Line: 6, Character: 30}) || deadline.Severity != 2 {
		t.Errorf("progress-deadline-too-long at %+v severity %d", deadline.Range, deadline.Severity)
	}

	// Hover: the rule's documentation.
	var h struct {
		Contents struct{ Kind, Value string } `json:"contents"`
	}
	c.CallResult("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": deployURI}, "position": deadline.Range.Start}, &h)
	if !strings.Contains(h.Contents.Value, "progress-deadline-too-long") || !strings.Contains(h.Contents.Value, "Why it matters") {
		t.Errorf("hover: %+v", h)
	}

	// The fix, applied.
	var actions []struct {
		Title, Kind string
		IsPreferred bool `json:"isPreferred"`
		Edit        struct {
			DocumentChanges []struct {
				TextDocument struct {
					URI     string `json:"uri"`
					Version int    `json:"version"`
				} `json:"textDocument"`
				Edits []struct {
					Range   struct{ Start, End lsptest.Position } `json:"range"`
					NewText string                                `json:"newText"`
				} `json:"edits"`
			} `json:"documentChanges"`
		} `json:"edit"`
	}
	c.CallResult("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": deployURI}, "range": deadline.Range,
		"context": map[string]any{"diagnostics": []any{deadline}}}, &actions)
	if len(actions) == 0 || actions[0].Kind != "quickfix" || !actions[0].IsPreferred || len(actions[0].Edit.DocumentChanges) != 1 {
		t.Fatalf("code actions: %+v", actions)
	}
	dc := actions[0].Edit.DocumentChanges[0]
	if dc.TextDocument.URI != deployURI || dc.TextDocument.Version != 1 {
		t.Errorf("edit of %+v", dc.TextDocument)
	}
	fixed := applyEdits(t, lspDeployment, dc.Edits)
	if !strings.Contains(fixed, "progressDeadlineSeconds: 300") {
		t.Errorf("fixed text:\n%s", fixed)
	}
	c.Notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": deployURI, "version": 2},
		"contentChanges": []any{map[string]any{"text": fixed}}})
	if d := c.WaitVersion(deployURI, 2); d.Has("progress-deadline-too-long") || !d.Has("hpa-replicas-conflict") {
		t.Errorf("after the fix: %v", d.Codes())
	}

	// The HPA opened and retargeted in its buffer, unsaved: the
	// Deployment is no longer scaled by it, and its diagnostics follow.
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": hpaURI, "languageId": "yaml", "version": 1,
		"text": strings.Replace(lspHPA, "name: web}", "name: api}", 1)}})
	c.WaitDiagnostics(deployURI, func(d lsptest.Diagnostics) bool { return !d.Has("hpa-replicas-conflict") })

	// A configuration file appears and turns a rule off.
	if err := os.WriteFile(filepath.Join(dir, ".zdlint.yaml"), []byte("version: 1\nrules:\n  readiness-probe-missing: {enabled: false}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.Notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": fileURI(filepath.Join(dir, ".zdlint.yaml")), "type": 1}}})
	c.WaitDiagnostics(deployURI, func(d lsptest.Diagnostics) bool {
		return !d.Has("readiness-probe-missing") && d.Has("liveness-probe-missing")
	})

	// A broken configuration is shown, not fatal.
	if err := os.WriteFile(filepath.Join(dir, ".zdlint.yaml"), []byte("rules: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.Notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{}})
	m := c.Wait("the configuration error", func(m lsptest.Message) bool { return m.Method == "window/showMessage" })
	if !strings.Contains(string(m.Params), ".zdlint.yaml") {
		t.Errorf("message %s", m.Params)
	}

	if m := c.Call("shutdown", nil); m.Error != nil {
		t.Errorf("shutdown: %+v", m.Error)
	}
	c.Notify("exit", nil)
}

// TestLSPBrokenDocument: a document that does not parse gets its error as
// a diagnostic; a binary document too.
func TestLSPBrokenDocument(t *testing.T) {
	dir := lspWorkspace(t)
	c := lspSession(t)
	c.CallResult("initialize", map[string]any{"processId": nil, "capabilities": map[string]any{}, "rootUri": fileURI(dir)}, nil)
	c.Notify("initialized", map[string]any{})
	uri := fileURI(filepath.Join(dir, "broken.yaml"))
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "yaml", "version": 1, "text": "a: [1, 2\nb: c\n"}})
	d := c.WaitVersion(uri, 1)
	if len(d.Diagnostics) == 0 || d.Diagnostics[0].Severity != 1 || d.Diagnostics[0].Code != "" {
		t.Errorf("broken YAML: %+v", d)
	}
	bin := string([]byte{0x7f, 'E', 'L', 'F', 0, 0, 1, 2, 0xff})
	c.Notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 2}, "contentChanges": []any{map[string]any{"text": bin}}})
	if d := c.WaitVersion(uri, 2); len(d.Diagnostics) == 0 {
		t.Errorf("binary document: %+v", d)
	}
}

// TestLSPHugeDocument: a document over the 64 MiB file limit gets the
// loader's error as its diagnostic, not a crash.
func TestLSPHugeDocument(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("64 MiB through JSON; skipped with -short and under the race detector")
	}
	dir := lspWorkspace(t)
	c := lspSession(t)
	c.CallResult("initialize", map[string]any{"processId": nil, "capabilities": map[string]any{}, "rootUri": fileURI(dir)}, nil)
	c.Notify("initialized", map[string]any{})
	huge := fileURI(filepath.Join(dir, "huge.yaml"))
	line := "# " + strings.Repeat("x", 1021) + "\n" // 1 KiB
	text := strings.Repeat(line, 64<<10) + "a: 1\n"
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": huge, "languageId": "yaml", "version": 1, "text": text}})
	d := c.WaitVersion(huge, 1)
	if len(d.Diagnostics) != 1 || !strings.Contains(d.Diagnostics[0].Message, "limit") {
		t.Errorf("a 64 MiB document: %+v", d)
	}
	// Still serving.
	c.Notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": huge, "version": 2},
		"contentChanges": []any{map[string]any{"text": lspDeployment}}})
	if d := c.WaitVersion(huge, 2); !d.Has("readiness-probe-missing") {
		t.Errorf("after the huge version: %v", d.Codes())
	}
}

// TestLSPClosedWhileLinted: a document closed while being linted ends
// with empty diagnostics.
func TestLSPClosedWhileLinted(t *testing.T) {
	dir := lspWorkspace(t)
	c := lspSession(t)
	c.CallResult("initialize", map[string]any{"processId": nil, "capabilities": map[string]any{}, "rootUri": fileURI(dir)}, nil)
	c.Notify("initialized", map[string]any{})
	closed := fileURI(filepath.Join(dir, "deploy.yaml"))
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": closed, "languageId": "yaml", "version": 1, "text": lspDeployment}})
	c.Notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": closed}})
	other := fileURI(filepath.Join(dir, "hpa.yaml"))
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": other, "languageId": "yaml", "version": 5, "text": lspHPA}})
	c.WaitVersion(other, 5)
	var last *lsptest.Diagnostics
	for _, m := range c.Received("textDocument/publishDiagnostics") {
		var p lsptest.Diagnostics
		if err := json.Unmarshal(m.Params, &p); err == nil && p.URI == closed {
			last = &p
		}
	}
	if last != nil && len(last.Diagnostics) != 0 {
		t.Errorf("a closed document's last diagnostics: %+v", last)
	}
}

// TestLSPRelatedInformation: a cross-object diagnostic names the other
// object. The Deployment's hpa-replicas-conflict points at the HPA's name
// in hpa.yaml, a file on disk that is not open, with its range in UTF-16
// units past astral and non-ASCII characters on the line; once the HPA's
// buffer is open and edited, unsaved, the range follows the buffer.
func TestLSPRelatedInformation(t *testing.T) {
	dir := lspWorkspace(t)
	// "😀" is 1 rune and 2 UTF-16 units, "é" 1 and 1: the name's value
	// starts after 44 runes, which are 45 UTF-16 units.
	hpa := strings.Replace(lspHPA, "metadata:\n  name: web\n", "metadata: {annotations: {note: \"😀é\"}, name: web}\n", 1)
	if err := os.WriteFile(filepath.Join(dir, "hpa.yaml"), []byte(hpa), 0o644); err != nil {
		t.Fatal(err)
	}
	deployURI, hpaURI := fileURI(filepath.Join(dir, "deploy.yaml")), fileURI(filepath.Join(dir, "hpa.yaml"))
	c := lspSession(t)
	c.CallResult("initialize", map[string]any{"processId": nil, "capabilities": map[string]any{},
		"workspaceFolders": []any{map[string]any{"uri": fileURI(dir), "name": "w"}}}, nil)
	c.Notify("initialized", map[string]any{})
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": deployURI, "languageId": "yaml", "version": 1, "text": lspDeployment}})

	related := func(d lsptest.Diagnostics) []lsptest.RelatedInformation {
		for _, x := range d.Diagnostics {
			if x.Code == "hpa-replicas-conflict" {
				return x.RelatedInformation
			}
		}
		return nil
	}
	check := func(d lsptest.Diagnostics, line, start int) {
		t.Helper()
		rel := related(d)
		if len(rel) != 1 {
			t.Fatalf("hpa-replicas-conflict related information %+v (diagnostics %v)", rel, d.Codes())
		}
		r := rel[0]
		if r.Location.URI != hpaURI || r.Location.Range.Start != (lsptest.Position{Line: line, Character: start}) ||
			r.Location.Range.End != (lsptest.Position{Line: line, Character: start + 3}) {
			t.Errorf("related location %+v, want %s line %d characters %d-%d", r.Location, hpaURI, line, start, start+3)
		}
		if !strings.Contains(r.Message, `HorizontalPodAutoscaler "web"`) {
			t.Errorf("related message %q", r.Message)
		}
	}
	check(c.WaitVersion(deployURI, 1), 2, 45)

	// The HPA's buffer, unsaved, with a comment line above the name:
	// the related range is read from the buffer, not the disk.
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": hpaURI, "languageId": "yaml", "version": 1,
		"text": strings.Replace(hpa, "metadata:", "# moved down\nmetadata:", 1)}})
	d := c.WaitDiagnostics(deployURI, func(d lsptest.Diagnostics) bool {
		rel := related(d)
		return len(rel) == 1 && rel[0].Location.Range.Start.Line == 3
	})
	check(d, 3, 45)
}
