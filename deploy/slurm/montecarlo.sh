#!/usr/bin/env bash
# Runs a corridor Monte Carlo scenario, or a comparison of options on it, on Slurm: job arrays
# of shards (split into several arrays past the cluster's MaxArraySize) and a merge job that
# runs once every shard has ended, so it reports shards that failed instead of waiting for them
# forever. The merged outputs are byte-identical to a single-machine run (or comparison).
#
# Usage (on a filesystem the compute nodes share):
#   [SHARDS=16] [RUNS=N] [SEED=N] [OUT=output] [PARTITION=name] [TIME=01:00:00] [MEM=1G] \
#   [CPUS=2] [REPLICATES=all|failures|none] [CORRIDOR=./target/release/corridor] \
#   [COMPARE=OPTION,OPTION...] [SENSITIVITY=1] \
#     deploy/slurm/montecarlo.sh SCENARIO [--set KEY=VALUE ...]
#
# With COMPARE, the shards are `corridor compare --variants COMPARE` (with --sensitivity when
# SENSITIVITY=1) and write OUT/<scenario>/compare/; REPLICATES is for runs only.
#
# It checks the scenario (and the overrides, and the options) before submitting anything,
# creates OUT and OUT/logs/, prints the job ids, and records them in
# OUT/logs/<label>-jobs.txt (<label>: the scenario's name, with -compare for a comparison).
# Shard k writes OUT/<scenario>/[compare/]partial-k-of-SHARDS.json; the merge writes the
# outputs beside them (CSV, JSON, charts). After a failed shard: requeue it
# (`scontrol requeue JOBID_TASK`), then rerun the merge (the command is in the merge log and
# the jobs file).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 1 ]; then
  sed -n '2,22p' "$0" >&2
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

# The command each shard runs, the folder of its partials (under OUT) and the jobs' label.
if [ -n "${COMPARE:-}" ]; then
  cmd=(compare --variants "$COMPARE")
  [ "${SENSITIVITY:-0}" = 1 ] && cmd+=(--sensitivity)
  dir="$name/compare" label="$name-compare"
  # The options load, and one replicate of each runs, before anything is queued.
  probe=$(mktemp -d)
  "$corridor" "${cmd[@]}" "$scenario" "${opts[@]}" --runs 1 --shard 1/1 --out "$probe" --quiet \
    || { rm -rf "$probe"; exit 3; }
  rm -rf "$probe"
else
  cmd=(run --replicates "$REPLICATES")
  dir="$name" label="$name"
fi

start_jobs "$out" "$label"
submit_arrays "corridor-$label" "$SHARDS" "$out/logs/$label-shard" "$jobs" \
  "$here/shard.sh" "$corridor" "$scenario" "$out" "$SHARDS" \
  "${cmd[@]}" "${runs[@]}" "${opts[@]}"
submit_after "corridor-$label-merge" "$out/logs/$label-merge" "$jobs" \
  "$here/merge.sh" "$corridor" "$out" "$dir" "$SHARDS" "$label" >"$out/logs/$label-merge-job"
