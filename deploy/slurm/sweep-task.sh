#!/usr/bin/env bash
# One Slurm array task of deploy/slurm/sweep.sh: task OFFSET + SLURM_ARRAY_TASK_ID of the sweep.
# Arguments: OFFSET CORRIDOR SPEC OUT [corridor sweep options...]
set -euo pipefail
offset=$1 corridor=$2 spec=$3 out=$4
shift 4
k=$(( offset + SLURM_ARRAY_TASK_ID ))
echo "corridor sweep task $k of $spec on $(hostname -s), job ${SLURM_JOB_ID:-?}"
export RAYON_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}
exec "$corridor" sweep "$spec" --task "$k" --out "$out" --quiet "$@"
