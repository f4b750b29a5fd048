#!/usr/bin/env bash
# Monte Carlo speed against solver peers, measured side by side in one run (issue 16).
#
# 1. corridor, whole process, one thread: `corridor run` of the first RUNS replicate-years of
#    the scenario (default 200).
# 2. The same replicates traced: `cargo bench --bench solves` with TRACE writes every
#    min-cost maximum-flow problem corridor solved for them (its event-driven days only, every
#    phase of nominated dispatch), with corridor's answers.
# 3. bench/peers/solves.py solves those very problems with OR-Tools SimpleMinCostFlow
#    (incremental: a graph shape seen before only gets its changed capacities) and with HiGHS
#    dual simplex via highspy (warm-started from the last basis of the same shape). Every
#    replicate's total flow and cost must agree with corridor's within 1e-4 (relative). Only
#    the peers' solving loop is timed: they get corridor's dispatch logic and its skipping of
#    unchanged days for free.
# 4. The table prints: seconds on one core for the same RUNS replicate-years, no extrapolation.
#    Then corridor's throughput on 2 cores (10,000 replicate-years) and its 2-thread speed-up.
#
# REFERENCE=1 also runs bench/peers/day_loop.py (OR-Tools, rebuilding and solving all 365 days,
# the pre-nomination dispatch of 2026-11-30) on the same replicates, as a labelled reference:
# its answers are not corridor's any more, so it is not checked.
#
# The peers install into a venv this script creates (target/peers-venv); they are never a test
# dependency. Usage: RUNS=200 bench/peers.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SCENARIO=scenarios/mc-random-failures.toml
RUNS=${RUNS:-200}
VENV=target/peers-venv
cargo build --release --quiet
cargo bench --bench solves --no-run --quiet 2>/dev/null
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet ortools highspy numpy
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
C="${CARGO_TARGET_DIR:-target}/release/corridor"
T() { /usr/bin/time -f "%e %M" -o "$tmp/$1" "${@:2}" >/dev/null; }

echo "== corridor, $RUNS replicate-years of $SCENARIO, one thread"
RAYON_NUM_THREADS=1 T c1 "$C" run "$SCENARIO" --runs "$RUNS" --out "$tmp/o" --quiet
echo "== tracing the min-cost-flow problems of the same replicates"
RUNS=$RUNS TRACE="$tmp/trace.jsonl" cargo bench --quiet --bench solves 2>/dev/null | grep traced
echo "== peers on the same problems"
for b in ortools highs; do
  "$VENV/bin/python" bench/peers/solves.py "$b" "$tmp/trace.jsonl" | tail -1 > "$tmp/$b.json"
done
if [ "${REFERENCE:-0}" = 1 ]; then
  echo "== reference: the 2026-11-30 every-day loop"
  "$C" network --format json > "$tmp/network.json" 2>/dev/null
  "$C" histories "$SCENARIO" --runs "$RUNS" --out "$tmp/histories.json" 2>/dev/null
  "$VENV/bin/python" bench/peers/day_loop.py ortools "$tmp/network.json" "$tmp/histories.json" "$RUNS" > "$tmp/ref.json"
fi
echo "== corridor on 2 cores"
T c10k "$C" run "$SCENARIO" --runs 10000 --out "$tmp/o" --quiet
RAYON_NUM_THREADS=1 T t1 "$C" run "$SCENARIO" --runs 2000 --out "$tmp/o" --quiet
RAYON_NUM_THREADS=2 T t2 "$C" run "$SCENARIO" --runs 2000 --out "$tmp/o" --quiet

"$VENV/bin/python" - "$tmp" "$RUNS" <<'PY'
import json, os, sys
d, runs = sys.argv[1], int(sys.argv[2])
def t(name):
    return float(open(os.path.join(d, name)).read().split()[0])
ours = t("c1")
rows = [(f"corridor (whole process: load, {runs} replicate-years, statistics, charts)", ours, None)]
ok = True
for name, label in (("ortools", "OR-Tools SimpleMinCostFlow, incremental (changed capacities only)"),
                    ("highs", "HiGHS dual simplex (highspy), warm-started from the last basis")):
    r = json.load(open(os.path.join(d, name + ".json")))
    ok &= r["agree"] and r["replicates"] == runs
    rows.append((f"{label}: {r['problems']:,} problems, answers agree to "
                 f"{r['worst_relative_disagreement']:.1e}", r["seconds"], r["seconds"] / ours))
if os.path.exists(os.path.join(d, "ref.json")):
    r = json.load(open(os.path.join(d, "ref.json")))
    rows.append(("reference only: day_loop.py, OR-Tools rebuilding and solving all 365 days, "
                 "pre-nomination dispatch (answers not comparable)", r["seconds"], r["seconds"] / ours))
print(f"\n| implementation ({runs} replicate-years, same failure histories) | seconds, 1 core | corridor faster by |")
print("|---|---|---|")
for label, secs, ratio in rows:
    print(f"| {label} | {secs:.2f} | {'—' if ratio is None else f'{ratio:.1f}×'} |")
s10k, s1, s2 = t("c10k"), t("t1"), t("t2")
print(f"\ncorridor, 2 threads: 10,000 replicate-years in {s10k:.2f} s; 2,000 in {s1:.2f} s on 1 thread "
      f"vs {s2:.2f} s on 2 ({s1 / s2:.2f}×)")
if not ok:
    print("a peer's answers disagree with corridor's (or it missed replicates)", file=sys.stderr)
sys.exit(0 if ok else 1)
PY
