package rules

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/zdlint/zdlint/loader"
)

func TestNewestKubeVersionMatchesGoMod(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`k8s.io/api v0\.(\d+)\.`).FindSubmatch(data)
	if m == nil {
		t.Fatal("k8s.io/api not found in go.mod")
	}
	if want := "1." + string(m[1]); NewestKubeVersion != want {
		t.Errorf("NewestKubeVersion = %s, but go.mod has k8s.io/api for %s", NewestKubeVersion, want)
	}
}

func TestParseKubeVersion(t *testing.T) {
	for in, want := range map[string]int{"1.25": 25, "v1.29": 29, "1.33.4": 33} {
		if got, err := ParseKubeVersion(in); err != nil || got != want {
			t.Errorf("ParseKubeVersion(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "2.1", "1", "1.x", "latest"} {
		if _, err := ParseKubeVersion(bad); err == nil {
			t.Errorf("ParseKubeVersion(%q) accepted", bad)
		}
	}
}

func TestRemovedAPITable(t *testing.T) {
	for _, r := range removedAPIs {
		if _, err := ParseKubeVersion(r.Removed); err != nil {
			t.Errorf("%s %s: %v", r.APIVersion, r.Kind, err)
		}
		if _, err := ParseKubeVersion(r.Deprecated); err != nil {
			t.Errorf("%s %s: %v", r.APIVersion, r.Kind, err)
		}
		if r.Replacement == "" {
			t.Errorf("%s %s: no replacement", r.APIVersion, r.Kind)
		}
	}
}

// TestRemovedAPIsAreKnown: every apiVersion and kind removed-api-version
// reports is one the loader knows as built in, so it is reported once, as
// removed, and never as a typo too.
func TestRemovedAPIsAreKnown(t *testing.T) {
	for _, r := range removedAPIs {
		kind := r.Kind
		if kind == "*" {
			kind = "DeleteOptions" // every served group version has it
		}
		if !loader.IsBuiltinAPI(r.APIVersion, kind) {
			t.Errorf("%s %s is removed-api-version's but not a built-in API for the loader", r.APIVersion, r.Kind)
		}
	}
}
