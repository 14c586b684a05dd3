package cli

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// GC policy. A lint run allocates about 90 KB per file and keeps about
// 0.5 KB of it, as pointer-free records (findings, deferred checks and
// facts, see internal/engine/record.go and rules.FactWriter), so what the
// collector costs depends on how much room the heap has above that live
// set, not on a growth ratio: GOGC=100 collects whenever the heap doubles,
// which on a small live heap means constantly (14% of CPU on 10,000
// files). Instead zdlint runs with a memory budget and no GOGC trigger:
// the collector runs when the Go heap and runtime reach gcBudget. A
// 10,000-file run, about 9 MB live while it loads and 16 MB while it
// builds the Index, reaches it about 75 times and stays under 40 MiB
// resident; a 1,000-file run about 5 times. After every collection a governor
// raises the limit to twice the live heap when that exceeds the budget
// (limitFor), so a run over 100,000 files grows its limit with what
// it keeps instead of collecting without pause. GOGC or GOMEMLIMIT in the
// environment turn all of this off.
const gcBudget = 32 << 20

// limitFor is the memory limit for a live heap of live bytes: the budget,
// or twice the live heap once that is more (what GOGC=100 would allow).
func limitFor(live uint64) int64 {
	return max(gcBudget, 2*int64(live))
}

// tuneGC applies the policy unless the environment sets GOGC or
// GOMEMLIMIT; it reports whether it did.
func tuneGC() bool {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return false
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(gcBudget)
	governing.Store(true)
	armGovernor.Do(arm)
	return true
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
