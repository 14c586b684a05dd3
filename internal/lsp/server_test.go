package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zdlint/zdlint/internal/lsp/lsptest"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/yamledit"
	"github.com/zdlint/zdlint/rules"
)

// session is a server in-process over io.Pipe and its client.
type session struct {
	*lsptest.Client
	in   *io.PipeWriter
	done chan error
}

func start(t *testing.T, opts Options) *session {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	s := &session{in: inW, done: make(chan error, 1)}
	go func() {
		err := Serve(inR, outW, opts)
		_ = outW.Close()
		_ = inR.Close()
		s.done <- err
	}()
	s.Client = lsptest.New(t, outR, inW)
	t.Cleanup(func() {
		_ = inW.Close()
		select {
		case err := <-s.done:
			t.Logf("Serve returned %v", err)
		case <-time.After(lsptest.Timeout):
			t.Error("the server did not stop after its input closed")
		}
	})
	return s
}

// exitErr waits for Serve to return.
func (s *session) exitErr(t *testing.T) error {
	t.Helper()
	select {
	case err := <-s.done:
		s.done <- err // for Cleanup
		return err
	case <-time.After(lsptest.Timeout):
		t.Fatal("Serve did not return")
		return nil
	}
}

func initialize(t *testing.T, s *session, encodings ...string) initializeResult {
	t.Helper()
	var res initializeResult
	caps := map[string]any{}
	if encodings != nil {
		caps["general"] = map[string]any{"positionEncodings": encodings}
	}
	s.CallResult("initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": caps}, &res)
	s.Notify("initialized", map[string]any{})
	return res
}

// fakeLint reports one finding per line that says "BAD", of rule
// readiness-probe-missing, at the word, with a fix replacing it by "GOOD".
func fakeLint(_ context.Context, req LintRequest) (*LintResult, error) {
	res := &LintResult{}
	for path, text := range req.Open {
		idx := newTextIndex(string(text))
		for i := range idx.starts {
			line := idx.line(i)
			b := strings.Index(line, "BAD")
			if b < 0 {
				continue
			}
			col := len([]rune(line[:b])) + 1
			off := idx.starts[i] + b
			res.Findings = append(res.Findings, rules.Finding{Rule: "readiness-probe-missing", Severity: rules.Warning,
				Message: "bad word", File: path, Pos: loader.Pos{Line: i + 1, Col: col}, End: loader.Pos{Line: i + 1, Col: col + 3},
				Fix: &rules.Fix{Applicability: rules.FixSafe, Edits: []yamledit.Edit{{Start: off, End: off + 3, Text: "GOOD"}}}})
		}
	}
	return res, nil
}

func fakeOptions() Options {
	return Options{Lint: fakeLint, Debounce: 20 * time.Millisecond,
		Explain: func(id string) (string, bool) { return "EXPLAIN " + id, true }}
}

const docURI = "file:///w/deploy.yaml"

func open(s *session, uri string, version int, text string) {
	s.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "yaml", "version": version, "text": text}})
}

func change(s *session, uri string, version int, text string) {
	s.Notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": version},
		"contentChanges": []any{map[string]any{"text": text}}})
}

func TestLifecycle(t *testing.T) {
	s := start(t, fakeOptions())
	// Before initialize: requests fail with ServerNotInitialized.
	if m := s.Call("textDocument/hover", map[string]any{}); m.Error == nil || m.Error.Code != codeServerNotInitialized {
		t.Fatalf("hover before initialize: %+v", m)
	}
	res := initialize(t, s)
	if res.Capabilities.PositionEncoding != "utf-16" {
		t.Errorf("positionEncoding = %q, want utf-16 when the client offers none", res.Capabilities.PositionEncoding)
	}
	if res.Capabilities.TextDocumentSync.Change != 1 || !res.Capabilities.TextDocumentSync.OpenClose || !res.Capabilities.HoverProvider {
		t.Errorf("capabilities: %+v", res.Capabilities)
	}
	if m := s.Call("no/such/method", nil); m.Error == nil || m.Error.Code != codeMethodNotFound {
		t.Errorf("unknown method: %+v", m)
	}
	s.Notify("no/such/notification", nil) // ignored, no reply
	// The client did not offer dynamic registration: no watcher request.
	if got := s.Received("client/registerCapability"); len(got) != 0 {
		t.Errorf("registered watchers with a client that cannot: %+v", got)
	}
	if m := s.Call("shutdown", nil); m.Error != nil || string(m.Result) != "null" {
		t.Errorf("shutdown: %+v", m)
	}
	if m := s.Call("textDocument/hover", map[string]any{}); m.Error == nil || m.Error.Code != codeInvalidRequest {
		t.Errorf("a request after shutdown: %+v", m)
	}
	s.Notify("exit", nil)
	if err := s.exitErr(t); err != nil {
		t.Errorf("exit after shutdown: Serve returned %v, want nil", err)
	}
}

func TestExitWithoutShutdown(t *testing.T) {
	s := start(t, fakeOptions())
	initialize(t, s)
	s.Notify("exit", nil)
	if err := s.exitErr(t); !errors.Is(err, ErrExitWithoutShutdown) {
		t.Errorf("Serve returned %v, want ErrExitWithoutShutdown", err)
	}
}

func TestDisconnect(t *testing.T) {
	before := runtime.NumGoroutine()
	s := start(t, Options{Debounce: time.Millisecond, Lint: func(ctx context.Context, req LintRequest) (*LintResult, error) {
		<-ctx.Done() // a lint in progress when the client goes away
		return nil, ctx.Err()
	}})
	initialize(t, s)
	open(s, docURI, 1, "BAD\n")
	time.Sleep(20 * time.Millisecond)
	_ = s.in.Close()
	if err := s.exitErr(t); err == nil {
		t.Error("Serve returned nil when the client disconnected")
	}
	// Every goroutine Serve started has ended (the client's reader ends
	// with the pipe).
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after the server stopped, %d before", n, before)
	}
}

func TestMalformedMessages(t *testing.T) {
	s := start(t, fakeOptions())
	s.WriteRaw(lsptest.Frame([]byte(`{"jsonrpc":"2.0","id":1,"method":`)))
	m := s.Wait("the parse error", func(m lsptest.Message) bool { return m.Error != nil })
	if m.Error.Code != codeParseError || string(m.ID) != "null" {
		t.Errorf("malformed JSON: %+v", m)
	}
	s.WriteRaw(lsptest.Frame([]byte(`[1,2,3]`)))
	s.Wait("the second parse error", func(m lsptest.Message) bool { return m.Error != nil && m.Error.Code == codeParseError })
	// Bad params for a known method.
	initialize(t, s)
	if m := s.Call("textDocument/hover", "not an object"); m.Error == nil || m.Error.Code != codeInvalidParams {
		t.Errorf("bad params: %+v", m)
	}
	// Still serving.
	open(s, docURI, 1, "BAD\n")
	if d := s.WaitVersion(docURI, 1); !d.Has("readiness-probe-missing") {
		t.Errorf("after malformed messages: %v", d.Codes())
	}
	// A header that cannot be read ends the connection.
	s.WriteRaw([]byte("Content-Length: many\r\n\r\n"))
	if err := s.exitErr(t); err == nil || !errors.Is(err, errFraming) {
		t.Errorf("bad header: Serve returned %v", err)
	}
}

func TestDiagnostics(t *testing.T) {
	s := start(t, fakeOptions())
	initialize(t, s)
	open(s, docURI, 7, "a: 1\nb: BAD\n")
	d := s.WaitVersion(docURI, 7)
	if len(d.Diagnostics) != 1 {
		t.Fatalf("diagnostics: %+v", d)
	}
	x := d.Diagnostics[0]
	if x.Range.Start != (lsptest.Position{Line: 1, Character: 3}) || x.Range.End != (lsptest.Position{Line: 1, Character: 6}) {
		t.Errorf("range %+v", x.Range)
	}
	if x.Severity != severityWarning || x.Code != "readiness-probe-missing" || x.Source != "zdlint" || x.Message != "bad word" {
		t.Errorf("diagnostic %+v", x)
	}
	if x.CodeDescription == nil || x.CodeDescription.Href != DocsURL+"readiness-probe-missing.md" {
		t.Errorf("codeDescription %+v", x.CodeDescription)
	}
	change(s, docURI, 8, "a: 1\nb: fine\n")
	if d := s.WaitVersion(docURI, 8); len(d.Diagnostics) != 0 {
		t.Errorf("after the fix: %+v", d)
	}
	s.Notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": docURI}, "text": "BAD\n"})
	if d := s.WaitVersion(docURI, 8); !d.Has("readiness-probe-missing") {
		t.Errorf("after a save with text: %v", d.Codes())
	}
	s.Notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": docURI}})
	if d := s.WaitDiagnostics(docURI, nil); len(d.Diagnostics) != 0 || d.Version != nil {
		t.Errorf("after close: %+v", d)
	}
}

// TestPositionEncodings: a line with a two-byte, a three-byte and an
// astral (four-byte, surrogate pair) character before the finding.
func TestPositionEncodings(t *testing.T) {
	const text = "# é€😀\nname: \"é€😀\" BAD x\n"
	// Before BAD on line 1: `name: "é€😀" ` is 6+1+3+1+1 = 12 runes,
	// 13 UTF-16 units (😀 is a surrogate pair), 18 UTF-8 bytes.
	for _, tc := range []struct {
		offer      []string
		want       string
		start, end int
	}{
		{nil, "utf-16", 13, 16},
		{[]string{"utf-8", "utf-16"}, "utf-8", 18, 21},
		{[]string{"utf-32"}, "utf-32", 12, 15},
		{[]string{"utf-7"}, "utf-16", 13, 16},
	} {
		t.Run(tc.want, func(t *testing.T) {
			s := start(t, fakeOptions())
			res := initialize(t, s, tc.offer...)
			if res.Capabilities.PositionEncoding != tc.want {
				t.Fatalf("offered %v: got %q, want %q", tc.offer, res.Capabilities.PositionEncoding, tc.want)
			}
			open(s, docURI, 1, text)
			d := s.WaitVersion(docURI, 1)
			if len(d.Diagnostics) != 1 {
				t.Fatalf("%+v", d)
			}
			r := d.Diagnostics[0].Range
			if r.Start != (lsptest.Position{Line: 1, Character: tc.start}) || r.End != (lsptest.Position{Line: 1, Character: tc.end}) {
				t.Errorf("range %+v, want characters %d-%d", r, tc.start, tc.end)
			}
			// The fix's byte offsets come back in the same units.
			var actions []codeAction
			s.CallResult("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": docURI},
				"range": r, "context": map[string]any{"diagnostics": []any{}}}, &actions)
			if len(actions) == 0 || actions[0].Edit == nil {
				t.Fatalf("actions %+v", actions)
			}
			e := actions[0].Edit.DocumentChanges[0].Edits[0]
			if e.Range.Start != (position{1, tc.start}) || e.Range.End != (position{1, tc.end}) || e.NewText != "GOOD" {
				t.Errorf("fix edit %+v", e)
			}
			// Hover inside the astral-character line, on the diagnostic.
			var h hover
			s.CallResult("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": docURI},
				"position": map[string]any{"line": 1, "character": tc.start + 1}}, &h)
			if h.Contents.Value != "EXPLAIN readiness-probe-missing" {
				t.Errorf("hover %+v", h)
			}
		})
	}
}

func TestTextIndex(t *testing.T) {
	idx := newTextIndex("ab\r\né😀x\n")
	if got := idx.line(0); got != "ab" {
		t.Errorf("line 0 = %q (CR kept?)", got)
	}
	for _, tc := range []struct {
		pos  loader.Pos
		enc  encoding
		want position
	}{
		{loader.Pos{Line: 2, Col: 3}, utf16, position{1, 3}},
		{loader.Pos{Line: 2, Col: 3}, utf8e, position{1, 6}},
		{loader.Pos{Line: 2, Col: 99}, utf16, position{1, 4}}, // clamped to the line
		{loader.Pos{Line: 9, Col: 1}, utf16, position{2, 0}},  // past the end
	} {
		if got := idx.fromPos(tc.pos, tc.enc); got != tc.want {
			t.Errorf("fromPos(%v, %s) = %v, want %v", tc.pos, tc.enc, got, tc.want)
		}
	}
	// Round trips through byte offsets.
	for off := 0; off <= len(idx.text); off++ {
		if !utf8Boundary(idx.text, off) {
			continue
		}
		for _, e := range []encoding{utf8e, utf16, utf32} {
			p := idx.fromOffset(off, e)
			if back := idx.offset(p, e); back != off && idx.text[off-1] != '\r' {
				t.Errorf("offset %d → %v (%s) → %d", off, p, e, back)
			}
		}
	}
	// A character inside a surrogate pair counts as that rune.
	if got := idx.toPos(position{1, 2}, utf16); got != (loader.Pos{Line: 2, Col: 3}) {
		t.Errorf("toPos inside a pair = %v", got)
	}
	if got := newTextIndex("  spec: x\n").tokenEnd(loader.Pos{Line: 1, Col: 3}); got != (loader.Pos{Line: 1, Col: 7}) {
		t.Errorf("tokenEnd of a key = %v, want before the colon", got)
	}
}

func utf8Boundary(s string, i int) bool { return i == len(s) || i == 0 || s[i]&0xC0 != 0x80 }

// TestDebounce: a burst of edits lints once more, and the run in progress
// when an edit arrives is cancelled and publishes nothing.
func TestDebounce(t *testing.T) {
	var calls atomic.Int32
	var mu sync.Mutex
	var cancelled []string
	started := make(chan struct{}, 100)
	lint := func(ctx context.Context, req LintRequest) (*LintResult, error) {
		calls.Add(1)
		for _, text := range req.Open {
			if strings.Contains(string(text), "SLOW") {
				started <- struct{}{}
				<-ctx.Done()
				mu.Lock()
				cancelled = append(cancelled, string(text))
				mu.Unlock()
				return nil, ctx.Err()
			}
		}
		return fakeLint(ctx, req)
	}
	// A long debounce: on a loaded machine a pause between two of the
	// test's edits longer than it would split the burst.
	s := start(t, Options{Lint: lint, Debounce: 500 * time.Millisecond})
	initialize(t, s)
	open(s, docURI, 1, "SLOW\n")
	<-started
	for v := 2; v <= 21; v++ {
		change(s, docURI, v, strings.Repeat("x\n", v)+"BAD\n")
	}
	d := s.WaitVersion(docURI, 21)
	if !d.Has("readiness-probe-missing") || d.Diagnostics[0].Range.Start.Line != 21 {
		t.Errorf("final diagnostics %+v", d)
	}
	// The slow run and at most one run of the burst (a scheduler pause
	// longer than the debounce could split it, hence "at most").
	if n := calls.Load(); n < 2 || n > 3 {
		t.Errorf("%d lints for an open and a burst of 20 edits", n)
	}
	mu.Lock()
	if len(cancelled) != 1 {
		t.Errorf("cancelled runs: %q", cancelled)
	}
	mu.Unlock()
	for _, m := range s.Received("textDocument/publishDiagnostics") {
		var p publishDiagnosticsParams
		_ = json.Unmarshal(m.Params, &p)
		if p.Version != nil && *p.Version == 1 {
			t.Error("the superseded run published")
		}
	}
}

func TestPanicInLint(t *testing.T) {
	var n atomic.Int32
	s := start(t, Options{Debounce: time.Millisecond, Lint: func(ctx context.Context, req LintRequest) (*LintResult, error) {
		if n.Add(1) == 1 {
			panic("a rule broke")
		}
		return fakeLint(ctx, req)
	}})
	initialize(t, s)
	open(s, docURI, 1, "BAD\n")
	m := s.Wait("the error message", func(m lsptest.Message) bool { return m.Method == "window/showMessage" })
	if !strings.Contains(string(m.Params), "a rule broke") {
		t.Errorf("message %s", m.Params)
	}
	change(s, docURI, 2, "BAD\n")
	if d := s.WaitVersion(docURI, 2); !d.Has("readiness-probe-missing") {
		t.Errorf("after the panic: %v", d.Codes())
	}
}

// TestRulePanic: the engine turns a rule's panic into an error on the
// file; the server shows it as a diagnostic and logs it.
func TestRulePanic(t *testing.T) {
	var log syncBuffer
	s := start(t, Options{Log: &log, Debounce: time.Millisecond, Lint: func(ctx context.Context, req LintRequest) (*LintResult, error) {
		return &LintResult{Errors: []*loader.Error{{File: "/w/deploy.yaml", Pos: loader.Pos{Line: 1, Col: 1},
			Msg: `internal error in rule single-replica on Deployment "web" (please report): boom`}}}, nil
	}})
	initialize(t, s)
	open(s, docURI, 1, "kind: Deployment\n")
	d := s.WaitVersion(docURI, 1)
	if len(d.Diagnostics) != 1 || d.Diagnostics[0].Severity != severityError || !strings.Contains(d.Diagnostics[0].Message, "boom") {
		t.Errorf("diagnostics %+v", d)
	}
	if !strings.Contains(log.String(), "boom") {
		t.Errorf("log %q", log.String())
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestCodeActions(t *testing.T) {
	s := start(t, fakeOptions())
	initialize(t, s)
	text := "a: BAD\nb: BAD # a comment\n"
	open(s, docURI, 3, text)
	s.WaitVersion(docURI, 3)
	all := map[string]any{"start": map[string]int{"line": 0, "character": 0}, "end": map[string]int{"line": 2, "character": 0}}
	var actions []codeAction
	s.CallResult("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": docURI}, "range": all,
		"context": map[string]any{"diagnostics": []any{}}}, &actions)
	var titles []string
	for _, a := range actions {
		titles = append(titles, a.Kind+": "+a.Title)
	}
	want := []string{
		"quickfix: Fix: readiness-probe-missing",
		"quickfix: Suppress readiness-probe-missing on this line",
		"quickfix: Fix: readiness-probe-missing", // line 2 has a comment: no suppression
		"source.fixAll.zdlint: Fix all safe zdlint findings",
	}
	if strings.Join(titles, "\n") != strings.Join(want, "\n") {
		t.Fatalf("actions:\n%s\nwant:\n%s", strings.Join(titles, "\n"), strings.Join(want, "\n"))
	}
	if !actions[0].IsPreferred || actions[0].Edit.DocumentChanges[0].TextDocument.Version != 3 {
		t.Errorf("fix action %+v", actions[0])
	}
	sup := actions[1].Edit.DocumentChanges[0].Edits[0]
	if sup.NewText != " # zdlint:ignore readiness-probe-missing -- " || sup.Range.Start != (position{0, 6}) {
		t.Errorf("suppression edit %+v", sup)
	}
	fixAll := actions[3].Edit.DocumentChanges[0].Edits
	if len(fixAll) != 2 {
		t.Errorf("fixAll edits %+v", fixAll)
	}
	// Only source actions when asked for them.
	s.CallResult("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": docURI}, "range": all,
		"context": map[string]any{"diagnostics": []any{}, "only": []string{"source.fixAll"}}}, &actions)
	if len(actions) != 1 || actions[0].Kind != "source.fixAll.zdlint" {
		t.Errorf("only source.fixAll: %+v", actions)
	}
	// Edited since the lint: no edits against a stale text.
	change(s, docURI, 4, text+"c: 1\n")
	s.CallResult("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": docURI}, "range": all,
		"context": map[string]any{"diagnostics": []any{}}}, &actions)
	if len(actions) != 0 {
		t.Errorf("actions on a stale lint: %+v", actions)
	}
}

func TestNotAFileURI(t *testing.T) {
	s := start(t, fakeOptions())
	initialize(t, s)
	open(s, "untitled:Untitled-1", 1, "BAD\n")
	open(s, docURI, 1, "BAD\n")
	s.WaitVersion(docURI, 1)
	if got := s.Received("textDocument/publishDiagnostics"); len(got) != 0 {
		t.Errorf("diagnostics for an untitled buffer: %+v", got)
	}
}

// TestRoots: the home directory and / are not walked as context.
func TestRoots(t *testing.T) {
	var got []LintRequest
	var mu sync.Mutex
	home := t.TempDir()
	t.Setenv("HOME", home)
	s := start(t, Options{Debounce: time.Millisecond, Lint: func(ctx context.Context, req LintRequest) (*LintResult, error) {
		mu.Lock()
		got = append(got, req)
		mu.Unlock()
		return fakeLint(ctx, req)
	}})
	s.CallResult("initialize", map[string]any{"processId": nil, "capabilities": map[string]any{}, "workspaceFolders": []any{
		map[string]any{"uri": "file:///", "name": "root"},
		map[string]any{"uri": pathURI(home), "name": "home"},
		map[string]any{"uri": "file:///w", "name": "w"},
	}}, nil)
	open(s, docURI, 1, "BAD\n")
	s.WaitVersion(docURI, 1)
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || len(got[0].Roots) != 1 || got[0].Roots[0] != "/w" {
		t.Errorf("lint requests %+v, want the roots [/w]", got)
	}
}

func TestURIs(t *testing.T) {
	for _, p := range []string{"/a b/c#d.yaml", "/x/é.yaml"} {
		u := pathURI(p)
		back, ok := uriPath(u)
		if !ok || back != p {
			t.Errorf("%q → %q → %q", p, u, back)
		}
	}
	if p, ok := uriPath("file:///tmp/a%20b.yaml"); !ok || p != "/tmp/a b.yaml" {
		t.Errorf("escaped URI: %q", p)
	}
}

// TestRelatedInformationOf: related locations become LSP locations in the
// negotiated encoding when the file's text is known; without it (a file
// that cannot be read), runes stand for units, and a relative name is
// made absolute for its URI.
func TestRelatedInformationOf(t *testing.T) {
	text := "metadata: {note: \"😀\", name: web}\n"
	file := "/w/hpa.yaml"
	rel := []rules.Location{{File: file, Pos: loader.Pos{Line: 1, Col: 29}, End: loader.Pos{Line: 1, Col: 32}, Message: "the HPA"}}
	for _, tc := range []struct {
		enc        encoding
		start, end int
	}{{utf16, 29, 32}, {utf8e, 31, 34}, {utf32, 28, 31}} {
		got := relatedInformationOf(rel, map[string]*textIndex{file: newTextIndex(text)}, tc.enc)
		want := relatedInformation{Location: location{URI: "file:///w/hpa.yaml",
			Range: lspRange{Start: position{Character: tc.start}, End: position{Character: tc.end}}}, Message: "the HPA"}
		if len(got) != 1 || got[0] != want {
			t.Errorf("%s: %+v, want %+v", tc.enc, got, want)
		}
	}
	got := relatedInformationOf([]rules.Location{{File: "rel/x.yaml", Pos: loader.Pos{Line: 2, Col: 9}, Message: "m"}}, nil, utf16)
	if len(got) != 1 || !strings.HasPrefix(got[0].Location.URI, "file:///") || !strings.HasSuffix(got[0].Location.URI, "/rel/x.yaml") ||
		got[0].Location.Range != (lspRange{Start: position{Line: 1, Character: 8}, End: position{Line: 1, Character: 8}}) {
		t.Errorf("unreadable relative file: %+v", got)
	}
}

// TestWatchedDisk: lints are told the disk is watched once the client
// accepts the watchers' registration, not before nor after a refusal, and
// each report of changes on disk is counted and lints again.
func TestWatchedDisk(t *testing.T) {
	for _, accept := range []bool{true, false} {
		var mu sync.Mutex
		var reqs []LintRequest
		opts := fakeOptions()
		opts.Lint = func(ctx context.Context, req LintRequest) (*LintResult, error) {
			mu.Lock()
			reqs = append(reqs, req)
			mu.Unlock()
			return fakeLint(ctx, req)
		}
		last := func() LintRequest {
			mu.Lock()
			defer mu.Unlock()
			return reqs[len(reqs)-1]
		}
		s := start(t, opts)
		s.CallResult("initialize", map[string]any{"processId": nil, "rootUri": nil,
			"capabilities": map[string]any{"workspace": map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}}}}, nil)
		s.Notify("initialized", map[string]any{})
		reg := s.Wait("the watchers' registration", func(m lsptest.Message) bool { return m.Method == "client/registerCapability" })
		if !strings.Contains(string(reg.Params), `"**/*.{yaml,yml,json}"`) {
			t.Errorf("registration %s", reg.Params)
		}
		open(s, docURI, 1, "BAD\n")
		s.WaitVersion(docURI, 1)
		if r := last(); r.Watched {
			t.Errorf("watched before the client accepted the watchers: %+v", r)
		}
		if accept {
			s.Reply(reg.ID, nil, "")
		} else {
			s.Reply(reg.ID, nil, "no watchers here")
		}
		s.Reply(json.RawMessage(`"zdlint-99"`), nil, "") // answers nothing of ours
		change(s, docURI, 2, "BAD\nBAD\n")
		s.WaitVersion(docURI, 2)
		if r := last(); r.Watched != accept || r.DiskEvents != 0 {
			t.Errorf("accepted %v: request %+v", accept, r)
		}
		for i := 1; i <= 2; i++ {
			mu.Lock()
			n := len(reqs)
			mu.Unlock()
			s.Notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": "file:///w/hpa.yaml", "type": 2}}})
			s.Wait("a lint after the report", func(lsptest.Message) bool {
				mu.Lock()
				defer mu.Unlock()
				return len(reqs) > n
			})
			if r := last(); r.Watched != accept || r.DiskEvents != i {
				t.Errorf("accepted %v, report %d: request %+v", accept, i, r)
			}
		}
	}
}
