//go:build !unix

package cli

import "time"

// processCPU is not measured here (BenchmarkLSPChange reports 0).
func processCPU() time.Duration { return 0 }
