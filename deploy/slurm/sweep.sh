#!/usr/bin/env bash
# Runs a corridor sweep (docs/sweep-format.md) on Slurm: its tasks as job arrays (split past
# the cluster's MaxArraySize), then a collect job once every task has ended, which names any
# task that failed (rerun it, then the collect).
#
# Usage (on a filesystem the compute nodes share):
#   [OUT=output] [PARTITION=name] [TIME=01:00:00] [MEM=1G] [CPUS=2] [REPLICATES=all|failures|none] \
#   [CORRIDOR=./target/release/corridor] deploy/slurm/sweep.sh SPEC
#
# It checks the sweep (and every scenario it names) before submitting anything, creates OUT
# and OUT/logs/, and records the job ids in OUT/logs/<spec>-jobs.txt. Task K writes
# OUT/<sweep>/cases/…; the collect writes OUT/<sweep>/sweep.csv and sweep.xlsx.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -ne 1 ]; then
  sed -n '2,13p' "$0" >&2
  exit 2
fi
# shellcheck source=deploy/slurm/lib.sh
. "$here/lib.sh"
spec=$(realpath "$1")
CPUS=${CPUS:-2}
TIME=${TIME:-01:00:00}
MEM=${MEM:-1G}
whole_number CPUS
corridor=$(realpath "${CORRIDOR:-./target/release/corridor}")
out=$(realpath -m "${OUT:-output}")
name=$(basename "$spec" .toml)

# Checked here, once: the count needs the sweep file and every scenario it names to load.
count=$("$corridor" sweep "$spec" --count)
echo "$name: $count tasks"

start_jobs "$out" "$name"
submit_arrays "corridor-$name" "$count" "$out/logs/$name-task" "$jobs" \
  "$here/sweep-task.sh" "$corridor" "$spec" "$out" --replicates "${REPLICATES:-all}"
submit_after "corridor-$name-collect" "$out/logs/$name-collect" "$jobs" \
  "$here/sweep-collect.sh" "$corridor" "$spec" "$out" >"$out/logs/$name-collect-job"
