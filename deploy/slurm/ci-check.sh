#!/usr/bin/env bash
# CI's real-cluster check (issue 15): brings up a one-node Slurm cluster (local-cluster.sh),
# runs deploy/slurm/montecarlo.sh on the shipped Monte Carlo scenario in 4 shards, and compares
# every output file with a single run's, byte for byte; then checks that the merge reports a
# missing shard and can be rerun once the shard is back; then a comparison of options in 3
# shards (with the sensitivity) and a sweep, each against the same in one process. Stops the
# daemons it started.
# Usage: deploy/slurm/ci-check.sh [CORRIDOR]   (RUNS=400 SHARDS=4 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
corridor=$(realpath "${1:-${CARGO_TARGET_DIR:-target}/release/corridor}")
runs=${RUNS:-400}
shards=${SHARDS:-4}
scenario=scenarios/mc-random-failures.toml
name=mc-random-failures
work=$(mktemp -d)
trap 'deploy/slurm/local-cluster.sh down; rm -rf "$work"' EXIT

t0=$(date +%s.%N)
# MaxArraySize 4: array indices up to 3, so the 4 shards go as two arrays (3 + 1) and the
# merge waits for both.
MAX_ARRAY_SIZE=4 deploy/slurm/local-cluster.sh up
t1=$(date +%s.%N)

"$corridor" run "$scenario" --runs "$runs" --out "$work/single" --quiet >/dev/null
t2=$(date +%s.%N)

# The cluster run, into a folder that does not exist yet (the recipe creates it).
SHARDS=$shards RUNS=$runs CPUS=1 MEM=1G TIME=00:20:00 OUT="$work/cluster/out" CORRIDOR="$corridor" \
  deploy/slurm/montecarlo.sh "$scenario"
merge=$(cat "$work/cluster/out/logs/$name-merge-job")
[ "$(grep -c "array job" "$work/cluster/out/logs/$name-jobs.txt")" -eq 2 ] \
  || { echo "expected two arrays:" >&2; cat "$work/cluster/out/logs/$name-jobs.txt" >&2; exit 1; }
wait_for() {  # job id: until it has left the queue (at most 15 min)
  for _ in $(seq 900); do
    squeue -h -j "$1" 2>/dev/null | grep -q . || return 0
    sleep 1
  done
  echo "job $1 still queued after 15 min" >&2
  squeue >&2
  return 1
}
wait_for "$merge"
t3=$(date +%s.%N)
cat "$work/cluster/out/logs/$name"-merge-*.log

# same_files A B [find tests…]: the same files (those the tests pick) in A and B, byte for
# byte; sets n to their number.
same_files() {
  local a=$1 b=$2 f
  shift 2
  (cd "$a" && find . -type f "$@" | sort) >"$work/a.list"
  (cd "$b" && find . -type f "$@" | sort) >"$work/b.list"
  diff "$work/a.list" "$work/b.list"
  n=0
  while read -r f; do
    cmp "$a/$f" "$b/$f"
    n=$((n + 1))
  done <"$work/a.list"
}

# Every file of the single run, byte for byte, and no other output (the partials aside).
same_files "$work/single/$name" "$work/cluster/out/$name" ! -name 'partial-*'
echo "slurm: $n output files byte-identical to the single run ($runs replicate-years, $shards shards)"

# A lost shard: the merge says which and exits 3; with the shard back it reruns cleanly.
rm "$work/cluster/out/$name/partial-2-of-$shards.json"
set +e
deploy/slurm/merge.sh "$corridor" "$work/cluster/out" "$name" "$shards" 2>"$work/missing.err"
rc=$?
set -e
grep -q "1 of $shards shards wrote no partial: 2" "$work/missing.err" && [ "$rc" -eq 3 ] \
  || { echo "the merge did not report the missing shard (exit $rc):" >&2; cat "$work/missing.err" >&2; exit 1; }
"$corridor" run "$scenario" --runs "$runs" --shard "2/$shards" --out "$work/cluster/out" --quiet >/dev/null
deploy/slurm/merge.sh "$corridor" "$work/cluster/out" "$name" "$shards" >/dev/null 2>&1
same_files "$work/single/$name" "$work/cluster/out/$name" ! -name 'partial-*'
echo "slurm: a missing shard is reported (exit 3), and the rerun merge is identical again"

# A sweep through the same arrays: 2 cases × (a deterministic run + a Monte Carlo run in 2
# shards) = 6 tasks (two arrays again, at MaxArraySize 4), collected, against the same sweep
# run here in one process.
cat >"$work/sweep.toml" <<SPEC
format = 1
name = "ci-sweep"
scenarios = ["$PWD/scenarios/cpc-terminal-storm.toml", "$PWD/$scenario"]
runs = 60
shards = 2
[grid]
"economics.oil_price.value" = [50.0, 80.0]
SPEC
t4=$(date +%s.%N)
OUT="$work/cluster/out" CPUS=1 MEM=1G TIME=00:20:00 CORRIDOR="$corridor" \
  deploy/slurm/sweep.sh "$work/sweep.toml"
[ "$(grep -c "array job" "$work/cluster/out/logs/sweep-jobs.txt")" -eq 2 ]
wait_for "$(cat "$work/cluster/out/logs/sweep-collect-job")"
t5=$(date +%s.%N)
cat "$work/cluster/out/logs/sweep-collect"-*.log
"$corridor" sweep "$work/sweep.toml" --xlsx --out "$work/local" --quiet >/dev/null 2>&1
same_files "$work/local/ci-sweep" "$work/cluster/out/ci-sweep" ! -name '*.xlsx'
[ -s "$work/cluster/out/ci-sweep/sweep.xlsx" ]
echo "slurm: sweep of 6 tasks, $n files byte-identical to the same sweep in one process"

# A comparison of two options in 3 shards (MaxArraySize 4: one array), with the sensitivity's
# scaled failure rates, against the same comparison in one process.
options=kcts,aktau-expansion+tankers
t6=$(date +%s.%N)
COMPARE=$options SENSITIVITY=1 SHARDS=3 RUNS=60 CPUS=1 MEM=1G TIME=00:20:00 \
  OUT="$work/cluster/out" CORRIDOR="$corridor" deploy/slurm/montecarlo.sh "$scenario"
wait_for "$(cat "$work/cluster/out/logs/$name-compare-merge-job")"
t7=$(date +%s.%N)
cat "$work/cluster/out/logs/$name-compare-merge"-*.log
"$corridor" compare "$scenario" --variants "$options" --sensitivity --runs 60 \
  --out "$work/local" --quiet >/dev/null
same_files "$work/local/$name/compare" "$work/cluster/out/$name/compare" ! -name 'partial-*'
[ "$n" -eq 10 ] || { echo "expected the comparison's 10 files, found $n" >&2; exit 1; }
echo "slurm: comparison of 3 options in 3 shards, $n files byte-identical to one process"

awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v e="$t4" -v f="$t5" -v g="$t6" -v h="$t7" 'BEGIN {
  printf "slurm timings: cluster up %.1f s; single run %.1f s; submit to merged %.1f s; sweep submit to collected %.1f s; comparison submit to merged %.1f s\n", b - a, c - b, d - c, f - e, h - g }'
