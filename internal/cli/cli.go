// Package cli is zdlint's command line: flags, subcommands, wiring of
// loader, engine and output, and exit codes. It has no globals and never
// calls os.Exit, so tests run it in-process.
package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/zdlint/zdlint/internal/baseline"
	"github.com/zdlint/zdlint/internal/config"
	"github.com/zdlint/zdlint/internal/engine"
	"github.com/zdlint/zdlint/internal/output"
	"github.com/zdlint/zdlint/internal/suppress"
	"github.com/zdlint/zdlint/internal/tty"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/render"
	"github.com/zdlint/zdlint/rules"
)

// Exit codes.
const (
	ExitClean    = 0 // nothing found
	ExitFindings = 1 // findings at or above --fail-on
	ExitError    = 2 // usage, configuration or input errors
)

const usageHead = `zdlint finds what will make a Kubernetes rollout, scale-down or node drain
drop requests: missing probes and preStop delays, unsafe rollout arithmetic,
grace periods, progress deadlines, PDB and HPA traps. Every finding has an
exact file:line:column.

Usage:
  zdlint [flags] PATH...      lint files and directories (*.yaml, *.yml, *.json; walks skip
                              testdata, vendor, node_modules and hidden directories);
                              Kustomize trees and Helm charts are rendered (docs/rendering.md)
  zdlint [flags] -            lint standard input
  zdlint rules [--format json] list every rule, with its default state
  zdlint explain RULE-ID      why a rule matters, how to fix it, the defaults it relies on
  zdlint init [FILE|-]        write a commented .zdlint.yaml with every option at its default
  zdlint lsp                  run as a language server on stdin/stdout (docs/editors.md)
  zdlint version              print version information

Examples:
  zdlint k8s/
  zdlint --format json deploy.yaml > report.json
  zdlint overlays/prod/patch.yaml     # judged on the object Kustomize merges it into
  zdlint --helm-values prod.yaml charts/web
  helm template ./chart | zdlint --stdin-filename chart.yaml -
  zdlint k8s/deployment.yaml          # with the HPA, PDB, Service beside it as context
  zdlint --context shared/ k8s/deployment.yaml
  zdlint -f github -f sarif=zdlint.sarif k8s/
  zdlint --write-baseline .zdlint-baseline.json k8s/   # adopt: record today's findings
  zdlint --baseline .zdlint-baseline.json k8s/         # then fail only on new ones

Exit status: 0 no findings (at or above --fail-on), 1 findings, 2 usage, configuration or input errors.

Flags:
`

// options holds parsed flags.
type options struct {
	formats       []string
	outputFile    string
	basePath      string
	stdinFilename string
	quiet         bool
	context       []string
	namespace     string
	kubeVersion   string
	enable        []string
	disable       []string
	maxFileSize   int64
	jobs          int
	debug         bool
	// cache keeps the context files' results between the language
	// server's lints (lsp.go); nil on the command line.
	cache *engine.Cache
	// contextWalk, when set, replaces the walk of the context
	// directories: the language server's walk of the workspace, kept
	// while its client reports no change on disk (lsp.go).
	contextWalk func(walk func() ([]loader.Input, []*loader.Error)) ([]loader.Input, []*loader.Error)
	cpuProfile  string
	memProfile  string
	showVersion bool
	color       string
	showSource  bool
	// Configuration, severity gates, suppressions and baselines.
	configFile     string
	noConfig       bool
	failOn         string
	minSeverity    string
	showSuppressed bool
	baseline       string
	writeBaseline  string
	// Rendering of Kustomize trees and Helm charts (package render).
	noRender   bool
	helmValues []string
	// Fixes (fix.go, docs/fixes.md).
	fix, unsafeFixes, diff bool
	// noSiblings is --no-sibling-context; siblings is the resolved
	// choice (config.Plan.Siblings), false in the language server, which
	// has the workspace as context.
	noSiblings, siblings bool
}

func newFlagSet(o *options, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("zdlint", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.SortFlags = false
	fs.StringArrayVarP(&o.formats, "format", "f", nil, "output `FORMAT`: "+strings.Join(output.Names(), ", ")+" (default text); repeatable, with FORMAT=FILE writing that format to a file (--format github --format sarif=zdlint.sarif)")
	fs.StringVarP(&o.outputFile, "output", "o", "", "write the report to `FILE` instead of standard output")
	fs.StringVar(&o.basePath, "base-path", "", "print file locations relative to `DIR`, in every format (default: as given; sarif and gitlab: relative to the working directory)")
	fs.StringVar(&o.stdinFilename, "stdin-filename", "", "`NAME` shown in reports for standard input (editors)")
	fs.StringArrayVar(&o.context, "context", nil, "load `PATH` only so cross-object rules see its objects; no findings are reported on it (repeatable)")
	fs.BoolVar(&o.noSiblings, "no-sibling-context", false, "judge a file named on the command line alone, without the manifests beside it in its directory as context (docs/cross-object.md)")
	fs.StringVar(&o.namespace, "namespace", "default", "`NAMESPACE` for objects that do not set one")
	fs.StringVar(&o.kubeVersion, "kube-version", "", "target Kubernetes `VERSION` for removed-api-version (default: kubernetesVersion from the configuration, else "+rules.NewestKubeVersion+")")
	fs.StringSliceVar(&o.enable, "enable", nil, "enable rules by `ID` (comma-separated; \"all\" enables every rule)")
	fs.StringSliceVar(&o.disable, "disable", nil, "disable rules by `ID` (comma-separated)")
	fs.StringVar(&o.color, "color", "auto", "`WHEN` to color text output: auto, always or never (auto honours NO_COLOR)")
	fs.BoolVar(&o.showSource, "show-source", false, "print the offending source line with a caret under the column")
	fs.StringVar(&o.configFile, "config", "", "read configuration from `FILE` (default: .zdlint.yaml found from the working directory up to the repository root)")
	fs.BoolVar(&o.noConfig, "no-config", false, "do not read any configuration file")
	fs.StringVar(&o.failOn, "fail-on", "", "lowest `SEVERITY` (error, warning, info) that makes the exit status 1 (default: failOn from the configuration, else warning)")
	fs.StringVar(&o.minSeverity, "min-severity", "", "report only findings of at least `SEVERITY` (default: minSeverity from the configuration, else info)")
	fs.BoolVar(&o.showSuppressed, "show-suppressed", false, "also list findings silenced by zdlint:ignore comments, annotations or the configuration, with the reason")
	fs.StringVar(&o.baseline, "baseline", "", "report only findings not recorded in the baseline `FILE`")
	fs.StringVar(&o.writeBaseline, "write-baseline", "", "record the current findings in `FILE` and exit 0")
	fs.BoolVar(&o.noRender, "no-render", false, "lint Kustomize trees and Helm charts as written instead of rendering them (docs/rendering.md)")
	fs.StringArrayVar(&o.helmValues, "helm-values", nil, "extra values `FILE` for every Helm chart rendered, after the chart's values.yaml (repeatable)")
	fs.BoolVar(&o.fix, "fix", false, "apply safe fixes in place, then report what is left (standard input: the fixed stream goes to standard output, the report to standard error); docs/fixes.md")
	fs.BoolVar(&o.unsafeFixes, "unsafe-fixes", false, "with --fix or --diff, also apply the fixes a person should review")
	fs.BoolVar(&o.diff, "diff", false, "print a unified diff of what --fix would change, change nothing; the exit status is that of the lint")
	fs.BoolVarP(&o.quiet, "quiet", "q", false, "do not print the summary line on standard error")
	fs.Int64Var(&o.maxFileSize, "max-file-size", loader.DefaultMaxFileSize, "reject files larger than `BYTES`")
	fs.IntVar(&o.jobs, "jobs", 0, "process `N` files in parallel (0: one per CPU)")
	fs.BoolVar(&o.debug, "debug", false, "add stack traces to internal errors")
	// Profiles for performance reports (docs/performance.md); hidden from
	// --help because users only need them when asked.
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile to `FILE`")
	fs.StringVar(&o.memProfile, "memprofile", "", "write a heap profile, taken once every file is linted and before the cross-object checks, to `FILE`")
	_ = fs.MarkHidden("cpuprofile")
	_ = fs.MarkHidden("memprofile")
	fs.BoolVar(&o.showVersion, "version", false, "print version information and exit")
	fs.Usage = func() {
		fmt.Fprint(out, usageHead)
		fmt.Fprint(out, fs.FlagUsages())
	}
	return fs
}

// Main runs zdlint with args (without the program name) and returns the
// exit code. It changes nothing process-wide, so tests run it in-process,
// concurrently: the GC policy and the profiles are Process's.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return mainWith(args, stdin, stdout, stderr, false)
}

// Process runs zdlint as the zdlint command: it applies the process-wide
// GC policy (gc.go) and writes the --cpuprofile and --memprofile profiles,
// which Main ignores, and returns the exit code.
func Process(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	tuneGC()
	return mainWith(args, stdin, stdout, stderr, true)
}

func mainWith(args []string, stdin io.Reader, stdout, stderr io.Writer, process bool) int {
	if len(args) > 0 {
		switch args[0] {
		case "rules":
			return cmdRules(args[1:], stdout, stderr)
		case "explain":
			return cmdExplain(args[1:], stdout, stderr)
		case "init":
			return cmdInit(args[1:], stdout, stderr)
		case "lsp":
			if process {
				serverGC()
			}
			return cmdLSP(args[1:], stdin, stdout, stderr)
		case "version":
			if wantsHelp(args[1:]) {
				fmt.Fprint(stdout, "Usage: zdlint version\n\nPrint zdlint's version, the commit it was built from, the k8s.io/api\nversion it knows and the Go version that built it.\n")
				return ExitClean
			}
			fmt.Fprint(stdout, versionText())
			return ExitClean
		}
	}
	var o options
	var flagOut bytes.Buffer
	fs := newFlagSet(&o, &flagOut)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			stdout.Write(flagOut.Bytes())
			return ExitClean
		}
		fmt.Fprintf(stderr, "zdlint: %v\nRun 'zdlint --help' for usage.\n", err)
		return ExitError
	}
	if o.showVersion {
		fmt.Fprint(stdout, versionText())
		return ExitClean
	}
	if !process {
		o.cpuProfile, o.memProfile = "", "" // profiles are process-wide
	}
	if o.cpuProfile != "" {
		stop, err := startProfiles(o.cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "zdlint: %v\n", err)
			return ExitError
		}
		code := run(&o, fs.Args(), stdin, stdout, stderr)
		if err := stop(); err != nil {
			fmt.Fprintf(stderr, "zdlint: %v\n", err)
		}
		return code
	}
	return run(&o, fs.Args(), stdin, stdout, stderr)
}

func usageError(stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "zdlint: "+format+"\nRun 'zdlint --help' for usage.\n", args...)
	return ExitError
}

// stdinIsPiped reports whether r is a pipe or a file rather than a terminal
// or nothing, so "zdlint" with no arguments reads piped input.
func stdinIsPiped(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok || f == nil {
		return false
	}
	info, err := f.Stat()
	if err != nil {
		return false
	}
	return info.Mode()&os.ModeCharDevice == 0 && (info.Mode()&os.ModeNamedPipe != 0 || info.Mode().IsRegular())
}

// run lints paths: it resolves the run's plan from the configuration and
// the flags, collects the inputs, lints them, applies the baseline and
// writes the reports.
func run(o *options, paths []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(paths) == 0 {
		if !stdinIsPiped(stdin) {
			return usageError(stderr, "no PATH given and nothing on standard input")
		}
		paths = []string{"-"}
	}
	cfg, err := loadConfig(o)
	if err != nil {
		fmt.Fprintf(stderr, "zdlint: %v\n", err)
		return ExitError
	}
	plan, err := config.Resolve(cfg, config.Flags{Enable: o.enable, Disable: o.disable, FailOn: o.failOn,
		MinSeverity: o.minSeverity, KubeVersion: o.kubeVersion, Namespace: o.namespace,
		NoRender: o.noRender, HelmValues: o.helmValues, NoSiblings: o.noSiblings})
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	o.siblings = plan.Siblings
	sinks, err := newSinks(o, stdout)
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	in := collect(o, cfg, plan, paths, stdin)
	var res *engine.Result
	reportOut := stdout // standard error when standard output carries a fixed stream
	if o.fix || o.diff {
		var code int
		first := true
		res, reportOut, code = fixAndLint(o, in.collected, in.inputs, func(inputs []loader.Input, sources map[string][]byte) *engine.Result {
			if !first {
				inputs = in.rerender(cfg, plan, inputs, sources)
			}
			first = false
			return lint(o, cfg, plan, in, inputs, stderr)
		}, func() []render.UnfixedNote { return in.rendered.FixNotes() }, stdout, stderr)
		if code >= 0 {
			return code
		}
	} else {
		res = lint(o, cfg, plan, in, in.inputs, stderr)
	}
	res.Findings = atLeast(res.Findings, plan.MinSeverity)
	stale, ok := applyBaseline(o, res, in.inputs, stderr)
	if !ok {
		return ExitError
	}
	in.addErrors(res)
	return report(o, plan, in, res, stale, sinks, reportOut, stderr)
}

// inputs are what a run lints and the errors met collecting them.
type inputs struct {
	inputs               []loader.Input
	walk                 *loader.Walk
	collectErrs, ctxErrs []*loader.Error
	chartWarnings        []*loader.Error
	paths                []string // as given on the command line
	// siblings are the sibling context inputs by name (siblings.go).
	siblings map[string]bool
	rendered *render.Plan
	// collected are the inputs before rendering: the files and the
	// standard input that --fix may change.
	collected []loader.Input
}

// collect lists the files to lint and the --context files, without the
// excluded ones and the raw chart templates.
func collect(o *options, cfg *config.Config, plan *config.Plan, paths []string, stdin io.Reader) *inputs {
	in := &inputs{walk: &loader.Walk{Enter: cfg.Reincluded}, paths: paths}
	in.inputs, in.collectErrs = loader.CollectWalk(paths, stdin, o.stdinFilename, false, in.walk)
	walk := func() ([]loader.Input, []*loader.Error) {
		return loader.CollectWalk(o.context, nil, "", true, &loader.Walk{Enter: cfg.Reincluded})
	}
	var ctxInputs []loader.Input
	var ctxErrs []*loader.Error
	if o.contextWalk != nil {
		ctxInputs, ctxErrs = o.contextWalk(walk)
	} else {
		ctxInputs, ctxErrs = walk()
	}
	in.ctxErrs = ctxErrs
	linted := map[string]bool{}
	for _, i := range in.inputs {
		linted[i.Path] = true
	}
	// Standard input named as a file stands for that file: its copy on
	// disk is not context too (it would be a second definition of every
	// object in the buffer, which ties the nearest-definition rule).
	stdinFile := ""
	if o.stdinFilename != "" && slices.Contains(paths, "-") {
		stdinFile = absPath(o.stdinFilename)
	}
	for _, i := range ctxInputs {
		// A file both linted and context is linted, and read once.
		if i.Stdin == nil && !linted[i.Path] && (stdinFile == "" || absPath(i.Path) != stdinFile) {
			in.inputs = append(in.inputs, i)
		}
	}
	if o.siblings {
		in.addSiblings(o, paths, cfg)
	}
	in.inputs = excludeInputs(cfg, in.inputs, o.stdinFilename)
	in.collected = in.inputs // before rendering: the files a fix may change
	in.rendered = render.Prepare(paths, in.inputs, renderOptions(cfg, plan))
	// With rendering off (--no-render), chart templates are set aside.
	in.inputs, in.chartWarnings = setAsideChartTemplates(in.rendered.Inputs)
	in.dropRenderedSiblings(o)
	return in
}

// absPath is p made absolute, or p when that fails.
func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// rerender renders the Kustomize trees and charts again for the next lint
// of the fix loop, from the texts fixes gave their sources (the files on
// disk are written only at the end), and returns inputs with the new
// renderings in place of the old ones. Without renderings it returns
// inputs as they are.
func (in *inputs) rerender(cfg *config.Config, plan *config.Plan, inputs []loader.Input, sources map[string][]byte) []loader.Input {
	old := in.rendered
	has := false
	for _, x := range inputs {
		if old.Rendered(x.Name) {
			has = true
			break
		}
	}
	if !has {
		return inputs
	}
	ro := renderOptions(cfg, plan)
	ro.Files = sources
	in.rendered = render.Prepare(in.paths, in.collected, ro)
	out := make([]loader.Input, 0, len(inputs))
	for _, x := range inputs {
		if !old.Rendered(x.Name) {
			out = append(out, x)
		}
	}
	for _, x := range in.rendered.Inputs {
		if in.rendered.Rendered(x.Name) {
			out = append(out, x)
		}
	}
	in.inputs = out
	return out
}

// lint runs the engine over inputs (in.inputs, or their fixed texts) with
// the plan's rules and the configuration's ignore entries.
func lint(o *options, cfg *config.Config, plan *config.Plan, in *inputs, inputs []loader.Input, stderr io.Writer) *engine.Result {
	configDir := ""
	if cfg != nil && cfg.File != "" {
		configDir = filepath.Dir(cfg.File)
	}
	ignores := suppress.FromConfig(cfg)
	markPartialIgnores(ignores, walkedDirs(in.paths, o.context), configDir, cfg.Reincluded)
	res := engine.Run(inputs, engine.Options{
		Rules:    plan.Rules,
		Settings: plan.Settings,
		Loader:   loader.Options{MaxFileSize: o.maxFileSize},
		Jobs:     o.jobs,
		Debug:    o.debug,
		Ignores:  ignores,
		Loaded: func() {
			if o.memProfile != "" {
				if err := writeHeapProfile(o.memProfile); err != nil {
					fmt.Fprintf(stderr, "zdlint: %v\n", err)
				}
			}
		},
		ConfigDir: configDir,
		Remap:     in.rendered.Remap,
		Cache:     o.cache,
	})
	res.Errors = append(in.rendered.RemapErrors(res.Errors), in.rendered.Errors...)
	return res
}

// applyBaseline writes the baseline (--write-baseline) or drops the
// findings it records (--baseline), returning the entries that no longer
// occur; false after an error, which it reported.
func applyBaseline(o *options, res *engine.Result, inputs []loader.Input, stderr io.Writer) (stale []baseline.Entry, ok bool) {
	if o.writeBaseline != "" {
		if err := baseline.Write(o.writeBaseline, res.Findings); err != nil {
			fmt.Fprintf(stderr, "zdlint: %v\n", err)
			return nil, false
		}
		if !o.quiet {
			fmt.Fprintf(stderr, "zdlint: recorded %s in %s\n", plural(len(res.Findings), "finding"), o.writeBaseline)
		}
		res.Findings = nil
	}
	if o.baseline != "" {
		b, err := baseline.Read(o.baseline)
		if err != nil {
			fmt.Fprintf(stderr, "zdlint: %v\n", err)
			return nil, false
		}
		linted := map[string]bool{}
		for _, in := range inputs {
			if !in.Context {
				linted[b.Rel(in.Name)] = true
			}
		}
		res.Findings, stale = b.Filter(res.Findings, func(file string) bool { return linted[file] })
	}
	return stale, true
}

// addErrors adds the errors met collecting the inputs to the run's.
func (in *inputs) addErrors(res *engine.Result) {
	if res.Stats.Files == 0 {
		// Nothing at all was linted: what would be a notice next to
		// other inputs ("no manifests in this directory") is the failure.
		for _, e := range in.collectErrs {
			e.Warning = false
		}
	}
	res.Errors = append(res.Errors, in.collectErrs...)
	res.Errors = append(res.Errors, in.chartWarnings...)
	res.Errors = append(res.Errors, yieldedNothing(in.paths, in.walk, res.Stats)...)
	demoteContextErrors(res.Errors, contextOnly(in.inputs), in.siblings)
	demoteContextErrors(in.ctxErrs, nil, in.siblings)
	res.Errors = append(res.Errors, in.ctxErrs...)
	engine.SortErrors(res.Errors)
}

// report writes the report to every sink, the errors and the summary to
// stderr, and returns the exit code.
func report(o *options, plan *config.Plan, in *inputs, res *engine.Result, stale []baseline.Entry, sinks []sink, stdout, stderr io.Writer) int {
	errColor, _ := colorWanted(o.color, "", stderr)
	report := &output.Report{Findings: res.Findings, Errors: res.Errors, Rules: plan.Rules, Stats: res.Stats, Version: Version(), Stale: stale}
	for _, in := range in.inputs {
		if !in.Context {
			report.Files = append(report.Files, in.Name)
		}
	}
	if o.showSuppressed {
		report.Suppressed = res.Suppressed
		if report.Suppressed == nil {
			report.Suppressed = []suppress.Suppressed{}
		}
	}
	textErrors := true // errors go to stderr as text unless standard output carries them
	for _, sk := range sinks {
		if sk.path == "" {
			_, textErrors = sk.f.(*output.Text)
		}
		if err := sk.write(stdout, report); err != nil {
			fmt.Fprintf(stderr, "zdlint: %v\n", err)
			return ExitError
		}
	}
	if textErrors {
		errText := &output.Text{Options: output.Options{Color: errColor, BasePath: o.basePath}}
		if err := errText.FormatErrors(stderr, report); err != nil {
			return ExitError
		}
	}
	if len(stale) > 0 && !o.quiet {
		verb := "no longer occur"
		if len(stale) == 1 {
			verb = "no longer occurs"
		}
		fmt.Fprintf(stderr, "zdlint: %s in %s %s; run with --write-baseline %s to shrink it\n", plural(len(stale), "baseline entry"), o.baseline, verb, o.baseline)
	}
	if !o.quiet {
		fmt.Fprintln(stderr, summary(res))
	}
	switch {
	case countErrors(res.Errors) > 0:
		return ExitError
	case len(atLeast(res.Findings, plan.FailOn)) > 0:
		return ExitFindings
	}
	return ExitClean
}

// sink is one report destination: a format and the file it goes to ("":
// standard output).
type sink struct {
	name, path string
	f          output.Formatter
}

// newSinks parses the --format values: FORMAT writes to standard output (or
// --output FILE), FORMAT=FILE to FILE. At most one format may write to
// standard output, and no two to the same file.
func newSinks(o *options, stdout io.Writer) ([]sink, error) {
	specs := o.formats
	if len(specs) == 0 {
		specs = []string{"text"}
	}
	var sinks []sink
	seen := map[string]string{}
	for _, spec := range specs {
		name, path, hasPath := strings.Cut(spec, "=")
		if hasPath && path == "" {
			return nil, fmt.Errorf("--format %s: no file after '='", spec)
		}
		if !hasPath {
			path = o.outputFile
		}
		if path == "-" {
			path = ""
		}
		if prev, dup := seen[path]; dup {
			if path == "" {
				return nil, fmt.Errorf("--format %s and %s both write to standard output; give one a file (--format %s=FILE)", prev, name, name)
			}
			return nil, fmt.Errorf("--format %s and %s both write to %s", prev, name, path)
		}
		seen[path] = name
		f, err := output.New(name, output.Options{
			ShowSource: o.showSource,
			ReadFile: func(name string) ([]byte, error) {
				data, err := os.ReadFile(name)
				return loader.Text(data), err
			},
			BasePath: o.basePath,
		})
		if err != nil {
			return nil, err
		}
		if t, ok := f.(*output.Text); ok {
			color, err := colorWanted(o.color, path, stdout)
			if err != nil {
				return nil, err
			}
			t.Options.Color = color
		}
		sinks = append(sinks, sink{name: name, path: path, f: f})
	}
	return sinks, nil
}

// write writes the report to the sink's file, or to stdout.
func (sk sink) write(stdout io.Writer, r *output.Report) (err error) {
	w := stdout
	if sk.path != "" {
		fh, err := os.Create(sk.path)
		if err != nil {
			return fmt.Errorf("cannot write the %s report: %w", sk.name, err)
		}
		defer func() {
			if cerr := fh.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("writing the %s report: %w", sk.name, cerr)
			}
		}()
		w = fh
	}
	if err := sk.f.Format(w, r); err != nil {
		return fmt.Errorf("writing the %s report: %w", sk.name, err)
	}
	return nil
}

// atLeast keeps the findings of severity sev or higher.
func atLeast(fs []rules.Finding, sev rules.Severity) []rules.Finding {
	out := fs[:0:0]
	for _, f := range fs {
		if f.Severity >= sev {
			out = append(out, f)
		}
	}
	return out
}

// loadConfig reads --config, or the .zdlint.yaml found from the working
// directory, unless --no-config. No file is not an error.
func loadConfig(o *options) (*config.Config, error) {
	if o.noConfig && o.configFile != "" {
		return nil, config.ErrBoth
	}
	if o.noConfig {
		return nil, nil
	}
	path := o.configFile
	if path == "" {
		path = config.Find(".")
		if path == "" {
			return nil, nil
		}
		// Findings about the file (unused ignore entries) name it the way
		// the linted files are named: relative to the working directory.
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, path); err == nil {
				path = rel
			}
		}
	}
	return config.Load(path)
}

// renderOptions are the plan's rendering choices for the loader.
func renderOptions(c *config.Config, plan *config.Plan) render.Options {
	ro := render.Options{Off: !plan.Render, HelmValues: plan.HelmValues, KubeVersion: plan.KubeVersion()}
	if c != nil && len(c.Exclude) > 0 {
		ro.Exclude = c.Excluded
	}
	return ro
}

// excludeInputs drops the files the configuration excludes.
func excludeInputs(c *config.Config, inputs []loader.Input, stdinFilename string) []loader.Input {
	if c == nil || len(c.Exclude) == 0 {
		return inputs
	}
	out := inputs[:0]
	for _, in := range inputs {
		if excluded(c, in, stdinFilename) {
			continue
		}
		out = append(out, in)
	}
	return out
}

func summary(res *engine.Result) string {
	objects := plural(res.Stats.Objects, "object")
	if res.Stats.Objects > 0 {
		// Objects of kinds zdlint does not check (ConfigMaps, CRDs) are
		// neither; unrecognised ones are typos, each also an error.
		objects += fmt.Sprintf(" (%d linted", res.Stats.Linted)
		if n := res.Stats.Unrecognised; n > 0 {
			objects += fmt.Sprintf(", %d not recognised", n)
		}
		objects += ")"
	}
	files := plural(res.Stats.Files, "file")
	if n := res.Stats.Context; n > 0 {
		// Context files (--context, a named file's siblings) are read, not
		// linted: say how many, so one staged file does not read as 27.
		files += fmt.Sprintf(" (%d as context)", n)
	}
	s := fmt.Sprintf("%s, %s, %s", files, objects, plural(len(res.Findings), "finding"))
	if n := countErrors(res.Errors); n > 0 {
		s += ", " + plural(n, "error")
	}
	if n := len(res.Errors) - countErrors(res.Errors); n > 0 {
		s += ", " + plural(n, "warning")
	}
	return s
}

// countErrors counts the errors that fail the run, leaving out warnings.
func countErrors(errs []*loader.Error) int {
	n := 0
	for _, e := range errs {
		if !e.Warning {
			n++
		}
	}
	return n
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "y") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(word, "y")) // entry, entries
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func colorWanted(mode, outputFile string, stdout io.Writer) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		if outputFile != "" || os.Getenv("NO_COLOR") != "" {
			return false, nil
		}
		f, _ := stdout.(*os.File)
		return tty.IsTerminal(f) && os.Getenv("TERM") != "dumb", nil
	}
	return false, fmt.Errorf("--color must be auto, always or never, not %q", mode)
}
