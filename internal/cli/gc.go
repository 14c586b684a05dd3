package cli

import (
	"os"
	"runtime/debug"
)

// tuneGC sets the garbage collector for a run over n files, unless GOGC or
// GOMEMLIMIT says otherwise. A lint run allocates a lot and keeps little
// (a compact fact per object, the findings), so the default GOGC=100
// collects far more often than memory requires: profiles of 10,000 files
// showed 14% of CPU in the collector. A higher GOGC collects less often;
// the soft memory limit, which grows with the number of files (roughly
// what a file's facts and findings keep, plus room for the files being
// parsed), keeps the peak bounded. It scales with n so a large input is
// never squeezed below what it must keep, which would make the collector
// run continuously.
func tuneGC(n int) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(gcMemoryLimit(n))
}

// gcMemoryLimit is the soft heap limit for n files.
func gcMemoryLimit(n int) int64 {
	// A run keeps about 3.5 KiB per file until the end (facts for the
	// cross-object rules, deferred checks, findings; measured with
	// --memprofile on the generated corpus). 8 KiB per file keeps the
	// collector well clear of the live heap: at 5 KiB, 10,000 files used
	// 83 MB instead of 113 MB but took 12% longer, because each collection
	// near the limit marks the whole live heap for little freed memory.
	const base, perFile = 24 << 20, 8 << 10
	return base + int64(n)*perFile
}
