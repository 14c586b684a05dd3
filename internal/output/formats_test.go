package output_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/zdlint/zdlint/internal/engine"
	"github.com/zdlint/zdlint/internal/output"
	"github.com/zdlint/zdlint/internal/suppress"
	"github.com/zdlint/zdlint/internal/testutil"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

// examplesReport lints examples/ and a broken file with every rule, from
// the repository root so file names are relative and stable.
func examplesReport(t *testing.T) *output.Report {
	t.Helper()
	root := testutil.RepoRoot(t)
	t.Chdir(root)
	broken := filepath.Join("internal", "output", "testdata", "broken.yaml")
	helm := filepath.Join("internal", "output", "testdata", "rendered.yaml")
	inputs, errs := loader.Collect([]string{"examples", broken, helm}, nil, "", false)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	res := engine.Run(inputs, engine.Options{Rules: rules.All(), Jobs: 1})
	r := &output.Report{Findings: res.Findings, Errors: res.Errors, Rules: rules.All(), Stats: res.Stats, Version: "test"}
	for _, in := range inputs {
		r.Files = append(r.Files, in.Name)
	}
	return r
}

// TestGoldenFormats pins every format's output for the same report.
func TestGoldenFormats(t *testing.T) {
	r := examplesReport(t)
	root := testutil.RepoRoot(t)
	for _, name := range output.Names() {
		t.Run(name, func(t *testing.T) {
			f, err := output.New(name, output.Options{BasePath: root})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := f.Format(&buf, r); err != nil {
				t.Fatal(err)
			}
			testutil.Golden(t, filepath.Join(root, "internal", "output", "testdata", name+".golden"), buf.Bytes())
		})
	}
}

// TestSARIFSchema validates the SARIF output against the official schema.
// validateSARIF checks data against the vendored official SARIF 2.1.0
// schema.
func validateSARIF(t *testing.T, data []byte) {
	t.Helper()
	root := testutil.RepoRoot(t)
	schemaFile, err := os.Open(filepath.Join(root, "internal", "output", "testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer schemaFile.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Fatalf("SARIF output does not validate against the 2.1.0 schema: %v", err)
	}
}

// Suppressed findings (--show-suppressed) are SARIF results with a
// suppression: inSource for comments and annotations, external for
// configuration entries, with the reason as the justification.
func TestSARIFSuppressions(t *testing.T) {
	r := examplesReport(t)
	r.Suppressed = []suppress.Suppressed{
		{Finding: r.Findings[0], Kind: suppress.Comment, Reason: "checked by hand"},
		{Finding: r.Findings[1], Kind: suppress.ConfigEntry, Reason: "vendored"},
	}
	var buf bytes.Buffer
	if err := (output.SARIF{BasePath: testutil.RepoRoot(t)}).Format(&buf, r); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, buf.Bytes())
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID       string `json:"ruleId"`
				Suppressions []struct {
					Kind, Status, Justification string
				} `json:"suppressions"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	res := log.Runs[0].Results
	if len(res) != len(r.Findings)+2 {
		t.Fatalf("%d results, want %d findings + 2 suppressed", len(res), len(r.Findings))
	}
	for _, x := range res[:len(r.Findings)] {
		if len(x.Suppressions) != 0 {
			t.Errorf("finding %s carries a suppression", x.RuleID)
		}
	}
	a, b := res[len(r.Findings)], res[len(r.Findings)+1]
	if len(a.Suppressions) != 1 || a.Suppressions[0].Kind != "inSource" || a.Suppressions[0].Justification != "checked by hand" || a.Suppressions[0].Status != "accepted" {
		t.Errorf("comment suppression = %+v", a.Suppressions)
	}
	if len(b.Suppressions) != 1 || b.Suppressions[0].Kind != "external" || b.Suppressions[0].Justification != "vendored" {
		t.Errorf("config suppression = %+v", b.Suppressions)
	}
}

func TestSARIFSchema(t *testing.T) {
	r := examplesReport(t)
	root := testutil.RepoRoot(t)
	var buf bytes.Buffer
	if err := (output.SARIF{BasePath: root}).Format(&buf, r); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, buf.Bytes())
	// And the things GitHub code scanning needs beyond the schema.
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID   string `json:"id"`
						Help struct {
							Markdown string `json:"markdown"`
						} `json:"help"`
						HelpURI string `json:"helpUri"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine, StartColumn int
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
			Invocations []struct {
				Notifications []json.RawMessage `json:"toolExecutionNotifications"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Rules) != len(rules.All()) {
		t.Errorf("%d rule descriptors, want %d", len(run.Tool.Driver.Rules), len(rules.All()))
	}
	for _, d := range run.Tool.Driver.Rules {
		if !strings.Contains(d.Help.Markdown, "```yaml") || !strings.HasSuffix(d.HelpURI, "/docs/rules/"+d.ID+".md") {
			t.Errorf("rule %s lacks help markdown or helpUri", d.ID)
		}
	}
	if len(run.Results) == 0 {
		t.Fatal("no results")
	}
	for _, res := range run.Results {
		loc := res.Locations[0].PhysicalLocation
		if strings.HasPrefix(loc.ArtifactLocation.URI, "/") || loc.Region.StartLine < 1 || loc.Region.StartColumn < 1 {
			t.Errorf("result location not relative or without a region: %+v", loc)
		}
	}
	if len(run.Invocations[0].Notifications) != len(r.Errors) {
		t.Errorf("%d notifications for %d errors", len(run.Invocations[0].Notifications), len(r.Errors))
	}
}

// TestGitHubEscaping checks the workflow-command escaping rules.
func TestGitHubEscaping(t *testing.T) {
	r := &output.Report{Findings: []rules.Finding{{
		Rule: "x-y", Severity: rules.Warning, Message: "100% of it,\nnext: line", File: "dir,a:b.yaml",
		Pos: loader.Pos{Line: 3, Col: 5},
	}}}
	var buf bytes.Buffer
	if err := (output.GitHub{}).Format(&buf, r); err != nil {
		t.Fatal(err)
	}
	want := "::warning file=dir%2Ca%3Ab.yaml,line=3,col=5,title=x-y::100%25 of it,%0Anext: line\n"
	if buf.String() != want {
		t.Errorf("got  %q\nwant %q", buf.String(), want)
	}
}

// TestGitLabFingerprintIgnoresLines: moving a finding keeps its identity.
func TestGitLabFingerprintIgnoresLines(t *testing.T) {
	mk := func(line int) string {
		r := &output.Report{Findings: []rules.Finding{{Rule: "readiness-probe-missing", Severity: rules.Error, Message: "m", File: "a.yaml",
			Pos: loader.Pos{Line: line, Col: 3}, Path: "spec.template.spec.containers[0].readinessProbe",
			Object: rules.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Name: "web"}}}}
		var buf bytes.Buffer
		if err := (output.GitLab{}).Format(&buf, r); err != nil {
			t.Fatal(err)
		}
		var v []struct {
			Fingerprint string `json:"fingerprint"`
		}
		if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		return v[0].Fingerprint
	}
	if a, b := mk(10), mk(42); a != b || a == "" {
		t.Errorf("fingerprints %q and %q differ", a, b)
	}
}
