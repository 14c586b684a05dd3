#!/usr/bin/env bash
# Runs every native Go fuzz target for a short, bounded time (FUZZTIME,
# default 20s each). A crasher fails the run and is written under the
# package's testdata/fuzz/<FuzzName>/: fix the bug and commit the file as
# a regression seed (docs/reliability.md).
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZTIME=${FUZZTIME:-20s}
targets=(
  "FuzzLoad ./loader"
  "FuzzPositions ./loader"
  "FuzzDecoders ./loader"
  "FuzzFastDecode ./loader"
  "FuzzOutput ./internal/output"
)
for t in "${targets[@]}"; do
  read -r name pkg <<<"$t"
  echo "--- $name ($pkg, $FUZZTIME)"
  go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" "$pkg"
done
