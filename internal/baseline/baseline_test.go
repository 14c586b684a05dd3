package baseline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

func finding(rule, file string, line int, msg string) rules.Finding {
	return rules.Finding{
		Rule: rule, Severity: rules.Error, Message: msg, File: file, Pos: loader.Pos{Line: line, Col: 3},
		Object:    rules.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web"},
		Container: "web", Path: "spec.template.spec.containers[0].readinessProbe",
	}
}

func TestFingerprintIgnoresPositions(t *testing.T) {
	a := finding("readiness-probe-missing", "k8s/web.yaml", 10, "no readinessProbe")
	b := a
	b.Pos = loader.Pos{Line: 42, Col: 7}
	b.End = loader.Pos{Line: 42, Col: 9}
	if Fingerprint(a) != Fingerprint(b) {
		t.Error("the fingerprint changes with the position")
	}
	// Line numbers quoted in messages (duplicate-key) are blanked too.
	c := finding("duplicate-key", "k8s/web.yaml", 10, `key "lifecycle" in Deployment "web" is repeated at line 14`)
	d := finding("duplicate-key", "k8s/web.yaml", 20, `key "lifecycle" in Deployment "web" is repeated at line 24`)
	if Fingerprint(c) != Fingerprint(d) {
		t.Error("a line number in the message changes the fingerprint")
	}
}

func TestFingerprintDistinguishesIdentity(t *testing.T) {
	base := finding("readiness-probe-missing", "k8s/web.yaml", 10, "no readinessProbe")
	variants := map[string]func(f *rules.Finding){
		"rule":      func(f *rules.Finding) { f.Rule = "liveness-probe-missing" },
		"file":      func(f *rules.Finding) { f.File = "k8s/api.yaml" },
		"object":    func(f *rules.Finding) { f.Object.Name = "api" },
		"namespace": func(f *rules.Finding) { f.Object.Namespace = "other" },
		"container": func(f *rules.Finding) { f.Container = "sidecar" },
		"path":      func(f *rules.Finding) { f.Path = "spec.template.spec.containers[1].readinessProbe" },
		"value":     func(f *rules.Finding) { f.Message = "maxUnavailable 50% lets 2 of 4 pods go down" },
	}
	for name, change := range variants {
		f := base
		change(&f)
		if Fingerprint(f) == Fingerprint(base) {
			t.Errorf("changing the %s keeps the fingerprint", name)
		}
	}
}

func TestWriteReadFilter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "baseline.json")
	old := []rules.Finding{
		finding("readiness-probe-missing", "k8s/web.yaml", 10, "no readinessProbe"),
		finding("readiness-probe-missing", "k8s/web.yaml", 10, "no readinessProbe"), // two identical findings
		finding("resource-requests-missing", "k8s/web.yaml", 10, "no requests"),
		finding("single-replica", "k8s/other.yaml", 3, "one replica"),
	}
	if err := Write(path, old); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"version": 1`) || strings.Contains(string(data), `"line"`) {
		t.Errorf("baseline file:\n%s", data)
	}
	b, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	now := []rules.Finding{
		finding("readiness-probe-missing", "k8s/web.yaml", 30, "no readinessProbe"), // moved: still known
		finding("readiness-probe-missing", "k8s/web.yaml", 31, "no readinessProbe"), // the second one
		finding("readiness-probe-missing", "k8s/web.yaml", 32, "no readinessProbe"), // a third: new
		finding("liveness-probe-missing", "k8s/web.yaml", 30, "no livenessProbe"),   // new
		// resource-requests-missing was fixed: stale.
		// k8s/other.yaml was not linted in this run: its entry is not stale.
	}
	linted := func(f string) bool { return f == b.Rel("k8s/web.yaml") }
	kept, stale := b.Filter(now, linted)
	if len(kept) != 2 || kept[0].Pos.Line != 32 || kept[1].Rule != "liveness-probe-missing" {
		t.Errorf("kept %+v", kept)
	}
	if len(stale) != 1 || stale[0].Rule != "resource-requests-missing" {
		t.Errorf("stale %+v", stale)
	}
	_, stale = b.Filter(now, nil)
	if len(stale) != 2 {
		t.Errorf("with every file linted, stale = %+v, want 2 entries", stale)
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"garbage.json": "not json",
		"v2.json":      `{"version": 2, "findings": []}`,
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Read(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("Read(%s) error = %v, want one naming the file", name, err)
		}
	}
	if _, err := Read(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("reading a missing baseline is not an error")
	}
}
