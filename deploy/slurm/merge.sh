#!/usr/bin/env bash
# The merge of deploy/slurm/montecarlo.sh, as a Slurm job or by hand; safe to rerun (the
# outputs are replaced in one step, and only when the merge succeeds).
# Arguments: CORRIDOR OUT DIR SHARDS [LABEL]
#   DIR: the partials' folder under OUT (<scenario>, or <scenario>/compare for a comparison);
#   LABEL: the jobs' label in OUT/logs/ (default: DIR).
# Exit 3 (after listing them) when shards have no partial: requeue those and rerun the merge.
set -euo pipefail
corridor=$1 out=$2 dir=$3 shards=$4 label=${5:-$3}
missing=()
for (( k = 1; k <= shards; k++ )); do
  [ -f "$out/$dir/partial-$k-of-$shards.json" ] || missing+=("$k")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "merge: ${#missing[@]} of $shards shards wrote no partial: ${missing[*]:0:40}$([ ${#missing[@]} -gt 40 ] && echo ' …')" >&2
  echo "  their logs are $out/logs/$label-shard-*.log; the job ids are in $out/logs/$label-jobs.txt" >&2
  echo "  requeue them (scontrol requeue JOBID_TASK), then rerun the merge (the last line of that file)" >&2
  exit 3
fi
parts=()
for (( k = 1; k <= shards; k++ )); do
  parts+=("$out/$dir/partial-$k-of-$shards.json")
done
"$corridor" merge "${parts[@]}" --out "$out"
