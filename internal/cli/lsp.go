package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zdlint/zdlint/internal/config"
	"github.com/zdlint/zdlint/internal/engine"
	"github.com/zdlint/zdlint/internal/lsp"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

const lspUsage = `Usage: zdlint lsp

Run zdlint as a language server on standard input and output (LSP 3.17):
diagnostics for every open manifest, with the manifests of the workspace
folders as cross-object context, rule docs on hover and fixes as code
actions. Editors start it themselves; see docs/editors.md.
`

// cmdLSP serves LSP on stdin and stdout; the exit status is 0 after
// shutdown and exit, 1 otherwise, as the specification asks.
func cmdLSP(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if wantsHelp(args) {
		fmt.Fprint(stdout, lspUsage)
		return ExitClean
	}
	if len(args) > 0 {
		fmt.Fprintf(stderr, "zdlint lsp: unexpected argument %q\n%s", args[0], lspUsage)
		return ExitError
	}
	l := &lspLinter{}
	err := lsp.Serve(stdin, stdout, lsp.Options{
		Lint:    l.lint,
		Explain: lspExplain,
		Version: Version(),
		Log:     stderr,
	})
	if err != nil {
		return 1
	}
	return ExitClean
}

func lspExplain(id string) (string, bool) {
	r, ok := rules.ByID(id)
	if !ok {
		return "", false
	}
	return explainText(r), true
}

// lspLinter lints for the language server, keeping the workspace files'
// facts between lints (engine.Cache) so that an edit re-reads only the
// files that changed: the open documents, and the workspace files whose
// size or modification time did. Rendered Kustomize and Helm output is
// built again on every lint, as the command line builds it.
type lspLinter struct {
	// mu serialises lints: a superseded lint may still be running when
	// the next starts, and the cache serves one run at a time.
	mu    sync.Mutex
	cache *engine.Cache
	// config identifies the configuration the cache was filled under
	// (its file and text): another configuration starts an empty cache.
	config string
	// disk is what the last lints saw of the workspace on disk, kept
	// while the client watches it and reports no change.
	disk *diskView
}

// diskView is the workspace on disk as a client that watches it last
// reported it (lsp.LintRequest.Watched): the walk of the workspace
// folders, and the files' stamps. Both were a third of a lint's CPU at
// 5,000 manifests (a stat of every file, a read of every directory); a
// client that reports changes makes them needless until its next report.
// Files modified in the last seconds are stamped again on every lint
// (fileStamp) until they are older.
type diskView struct {
	key    string // workspace folders, configuration, count of reports
	walked bool
	inputs []loader.Input
	errs   []*loader.Error
	mu     sync.Mutex        // engine.Cache stamps from several goroutines
	stamps map[string]string // by path
}

// walk returns the kept walk, walking the first time.
func (v *diskView) walk(walk func() ([]loader.Input, []*loader.Error)) ([]loader.Input, []*loader.Error) {
	if !v.walked {
		v.inputs, v.errs = walk()
		v.walked = true
	}
	// Copies: the caller changes inputs and errors.
	errs := make([]*loader.Error, len(v.errs))
	for i, e := range v.errs {
		e := *e
		errs[i] = &e
	}
	return append([]loader.Input(nil), v.inputs...), errs
}

// stamp returns the kept stamp of in's file, stamping it the first time.
func (v *diskView) stamp(in loader.Input) string {
	v.mu.Lock()
	s, ok := v.stamps[in.Path]
	v.mu.Unlock()
	if ok {
		return s
	}
	s = fileStamp(in)
	if s != "" {
		v.mu.Lock()
		v.stamps[in.Path] = s
		v.mu.Unlock()
	}
	return s
}

// lint lints the open documents as 'zdlint --context ROOT... FILE...'
// would with the buffers' texts: the configuration is found from the
// first workspace folder (the editor's working directory) as the command
// line finds it from its own, and the same collection, exclusion,
// rendering and ignore entries apply.
func (l *lspLinter) lint(ctx context.Context, req lsp.LintRequest) (*lsp.LintResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	o := &options{context: req.Roots, maxFileSize: loader.DefaultMaxFileSize, namespace: "default"}
	cfg, err := lspConfig(req)
	if err != nil {
		return nil, err
	}
	id := configIdentity(cfg)
	if l.cache == nil || id != l.config {
		l.cache, l.config = engine.NewCache(fileStamp), id
	}
	o.cache = l.cache
	l.cache.Stamp = fileStamp
	if req.Watched {
		key := strings.Join(req.Roots, "\x00") + "\x00" + id + "\x00" + strconv.Itoa(req.DiskEvents)
		if l.disk == nil || l.disk.key != key {
			l.disk = &diskView{key: key, stamps: map[string]string{}}
		}
		o.contextWalk, l.cache.Stamp = l.disk.walk, l.disk.stamp
	} else {
		l.disk = nil
	}
	plan, err := config.Resolve(cfg, config.Flags{Namespace: o.namespace})
	if err != nil {
		return nil, err
	}
	var onDisk, unsaved []string
	for p := range req.Open {
		if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() {
			onDisk = append(onDisk, p)
		} else {
			unsaved = append(unsaved, p)
		}
	}
	sort.Strings(onDisk)
	sort.Strings(unsaved)
	in := collect(o, cfg, plan, onDisk, nil)
	// The buffers replace the files on disk. Rendered Kustomize and Helm
	// output (Stdin already set) is built from the disk.
	for i := range in.inputs {
		if text, ok := req.Open[in.inputs[i].Path]; ok && in.inputs[i].Stdin == nil {
			in.inputs[i].Stdin = bytes.NewReader(text)
			in.inputs[i].Context = false
		}
	}
	for _, p := range unsaved {
		i := loader.Input{Name: p, Path: p, Stdin: bytes.NewReader(req.Open[p])}
		if !excluded(cfg, i, "") {
			in.inputs = append(in.inputs, i)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := lint(o, cfg, plan, in, in.inputs, io.Discard)
	res.Findings = atLeast(res.Findings, plan.MinSeverity)
	return &lsp.LintResult{Findings: res.Findings, Errors: res.Errors}, nil
}

// configIdentity is what the cache's validity depends on in cfg: its file
// and that file's text, read again (every setting comes from it).
func configIdentity(cfg *config.Config) string {
	if cfg == nil || cfg.File == "" {
		return ""
	}
	b, err := os.ReadFile(cfg.File)
	if err != nil {
		return cfg.File
	}
	return cfg.File + "\x00" + string(b)
}

// fileStamp identifies a file's content by its size and modification
// time (nanoseconds), as build tools do; "" (not kept) when it cannot be
// read. A file modified in the last two seconds is not kept either: file
// systems update modification times at a clock tick, so a rewrite of the
// same size within the tick would keep the stamp (git calls such entries
// racily clean). It is read again until it is older.
func fileStamp(in loader.Input) string {
	info, err := os.Stat(in.Path)
	if err != nil || !info.Mode().IsRegular() || time.Since(info.ModTime()) < 2*time.Second {
		return ""
	}
	return strconv.FormatInt(info.Size(), 10) + " " + strconv.FormatInt(info.ModTime().UnixNano(), 10)
}

// lspConfig finds .zdlint.yaml from the first workspace folder, or from
// the first open document's directory when there is none.
func lspConfig(req lsp.LintRequest) (*config.Config, error) {
	dir := ""
	if len(req.Roots) > 0 {
		dir = req.Roots[0]
	} else {
		for p := range req.Open {
			if d := filepath.Dir(p); dir == "" || d < dir {
				dir = d
			}
		}
	}
	if dir == "" {
		return nil, nil
	}
	path := config.Find(dir)
	if path == "" {
		return nil, nil
	}
	return config.Load(path)
}
