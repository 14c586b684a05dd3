package loader

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"testing"

	yaml "go.yaml.in/yaml/v3"
	appsv1 "k8s.io/api/apps/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/zdlint/zdlint/internal/benchgen/corpus"
)

// The stage benchmarks run on the generated corpus (internal/benchgen):
// 200 files unless ZDLINT_BENCH_FILES says otherwise. Each iteration
// processes the whole corpus; compare stages by ns/op and allocs/op.
//
//	go test -run '^$' -bench . -benchmem ./loader

// BenchmarkStageRead reads every file from disk (loader.Read).
func BenchmarkStageRead(b *testing.B) {
	dir, files := corpus.ForBench(b)
	b.SetBytes(corpus.Bytes(files))
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			p := filepath.Join(dir, filepath.FromSlash(f.Path))
			if _, err := Read(Input{Name: p, Path: p}, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkStageParse parses every document into a yaml.v3 node tree and
// nothing else: the floor of any linter that reports positions.
func BenchmarkStageParse(b *testing.B) {
	_, files := corpus.ForBench(b)
	b.SetBytes(corpus.Bytes(files))
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			parseNodes(b, f.Data)
		}
	}
}

func parseNodes(b *testing.B, data []byte) []*yaml.Node {
	var out []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, &doc)
	}
}

// objectsOf parses the corpus once, for the stages that start from trees.
func objectsOf(b *testing.B, files []corpus.File) []*Object {
	var objs []*Object
	for _, f := range files {
		pf := Parse(f.Path, f.Data, Options{})
		if len(pf.Errors) > 0 {
			b.Fatal(pf.Errors[0])
		}
		objs = append(objs, pf.Objects...)
	}
	return objs
}

// BenchmarkStagePosIndex walks each object's tree the way position work
// does: the duplicate-key scan every typed object gets, and position
// lookups for fields that exist and fields that do not.
func BenchmarkStagePosIndex(b *testing.B) {
	_, files := corpus.ForBench(b)
	objs := objectsOf(b, files)
	present := P("spec", "template", "spec", "containers").Index(0).Key("image")
	missing := P("spec", "template", "spec", "containers").Index(0).Key("startupProbe", "httpGet")
	b.SetBytes(corpus.Bytes(files))
	b.ReportAllocs()
	for b.Loop() {
		for _, o := range objs {
			_ = findDuplicates(o.Node)
			o.Pos(present)
			o.Pos(missing)
		}
	}
}

// BenchmarkStageTypedDecode decodes each object into its k8s.io/api type
// as the loader does: straight from the node tree (fastdecode.go), through
// JSON for what the fast decoder declines.
func BenchmarkStageTypedDecode(b *testing.B) {
	_, files := corpus.ForBench(b)
	objs := objectsOf(b, files)
	b.SetBytes(corpus.Bytes(files))
	b.ReportAllocs()
	f := &File{}
	for b.Loop() {
		for _, o := range objs {
			kt, ok := kindTable[o.GVK()]
			if !ok {
				continue
			}
			f.decode(o, kt, false)
		}
	}
	if len(f.Errors) > 0 {
		b.Fatal(f.Errors[0])
	}
}

// BenchmarkStageLoad is the whole loader per file: parse, objects, typed
// decode, duplicate scan (Parse).
func BenchmarkStageLoad(b *testing.B) {
	_, files := corpus.ForBench(b)
	b.SetBytes(corpus.Bytes(files))
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			Parse(f.Path, f.Data, Options{Each: func(*Object) {}})
		}
	}
}

// BenchmarkReferenceDecode is internal/benchref's work per file, serially:
// kubectl's document reader and one sigs.k8s.io/yaml decode per document
// into appsv1.Deployment.
func BenchmarkReferenceDecode(b *testing.B) {
	_, files := corpus.ForBench(b)
	b.SetBytes(corpus.Bytes(files))
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(f.Data)))
			for {
				doc, err := r.Read()
				if err != nil {
					break
				}
				var d appsv1.Deployment
				_ = sigsyaml.Unmarshal(doc, &d)
			}
		}
	}
}
