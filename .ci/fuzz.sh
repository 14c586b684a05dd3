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
  "FuzzTemplate ./render"
  "FuzzFix ./internal/cli"
)
# Go 1.26's fuzz coordinator can fail a target with a bare "context
# deadline exceeded" when -fuzztime expires while a worker is mid-call
# (golang/go#75804, fixed in Go 1.27): no input failed and nothing is
# written to testdata. That is reported as a flake, not a failure; any
# other failure, or a failing input written to testdata/fuzz, fails the run.
status=0
for t in "${targets[@]}"; do
  read -r name pkg <<<"$t"
  echo "--- $name ($pkg, $FUZZTIME)"
  log=$(mktemp)
  set +e
  go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" "$pkg" 2>&1 | tee "$log"
  code=${PIPESTATUS[0]}
  set -e
  if [ "$code" -ne 0 ]; then
    if ! grep -q 'Failing input written to' "$log" &&
       [ "$(grep -c -- '--- FAIL' "$log")" -eq 1 ] &&
       grep -A1 -- '--- FAIL' "$log" | tail -n1 | grep -qx '[[:space:]]*context deadline exceeded'; then
      echo "::warning:: $name: fuzz coordinator deadline race (golang/go#75804), no failing input; not a failure"
    else
      status=1
    fi
  fi
  rm -f "$log"
done
exit "$status"
