package rules

import (
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
