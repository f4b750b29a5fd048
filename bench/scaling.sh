#!/usr/bin/env bash
# How corridor scales with the size of the network (issue 16), in one run of this script.
#
# For each size K in SIZES (default "1 10 30 100"), examples/synthetic.rs writes K copies of the
# Kazakh network side by side (every figure marked as a synthetic estimate) with the shipped
# Monte Carlo scenario on it, and this script measures, release build:
#   - load + indicators: `corridor network --routes DIR --format json` (parse, validate, maximum
#     flow, N-1 over every capacitated asset, the share via Russia), wall time and peak RSS;
#   - map and charts: `corridor network --routes DIR --chart --out …`;
#   - baseline year: `corridor run baseline.toml` (the scenario without failures, 365 days);
#   - Monte Carlo: `cargo bench --bench solves` on RUNS_K replicate-years, one thread: events,
#     oil solves and milliseconds per replicate-year (simulation only, no loading or output);
#     and the peak RSS of `corridor run mc.toml --runs RUNS_K`.
# Then it fits time ∝ K^b by least squares on the logs, for each measure.
# RUNS_K = max(2, MC_RUNS / K) replicate-years (MC_RUNS default 200).
# Usage: SIZES="1 10 30 100" MC_RUNS=200 bench/scaling.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-1 10 30 100}
MC_RUNS=${MC_RUNS:-200}
cargo build --release --quiet --example synthetic
cargo bench --bench solves --no-run --quiet 2>/dev/null
C="${CARGO_TARGET_DIR:-target}/release/corridor"
SYN="${CARGO_TARGET_DIR:-target}/release/examples/synthetic"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# T NAME CMD…: runs CMD, writes "seconds peak-RSS-kB" to $tmp/NAME (wall time to the ms).
T() {
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$tmp/$1.rss" "${@:2}" >/dev/null 2>"$tmp/$1.err" || { cat "$tmp/$1.err" >&2; exit 1; }
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000000 ))e-3 $(tail -1 "$tmp/$1.rss")" > "$tmp/$1"
}
for k in $SIZES; do
  d="$tmp/k$k"
  "$SYN" "$k" "$d" | tee "$tmp/size$k"
  runs=$(( MC_RUNS / k )); [ "$runs" -lt 2 ] && runs=2
  T load$k "$C" network --routes "$d/routes" --format json
  T map$k "$C" network --routes "$d/routes" --chart --out "$d/net"
  T base$k "$C" run "$d/baseline.toml" --out "$d/base" --quiet
  RAYON_NUM_THREADS=1 T mc$k "$C" run "$d/mc.toml" --runs "$runs" --out "$d/mc" --quiet
  SCENARIO="$d/mc.toml" RUNS=$runs cargo bench --quiet --bench solves 2>/dev/null > "$tmp/bench$k"
done
python3 - "$tmp" $SIZES <<'PY'
import math, os, re, sys
d, sizes = sys.argv[1], sys.argv[2:]
def read(name):
    return open(os.path.join(d, name)).read()
def timed(name):
    secs, kb = read(name).split()
    return float(secs), float(kb)
R = []
for k in sizes:
    r = {"k": float(k)}
    for m in ("load", "map", "base", "mc"):
        r[m + "_s"], r[m + "_kb"] = timed(m + k)
    bench = read("bench" + k)
    r["events"] = float(re.search(r"failure events sampled: ([0-9.]+)", bench).group(1))
    r["oil_solves"] = float(re.search(r"days solved: oil ([0-9.]+)", bench).group(1))
    r["ms_per_year"] = float(re.search(r"a replicate-year: ([0-9.]+) ms", bench).group(1))
    r["memo"] = re.search(r"memo hits ([0-9.]+)% of components", bench).group(1)
    size = re.search(r"(\d+) nodes, (\d+) links", read("size" + k))
    r["nodes"], r["links"] = float(size.group(1)), float(size.group(2))
    R.append(r)
print("| size | nodes | links | load + indicators (s) | map and charts (s) | baseline year (s) "
      "| events / replicate-year | oil solves / replicate-year | Monte Carlo ms / replicate-year (1 thread) "
      "| memo hits (% of components) | peak RSS, Monte Carlo (MB) |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for r in R:
    print(f"| {r['k']:.0f}× | {r['nodes']:.0f} | {r['links']:.0f} | {r['load_s']:.3f} | {r['map_s']:.3f} "
          f"| {r['base_s']:.3f} | {r['events']:.0f} | {r['oil_solves']:.0f} | {r['ms_per_year']:.1f} "
          f"| {r['memo']} | {r['mc_kb'] / 1024:.1f} |")
def fit(key):
    xs = [math.log(r["k"]) for r in R]
    ys = [math.log(max(r[key], 1e-9)) for r in R]
    n = len(xs)
    if n < 2:
        return float("nan")
    mx, my = sum(xs) / n, sum(ys) / n
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
print()
for key, label in (("load_s", "load + indicators"), ("map_s", "map and charts"), ("base_s", "baseline year"),
                   ("ms_per_year", "Monte Carlo per replicate-year"), ("mc_kb", "peak RSS")):
    print(f"{label}: time ∝ K^{fit(key):.2f}")
big = max(R, key=lambda r: r["k"])
one = min(R, key=lambda r: r["k"])
if big["k"] > one["k"]:
    print(f"\nat {big['k']:.0f}× a replicate-year takes {big['ms_per_year'] / one['ms_per_year']:.0f}× "
          f"the {one['k']:.0f}× time")
PY
