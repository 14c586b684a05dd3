package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"github.com/zdlint/zdlint/internal/config"
	"github.com/zdlint/zdlint/loader"
)

// Sibling context (docs/cross-object.md): a file named on the command line
// is judged with the other manifests of its directory as context, exactly
// as `--context DIR` would load them. A pre-commit hook passes only the
// staged files; without this a staged Deployment whose HPA, PDB or Service
// sits, unstaged, in the next file is judged alone, and the verdicts that
// need those objects (single-replica, hpa-replicas-conflict, pdb-missing,
// the serving model's severities) differ from those of `zdlint DIR`.

// siblingNote is added to problems in sibling files, which are reported
// as warnings for the reason --context files are (contextNote).
const siblingNote = " (a file beside a linted one, loaded as context: this does not fail the run, but cross-object rules miss what could not be read)"

// siblingDirs are the directories whose manifests are sibling context:
// that of each regular file in paths and, for "-", that of
// --stdin-filename. stdinFile is the cleaned --stdin-filename when
// standard input is linted: the buffer replaces that file on disk.
// Directories the walk would not enter (hidden, testdata, vendor,
// node_modules, unless the configuration re-includes them) give none: a
// walk of the repository would never have seen those siblings either.
func siblingDirs(paths []string, stdinFilename string, enter func(string) bool) (dirs []string, stdinFile string) {
	seen := map[string]bool{}
	add := func(file string) {
		dir := filepath.Dir(filepath.Clean(file))
		if seen[dir] || skippedByWalk(dir, enter) {
			return
		}
		seen[dir] = true
		dirs = append(dirs, dir)
	}
	for _, p := range paths {
		if p == "-" {
			if stdinFilename != "" {
				stdinFile = filepath.Clean(stdinFilename)
				add(stdinFile)
			}
			continue
		}
		if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() {
			add(p)
		}
	}
	return dirs, stdinFile
}

// skippedByWalk reports whether a walk from the working directory (or, for
// a directory outside it, a walk of its parent) would skip dir.
func skippedByWalk(dir string, enter func(string) bool) bool {
	rel := dir
	if wd, err := os.Getwd(); err == nil {
		if abs, err := filepath.Abs(dir); err == nil {
			if r, err := filepath.Rel(wd, abs); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
				rel = r
			} else {
				rel = filepath.Base(abs)
			}
		}
	}
	cur := ""
	for _, part := range strings.Split(filepath.ToSlash(rel), "/") {
		if part == "" || part == "." || part == ".." {
			cur = filepath.Join(cur, part)
			continue
		}
		cur = filepath.Join(cur, part)
		if loader.SkipDirReason(part) != "" && (enter == nil || !enter(cur)) {
			return true
		}
	}
	return false
}

// collectSiblings lists the manifests directly in dirs (not in their
// subdirectories), as context inputs, leaving out those in have (already
// linted or context, by absolute path) and the on-disk copy of the file
// standard input stands for. The names are those a walk of the directory
// gives, so findings' related locations and the nearest-definition rule
// read them as a directory run does.
func collectSiblings(dirs []string, stdinFile string, have map[string]bool, maxSize int64, linted func() *relevance) ([]loader.Input, []*loader.Error) {
	var ins []loader.Input
	var errs []*loader.Error
	budget := int64(SiblingBudget)
	skip := ""
	if stdinFile != "" {
		skip, _ = filepath.Abs(stdinFile)
	}
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue // --stdin-filename names a file of a directory not on disk
		}
		if err != nil {
			// The named file was readable; its directory may not be
			// listable. A notice: the file is still linted.
			errs = append(errs, &loader.Error{File: dir, Msg: "cannot list the manifests beside the linted file, so cross-object rules do not see them: " + err.Error(), Warning: true})
			continue
		}
		var found []siblingFile
		var size int64
		absDir, err := filepath.Abs(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if e.IsDir() || !loader.IsManifestName(e.Name()) {
				continue
			}
			path := filepath.Join(dir, e.Name())
			abs := filepath.Join(absDir, e.Name()) // one Abs a directory: it may stat the working directory
			if have[abs] || abs == skip {
				continue
			}
			mode := e.Type()
			if mode&os.ModeSymlink != 0 {
				info, err := os.Stat(path)
				if err != nil {
					continue // a dangling link: the walk's error is the linting run's business
				}
				if info.IsDir() {
					continue
				}
				mode = info.Mode()
			}
			if !mode.IsRegular() {
				continue // never opened (a pipe could block); the walk warns about it
			}
			have[abs] = true
			c := siblingFile{in: loader.Input{Name: path, Path: path, Context: true, Sibling: true}}
			// Read to leave out what no cross-object rule reads; a
			// file over the limit is passed on for the loader to
			// reject with its usual message.
			if data, ok := readSmall(path, maxSize); ok {
				if !mayHoldFacts(path, data) {
					continue
				}
				c.size, c.data = int64(len(data)), data
			}
			found = append(found, c)
			size += c.size
		}
		if size > budget {
			// Too many to parse: only those that may relate to a
			// linted object (siblings_relevant.go).
			found, size = relevantSiblings(found, linted())
		}
		if size > budget {
			errs = append(errs, &loader.Error{File: dir, Warning: true, Msg: fmt.Sprintf(
				"the manifests beside the linted file that may relate to it are more than sibling context reads (%s in all), so cross-object rules do not see them; pass --context %s to read them anyway, or --no-sibling-context to silence this",
				kib(SiblingBudget), dir)})
			continue
		}
		budget -= size
		for _, c := range found {
			ins = append(ins, c.in)
		}
	}
	return ins, errs
}

// relevantSiblings keeps the files of found that may relate to the objects
// r recorded, closing over the relevant files' own relations for
// relevanceRounds rounds, and returns their size. A file it could not
// read (over the size limit) is kept for the loader to report.
func relevantSiblings(found []siblingFile, r *relevance) ([]siblingFile, int64) {
	keep := make([]bool, len(found))
	for i, c := range found {
		keep[i] = c.data == nil
	}
	for round := 0; round < relevanceRounds && !r.everything; round++ {
		var added []int
		for i, c := range found {
			if !keep[i] && r.relevant(c.in.Path, c.data) {
				keep[i] = true
				added = append(added, i)
			}
		}
		if len(added) == 0 {
			break
		}
		if round+1 < relevanceRounds {
			for _, i := range added {
				r.addData(found[i].data)
			}
		}
	}
	keepOpaque(found, keep, r.servicesLinted)
	var out []siblingFile
	var size int64
	for i, c := range found {
		if keep[i] || r.everything {
			out = append(out, c)
			size += c.size
		}
	}
	return out, size
}

// readSmall reads a file of at most max bytes, with one open: a large
// directory's siblings are all read, and the system calls are most of it.
func readSmall(path string, max int64) ([]byte, bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.Size() > max {
		return nil, false
	}
	data := make([]byte, 0, info.Size()+1)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF || err == nil && n > 0 && int64(len(data)) == info.Size() {
			return data, int64(len(data)) <= max
		}
		if err != nil {
			return nil, false
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // grown while read
		}
	}
}

// SiblingBudget bounds the bytes of sibling manifests one run parses:
// parsing costs about 75 ms a MiB on a CI-sized machine, and a pre-commit
// hook starts once per commit. A directory whose manifests do not fit in
// what is left is not read, with a warning (docs/performance.md).
const SiblingBudget = 256 << 10

type siblingFile struct {
	in   loader.Input
	size int64
	data []byte // nil when not read (over the size limit)
}

func kib(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", (n+1023)/1024)
}

// noFacts are the built-in kinds from which the cross-object rules keep
// nothing (rules.Extract gives no fact; TestNoFactKinds checks it): a
// sibling file holding only these is not parsed. Kinds of custom API
// groups are never left out: the Index counts them as opaque pod sources.
var noFacts = map[string]bool{
	"ConfigMap": true, "Secret": true, "ServiceAccount": true, "Namespace": true,
	"Role": true, "ClusterRole": true, "RoleBinding": true, "ClusterRoleBinding": true,
	"NetworkPolicy": true, "CustomResourceDefinition": true, "APIService": true,
	"MutatingWebhookConfiguration": true, "ValidatingWebhookConfiguration": true,
	"PersistentVolumeClaim": true, "PersistentVolume": true, "StorageClass": true,
	"PriorityClass": true, "ResourceQuota": true, "LimitRange": true,
	"Ingress": true, "IngressClass": true,
}

// mayHoldFacts reports whether a sibling manifest may hold an object a
// cross-object rule reads. It answers false only when every YAML document
// names, in top-level apiVersion: and kind: lines, a built-in kind of
// noFacts: CRDs of 800 KiB and ConfigMap lists of 1 MiB sit beside
// workloads in real repositories, and parsing them only to drop them
// would cost more than the rest of the run. Anything it cannot read that
// way (JSON, flow style, a document without those lines) is parsed.
func mayHoldFacts(path string, data []byte) bool {
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return true
	}
	text := loader.Text(data)
	var kind, apiVersion string
	// deep is set when a line below the top level names a kind of
	// fact, a custom group, or a kind the scan cannot read (flow
	// style): it counts for a List, whose items the loader expands,
	// and whose kind line kubectl writes after them.
	content, deep := false, false
	// done judges the document just read: false when it may hold a fact.
	done := func() bool {
		ok := !content || (noFacts[kind] || isList(kind) && !deep) && builtinAPI(apiVersion)
		kind, apiVersion, content, deep = "", "", false, false
		return ok
	}
	for len(text) > 0 {
		line := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = nil
		}
		if bytes.HasPrefix(line, []byte("---")) {
			if !done() {
				return true
			}
			continue
		}
		t := bytes.TrimSpace(line)
		if len(t) == 0 || t[0] == '#' || t[0] == '%' {
			continue
		}
		content = true
		if k, ok := bytes.CutPrefix(line, []byte("kind:")); ok {
			kind = scalarValue(string(k))
			if !noFacts[kind] && !isList(kind) {
				return true // no need to read further
			}
		} else if v, ok := bytes.CutPrefix(line, []byte("apiVersion:")); ok {
			apiVersion = scalarValue(string(v))
		} else if !deep && (bytes.Contains(t, []byte("kind:")) || bytes.Contains(t, []byte("apiVersion:"))) {
			item := string(bytes.TrimLeft(t, "- "))
			if k, ok := strings.CutPrefix(item, "kind:"); ok {
				deep = !noFacts[scalarValue(k)]
			} else if v, ok := strings.CutPrefix(item, "apiVersion:"); ok {
				deep = !builtinAPI(scalarValue(v))
			} else {
				deep = true
			}
		}
	}
	return !done()
}

// isList reports whether kind is one whose items the loader expands.
func isList(kind string) bool { return strings.HasSuffix(kind, "List") }

// scalarValue is a plain or quoted one-line YAML scalar after its key.
func scalarValue(s string) string {
	if i := strings.Index(s, " #"); i >= 0 {
		s = s[:i]
	}
	return strings.Trim(strings.TrimSpace(s), `"'`)
}

// builtinAPI reports whether apiVersion is of Kubernetes' own API groups
// (the core "v1", a group without a dot, or one under k8s.io).
func builtinAPI(apiVersion string) bool {
	if apiVersion == "" {
		return false
	}
	group, _, ok := strings.Cut(apiVersion, "/")
	return !ok || !strings.Contains(group, ".") || strings.HasSuffix(group, ".k8s.io")
}

// addSiblings appends the sibling context of the named files to in.inputs
// (before exclusion and rendering, as --context inputs are added).
func (in *inputs) addSiblings(o *options, paths []string, cfg *config.Config) {
	dirs, stdinFile := siblingDirs(paths, o.stdinFilename, cfg.Reincluded)
	if len(dirs) == 0 {
		return
	}
	have := map[string]bool{}
	for _, i := range in.inputs {
		if i.Stdin == nil {
			if abs, err := filepath.Abs(i.Path); err == nil {
				have[abs] = true
			}
		}
	}
	maxSize := o.maxFileSize
	if maxSize <= 0 {
		maxSize = loader.DefaultMaxFileSize
	}
	var rel *relevance
	linted := func() *relevance {
		if rel == nil {
			rel = in.lintedRelevance(maxSize)
		}
		return rel
	}
	sibs, errs := collectSiblings(dirs, stdinFile, have, maxSize, linted)
	in.ctxErrs = append(in.ctxErrs, errs...)
	if len(sibs) == 0 {
		return
	}
	in.siblings = map[string]bool{}
	for _, s := range sibs {
		in.siblings[s.Name] = true
	}
	in.inputs = append(in.inputs, sibs...)
}

// dropRenderedSiblings removes the sibling context of directories none of
// whose named files is still linted as written once rendering has run and
// chart templates are set aside: a staged Kustomize patch or chart
// template is judged on its rendering, which holds the objects around it,
// and keeps the behaviour it had without sibling context (render decides
// which files that is). So does a named file the configuration excludes.
func (in *inputs) dropRenderedSiblings(o *options) {
	if len(in.siblings) == 0 {
		return
	}
	plain := map[string]bool{} // directories with a named file linted as written
	for _, i := range in.inputs {
		switch {
		case i.Context:
		case i.Stdin != nil && in.rendered.Rendered(i.Name):
		case i.Stdin != nil:
			if o.stdinFilename != "" {
				plain[filepath.Dir(filepath.Clean(o.stdinFilename))] = true
			}
		default:
			plain[filepath.Dir(filepath.Clean(i.Path))] = true
		}
	}
	keep := func(i loader.Input) bool {
		return !in.siblings[i.Name] || i.Stdin != nil || plain[filepath.Dir(i.Path)]
	}
	filter := func(ins []loader.Input) []loader.Input {
		out := ins[:0:0]
		for _, i := range ins {
			if keep(i) {
				out = append(out, i)
			}
		}
		return out
	}
	in.inputs = filter(in.inputs)
	in.collected = filter(in.collected)
	for name := range in.siblings {
		if !plain[filepath.Dir(name)] {
			delete(in.siblings, name)
		}
	}
}

// lintedRelevance records what relates to the objects of the files to
// lint (standard input's buffer is read here, and put back).
func (in *inputs) lintedRelevance(maxSize int64) *relevance {
	r := newRelevance()
	for k, i := range in.inputs {
		if i.Context {
			continue
		}
		var data []byte
		var err error
		if i.Stdin != nil {
			data, err = io.ReadAll(i.Stdin)
			in.inputs[k].Stdin = bytes.NewReader(data)
		} else if info, e := os.Stat(i.Path); e == nil && info.Size() <= maxSize {
			data, err = os.ReadFile(i.Path)
		}
		if err == nil {
			r.addData(data)
		}
	}
	r.servicesLinted = maps.Clone(r.services)
	r.siblings = true
	return r
}
