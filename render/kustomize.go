package render

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	yaml "go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/zdlint/zdlint/loader"
)

// overlayFS is the disk with some files replaced in memory: the
// kustomizations as zdlint asks Kustomize to read them (origin annotations
// on, remote bases and helmCharts off). The user's files are never written.
type overlayFS struct {
	filesys.FileSystem
	files map[string][]byte // by absolute path
}

func (o overlayFS) ReadFile(p string) ([]byte, error) {
	if d, ok := o.files[filepath.Clean(p)]; ok {
		return d, nil
	}
	return o.FileSystem.ReadFile(p)
}

// buildKustomization runs Kustomize on root as kubectl kustomize would and
// returns the stream of built objects with, for each, the file that defines
// it and the patches that may have changed it. Problems are returned as
// input errors at the kustomization that has them; ok is false when the
// build failed.
func buildKustomization(t *tree, root *kustomization, cache *sourceCache) (s *stream, errs []*loader.Error, ok bool) {
	ks := t.closure(root)
	files := map[string][]byte{}
	for _, k := range ks {
		if k.err != "" {
			return nil, []*loader.Error{{File: k.file, Msg: "cannot read the kustomization: " + k.err}}, false
		}
		drop := map[*yaml.Node]bool{}
		for _, r := range k.remotes {
			drop[r.key] = true
			errs = append(errs, &loader.Error{File: k.file, Pos: loader.NodePos(r.key), Warning: true,
				Msg: fmt.Sprintf("remote base %s is not fetched (zdlint works offline); the rest of the kustomization is linted without it", r.url)})
		}
		dropKeys := map[string]bool{}
		if k.helmCharts != nil {
			for _, key := range []string{"helmCharts", "helmGlobals", "helmChartInflationGenerator"} {
				dropKeys[key] = true
			}
			errs = append(errs, &loader.Error{File: k.file, Pos: loader.NodePos(fieldKey(k.root, "helmCharts")), Warning: true,
				Msg: "helmCharts are not rendered inside a kustomization (Kustomize would download the charts); the rest of the kustomization is linted; lint a chart directory directly to check it"})
		}
		data, err := k.rewritten(k == root, drop, dropKeys)
		if err != nil {
			return nil, append(errs, &loader.Error{File: k.file, Msg: "cannot read the kustomization: " + err.Error()}), false
		}
		abs, err := filepath.Abs(k.file)
		if err != nil {
			return nil, append(errs, &loader.Error{File: k.file, Msg: err.Error()}), false
		}
		files[abs] = data
	}
	for f, d := range cache.overlay {
		if abs, err := filepath.Abs(f); err == nil {
			if _, isKust := files[abs]; !isKust {
				files[abs] = d
			}
		}
	}
	absRoot, err := filepath.Abs(root.dir)
	if err != nil {
		return nil, append(errs, &loader.Error{File: root.file, Msg: err.Error()}), false
	}
	fs := overlayFS{FileSystem: filesys.MakeFsOnDisk(), files: files}
	// MakeDefaultOptions: the builtin transformers configured as kubectl
	// kustomize configures them (a zero PluginConfig breaks them).
	var m resmap.ResMap
	quietStderr(func() {
		m, err = krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(fs, absRoot)
	})
	if err != nil {
		msg := strings.ReplaceAll(err.Error(), absRoot+string(filepath.Separator), "")
		warn := len(errs) > 0 // a build that fails without its remote base: already reported
		return nil, append(errs, &loader.Error{File: root.file, Warning: warn, Msg: "kustomize build failed: " + msg}), false
	}
	reach := reachOf(t, ks)
	s = &stream{name: root.dir + " (kustomize build)", root: root.file}
	var buf strings.Builder
	line := 1
	for _, res := range m.Resources() {
		origin, _ := res.GetOrigin()
		_ = res.SetOrigin(nil)
		data, err := res.AsYAML()
		if err != nil {
			errs = append(errs, &loader.Error{File: root.file, Msg: "cannot write a built object: " + err.Error()})
			continue
		}
		d := &rdoc{first: line, kind: res.GetKind(), name: res.GetName(), fallback: root.file}
		if origin != nil {
			switch {
			case origin.Path != "" && origin.Repo == "":
				d.origin = filepath.Join(root.dir, origin.Path)
			case origin.ConfiguredIn != "" && origin.Repo == "":
				d.fallback = filepath.Join(root.dir, origin.ConfiguredIn)
			}
		}
		if d.origin != "" {
			d.src, d.origName = objectDoc(cache.docs(d.origin), d.kind, d.name)
			for _, k := range ks {
				if !reach[k][d.origin] {
					continue
				}
				for _, p := range k.patches {
					if p.hasTarget && !p.appliesTo(d.kind, d.origName, d.name) {
						continue
					}
					d.patches = append(d.patches, p)
				}
			}
		}
		if buf.Len() > 0 {
			buf.WriteString("---\n")
			line++
		}
		buf.Write(data)
		line += strings.Count(string(data), "\n")
		d.last = line - 1
		s.docs = append(s.docs, d)
	}
	s.data = []byte(buf.String())
	s.parse()
	return s, errs, true
}

// reachOf returns, for each kustomization of a build, the files whose
// objects its patches can change: those it reads itself or through what
// it includes, and for a component everything the kustomization using it
// has.
func reachOf(t *tree, ks []*kustomization) map[*kustomization]map[string]bool {
	reach := map[*kustomization]map[string]bool{}
	for _, k := range ks {
		reach[k] = consumedBy(t.closure(k))
	}
	for i := len(ks) - 1; i >= 0; i-- { // users before their components
		k := ks[i]
		for _, d := range k.components {
			if c := t.byDir[d]; c != nil && reach[c] != nil {
				for f := range reach[k] {
					reach[c][f] = true
				}
			}
		}
	}
	return reach
}

// stderrMu serialises quietStderr.
var stderrMu sync.Mutex

// quietStderr runs fn with os.Stderr discarded: Kustomize prints its
// deprecation notices ("'patchesStrategicMerge' is deprecated") straight
// to the process's standard error, which would break zdlint's reports
// there. The build is unchanged by them.
func quietStderr(fn func()) {
	stderrMu.Lock()
	defer stderrMu.Unlock()
	r, w, err := os.Pipe()
	if err != nil {
		fn()
		return
	}
	saved := os.Stderr
	os.Stderr = w
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, r)
		close(done)
	}()
	defer func() {
		os.Stderr = saved
		w.Close()
		<-done
		r.Close()
	}()
	fn()
}
