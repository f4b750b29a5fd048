#!/usr/bin/env bash
# Peak RSS of the Monte Carlo against the number of replicate-years (issue 14: memory flat in
# the number of replicates). Runs scenarios/mc-random-failures.toml with the release binary at
# each count given (default 1000 10000 100000 300000; 300,000 takes about 35 min on 2 cores)
# and prints wall time, peak RSS and the ratio to the first count's RSS.
# Usage: bench/memory.sh [RUNS...]      (needs GNU time at /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/corridor"
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1000 10000 100000 300000)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
first=""
printf "%-12s %10s %14s %10s\n" "replicates" "wall s" "peak RSS KB" "vs first"
for n in "${counts[@]}"; do
  /usr/bin/time -o "$tmp/time" -f "%e %M" \
    "$bin" run scenarios/mc-random-failures.toml --runs "$n" --out "$tmp/out" --quiet >/dev/null
  read -r wall rss < "$tmp/time"
  [ -n "$first" ] || first=$rss
  awk -v n="$n" -v w="$wall" -v r="$rss" -v f="$first" \
    'BEGIN { printf "%-12s %10.1f %14d %9.1f%%\n", n, w, r, (r / f - 1) * 100 }'
done
