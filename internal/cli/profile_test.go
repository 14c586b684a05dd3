package cli

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/zdlint/zdlint/internal/testutil"
)

// --cpuprofile and --memprofile (hidden) write profiles that pprof reads:
// both files exist and start with the gzip magic of the profile format.
func TestProfileFlags(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	examples := filepath.Join(testutil.RepoRoot(t), "examples")
	code, _, stderr := runCLI(t, "", "-q", "--cpuprofile", cpu, "--memprofile", mem, examples)
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
	if code, _, stderr := runCLI(t, "", "--cpuprofile", filepath.Join(dir, "no", "such", "cpu.prof"), examples); code != ExitError || stderr == "" {
		t.Errorf("unwritable --cpuprofile: exit %d, %q", code, stderr)
	}
}

// tuneGC leaves the collector alone when GOGC or GOMEMLIMIT is set, and
// otherwise sets a limit that grows with the number of files.
func TestTuneGC(t *testing.T) {
	if a, b := gcMemoryLimit(0), gcMemoryLimit(10_000); a != 24<<20 || b != 24<<20+10_000*8<<10 {
		t.Errorf("gcMemoryLimit(0) = %d, gcMemoryLimit(10000) = %d", a, b)
	}
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))

	t.Setenv("GOGC", "150")
	debug.SetGCPercent(150)
	tuneGC(10)
	if got := debug.SetGCPercent(150); got != 150 {
		t.Errorf("with GOGC set, tuneGC changed GC percent to %d", got)
	}

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	tuneGC(1000)
	if got := debug.SetGCPercent(100); got != 400 {
		t.Errorf("GC percent = %d, want 400", got)
	}
	if got := debug.SetMemoryLimit(-1); got != gcMemoryLimit(1000) {
		t.Errorf("memory limit = %d, want %d", got, gcMemoryLimit(1000))
	}
}
