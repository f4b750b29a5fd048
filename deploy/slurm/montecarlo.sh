#!/usr/bin/env bash
# Runs a corridor Monte Carlo scenario on Slurm: job arrays of shards (split into several arrays
# past the cluster's MaxArraySize) and a merge job that runs once every shard has ended, so it
# reports shards that failed instead of waiting for them forever. The merged outputs are
# byte-identical to a single-machine run.
#
# Usage (on a filesystem the compute nodes share):
#   [SHARDS=16] [RUNS=N] [SEED=N] [OUT=output] [PARTITION=name] [TIME=01:00:00] [MEM=1G] \
#   [CPUS=2] [REPLICATES=all|failures|none] [CORRIDOR=./target/release/corridor] \
#     deploy/slurm/montecarlo.sh SCENARIO [--set KEY=VALUE ...]
#
# It checks the scenario (and the overrides) before submitting anything, creates OUT and
# OUT/logs/, prints the job ids, and records them in OUT/logs/<scenario>-jobs.txt. Shard k
# writes OUT/<scenario>/partial-k-of-SHARDS.json; the merge writes OUT/<scenario>/ (CSV, JSON,
# charts). After a failed shard: requeue it (`scontrol requeue JOBID_TASK`), then rerun the
# merge (the command is in the merge log and the jobs file).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 1 ]; then
  sed -n '2,16p' "$0" >&2
  exit 2
fi
scenario=$(realpath "$1")
shift
SHARDS=${SHARDS:-16}
CPUS=${CPUS:-2}
TIME=${TIME:-01:00:00}
MEM=${MEM:-1G}
REPLICATES=${REPLICATES:-all}
corridor=$(realpath "${CORRIDOR:-./target/release/corridor}")
out=$(realpath -m "${OUT:-output}")
name=$(basename "$scenario" .toml)
# shellcheck source=deploy/slurm/lib.sh
. "$here/lib.sh"
whole_number SHARDS RUNS

# The scenario's options: the command line's, then SEED; RUNS goes to the shards as --runs
# (as `corridor run --runs`, so the manifest matches a single run's).
opts=("$@")
[ -n "${SEED:-}" ] && opts+=(--seed "$SEED")
runs=()
[ -n "${RUNS:-}" ] && runs=(--runs "$RUNS")

# Checked here, once, before any job is queued: a bad file or override fails now, not in
# every task; a deterministic scenario has no replicates to shard.
check=$("$corridor" validate "$scenario" "${opts[@]}")
echo "$check"
if ! grep -q "Monte Carlo:" <<<"$check"; then
  echo "$name has no [monte_carlo] section: there are no replicates to shard; run it once with \`corridor run\`" >&2
  exit 3
fi

mkdir -p "$out/logs"
common=(--parsable --cpus-per-task="$CPUS" --time="$TIME" --mem="$MEM")
[ -n "${PARTITION:-}" ] && common+=(--partition="$PARTITION")

jobs="$out/logs/$name-jobs.txt"
: >"$jobs"
submit_arrays "corridor-$name" "$SHARDS" "$out/logs/$name-shard" "$jobs" \
  "$here/shard.sh" "$corridor" "$scenario" "$out" "$SHARDS" \
  --replicates "$REPLICATES" "${runs[@]}" "${opts[@]}"
submit_after "corridor-$name-merge" "$out/logs/$name-merge" "$jobs" \
  "$here/merge.sh" "$corridor" "$out" "$name" "$SHARDS" >"$out/logs/$name-merge-job"
