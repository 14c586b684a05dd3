package cli

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// GC policy. A lint run allocates a lot per file and keeps little of it,
// as pointer-free records (findings, deferred checks and facts, see
// internal/engine/record.go and factcodec.go), so what the collector costs
// depends on how much room the heap has above that live set, not on a
// growth ratio: GOGC=100 collects whenever the heap doubles, which on a
// small live heap means constantly. Instead zdlint runs with a memory
// budget and no GOGC trigger: the collector runs when the Go heap and
// runtime reach gcBudget. After every collection a governor sets the limit
// for the live heap it found (limitFor), so a run over a very large input
// grows its limit with what it keeps instead of collecting without pause.
// GOGC or GOMEMLIMIT in the environment turn all of this off. The
// measured effect (cycles, resident memory, time) is in
// docs/performance.md, rounds three and four; it is not repeated here,
// where it would go stale.
const gcBudget = 30 << 20

// lspGCBudget is the language server's budget. The server keeps the
// workspace's facts between lints (about 15 MB at 5,000 manifests) and a
// lint allocates about as much again; within 30 MiB it collected two or
// three times per lint, half its latency (docs/performance.md, "Language
// server"). With 64 MiB it collects about once in four lints, for some
// 30 MB more resident memory.
const lspGCBudget = 64 << 20

// budget is the budget in force: gcBudget, or lspGCBudget once serverGC
// raised it.
var budget atomic.Int64

func currentBudget() int64 {
	if b := budget.Load(); b != 0 {
		return b
	}
	return gcBudget
}

// limitFor is the memory limit for a live heap of live bytes: the budget,
// or, once the live heap needs more, room for half the budget or half the
// live heap again above it, whichever is more (GOGC=50 for large heaps).
//
// Why not twice the live heap (GOGC=100): a run's live heap peaks for a
// moment, while the Index is built from the decoded facts; doubling that
// raised the limit, and the resident set, by up to a third for the last
// moments of the run (docs/performance.md). What a run keeps while it loads is records the collector
// does not scan, so a cycle costs little and GOGC=50's extra cycles on
// large heaps are cheap (docs/performance.md, round four).
func limitFor(live uint64) int64 {
	l, b := int64(live), currentBudget()
	return max(b, l+b/2, l+l/2)
}

// tuneGC applies the policy unless the environment sets GOGC or
// GOMEMLIMIT; it reports whether it did.
func tuneGC() bool {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return false
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(currentBudget())
	governing.Store(true)
	armGovernor.Do(arm)
	return true
}

// serverGC gives the language server its budget, lspGCBudget, when the
// policy is applied (not with GOGC or GOMEMLIMIT set, nor in-process).
func serverGC() {
	if governing.Load() {
		budget.Store(lspGCBudget)
		debug.SetMemoryLimit(lspGCBudget)
	}
}

var (
	governing   atomic.Bool
	armGovernor sync.Once
)

// sentinel is garbage the moment it is armed: its finalizer runs after
// the next collection, adjusts the limit and arms a new one, so the
// governor sees every collection without polling.
type sentinel struct{ _ *int }

func arm() {
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
		if governing.Load() {
			adjustLimit()
		}
		arm()
	})
}

// adjustLimit sets the limit for the live heap the last collection found.
func adjustLimit() {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		debug.SetMemoryLimit(limitFor(s[0].Value.Uint64()))
	}
}
