//go:build !unix

package cli

import "time"

// processCPU is not measured here (BenchmarkLSPChange reports 0).
func processCPU(int) time.Duration { return 0 }

func processMemory(int) (rss, peak int64, ok bool) { return 0, 0, false }
