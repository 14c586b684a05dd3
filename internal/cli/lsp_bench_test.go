package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zdlint/zdlint/internal/benchgen/corpus"
)

// BenchmarkLSPChange measures what an editor waits for: from a change of a
// 2,000-line manifest (sent as a save with its text, which lints at once,
// without the debounce) to its diagnostics, in a workspace of
// $ZDLINT_BENCH_FILES generated manifests (200 unless set), once the
// first lint (the didOpen) has read the workspace and kept its files'
// facts. It reports the live heap between lints (heap-MB: the open
// buffer and the kept facts) and what one lint allocates (alloc-MB/op).
func BenchmarkLSPChange(b *testing.B) {
	dir, files := corpus.ForBench(b)
	// A workspace's files were not all written in the last seconds, when
	// the server reads them again on every lint (fileStamp).
	old := time.Now().Add(-time.Hour)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			err = os.Chtimes(p, old, old)
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		b.Fatal(err)
	}
	// The open document: generated manifests, whole, up to 2,000 lines.
	var doc strings.Builder
	for i := 0; strings.Count(doc.String(), "\n") < 2000; i++ {
		if doc.Len() > 0 {
			doc.WriteString("---\n")
		}
		doc.Write(files[i%len(files)].Data)
	}
	path := filepath.Join(dir, "zz-open.yaml")
	if err := os.WriteFile(path, []byte(doc.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	c := lspSession(b)
	c.CallResult("initialize", map[string]any{"processId": nil, "capabilities": map[string]any{}, "rootUri": fileURI(dir)}, nil)
	c.Notify("initialized", map[string]any{})
	uri := fileURI(path)
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "yaml", "version": 0, "text": doc.String()}})
	c.WaitVersion(uri, 0)
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		text := doc.String() + "# edit " + string(rune('a'+i%26)) + "\n"
		c.Notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": i + 1},
			"contentChanges": []any{map[string]any{"text": text}}})
		c.Notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": uri}})
		c.WaitVersion(uri, i+1)
	}
	b.StopTimer()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
	b.ReportMetric(float64(ms.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "alloc-MB/op")
}
