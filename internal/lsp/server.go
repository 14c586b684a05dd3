// Package lsp is zdlint's language server (zdlint lsp): LSP over a stream,
// diagnostics pushed for every open document with the workspace folders
// as cross-object context, rule docs on hover and fixes as code actions.
// How a lint is run (configuration, collection, rendering, the engine) is
// the caller's Lint function, so the server lints exactly as the command
// line does.
package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

// DocsURL is where a rule's documentation lives: DocsURL + id + ".md", as
// in the SARIF report.
const DocsURL = "https://github.com/zdlint/zdlint/blob/main/docs/rules/"

// DefaultDebounce is how long the server waits after an edit before it
// lints: a burst of keystrokes lints once.
const DefaultDebounce = 150 * time.Millisecond

// LintRequest is one lint of the workspace.
type LintRequest struct {
	// Roots are the workspace folders (directories): their manifests are
	// the cross-object context.
	Roots []string
	// Open are the open documents by absolute path: they are linted, and
	// their text replaces the file's on disk.
	Open map[string][]byte
	// Watched is true once the client has accepted the server's file
	// watchers: it reports changes of the workspace's files on disk
	// (workspace/didChangeWatchedFiles), and DiskEvents counts its
	// reports. Two lints with the same count may take the disk to be
	// unchanged between them, and not look at every file again.
	Watched    bool
	DiskEvents int
}

// LintResult is what a lint found. Findings and errors are reported on
// the open documents whose path their File is.
type LintResult struct {
	Findings []rules.Finding
	Errors   []*loader.Error
}

// Options configure a server.
type Options struct {
	// Lint runs one lint. It should return soon after ctx is cancelled:
	// the run was superseded by an edit. An error (a bad configuration
	// file) is shown to the user, and the last diagnostics stay.
	Lint func(ctx context.Context, req LintRequest) (*LintResult, error)
	// Explain returns a rule's documentation (zdlint explain) for hovers.
	Explain func(ruleID string) (string, bool)
	Version string
	// Log receives the server's log lines (standard error); nil discards.
	Log io.Writer
	// Debounce is the wait after an edit; 0 means DefaultDebounce.
	Debounce time.Duration
}

// ErrExitWithoutShutdown is Serve's error when the client sent exit
// without shutdown first: the process should exit with status 1.
var ErrExitWithoutShutdown = errors.New("exit without shutdown")

// document is an open text document.
type document struct {
	uri, path string
	version   int
	text      string
}

// item is a published diagnostic and the finding it shows.
type item struct {
	diag    diagnostic
	finding *rules.Finding // nil for an input error
}

// publication is what was last published for a document.
type publication struct {
	version int
	index   *textIndex // the text the findings are about
	items   []item
}

type server struct {
	opts Options
	out  *conn

	mu          sync.Mutex
	initialized bool
	shutdown    bool
	closed      bool
	enc         encoding
	watch       bool // the client registers file watchers dynamically
	roots       []string
	docs        map[string]*document // by URI
	pubs        map[string]*publication
	gen         int
	timer       *time.Timer
	cancel      context.CancelFunc
	wg          sync.WaitGroup // lint runs
	nextID      int

	// watchID is the id of the watchers' registration until the client
	// answers it; watched is true once it accepted them, and diskEvents
	// counts its reports of changes on disk since (LintRequest).
	watchID    string
	watched    bool
	diskEvents int

	// pubMu orders publications: a run checks it is current and sends its
	// diagnostics under it, so a superseded run cannot publish after its
	// successor, nor after a document's diagnostics were cleared.
	pubMu sync.Mutex
}

// Serve speaks LSP on in and out until the client sends exit or goes
// away. It returns nil after shutdown and exit, ErrExitWithoutShutdown
// after exit alone, and the read error when the stream ends or breaks.
// Every goroutine it started has ended when it returns.
func Serve(in io.Reader, out io.Writer, opts Options) error {
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	s := &server{opts: opts, out: &conn{w: out}, enc: utf16, docs: map[string]*document{}, pubs: map[string]*publication{}}
	defer s.stop()
	r := bufio.NewReaderSize(in, 64<<10)
	for {
		body, err := readMessage(r)
		if err != nil {
			if !errors.Is(err, io.EOF) {
				s.logf("reading a message: %v", err)
			}
			return err
		}
		var m message
		if err := json.Unmarshal(body, &m); err != nil {
			s.logf("malformed message: %v", err)
			_ = s.out.reply(nil, nil, &rpcError{Code: codeParseError, Message: "parse error: " + err.Error()})
			continue
		}
		if done, err := s.dispatch(&m); done {
			return err
		}
	}
}

func (s *server) logf(format string, args ...any) {
	fmt.Fprintf(s.opts.Log, "zdlint lsp: "+format+"\n", args...)
}

// stop cancels the lint in progress and waits for it.
func (s *server) stop() {
	s.mu.Lock()
	s.closed = true
	if s.timer != nil {
		s.timer.Stop()
	}
	if s.cancel != nil {
		s.cancel()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// dispatch handles one message; done is true when the server must stop.
func (s *server) dispatch(m *message) (done bool, err error) {
	if m.Method == "" {
		s.response(m) // to a request of ours
		return false, nil
	}
	if m.Method == "exit" {
		s.mu.Lock()
		shut := s.shutdown
		s.mu.Unlock()
		if !shut {
			return true, ErrExitWithoutShutdown
		}
		return true, nil
	}
	s.mu.Lock()
	initialized, shut := s.initialized, s.shutdown
	s.mu.Unlock()
	req := m.isRequest()
	switch {
	case !initialized && m.Method != "initialize":
		if req {
			_ = s.out.reply(m.ID, nil, &rpcError{Code: codeServerNotInitialized, Message: "the server is not initialized"})
		}
		return false, nil
	case shut:
		if req {
			_ = s.out.reply(m.ID, nil, &rpcError{Code: codeInvalidRequest, Message: "the server is shut down"})
		}
		return false, nil
	}
	result, rerr := s.handle(m)
	if req {
		if rerr == nil && result == nil {
			result = json.RawMessage("null")
		}
		_ = s.out.reply(m.ID, result, rerr)
	}
	return false, nil
}

// handle runs one method; a notification's result is dropped.
func (s *server) handle(m *message) (any, *rpcError) {
	decode := func(v any) *rpcError {
		if err := json.Unmarshal(m.Params, v); err != nil {
			return &rpcError{Code: codeInvalidParams, Message: err.Error()}
		}
		return nil
	}
	switch m.Method {
	case "initialize":
		var p initializeParams
		if err := decode(&p); err != nil {
			return nil, err
		}
		return s.initialize(&p), nil
	case "initialized":
		s.registerWatchers()
	case "shutdown":
		s.mu.Lock()
		s.shutdown = true
		if s.timer != nil {
			s.timer.Stop()
		}
		if s.cancel != nil {
			s.cancel()
		}
		s.mu.Unlock()
	case "textDocument/didOpen":
		var p didOpenParams
		if err := decode(&p); err != nil {
			return nil, err
		}
		s.open(p.TextDocument)
	case "textDocument/didChange":
		var p didChangeParams
		if err := decode(&p); err != nil {
			return nil, err
		}
		s.change(&p)
	case "textDocument/didSave":
		var p didSaveParams
		if err := decode(&p); err != nil {
			return nil, err
		}
		s.save(&p)
	case "textDocument/didClose":
		var p didCloseParams
		if err := decode(&p); err != nil {
			return nil, err
		}
		s.close(p.TextDocument.URI)
	case "workspace/didChangeWatchedFiles":
		// A manifest or .zdlint.yaml changed on disk: every open document
		// may depend on it, and the next run looks at the disk afresh.
		s.mu.Lock()
		s.diskEvents++
		s.mu.Unlock()
		s.schedule(0)
	case "workspace/didChangeWorkspaceFolders":
		var p didChangeWorkspaceFoldersParams
		if err := decode(&p); err != nil {
			return nil, err
		}
		s.changeFolders(&p)
	case "textDocument/hover":
		var p textDocumentPositionParams
		if err := decode(&p); err != nil {
			return nil, err
		}
		return s.hover(&p), nil
	case "textDocument/codeAction":
		var p codeActionParams
		if err := decode(&p); err != nil {
			return nil, err
		}
		return s.codeActions(&p), nil
	case "$/cancelRequest", "$/setTrace", "workspace/didChangeConfiguration":
		// Requests are answered at once; nothing to cancel or tune.
	default:
		if m.isRequest() {
			return nil, &rpcError{Code: codeMethodNotFound, Message: "method not found: " + m.Method}
		}
	}
	return nil, nil
}

func (s *server) initialize(p *initializeParams) *initializeResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initialized = true
	s.enc = negotiate(p.Capabilities.General.PositionEncodings)
	s.watch = p.Capabilities.Workspace.DidChangeWatchedFiles.DynamicRegistration
	var roots []string
	for _, f := range p.WorkspaceFolders {
		if path, ok := uriPath(f.URI); ok {
			roots = append(roots, path)
		}
	}
	if len(roots) == 0 {
		if path, ok := uriPath(p.RootURI); ok {
			roots = append(roots, path)
		} else if p.RootPath != "" {
			roots = append(roots, filepath.Clean(p.RootPath))
		}
	}
	s.roots = s.usableRoots(roots)
	caps := serverCapabilities{
		PositionEncoding: string(s.enc),
		TextDocumentSync: textDocumentSyncOptions{OpenClose: true, Change: 1},
		HoverProvider:    true,
		CodeActionProvider: &codeActionOptions{CodeActionKinds: []string{
			"quickfix", "source.fixAll.zdlint",
		}},
		Workspace: &workspaceCapabilities{},
	}
	caps.Workspace.WorkspaceFolders.Supported = true
	caps.Workspace.WorkspaceFolders.ChangeNotifications = true
	return &initializeResult{Capabilities: caps, ServerInfo: serverInfo{Name: "zdlint", Version: s.opts.Version}}
}

// registerWatchers asks the client to report changes of manifests and of
// the configuration on disk (workspace/didChangeWatchedFiles), if it can
// register them dynamically; other clients still report the saves of open
// files, and may watch files of their own accord.
func (s *server) registerWatchers() {
	s.mu.Lock()
	s.nextID++
	id, watch := s.nextID, s.watch
	s.mu.Unlock()
	if !watch {
		return
	}
	params := map[string]any{"registrations": []map[string]any{{
		"id":     "zdlint-watch",
		"method": "workspace/didChangeWatchedFiles",
		"registerOptions": map[string]any{"watchers": []map[string]any{
			{"globPattern": "**/*.{yaml,yml,json}"},
			{"globPattern": "**/.zdlint.{yaml,yml}"},
			// Created and deleted paths of any name (kind 1|4): a
			// directory deleted, moved or copied in is reported by its
			// own path alone by some clients (VS Code), not by the
			// manifests in it.
			{"globPattern": "**/*", "kind": 5},
		}},
	}}}
	reqID := fmt.Sprintf("zdlint-%d", id)
	s.mu.Lock()
	s.watchID = reqID
	s.mu.Unlock()
	_ = s.out.write(map[string]any{"jsonrpc": "2.0", "id": reqID, "method": "client/registerCapability", "params": params})
}

// response handles the client's response to a request of the server's:
// the watchers' registration, once accepted, lets lints trust the disk
// between the client's reports (LintRequest.Watched).
func (s *server) response(m *message) {
	var id string
	if json.Unmarshal(m.ID, &id) != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if id != "" && id == s.watchID {
		s.watchID = ""
		s.watched = m.Error == nil
	}
}

func (s *server) open(d textDocumentItem) {
	path, ok := uriPath(d.URI)
	if !ok {
		s.logf("not linting %s: not a file URI", d.URI)
		return
	}
	s.mu.Lock()
	s.docs[d.URI] = &document{uri: d.URI, path: path, version: d.Version, text: d.Text}
	s.mu.Unlock()
	s.schedule(0)
}

func (s *server) change(p *didChangeParams) {
	s.mu.Lock()
	d := s.docs[p.TextDocument.URI]
	if d != nil {
		for _, c := range p.ContentChanges {
			if c.Range != nil {
				// Full sync was announced; a client sending ranges anyway
				// gets its edit applied rather than ignored.
				idx := newTextIndex(d.text)
				start := idx.offset(c.Range.Start, s.enc)
				end := idx.offset(c.Range.End, s.enc)
				if end < start {
					start, end = end, start
				}
				d.text = d.text[:start] + c.Text + d.text[end:]
				continue
			}
			d.text = c.Text
		}
		d.version = p.TextDocument.Version
	}
	s.mu.Unlock()
	if d != nil {
		s.schedule(s.opts.Debounce)
	}
}

func (s *server) save(p *didSaveParams) {
	s.mu.Lock()
	if d := s.docs[p.TextDocument.URI]; d != nil && p.Text != nil {
		d.text = *p.Text
	}
	s.mu.Unlock()
	s.schedule(0)
}

func (s *server) close(uri string) {
	s.pubMu.Lock()
	defer s.pubMu.Unlock()
	s.mu.Lock()
	_, open := s.docs[uri]
	delete(s.docs, uri)
	_, published := s.pubs[uri]
	delete(s.pubs, uri)
	s.mu.Unlock()
	if !open {
		return
	}
	if published {
		_ = s.out.notify("textDocument/publishDiagnostics", publishDiagnosticsParams{URI: uri, Diagnostics: []diagnostic{}})
	}
	// Its buffer no longer overlays the disk for the other documents.
	s.schedule(0)
}

func (s *server) changeFolders(p *didChangeWorkspaceFoldersParams) {
	s.mu.Lock()
	removed := map[string]bool{}
	for _, f := range p.Event.Removed {
		if path, ok := uriPath(f.URI); ok {
			removed[path] = true
		}
	}
	roots := s.roots[:0:0]
	for _, r := range s.roots {
		if !removed[r] {
			roots = append(roots, r)
		}
	}
	var added []string
	for _, f := range p.Event.Added {
		if path, ok := uriPath(f.URI); ok {
			added = append(added, path)
		}
	}
	s.roots = append(roots, s.usableRoots(added)...)
	s.mu.Unlock()
	s.schedule(0)
}

// usableRoots drops workspace folders that are the file system's root or
// the home directory: an editor started outside any project passes one,
// and every lint would walk all of it. Open documents there are still
// linted, without the context.
func (s *server) usableRoots(roots []string) []string {
	home, _ := os.UserHomeDir()
	var out []string
	for _, r := range roots {
		if r == filepath.Dir(r) || home != "" && r == filepath.Clean(home) {
			s.logf("not using %s as cross-object context: it is the home directory or the file system's root", r)
			continue
		}
		out = append(out, r)
	}
	return out
}

// schedule lints after delay, superseding a run in progress or waiting:
// its context is cancelled and its results are dropped.
func (s *server) schedule(delay time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.shutdown {
		return
	}
	s.gen++
	gen := s.gen
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	if s.timer != nil {
		s.timer.Stop()
	}
	s.timer = time.AfterFunc(delay, func() { s.run(gen) })
}

// run lints the open documents as of now, if no later edit superseded
// generation gen, and publishes their diagnostics.
func (s *server) run(gen int) {
	s.mu.Lock()
	if s.closed || s.shutdown || gen != s.gen {
		s.mu.Unlock()
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	docs := make([]document, 0, len(s.docs))
	req := LintRequest{Roots: append([]string(nil), s.roots...), Open: map[string][]byte{}, Watched: s.watched, DiskEvents: s.diskEvents}
	for _, d := range s.docs {
		docs = append(docs, *d)
		req.Open[d.path] = []byte(d.text)
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()
	defer cancel()
	if len(docs) == 0 {
		return
	}
	res, err := s.lint(ctx, req)
	if ctx.Err() != nil {
		return // superseded
	}
	if err != nil {
		s.logf("%v", err)
		_ = s.out.notify("window/showMessage", logMessageParams{Type: 1, Message: "zdlint: " + err.Error()})
		return
	}
	s.publish(ctx, docs, res)
}

// lint calls Options.Lint; a panic in it (a rule's, escaping the
// engine's own recovery) becomes an error, and the server keeps serving.
func (s *server) lint(ctx context.Context, req LintRequest) (res *LintResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			s.logf("internal error: %v\n%s", r, debug.Stack())
			res, err = nil, fmt.Errorf("internal error: %v (please report it)", r)
		}
	}()
	res, err = s.opts.Lint(ctx, req)
	if res == nil && err == nil {
		res = &LintResult{}
	}
	return res, err
}

func (s *server) publish(ctx context.Context, docs []document, res *LintResult) {
	byFile := map[string][]*rules.Finding{}
	for i := range res.Findings {
		f := &res.Findings[i]
		byFile[filepath.Clean(f.File)] = append(byFile[filepath.Clean(f.File)], f)
	}
	errsByFile := map[string][]*loader.Error{}
	for _, e := range res.Errors {
		if strings.HasPrefix(e.Msg, "internal error") {
			// A rule's panic, recovered by the engine: a diagnostic on
			// the document, and a line in the log to report.
			s.logf("%v", e)
		}
		errsByFile[filepath.Clean(e.File)] = append(errsByFile[filepath.Clean(e.File)], e)
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].uri < docs[j].uri })
	texts := relatedTexts(docs, byFile)
	s.pubMu.Lock()
	defer s.pubMu.Unlock()
	s.mu.Lock()
	if ctx.Err() != nil {
		s.mu.Unlock()
		return
	}
	enc, roots := s.enc, s.roots
	var out []publishDiagnosticsParams
	for _, d := range docs {
		if cur := s.docs[d.uri]; cur == nil || cur.version != d.version || cur.text != d.text {
			continue // closed or changed since: its own run will publish
		}
		idx := newTextIndex(d.text)
		pub := &publication{version: d.version, index: idx}
		for _, e := range errsByFile[d.path] {
			pub.items = append(pub.items, item{diag: errorDiagnostic(e, idx, enc)})
		}
		for _, f := range byFile[d.path] {
			diag := findingDiagnostic(f, idx, enc, roots)
			diag.RelatedInformation = append(diag.RelatedInformation, relatedInformationOf(f.Related, texts, enc)...)
			pub.items = append(pub.items, item{diag: diag, finding: f})
		}
		s.pubs[d.uri] = pub
		diags := make([]diagnostic, len(pub.items))
		for i, it := range pub.items {
			diags[i] = it.diag
		}
		v := d.version
		out = append(out, publishDiagnosticsParams{URI: d.uri, Version: &v, Diagnostics: diags})
	}
	s.mu.Unlock()
	for _, p := range out {
		if err := s.out.notify("textDocument/publishDiagnostics", p); err != nil {
			return
		}
	}
}

func lspSeverity(sev rules.Severity) int {
	switch sev {
	case rules.Error:
		return severityError
	case rules.Warning:
		return severityWarning
	}
	return severityInformation
}

// findingRange is the finding's range: from its position to the end of
// the reported node, or of the token there when the node's end is not
// known.
func findingRange(pos, end loader.Pos, idx *textIndex, enc encoding) lspRange {
	if !pos.IsValid() {
		return lspRange{}
	}
	if !end.IsValid() || end.Less(pos) {
		end = idx.tokenEnd(pos)
	}
	return lspRange{Start: idx.fromPos(pos, enc), End: idx.fromPos(end, enc)}
}

func findingDiagnostic(f *rules.Finding, idx *textIndex, enc encoding, roots []string) diagnostic {
	d := diagnostic{
		Range:           findingRange(f.Pos, f.End, idx, enc),
		Severity:        lspSeverity(f.Severity),
		Code:            f.Rule,
		CodeDescription: &codeDescription{Href: DocsURL + f.Rule + ".md"},
		Source:          "zdlint",
		Message:         f.Message,
	}
	if src := sourceFile(f.Source, f.File, roots); src != "" && filepath.Clean(src) != filepath.Clean(f.File) {
		d.RelatedInformation = []relatedInformation{{
			Location: location{URI: pathURI(src)},
			Message:  "the object comes from this template",
		}}
	}
	return d
}

// maxRelatedText bounds the size of a file read from disk to place the
// related locations in it; past it, columns are counted as runes.
const maxRelatedText = 16 << 20

// relatedTexts returns the text index of each file that the related
// locations of the published documents' findings name: the open buffer's
// text the run linted, else the file on disk, read once per publication
// (nil when it cannot be read). The positions are in runes; the client
// wants them in its encoding, which needs each line's text.
func relatedTexts(docs []document, byFile map[string][]*rules.Finding) map[string]*textIndex {
	var texts map[string]*textIndex
	for _, d := range docs {
		for _, f := range byFile[d.path] {
			for _, l := range f.Related {
				file := filepath.Clean(l.File)
				if _, done := texts[file]; done {
					continue
				}
				if texts == nil {
					texts = map[string]*textIndex{}
				}
				texts[file] = nil
				for _, o := range docs {
					if o.path == file {
						texts[file] = newTextIndex(o.text)
						break
					}
				}
				if texts[file] != nil {
					continue
				}
				if info, err := os.Stat(file); err == nil && info.Mode().IsRegular() && info.Size() <= maxRelatedText {
					if b, err := os.ReadFile(file); err == nil {
						texts[file] = newTextIndex(string(b))
					}
				}
			}
		}
	}
	return texts
}

// relatedInformationOf turns a finding's related locations into LSP
// related information: the other object's name in its file, in the
// negotiated encoding.
func relatedInformationOf(rel []rules.Location, texts map[string]*textIndex, enc encoding) []relatedInformation {
	var out []relatedInformation
	for _, l := range rel {
		file := filepath.Clean(l.File)
		if !filepath.IsAbs(file) {
			abs, err := filepath.Abs(file)
			if err != nil {
				continue
			}
			file = abs
		}
		var r lspRange
		if idx := texts[filepath.Clean(l.File)]; idx != nil {
			r = findingRange(l.Pos, l.End, idx, enc)
		} else if l.Pos.IsValid() {
			// Unreadable: runes are the units of every encoding on
			// ASCII text, which names and keys almost always are.
			end := l.End
			if !end.IsValid() || end.Less(l.Pos) {
				end = l.Pos
			}
			r = lspRange{Start: position{Line: l.Pos.Line - 1, Character: l.Pos.Col - 1}, End: position{Line: end.Line - 1, Character: end.Col - 1}}
		}
		out = append(out, relatedInformation{Location: location{URI: pathURI(file), Range: r}, Message: l.Message})
	}
	return out
}

// sourceFile resolves a finding's Helm template name to a file, or "".
func sourceFile(src, file string, roots []string) string {
	if src == "" {
		return ""
	}
	if filepath.IsAbs(src) {
		return src
	}
	for _, dir := range append([]string{filepath.Dir(file)}, roots...) {
		p := filepath.Join(dir, src)
		if fileExists(p) {
			return p
		}
	}
	return ""
}

func errorDiagnostic(e *loader.Error, idx *textIndex, enc encoding) diagnostic {
	sev := severityError
	if e.Warning {
		sev = severityWarning
	}
	r := findingRange(e.Pos, loader.Pos{}, idx, enc)
	if !e.Pos.IsValid() {
		r = lspRange{End: position{Character: unitsIn(idx.line(0), enc)}}
	}
	return diagnostic{Range: r, Severity: sev, Source: "zdlint", Message: e.Msg}
}

// uriPath returns the local path of a file: URI.
func uriPath(uri string) (string, bool) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" || u.Path == "" {
		return "", false
	}
	p := u.Path
	if len(p) >= 3 && p[0] == '/' && p[2] == ':' { // file:///C:/...
		p = p[1:]
	}
	return filepath.Clean(filepath.FromSlash(p)), true
}

// pathURI returns the file: URI of an absolute path.
func pathURI(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
