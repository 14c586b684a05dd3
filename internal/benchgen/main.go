// Command benchgen writes zdlint's deterministic benchmark corpus:
//
//	go run ./internal/benchgen -n 10000 -out /tmp/bench-10000
//
// The same -n and -seed always give the same files (see package corpus).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/zdlint/zdlint/internal/benchgen/corpus"
)

func main() {
	n := flag.Int("n", 1000, "number of files")
	out := flag.String("out", "", "output `DIR` (created)")
	seed := flag.Uint64("seed", corpus.DefaultSeed, "random seed")
	flag.Parse()
	if *out == "" || *n < 0 {
		fmt.Fprintln(os.Stderr, "usage: benchgen -n N -out DIR [-seed S]")
		os.Exit(2)
	}
	if err := corpus.Write(*out, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "benchgen:", err)
		os.Exit(1)
	}
}
