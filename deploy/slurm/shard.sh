#!/usr/bin/env bash
# One Slurm array task of deploy/slurm/montecarlo.sh: shard OFFSET + SLURM_ARRAY_TASK_ID of
# SHARDS, written by `corridor COMMAND SCENARIO --shard K/SHARDS` under OUT.
# Arguments: OFFSET CORRIDOR SCENARIO OUT SHARDS COMMAND [its options...]
#   (COMMAND: run or compare; e.g. `run --replicates all`, `compare --variants kcts`)
set -euo pipefail
offset=$1 corridor=$2 scenario=$3 out=$4 shards=$5 command=$6
shift 6
k=$(( offset + SLURM_ARRAY_TASK_ID ))
echo "corridor $command: shard $k/$shards of $scenario on $(hostname -s), job ${SLURM_JOB_ID:-?}"
export RAYON_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}
exec "$corridor" "$command" "$scenario" --shard "$k/$shards" --out "$out" --quiet "$@"
