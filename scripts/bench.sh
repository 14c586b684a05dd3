#!/usr/bin/env bash
# Performance figures for docs/performance.md, from one run: builds zdlint
# and the reference program (internal/benchref), generates the corpora
# (internal/benchgen) under /tmp, and times every case RUNS times with
# /usr/bin/time -v, round-robin (see run_cases), printing the median wall
# time, CPU time (user+sys) and peak RSS of each, and the ratios to the
# reference. kube-score and kubeconform are timed too when installed (or
# installable with go install); OTHERS=0 leaves them out.
#
#   scripts/bench.sh            # RUNS=5
#   RUNS=9 scripts/bench.sh
#
# Set NO_INSTALL=1 to skip installing time/hyperfine and the other linters.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
WORK=${WORK:-/tmp/zdlint-bench}
mkdir -p "$WORK"

if [ ! -x /usr/bin/time ] && [ -z "${NO_INSTALL:-}" ]; then
  if command -v apt-get >/dev/null; then apt-get install -y time hyperfine >/dev/null 2>&1 || true; fi
fi
if [ ! -x /usr/bin/time ]; then echo "bench.sh: /usr/bin/time (Debian package time) is required" >&2; exit 1; fi

GOBIN=$(go env GOPATH)/bin
if [ -z "${NO_INSTALL:-}" ]; then
  command -v kube-score >/dev/null || [ -x "$GOBIN/kube-score" ] || go install github.com/zegl/kube-score/cmd/kube-score@latest >/dev/null 2>&1 || true
  command -v kubeconform >/dev/null || [ -x "$GOBIN/kubeconform" ] || go install github.com/yannh/kubeconform/cmd/kubeconform@latest >/dev/null 2>&1 || true
fi
find_tool() { command -v "$1" 2>/dev/null || { [ -x "$GOBIN/$1" ] && echo "$GOBIN/$1"; } || true; }
KUBE_SCORE=$(find_tool kube-score)
KUBECONFORM=$(find_tool kubeconform)
if [ "${OTHERS:-1}" = 0 ]; then KUBE_SCORE= KUBECONFORM=; fi

# Static builds, as released (zdlint uses no cgo): a dynamic binary also
# maps libc, 1.5 MB more resident memory and a slower start. The
# reference is built the same way, so the ratios compare like with like.
CGO_ENABLED=0 go build -trimpath -o "$WORK/zdlint" ./cmd/zdlint
CGO_ENABLED=0 go build -trimpath -o "$WORK/benchref" ./internal/benchref
for n in 1000 10000; do
  [ -d "$WORK/bench-$n" ] || go run ./internal/benchgen -n "$n" -out "$WORK/bench-$n"
done
ONE=$WORK/bench-1000/team-000/$(ls "$WORK/bench-1000/team-000" | head -n1)

# Cases are timed round-robin: each of RUNS rounds runs every case once,
# so a slow spell of this shared machine hits every case alike and the
# ratios (to the reference, 10,000 files to 1,000) compare runs taken at
# the same time. add_case NAME CMD... registers a case; run_cases appends
# "name wall cpu rss" (medians; seconds, seconds, KiB) to $WORK/results.
NAMES=()
CMDS=()
add_case() {
  local name=$1; shift
  NAMES+=("$name")
  CMDS+=("$(printf '%q ' "$@")")
}
run_cases() {
  local i r
  rm -rf "$WORK/raw" && mkdir -p "$WORK/raw"
  for i in "${!NAMES[@]}"; do eval "${CMDS[$i]}" >/dev/null 2>&1 || true; done # warm the page cache
  for r in $(seq "$RUNS"); do
    for i in "${!NAMES[@]}"; do
      eval "/usr/bin/time -v -o $(printf '%q' "$WORK/time.out") ${CMDS[$i]}" >/dev/null 2>&1 || true
      awk -F': ' '
        /Elapsed \(wall clock\)/ {n=split($2,a,":"); w=0; for(i=1;i<=n;i++) w=w*60+a[i]}
        /User time/ {u=$2} /System time/ {s=$2} /Maximum resident set size/ {m=$2}
        END {print w, u+s, m}' "$WORK/time.out" >>"$WORK/raw/$i"
    done
  done
  : >"$WORK/results"
  median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  for i in "${!NAMES[@]}"; do
    echo "${NAMES[$i]} $(cut -d' ' -f1 "$WORK/raw/$i" | median) $(cut -d' ' -f2 "$WORK/raw/$i" | median) $(cut -d' ' -f3 "$WORK/raw/$i" | median)" >>"$WORK/results"
  done
}

# A single file needs more resolution than /usr/bin/time's 10 ms: loop.
loop() { local n=$1; shift; for _ in $(seq "$n"); do "$@" >/dev/null 2>&1 || true; done; }
export -f loop

# OTHERS_ONLY=1 times the reference and the other linters only.
add_case "reference/1-file-x100"  bash -c "loop 100 $WORK/benchref $ONE"
[ -n "${OTHERS_ONLY:-}" ] || add_case "zdlint/1-file-x100"     bash -c "loop 100 $WORK/zdlint -q $ONE"
for n in 1000 10000; do
  add_case "reference/$n" "$WORK/benchref" "$WORK/bench-$n"
  [ -n "${OTHERS_ONLY:-}" ] || add_case "zdlint/$n"    "$WORK/zdlint" -q "$WORK/bench-$n"
done
if [ -z "${OTHERS_ONLY:-}" ]; then
  add_case "zdlint-json/10000"  "$WORK/zdlint" -q -f json "$WORK/bench-10000"
  add_case "zdlint-sarif/10000" "$WORK/zdlint" -q -f sarif "$WORK/bench-10000"
fi
if [ -n "$KUBECONFORM" ]; then
  # kubeconform downloads JSON schemas; without network access (this
  # script's default) it is given an empty local schema directory and
  # -ignore-missing-schemas, so it parses and skips: a lower bound on its
  # time, not a validation run. Set KUBECONFORM_SCHEMAS to a schema
  # location to time real validation.
  mkdir -p "$WORK/kc-schemas"
  KC_LOC="$WORK/kc-schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json"
  if [ -n "${KUBECONFORM_SCHEMAS:-}" ]; then KC_LOC=$KUBECONFORM_SCHEMAS; fi
  add_case "kubeconform/1-file-x100" bash -c "loop 100 $KUBECONFORM -schema-location '$KC_LOC' -ignore-missing-schemas $ONE"
  add_case "kubeconform/10000" "$KUBECONFORM" -schema-location "$KC_LOC" -ignore-missing-schemas -summary "$WORK/bench-10000"
fi
if [ -n "$KUBE_SCORE" ]; then
  add_case "kube-score/1-file-x100" bash -c "loop 100 $KUBE_SCORE score $ONE"
  add_case "kube-score/10000" bash -c "find $WORK/bench-10000 -name '*.yaml' -print0 | xargs -0 $KUBE_SCORE score >/dev/null"
fi
run_cases

{
  echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(go version | cut -d' ' -f3)"
  echo "runs per case: $RUNS (medians); ratios are to the reference of the same size"
  echo
  printf '| %-26s | %9s | %9s | %9s | %10s | %9s |\n' case "wall (s)" "CPU (s)" "RSS (MiB)" "wall ratio" "CPU ratio"
  printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..28})" "-----------" "-----------" "-----------" "------------" "-----------"
  awk '
    { name[NR]=$1; wall[NR]=$2; cpu[NR]=$3; rss[NR]=$4; split($1, p, "/"); if (p[1]=="reference") { rw[p[2]]=$2; rc[p[2]]=$3 } }
    END {
      for (i=1; i<=NR; i++) {
        split(name[i], p, "/"); size=p[2]
        wr = (rw[size] > 0) ? sprintf("%.2fx", wall[i]/rw[size]) : "-"
        cr = (rc[size] > 0) ? sprintf("%.2fx", cpu[i]/rc[size]) : "-"
        printf "| %-26s | %9.2f | %9.2f | %9.1f | %10s | %9s |\n", name[i], wall[i], cpu[i], rss[i]/1024, wr, cr
      }
    }' "$WORK/results"
  echo
  echo "1-file-x100 rows run the command 100 times in a loop (RSS is one run's)."
  echo "linear growth: zdlint/10000 wall / zdlint/1000 wall = $(awk '$1=="zdlint/1000"{a=$2} $1=="zdlint/10000"{b=$2} END {printf "%.2f", b/a}' "$WORK/results")"
  small= large=
  for i in "${!NAMES[@]}"; do
    case ${NAMES[$i]} in zdlint/1000) small=$i ;; zdlint/10000) large=$i ;; esac
  done
  if [ -n "$small" ] && [ -n "$large" ]; then
    echo "  per round (10,000 and 1,000 files timed in the same round): $(paste -d' ' "$WORK/raw/$large" "$WORK/raw/$small" | awk '{printf "%.2f\n", $1/$4}' | sort -g | tr '\n' ' ')"
  fi
} | tee "$WORK/table.md"
