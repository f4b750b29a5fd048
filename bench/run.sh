#!/usr/bin/env bash
# Records corridor's performance figures on this machine: criterion micro-benchmarks of the
# network indicators, and wall time of the whole `corridor network --out` command.
# Usage: bench/run.sh            (prints a summary; criterion details in target/criterion/)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
echo "== criterion (median per iteration)"
for b in network scenario; do
  cargo bench --quiet --bench "$b" -- --noplot 2>/dev/null | grep -E "^[a-z0-9_-]+( |$)|time:" || true
done
echo "== corridor network --out (release binary, 20 runs, threads = ${RAYON_NUM_THREADS:-all})"
tmp=$(mktemp -d)
start=$(date +%s.%N)
for _ in $(seq 20); do ./target/release/corridor network --out "$tmp" >/dev/null 2>&1; done
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "mean wall time: %.1f ms per run\n", (e - s) / 20 * 1000 }'
echo "== corridor run scenarios/*.toml (release binary, 10 runs)"
start=$(date +%s.%N)
for _ in $(seq 10); do ./target/release/corridor run scenarios/*.toml --out "$tmp" >/dev/null 2>&1; done
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "mean wall time: %.1f ms per run of all shipped scenarios\n", (e - s) / 10 * 1000 }'
echo "== Monte Carlo: scenarios/mc-random-failures.toml (release binary)"
for runs in 1000 10000; do
  /usr/bin/time -f "  $runs replicate-years: %e s wall, peak RSS %M KB" \
    ./target/release/corridor run scenarios/mc-random-failures.toml --runs "$runs" --out "$tmp" --quiet >/dev/null
done 2>&1
for threads in 1 2; do
  start=$(date +%s.%N)
  RAYON_NUM_THREADS=$threads ./target/release/corridor run scenarios/mc-random-failures.toml --runs 2000 --out "$tmp" --quiet >/dev/null
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" -v t="$threads" 'BEGIN { printf "  %d thread(s): %.0f replicate-years per second\n", t, 2000 / (e - s) }'
done
rm -rf "$tmp"
