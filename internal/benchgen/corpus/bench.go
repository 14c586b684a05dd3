package corpus

import (
	"os"
	"strconv"
	"testing"
)

// BenchFiles is how many files the stage benchmarks generate:
// $ZDLINT_BENCH_FILES, else 200, small enough for CI's -benchtime=1x run.
// scripts/bench.sh measures the full-size corpora with the binaries.
func BenchFiles() int {
	if n, err := strconv.Atoi(os.Getenv("ZDLINT_BENCH_FILES")); err == nil && n > 0 {
		return n
	}
	return 200
}

// ForBench generates the benchmark corpus in memory and in a temporary
// directory, returning both; the directory is removed when b ends.
func ForBench(b testing.TB) (dir string, files []File) {
	b.Helper()
	dir = b.TempDir()
	n := BenchFiles()
	if err := Write(dir, n, DefaultSeed); err != nil {
		b.Fatal(err)
	}
	return dir, Generate(n, DefaultSeed)
}

// Bytes returns the corpus's total size, for b.SetBytes.
func Bytes(files []File) int64 {
	var n int64
	for _, f := range files {
		n += int64(len(f.Data))
	}
	return n
}
