package loader

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	yaml "go.yaml.in/yaml/v3"

	"github.com/zdlint/zdlint/internal/testutil"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	sigsyaml "sigs.k8s.io/yaml"
)

// TestConvertMatchesKubectl compares zdlint's decoder (parse once with
// yaml.v3, convert the node tree with YAML 1.1 rules) with the path kubectl
// takes (split the stream with apimachinery's YAML reader, convert each
// document with sigs.k8s.io/yaml, which uses yaml.v2), document by document,
// over the fixtures, the examples and, when present, the shared corpus of
// real manifests. Every document both accept must give the same JSON value.
func TestConvertMatchesKubectl(t *testing.T) {
	var files, docs, compared int
	eachManifest(t, func(path string, data []byte) {
		files++
		n, c := compareFile(t, path, data)
		docs += n
		compared += c
	})
	t.Logf("%d files, %d documents, %d compared", files, docs, compared)
	if compared == 0 {
		t.Fatal("nothing compared")
	}
}

// eachManifest calls fn with every manifest of the fixtures, the examples
// and, when present, the shared corpus of real manifests (read at run time,
// never copied): the inputs the decoder comparisons run over.
func eachManifest(t *testing.T, fn func(path string, data []byte)) {
	t.Helper()
	root := testutil.RepoRoot(t)
	dirs := []string{filepath.Join(root, "fixtures"), filepath.Join(root, "examples")}
	if d := testutil.SharedCorpus(t, "real"); d != "" {
		dirs = append(dirs, d)
	}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !IsManifestName(path) {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			fn(path, data)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// compareFile returns how many non-empty documents kubectl's reader saw and
// how many were compared (both converters accepted them).
func compareFile(t *testing.T, path string, data []byte) (docs, compared int) {
	t.Helper()
	// kubectl's side.
	var theirs []any
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for {
		chunk, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, 0 // not YAML kubectl can split; nothing to compare
		}
		js, err := sigsyaml.YAMLToJSON(chunk)
		if err != nil {
			theirs = append(theirs, errMarker{})
			continue
		}
		var v any
		if err := json.Unmarshal(js, &v); err != nil || v == nil {
			continue // empty or null documents are skipped by kubectl
		}
		theirs = append(theirs, v)
	}
	// zdlint's side: the same documents from the node trees.
	var ours []any
	for _, n := range parseDocs(data) {
		js, err := ToJSON(n)
		if err != nil {
			ours = append(ours, errMarker{})
			continue
		}
		var v any
		if err := json.Unmarshal(js, &v); err != nil || v == nil {
			continue
		}
		ours = append(ours, v)
	}
	if len(ours) != len(theirs) {
		// Streams whose split differs (a syntax error in one document)
		// are covered by the loader's own tests.
		return len(theirs), 0
	}
	for i := range ours {
		_, e1 := ours[i].(errMarker)
		_, e2 := theirs[i].(errMarker)
		if e1 || e2 {
			continue
		}
		if !reflect.DeepEqual(ours[i], theirs[i]) {
			a, _ := json.Marshal(ours[i])
			b, _ := json.Marshal(theirs[i])
			t.Errorf("%s: document %d differs\nzdlint:  %.400s\nkubectl: %.400s", path, i, a, b)
			continue
		}
		compared++
	}
	return len(theirs), compared
}

type errMarker struct{}

// parseDocs decodes every document of the stream with yaml.v3 after the
// same preparation as Parse, stopping at the first syntax error.
func parseDocs(data []byte) []*yaml.Node {
	var out []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(withFinalNewline(Text(data))))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			return out
		}
		if len(doc.Content) == 0 {
			continue
		}
		out = append(out, &doc)
	}
}

// TestMergeErrorsMatchKubectl checks that zdlint rejects the merge keys
// kubectl's converter (yaml.v2) rejects, and only those.
func TestMergeErrorsMatchKubectl(t *testing.T) {
	for _, doc := range []string{
		"env: &e\n  - {name: A}\nx:\n  - <<: *e\n",         // alias to a list of maps: rejected
		"e: &e {name: A}\nx:\n  - <<: *e\n",                // alias to a map
		"a: &a {p: 1}\nb: &b {q: 2}\nx:\n  <<: [*a, *b]\n", // list of aliases written in place
		"x:\n  <<: [{p: 1}, {q: 2}]\n",                     // list of maps written in place
		"s: &s text\nx:\n  <<: *s\n",                       // alias to a scalar: rejected
		"x:\n  <<: [[{p: 1}]]\n",                           // list in a list: rejected
	} {
		docs := parseDocs([]byte(doc))
		if len(docs) != 1 {
			t.Fatalf("%q: %d documents", doc, len(docs))
		}
		_, ours := ToJSON(docs[0])
		_, theirs := sigsyaml.YAMLToJSON([]byte(doc))
		if (ours == nil) != (theirs == nil) {
			t.Errorf("%q: zdlint error %v, kubectl error %v", doc, ours, theirs)
		}
	}
}
