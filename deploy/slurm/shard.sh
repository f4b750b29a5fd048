#!/usr/bin/env bash
# One Slurm array task of deploy/slurm/montecarlo.sh: shard OFFSET + SLURM_ARRAY_TASK_ID of
# SHARDS, written to OUT/<scenario>/partial-K-of-SHARDS.json.
# Arguments: OFFSET CORRIDOR SCENARIO OUT SHARDS [corridor run options...]
set -euo pipefail
offset=$1 corridor=$2 scenario=$3 out=$4 shards=$5
shift 5
k=$(( offset + SLURM_ARRAY_TASK_ID ))
echo "corridor shard $k/$shards of $scenario on $(hostname -s), job ${SLURM_JOB_ID:-?}"
export RAYON_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}
exec "$corridor" run "$scenario" --shard "$k/$shards" --out "$out" --quiet "$@"
