#!/usr/bin/env bash
# Run times of `corridor optimise` on the shipped catalogue (issue 17): the exhaustive search
# and the local search side by side on the same replicate-years of
# scenarios/mc-random-failures.toml at four budgets, then --robust --stage. Prints wall time,
# peak RSS, the portfolios each simulated and the best portfolio per budget (the two searches
# must agree), in one run. Timings are recorded in bench/README.md, never asserted in tests.
# Usage: RUNS=2000 ROBUST_RUNS=500 bench/optimise.sh      (needs GNU time at /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/corridor"
runs="${RUNS:-2000}"
robust_runs="${ROBUST_RUNS:-500}"
budgets="0,50e6,150e6,400e6"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf "%-44s %8s %12s %11s  %s\n" "command (budgets $budgets)" "wall s" "peak RSS KB" "portfolios" "best per budget"
one() {
  local name=$1
  shift
  /usr/bin/time -o "$tmp/time" -f "%e %M" \
    "$bin" optimise scenarios/mc-random-failures.toml --budget "$budgets" --out "$tmp/$name" --quiet "$@" >/dev/null
  read -r wall rss < "$tmp/time"
  local dir="$tmp/$name/mc-random-failures/optimise"
  local n best
  n=$(($(wc -l < "$dir/portfolios.csv") - 1))
  best=$(awk -F, '$2 == "best" { printf "%s ", $3 }' "$dir/choice.csv")
  printf "%-44s %8.1f %12d %11d  %s\n" "$name $*" "$wall" "$rss" "$n" "$best"
}
one exhaustive --runs "$runs" --search exhaustive
one local --runs "$runs" --search local
one robust-stage --runs "$robust_runs" --robust --stage
