package yamledit

import "flag"

// CONTRIBUTING.md rewrites golden files with 'go test ./... -update'. This
// package has none, but its test binary must accept the flag, or that
// command fails here.
var _ = flag.Bool("update", false, "accepted for 'go test ./... -update'; this package has no golden files")
