package rules

import (
	"go/build"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

var kebab = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func TestRegistry(t *testing.T) {
	if len(All()) == 0 {
		t.Fatal("no rules registered")
	}
	for i, r := range All() {
		if !kebab.MatchString(r.ID) {
			t.Errorf("rule ID %q is not kebab-case", r.ID)
		}
		if i > 0 && All()[i-1].ID >= r.ID {
			t.Errorf("rules not sorted or duplicated at %q", r.ID)
		}
		if got, ok := ByID(r.ID); !ok || got != r {
			t.Errorf("ByID(%q) does not find the rule", r.ID)
		}
		if r.Run == nil {
			t.Errorf("%s: Run is nil", r.ID)
		}
		if r.Severity < Info || r.Severity > Error {
			t.Errorf("%s: severity not set", r.ID)
		}
		for name, v := range map[string]string{"Summary": r.Summary, "Rationale": r.Rationale, "Fix": r.Fix, "Bad": r.Bad, "Since": r.Since} {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %s is empty", r.ID, name)
			}
		}
		if strings.HasSuffix(r.Summary, ".") || strings.Contains(r.Summary, "\n") {
			t.Errorf("%s: summary must be one line without a trailing period", r.ID)
		}
		if len(r.Defaults) == 0 {
			t.Errorf("%s: no Kubernetes defaults listed", r.ID)
		}
		for _, snippet := range []string{r.Fix, r.Bad} {
			var v any
			if err := yaml.Unmarshal([]byte(snippet), &v); err != nil {
				t.Errorf("%s: snippet is not valid YAML: %v\n%s", r.ID, err, snippet)
			}
		}
		for _, o := range r.Options {
			if o.Name == "" || o.Doc == "" {
				t.Errorf("%s: option without name or doc", r.ID)
			}
		}
	}
	if _, ok := ByID("no-such-rule"); ok {
		t.Error("ByID found a rule that does not exist")
	}
}

// TestLayout: the files of rules/ show its layers. framework_*.go is the
// rule API and the registry, k8s_*.go the Kubernetes knowledge rules
// share, model_*.go the cross-object model (facts and the Index), and
// every other file is exactly one rule, named by its ID.
func TestLayout(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	idRe := regexp.MustCompile(`(?m)^\t\tID:\s+"([^"]+)"`)
	files := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || name == "doc.go" {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		ids := idRe.FindAllStringSubmatch(string(data), -1)
		layer := strings.HasPrefix(name, "framework_") || strings.HasPrefix(name, "k8s_") || strings.HasPrefix(name, "model_")
		switch {
		case layer && len(ids) > 0:
			t.Errorf("%s defines rule %s: a rule lives in a file of its own, named by its ID", name, ids[0][1])
		case !layer && len(ids) != 1:
			t.Errorf("%s defines %d rules: a file that is not framework_, k8s_ or model_ holds exactly one rule", name, len(ids))
		case !layer && strings.ReplaceAll(ids[0][1], "-", "_")+".go" != name:
			t.Errorf("%s defines rule %s: name it %s.go", name, ids[0][1], strings.ReplaceAll(ids[0][1], "-", "_"))
		}
		if !layer && len(ids) == 1 {
			if _, ok := ByID(ids[0][1]); !ok {
				t.Errorf("%s: rule %s is not in the list of rules (framework_registry.go)", name, ids[0][1])
			}
		}
		files[name] = true
	}
	for _, r := range All() {
		if f := strings.ReplaceAll(r.ID, "-", "_") + ".go"; !files[f] {
			t.Errorf("rule %s has no file %s", r.ID, f)
		}
	}
}

// TestImports: rules and everything it imports from this module live under
// rules/ or loader/. Storage, output and configuration are other packages'
// business; a rule author reads only these.
func TestImports(t *testing.T) {
	const module = "github.com/zdlint/zdlint/"
	seen := map[string]bool{}
	var visit func(dir, path string)
	visit = func(dir, path string) {
		if seen[path] {
			return
		}
		seen[path] = true
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, imp := range pkg.Imports {
			rel, ok := strings.CutPrefix(imp, module)
			if !ok {
				continue
			}
			if !strings.HasPrefix(rel, "rules/") && rel != "loader" && !strings.HasPrefix(rel, "loader/") {
				t.Errorf("%s imports %s: rules may depend only on rules/ and loader/", path, imp)
			}
			visit(filepath.Join("..", filepath.FromSlash(rel)), imp)
		}
	}
	visit(".", module+"rules")
}
