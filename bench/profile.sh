#!/usr/bin/env bash
# Where the Monte Carlo's time goes (issue 16), in one run of this script:
#   1. `cargo bench --bench solves`: per replicate-year of scenarios/mc-random-failures.toml on
#      one thread, the failure events sampled, the days the oil and data layers were solved,
#      the time to sample and to simulate;
#   2. a `perf` profile of `corridor run` on the same scenario (RUNS replicate-years, default
#      300), its samples grouped: the min-cost-flow solver (searches; splitting into
#      components, keys, memo and warm starts), building and reading the daily
#      graphs (the dispatch model), sampling failures, statistics, output, memory allocation,
#      the rest.
# Usage: RUNS=300 bench/profile.sh        (needs `perf`: Debian's linux-perf)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v perf >/dev/null || { echo "profile.sh needs perf (apt-get install linux-perf)" >&2; exit 2; }
runs=${RUNS:-300}
cargo build --release --quiet
RUNS=$runs cargo bench --quiet --bench solves 2>/dev/null | grep -v '^$'
bin="${CARGO_TARGET_DIR:-target}/release/corridor"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
perf record -q -F 999 -o "$tmp/perf.data" "$bin" run scenarios/mc-random-failures.toml \
  --runs "$runs" --out "$tmp/out" --quiet >/dev/null 2>&1
perf report -i "$tmp/perf.data" --stdio --no-children --sort symbol 2>/dev/null \
  | awk -v runs="$runs" '
  /^ *[0-9.]+%/ {
    share = $1; sub(/%/, "", share)
    sym = $0; sub(/^ *[0-9.]+% +\[[^]]*\] +/, "", sym)
    if (sym ~ /engine::flow::/) k = "min-cost-flow solver: searches, pushes and replays (engine::flow)"
    else if (sym ~ /engine::components::|memcmp/) k = "min-cost-flow solver: splitting, keying, memo and warm-start lookups (engine::components)"
    else if (sym ~ /engine::sim::/) k = "daily model: building, keying and reading the graphs (engine::sim)"
    else if (sym ~ /engine::sample|rand_chacha|rand::|rand_distr/) k = "sampling failures (engine::sample, ChaCha)"
    else if (sym ~ /engine::montecarlo|engine::dist|engine::metrics/) k = "statistics (engine::montecarlo, dist, metrics)"
    else if (sym ~ /report::|csv::|plotters|resvg|tiny_skia|usvg|png::|serde_json|ryu|fmt/) k = "output (report, CSV, charts, JSON, formatting)"
    else if (sym ~ /malloc|free|memmove|memset|memcpy|realloc|calloc|alloc::|unlink_chunk|malloc_consolidate/) k = "memory allocation and copies"
    else k = "other"
    t[k] += share
  }
  END { for (k in t) printf "%5.1f%%  %s\n", t[k], k }' | sort -rn >"$tmp/groups"
echo "perf profile of corridor run, $runs replicate-years (share of samples):"
sed 's/^/  /' "$tmp/groups"
