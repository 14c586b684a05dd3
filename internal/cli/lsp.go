package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/zdlint/zdlint/internal/config"
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
	err := lsp.Serve(stdin, stdout, lsp.Options{
		Lint:    lspLint,
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

// lspLint lints the open documents as 'zdlint --context ROOT... FILE...'
// would with the buffers' texts: the configuration is found from the
// first workspace folder (the editor's working directory) as the command
// line finds it from its own, and the same collection, exclusion,
// rendering and ignore entries apply.
func lspLint(ctx context.Context, req lsp.LintRequest) (*lsp.LintResult, error) {
	o := &options{context: req.Roots, maxFileSize: loader.DefaultMaxFileSize, namespace: "default"}
	cfg, err := lspConfig(req)
	if err != nil {
		return nil, err
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
