#!/usr/bin/env bash
# Monte Carlo speed against Python peers, measured side by side in one run.
#
# 1. corridor runs the shipped 10,000 replicate-year scenario and reports replicate-years/s
#    (2 threads, and 1 thread on 2,000 replicates), and peak RSS at 1,000 and 10,000.
# 2. The same network (`corridor network --format json`) and the same sampled failure histories
#    (`corridor histories`) feed bench/peers/day_loop.py, a plain Python day loop solving every
#    day with networkx `max_flow_min_cost` and with OR-Tools `SimpleMinCostFlow`.
# 3. Each peer's total exports must agree with corridor's within 0.1%; then the ratios print.
#
# The peers run on a subset of replicates (PEER_NX, PEER_ORT) and are extrapolated per
# replicate-year, as printed. They install into a venv this script creates (target/peers-venv);
# they are never a test dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
SCENARIO=${SCENARIO:-scenarios/mc-random-failures.toml}
PEER_NX=${PEER_NX:-2}
PEER_ORT=${PEER_ORT:-20}
VENV=target/peers-venv
cargo build --release --quiet
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet networkx ortools
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
C=./target/release/corridor

echo "== corridor ($SCENARIO)"
/usr/bin/time -f "%e %M" -o "$tmp/t10k" $C run "$SCENARIO" --runs 10000 --out "$tmp/o" --quiet >/dev/null
/usr/bin/time -f "%e %M" -o "$tmp/t1k" $C run "$SCENARIO" --runs 1000 --out "$tmp/o" --quiet >/dev/null
RAYON_NUM_THREADS=1 /usr/bin/time -f "%e %M" -o "$tmp/t1" $C run "$SCENARIO" --runs 2000 --out "$tmp/o" --quiet >/dev/null
RAYON_NUM_THREADS=2 /usr/bin/time -f "%e %M" -o "$tmp/t2" $C run "$SCENARIO" --runs 2000 --out "$tmp/o" --quiet >/dev/null

echo "== exporting the network and $PEER_ORT sampled histories"
$C network --format json > "$tmp/network.json" 2>/dev/null
$C histories "$SCENARIO" --runs "$PEER_ORT" --out "$tmp/histories.json" 2>/dev/null

echo "== Python peers (solving every day)"
"$VENV/bin/python" bench/peers/day_loop.py ortools "$tmp/network.json" "$tmp/histories.json" "$PEER_ORT" > "$tmp/ort.json"
"$VENV/bin/python" bench/peers/day_loop.py networkx "$tmp/network.json" "$tmp/histories.json" "$PEER_NX" > "$tmp/nx.json"

"$VENV/bin/python" - "$tmp" <<'PY'
import json, sys, os
d = sys.argv[1]
def t(name):
    secs, kb = open(os.path.join(d, name)).read().split()
    return float(secs), int(kb)
s10k, rss10k = t("t10k"); s1k, rss1k = t("t1k"); s1, _ = t("t1"); s2, _ = t("t2")
ours = s10k / 10000
print(f"corridor: 10,000 replicate-years in {s10k:.2f} s ({10000/s10k:,.0f}/s, 2 threads); "
      f"2,000 in {s1:.2f} s on 1 thread vs {s2:.2f} s on 2 ({s1/s2:.2f}x)")
print(f"corridor: peak RSS {rss1k/1024:.1f} MB at 1,000 replicates, {rss10k/1024:.1f} MB at 10,000")
ok = True
for name in ("ort", "nx"):
    r = json.load(open(os.path.join(d, name + ".json")))
    per = r["seconds"] / r["replicates"]
    rel = abs(r["exports_kt"] - r["corridor_exports_kt"]) / r["corridor_exports_kt"]
    agree = rel <= 1e-3
    ok &= agree
    print(f"{r['backend']}: {r['replicates']} replicate-years in {r['seconds']:.2f} s = {per:.3f} s each "
          f"(extrapolated to 10,000: {per*10000/3600:.1f} h); exports agree with corridor to {rel:.1e} "
          f"({'ok' if agree else 'MISMATCH'}); corridor is {per/ours:,.0f}x faster "
          f"({per/(s1/2000):,.0f}x per core)")
sys.exit(0 if ok else 1)
PY
