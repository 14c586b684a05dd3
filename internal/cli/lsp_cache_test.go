package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zdlint/zdlint/internal/lsp"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

const lspPDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 0
  selector:
    matchLabels: {app: web}
`

// TestLSPCacheEqualsFullLint edits a workspace step by step and checks
// that the language server's lint, which keeps the workspace files'
// facts between lints, finds after each step exactly what a lint without
// that cache finds, whether it stamps every file on each lint or is told
// of changes on disk by a client that watches them: edits on disk to the HPA and the PDB that change the
// open Deployment's diagnostics, a deleted file, a workspace file opened
// and closed, a rewrite of the same size, a configuration change, the
// template of a kept Rollout (workloadRef) deleted.
func TestLSPCacheEqualsFullLint(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Files are dated in the past, each write a second later than the
	// last: fileStamp does not keep files modified in the last seconds.
	clock := time.Now().Add(-time.Hour)
	// events counts the changes on disk, as a client that watches the
	// workspace reports them (lsp.LintRequest.DiskEvents).
	events := 0
	write := func(name, text string) {
		t.Helper()
		events++
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Second)
		if err := os.Chtimes(p, clock, clock); err != nil {
			t.Fatal(err)
		}
	}
	write(".zdlint.yaml", "rules:\n  pdb-missing: {enabled: true}\n")
	write("deploy.yaml", lspDeployment)
	write("hpa.yaml", lspHPA)
	write("pdb.yaml", lspPDB)
	write("broken.yaml", "kind: [\n")
	write("svc.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n")
	write("base/kustomization.yaml", "resources: [svc.yaml]\n")
	write("base/svc.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: base}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n")
	deploy := filepath.Join(dir, "deploy.yaml")
	open := map[string][]byte{deploy: []byte(lspDeployment)}

	remove := func(name string) {
		t.Helper()
		events++
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}

	// l stamps every file on every lint; lw is told the disk changed only
	// by the count of reports, as with a client that watches it, and
	// keeps its walk of the workspace and its stamps in between.
	l, lw := &lspLinter{}, &lspLinter{}
	var last []rules.Finding
	lastEvents, lastDisk := -1, (*diskView)(nil)
	step := func(name string, wantChange bool) {
		t.Helper()
		req := lsp.LintRequest{Roots: []string{dir}, Open: map[string][]byte{}}
		for p, b := range open {
			req.Open[p] = b
		}
		got, err := l.lint(context.Background(), req)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		wreq := req
		wreq.Watched, wreq.DiskEvents = true, events
		gotW, err := lw.lint(context.Background(), wreq)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, err := (&lspLinter{}).lint(context.Background(), req)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, g := range []struct {
			how string
			res *lsp.LintResult
		}{{"with the cache", got}, {"with the cache and a watched disk", gotW}} {
			if !reflect.DeepEqual(g.res.Findings, want.Findings) {
				t.Errorf("%s: %s:\n%s\nwithout:\n%s", name, g.how, findingList(g.res.Findings), findingList(want.Findings))
			}
			if e, w := errorList(g.res.Errors), errorList(want.Errors); e != w {
				t.Errorf("%s: errors %s:\n%s\nwithout:\n%s", name, g.how, e, w)
			}
		}
		if l.cache.Len() == 0 || lw.cache.Len() == 0 {
			t.Errorf("%s: nothing kept in the cache", name)
		}
		if lw.disk == nil || !lw.disk.walked {
			t.Errorf("%s: no view of the disk kept", name)
		} else if reused := lw.disk == lastDisk; reused != (events == lastEvents) {
			t.Errorf("%s: view of the disk reused: %v, with %d reports of changes (%d before)", name, reused, events, lastEvents)
		}
		lastEvents, lastDisk = events, lw.disk
		on := onFile(got.Findings, deploy)
		if last != nil && wantChange && reflect.DeepEqual(on, onFile(last, deploy)) {
			t.Errorf("%s: the Deployment's findings did not change:\n%s", name, findingList(on))
		}
		last = got.Findings
	}
	step("first lint", false)
	step("nothing changed", false)
	open[deploy] = []byte(strings.Replace(lspDeployment, "replicas: 3", "replicas: 4", 1))
	step("open document edited", false)
	write("hpa.yaml", strings.Replace(lspHPA, "name: web}", "name: api}", 1))
	step("HPA retargeted on disk", true)
	write("hpa.yaml", strings.Replace(lspHPA, "name: web}", "name: wex}", 1))
	write("hpa.yaml", lspHPA) // different size from the last, same as the first
	step("HPA back", true)
	write("pdb.yaml", strings.Replace(lspPDB, "{app: web}", "{app: api}", 1))
	step("PDB edited on disk", true)
	write("pdb.yaml", lspPDB)
	step("PDB back", true)
	remove("pdb.yaml")
	step("PDB deleted", true)
	hpa := filepath.Join(dir, "hpa.yaml")
	open[hpa] = []byte(strings.Replace(lspHPA, "minReplicas: 2", "minReplicas: 5", 1))
	step("HPA opened with an unsaved edit", true)
	delete(open, hpa)
	step("HPA closed", true)
	write("broken.yaml", "kind: {\n") // same size
	write("base/svc.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: base}\nspec:\n  selector: {app: api}\n  ports: [{port: 80}]\n")
	step("same-size rewrite and a rendered file edited", false)
	write(".zdlint.yaml", "rules:\n  pdb-missing: {enabled: true}\n  hpa-replicas-conflict: {enabled: false}\n")
	before := l.cache
	step("configuration changed", true)
	// No setting of the file changes facts today, but one may: the kept
	// facts were extracted under the old settings and are dropped.
	if l.cache == before {
		t.Error("the cache outlived a configuration change")
	}
	before = l.cache
	step("configuration unchanged", false)
	if l.cache != before {
		t.Error("the cache was dropped with the configuration unchanged")
	}
	// A kept Rollout takes its pods' labels from a Deployment in another
	// kept file (workloadRef), and a Service in the open document selects
	// only those: the Index must not leave the template's labels in the
	// kept fact for the lints after the template is gone.
	write("argo/tmpl.yaml", strings.NewReplacer("name: web", "name: tmpl", "app: web", "track: pool").Replace(lspDeployment))
	write("argo/rollout.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: roll}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: roll}}\n  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: tmpl}\n  strategy: {canary: {steps: [{setWeight: 50}]}}\n")
	open[deploy] = []byte(lspDeployment + "---\napiVersion: v1\nkind: Service\nmetadata: {name: pool}\nspec:\n  selector: {track: pool}\n  ports: [{port: 80}]\n")
	step("a Rollout's template in the workspace", false)
	step("its facts kept", false)
	remove("argo/tmpl.yaml")
	step("the template deleted", true)
}

func onFile(fs []rules.Finding, file string) []rules.Finding {
	var out []rules.Finding
	for _, f := range fs {
		if f.File == file {
			out = append(out, f)
		}
	}
	return out
}

func findingList(fs []rules.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s:%d:%d %s %s\n", f.File, f.Pos.Line, f.Pos.Col, f.Rule, f.Message)
	}
	return b.String()
}

func errorList(es []*loader.Error) string {
	var b strings.Builder
	for _, e := range es {
		b.WriteString(e.Error() + "\n")
	}
	return b.String()
}
