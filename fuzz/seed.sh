#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the shipped files: every scenario (history too), every
# network file (prefixed with the byte that picks it), every variant, the replay CSV and a
# production series. The corpus grows as the fuzzer runs; it is not committed.
set -euo pipefail
cd "$(dirname "$0")"
root=..
rm -rf corpus && mkdir -p corpus/{scenario,network,variant,csv}
for f in "$root"/scenarios/*.toml "$root"/scenarios/history/*.toml; do
    cp "$f" "corpus/scenario/$(basename "$(dirname "$f")")-$(basename "$f")"
done
# The network target's first byte picks the file in sorted order, as the embedded list is.
k=0
for f in $(ls "$root"/routes/*.toml | sort); do
    { printf "\\$(printf '%03o' "$k")"; cat "$f"; } > "corpus/network/$k-$(basename "$f")"
    k=$((k + 1))
done
cp "$root"/scenarios/variants/*.toml corpus/variant/
{ printf '\000'; cat "$root/scenarios/data/replay-2022.csv"; } > corpus/csv/replay-2022.csv
printf '\001date,value\n2026-01-01,39\n2026-03-01,30.5\n2026-06-01,41\n' > corpus/csv/series.csv
# Crashes found before, kept as regression inputs.
for t in scenario network variant csv; do
    [ -d "regressions/$t" ] && cp regressions/"$t"/* "corpus/$t/" 2>/dev/null || true
done
for t in scenario network variant csv; do echo "$t: $(ls corpus/$t | wc -l) seeds"; done
