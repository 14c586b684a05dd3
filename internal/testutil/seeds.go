package testutil

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// maxSeedSize keeps big corpus files out of fuzz seeds: the fuzzer mutates
// small inputs far faster, and the size limits have their own tests.
const maxSeedSize = 64 << 10

// ManifestSeeds returns the YAML and JSON files of fixtures/, examples/ and,
// when present, the shared corpus beside the repository (read at run time,
// never copied). Fuzz targets add them as seeds.
func ManifestSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	root := RepoRoot(tb)
	dirs := []string{filepath.Join(root, "fixtures"), filepath.Join(root, "examples")}
	for _, sub := range []string{"real", "templates"} {
		if d := SharedCorpus(tb, sub); d != "" {
			dirs = append(dirs, d)
		}
	}
	var seeds [][]byte
	for _, dir := range dirs {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			switch filepath.Ext(path) {
			case ".yaml", ".yml", ".json", ".tpl":
			default:
				return nil
			}
			if info, err := d.Info(); err != nil || !info.Mode().IsRegular() || info.Size() > maxSeedSize {
				return nil
			}
			if data, err := os.ReadFile(path); err == nil {
				seeds = append(seeds, data)
			}
			return nil
		})
	}
	return seeds
}

// HostileSeeds are small inputs of each kind the loader must survive:
// alias and merge bombs, deep nesting, NUL bytes, broken encodings, byte
// order marks, CRLF, tabs, templates and YAML 1.1 corners.
func HostileSeeds() [][]byte {
	dep := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx\n"
	s := []string{
		dep,
		"a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: [*c, *c, *c, *c]\n",
		"m0: &m0 {a: b}\nm1: &m1 {<<: [*m0, *m0, *m0]}\nm2: &m2 {<<: [*m1, *m1, *m1]}\nx: {<<: *m2}\n",
		"apiVersion: v1\nkind: Pod\nspec: [[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]\n",
		"- - - - - - - - - - - - - x\n",
		"apiVersion: v1\n\x00kind: Pod\n",
		"apiVersion: v1\nkind: Pod\nmetadata: {name: \"\xff\xfe\"}\n",
		"\xef\xbb\xbf" + dep,
		"\xff\xfea\x00:\x00 \x00b\x00\n\x00",
		"\xfe\xff\x00a\x00:\x00 \x00b\x00\n",
		"apiVersion: apps/v1\r\nkind: Deployment\r\nmetadata:\r\n  name: web\r\n",
		"apiVersion:\tapps/v1\nkind: Deployment\nmetadata: {name:\tweb}\n",
		"apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n",
		dep + "  paused: yes\n  minReadySeconds: 0755\n",
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: \"3\"\n",
		dep + "          readinessProbe: null\n          ports: ~\n",
		"x: &d {image: nginx}\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec: {template: {spec: {containers: [{<<: *d, name: a}]}}}\n",
		"a: 1\na: 2\n1: x\ntrue: y\n? [k]\n: v\n~: n\n",
		"", "---\n", "# only\n# comments\n", dep + "...\n", "---\n---\n...\n",
		"kind: List\napiVersion: v1\nitems: [{apiVersion: apps/v1, kind: Deployment, metadata: {name: a}}, 3]\n",
		"a: b\n  c: d: e\n---\n" + dep,
		"a: \"\\u2028\\x00\"\nb: !!binary aGVsbG8=\nc: !!int 3\n",
		"a\rb: c\r\nd: e\u2028f: g\u0085\n",
	}
	out := make([][]byte, len(s))
	for i := range s {
		out[i] = []byte(s[i])
	}
	return out
}
