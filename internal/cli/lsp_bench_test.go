package cli

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zdlint/zdlint/internal/benchgen/corpus"
	"github.com/zdlint/zdlint/internal/lsp/lsptest"
	"github.com/zdlint/zdlint/loader"
)

// BenchmarkLSPChange measures what an editor waits for: from a change of a
// 2,000-line manifest (sent as a save with its text, which lints at once,
// without the debounce) to its diagnostics, in a workspace of
// $ZDLINT_BENCH_FILES generated manifests (200 unless set), once the
// first lint (the didOpen) has read the workspace and kept its files'
// facts. It reports the live heap between lints (heap-MB: the open
// buffer and the kept facts) and what one lint allocates (alloc-MB/op).
// $ZDLINT_BENCH_CPUPROFILE names a file for CPU profiles of the changes
// alone (X.prof gives X-watched.prof and X-stat.prof).
//
// With $ZDLINT_BENCH_LSP set to a zdlint binary, the server is that binary
// run as a process ('zdlint lsp', with the command's GC policy), and the
// benchmark reports its resident memory (rss-MB, and peak-rss-MB, the
// first lint's) instead of the test process's heap.
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
	// watched: a client that watches the workspace (it accepts the
	// server's file watchers), so the server need not look at every file
	// on every lint; stat: one that does not (every file is stamped).
	b.Run("watched", func(b *testing.B) { benchChange(b, dir, path, doc.String(), true) })
	b.Run("stat", func(b *testing.B) { benchChange(b, dir, path, doc.String(), false) })
}

func benchChange(b *testing.B, dir, path, doc string, watched bool) {
	c, pid := lspSession(b), 0
	if bin := os.Getenv("ZDLINT_BENCH_LSP"); bin != "" {
		c, pid = lspProcess(b, bin)
	}
	caps := map[string]any{}
	if watched {
		caps["workspace"] = map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}}
	}
	c.CallResult("initialize", map[string]any{"processId": nil, "capabilities": caps, "rootUri": fileURI(dir)}, nil)
	c.Notify("initialized", map[string]any{})
	if watched {
		reg := c.Wait("the watchers' registration", func(m lsptest.Message) bool { return m.Method == "client/registerCapability" })
		c.Reply(reg.ID, nil, "")
	}
	uri := fileURI(path)
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "yaml", "version": 0, "text": doc}})
	c.WaitVersion(uri, 0)
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	if out := os.Getenv("ZDLINT_BENCH_CPUPROFILE"); out != "" {
		mode := "stat"
		if watched {
			mode = "watched"
		}
		out = strings.TrimSuffix(out, ".prof") + "-" + mode + ".prof"
		// -cpuprofile would include the workspace's generation and the
		// first lint, which dwarf the changes measured here.
		f, err := os.Create(out)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			b.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	// Besides the mean (ns/op), the medians of the changes' latencies and
	// of a reference timed between them, in the same run: a plain parse
	// of the changed text (loader.Parse), the least a change can cost.
	// Their ratio survives a noisy machine better than either figure.
	// cpu-ms/op is the CPU the process spent per change (server and
	// client, or the server's process), which other jobs on the machine do
	// not inflate.
	var lat, ref []time.Duration
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		text := doc + "# edit " + string(rune('a'+i%26)) + "\n"
		b.StopTimer()
		t0 := time.Now()
		loader.Parse(path, []byte(text), loader.Options{})
		ref = append(ref, time.Since(t0))
		c0 := processCPU(pid)
		b.StartTimer()
		t1 := time.Now()
		c.Notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": i + 1},
			"contentChanges": []any{map[string]any{"text": text}}})
		c.Notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": uri}})
		c.WaitVersion(uri, i+1)
		lat = append(lat, time.Since(t1))
		cpu += processCPU(pid) - c0
	}
	b.StopTimer()
	if pid != 0 {
		// The server's process: its resident memory now and at its peak
		// (the first lint's), from /proc.
		if rss, hwm, ok := processMemory(pid); ok {
			b.ReportMetric(float64(rss)/(1<<20), "rss-MB")
			b.ReportMetric(float64(hwm)/(1<<20), "peak-rss-MB")
		}
	} else {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
		b.ReportMetric(float64(ms.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "alloc-MB/op")
	}
	b.ReportMetric(ms1(median(lat)), "median-ms")
	b.ReportMetric(ms1(median(ref)), "parse-median-ms")
	b.ReportMetric(float64(median(lat))/float64(median(ref)), "x-parse")
	b.ReportMetric(ms1(cpu)/float64(b.N), "cpu-ms/op")
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms1(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// lspProcess starts bin as 'zdlint lsp' and returns a client on its
// standard input and output, and its process id.
func lspProcess(b *testing.B, bin string) (*lsptest.Client, int) {
	cmd := exec.Command(bin, "lsp")
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = in.Close()
		_ = cmd.Wait()
	})
	return lsptest.New(b, out, in), cmd.Process.Pid
}
