#!/usr/bin/env bash
# Sharded comparisons and extended runs against their one-process equivalents (issue 15), on
# scenarios/mc-random-failures.toml, in one run of this script:
#   1. `corridor compare --variants OPTIONS --sensitivity --runs RUNS` in one process, then in
#      SHARDS shards run one after another (each with every core) and merged: wall times, the
#      partials' size, the merge's wall time and peak RSS, and a byte-for-byte check;
#   2. `corridor run --runs RUNS` in one process, then `--runs RUNS/2 --keep-state` extended by
#      `--extend` to RUNS: wall times (the fastest of REPEAT, default 3), the state's size, and
#      a byte-for-byte check.
# Usage: RUNS=1000 SHARDS=4 OPTIONS=kcts,aktau-expansion+tankers bench/scale-out.sh
#        (needs GNU time at /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/corridor"
runs=${RUNS:-1000}
shards=${SHARDS:-4}
options=${OPTIONS:-kcts,aktau-expansion+tankers}
scenario=scenarios/mc-random-failures.toml
name=mc-random-failures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
timed() {  # OUTFILE COMMAND...: runs COMMAND, writes "wall_s peak_rss_kb" to OUTFILE
  local out=$1
  shift
  /usr/bin/time -o "$out" -f "%e %M" "$@" >/dev/null 2>&1
}

echo "compare: $runs replicate-years, options status-quo,$options, with --sensitivity, $(nproc) cores"
timed "$tmp/t.single" "$bin" compare "$scenario" --variants "$options" --sensitivity \
  --runs "$runs" --out "$tmp/single" --quiet
shard_total=0
for (( k = 1; k <= shards; k++ )); do
  timed "$tmp/t.shard" "$bin" compare "$scenario" --variants "$options" --sensitivity \
    --runs "$runs" --shard "$k/$shards" --out "$tmp/parts" --quiet
  shard_total=$(awk -v a="$shard_total" -v b="$(cut -d' ' -f1 "$tmp/t.shard")" 'BEGIN { print a + b }')
done
timed "$tmp/t.merge" "$bin" merge "$tmp/parts/$name/compare"/partial-*-of-"$shards".json \
  --out "$tmp/merged"
diff -r "$tmp/single/$name/compare" "$tmp/merged/$name/compare" >/dev/null \
  || { echo "the merged comparison differs from the single process" >&2; exit 1; }
kb=$(du -sk "$tmp/parts/$name/compare" | cut -f1)
read -r single _ < "$tmp/t.single"
read -r merge merge_rss < "$tmp/t.merge"
printf "  one process: %.2f s\n  %d shards: %.2f s in all, partials %.1f MB; merge %.2f s, peak RSS %.1f MB\n" \
  "$single" "$shards" "$shard_total" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" "$merge" \
  "$(awk -v k="$merge_rss" 'BEGIN { print k / 1024 }')"
echo "  merged comparison identical to the one process: $(find "$tmp/merged/$name/compare" -type f | wc -l) files"

half=$(( runs / 2 ))
echo "run: $runs replicate-years, against $half kept and extended to $runs"
# Each timed REPEAT times (default 3), the fastest kept: a shared machine's timings wander.
keep_faster() {  # FILE: $tmp/t.try becomes FILE if FILE is absent or slower
  if [ ! -f "$1" ] || awk -v a="$(cut -d' ' -f1 "$tmp/t.try")" -v b="$(cut -d' ' -f1 "$1")" \
    'BEGIN { exit !(a < b) }'; then
    cp "$tmp/t.try" "$1"
  fi
}
for (( i = 0; i < ${REPEAT:-3}; i++ )); do
  rm -rf "$tmp/whole" "$tmp/ext"
  timed "$tmp/t.try" "$bin" run "$scenario" --runs "$runs" --keep-state --out "$tmp/whole" --quiet
  keep_faster "$tmp/t.whole"
  timed "$tmp/t.try" "$bin" run "$scenario" --runs "$half" --keep-state --out "$tmp/ext" --quiet
  keep_faster "$tmp/t.half"
  timed "$tmp/t.try" "$bin" run "$scenario" --runs "$runs" --extend --out "$tmp/ext" --quiet
  keep_faster "$tmp/t.ext"
done
diff -r "$tmp/whole/$name" "$tmp/ext/$name" >/dev/null \
  || { echo "the extended run differs from the single run" >&2; exit 1; }
read -r whole _ < "$tmp/t.whole"
read -r first _ < "$tmp/t.half"
read -r ext ext_rss < "$tmp/t.ext"
printf "  one run: %.2f s\n  %d kept: %.2f s, extended to %d: %.2f s (peak RSS %.1f MB); state %.1f MB\n  (fastest of %d each)\n" \
  "$whole" "$half" "$first" "$runs" "$ext" "$(awk -v k="$ext_rss" 'BEGIN { print k / 1024 }')" \
  "$(awk -v b="$(stat -c %s "$tmp/ext/$name/mc_state.json")" 'BEGIN { print b / 1048576 }')" \
  "${REPEAT:-3}"
echo "  extended run identical to the single run: $(find "$tmp/ext/$name" -type f | wc -l) files"
