#!/usr/bin/env bash
# Peak RSS of `corridor merge` against the number of shards (issue 15: memory flat in the
# number of shards). Splits RUNS replicate-years (default 1,000) of
# scenarios/mc-random-failures.toml into each shard count given (default 10 100 1000), runs the
# shards NPROC at a time, merges them, checks the merge byte for byte against a single run, and
# prints the partials' total size, the merge's wall time and peak RSS, and the ratio to the
# first count's RSS.
# Usage: RUNS=1000 bench/merge.sh [SHARDS...]      (needs GNU time at /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/corridor"
runs=${RUNS:-1000}
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(10 100 1000)
scenario=scenarios/mc-random-failures.toml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" run "$scenario" --runs "$runs" --out "$tmp/single" --quiet >/dev/null
first=""
printf "%-8s %12s %16s %10s %14s %10s\n" "shards" "replicates" "partials MB" "merge s" "peak RSS KB" "vs first"
for n in "${counts[@]}"; do
  seq 1 "$n" | xargs -P "$(nproc)" -I{} \
    "$bin" run "$scenario" --runs "$runs" --shard "{}/$n" --out "$tmp/p$n" --quiet >/dev/null
  mb=$(du -sm "$tmp/p$n" | cut -f1)
  /usr/bin/time -o "$tmp/time" -f "%e %M" \
    "$bin" merge "$tmp/p$n"/mc-random-failures/partial-*-of-"$n".json --out "$tmp/m$n" 2>/dev/null >/dev/null
  read -r wall rss < "$tmp/time"
  diff -r "$tmp/single/mc-random-failures" "$tmp/m$n/mc-random-failures" >/dev/null \
    || { echo "merge of $n shards differs from the single run" >&2; exit 1; }
  [ -n "$first" ] || first=$rss
  awk -v n="$n" -v r0="$runs" -v mb="$mb" -v w="$wall" -v r="$rss" -v f="$first" \
    'BEGIN { printf "%-8s %12d %16d %10.2f %14d %9.1f%%\n", n, r0, mb, w, r, (r / f - 1) * 100 }'
  rm -rf "$tmp/p$n" "$tmp/m$n"
done
echo "identical to the single run: every merge"
