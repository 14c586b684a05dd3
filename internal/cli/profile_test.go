package cli

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/zdlint/zdlint/internal/testutil"
)

// --cpuprofile and --memprofile (hidden) write profiles that pprof reads:
// both files exist and start with the gzip magic of the profile format.
func TestProfileFlags(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	examples := filepath.Join(testutil.RepoRoot(t), "examples")
	var out, errOut bytes.Buffer
	code := Process([]string{"-q", "--cpuprofile", cpu, "--memprofile", mem, examples}, nil, &out, &errOut)
	stderr := errOut.String()
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, p := range []string{cpu, mem} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
			t.Errorf("%s is not a gzipped pprof profile (%d bytes)", p, len(data))
		}
	}
	errOut.Reset()
	if code := Process([]string{"--cpuprofile", filepath.Join(dir, "no", "such", "cpu.prof"), examples}, nil, &out, &errOut); code != ExitError || errOut.Len() == 0 {
		t.Errorf("unwritable --cpuprofile: exit %d, %q", code, errOut.String())
	}
	// Main, which tests run in-process, writes no profile.
	other := filepath.Join(dir, "main.prof")
	if code, _, stderr := runCLI(t, "", "-q", "--cpuprofile", other, examples); code != ExitFindings {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(other); err == nil {
		t.Error("Main wrote a CPU profile")
	}
}

// tuneGC leaves the collector alone when GOGC or GOMEMLIMIT is set, and
// otherwise runs it on a memory budget that the governor raises after a
// collection finds more live heap than the budget has room for.
func TestTuneGC(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int64
	}{
		{0, gcBudget},
		{10 << 20, gcBudget},
		{gcBudget / 2, gcBudget},
		{gcBudget/2 + 1, gcBudget + 1},    // half the budget above it
		{gcBudget, gcBudget + gcBudget/2}, // both rules agree
		{100 << 20, 150 << 20},            // half the live heap above it
	} {
		if got := limitFor(c.live); got != c.want {
			t.Errorf("limitFor(%d) = %d, want %d", c.live, got, c.want)
		}
	}
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	defer governing.Store(false)

	t.Setenv("GOGC", "150")
	debug.SetGCPercent(150)
	if tuneGC() {
		t.Error("tuneGC applied its policy with GOGC set")
	}
	if got := debug.SetGCPercent(150); got != 150 {
		t.Errorf("with GOGC set, tuneGC changed GC percent to %d", got)
	}

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	if !tuneGC() {
		t.Fatal("tuneGC did not apply its policy")
	}
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Errorf("GC percent = %d, want -1 (off)", got)
	}
	if got := debug.SetMemoryLimit(-1); got != gcBudget {
		t.Errorf("memory limit = %d, want the budget %d", got, gcBudget)
	}

	// A live heap past the budget: after a collection the governor
	// raises the limit above it, rather than leave the collector
	// running without pause.
	keep := make([]*[1 << 20]byte, 64)
	for i := range keep {
		keep[i] = new([1 << 20]byte)
	}
	want := limitFor(64 << 20)
	deadline := time.Now().Add(10 * time.Second)
	for debug.SetMemoryLimit(-1) < want && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond) // the finalizer goroutine runs the governor
	}
	if got := debug.SetMemoryLimit(-1); got < want {
		t.Errorf("with 64 MiB live the limit is %d, want at least %d", got, want)
	}
	runtime.KeepAlive(keep)

	// The language server's budget.
	defer budget.Store(0)
	serverGC()
	if got := debug.SetMemoryLimit(-1); got < lspGCBudget {
		t.Errorf("language server: memory limit %d, want at least %d", got, lspGCBudget)
	}
	if got := limitFor(10 << 20); got != lspGCBudget {
		t.Errorf("language server: limitFor(10 MiB) = %d, want %d", got, lspGCBudget)
	}
}
