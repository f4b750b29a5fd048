# Shared by montecarlo.sh and sweep.sh (sourced, not run).

# start_jobs OUT LABEL: creates OUT/logs/, sets the array `common` (sbatch's options from CPUS,
# TIME, MEM and, if set, PARTITION) and `jobs` (OUT/logs/LABEL-jobs.txt, emptied).
start_jobs() {
  mkdir -p "$1/logs"
  common=(--parsable --cpus-per-task="$CPUS" --time="$TIME" --mem="$MEM")
  [ -n "${PARTITION:-}" ] && common+=(--partition="$PARTITION")
  jobs="$1/logs/$2-jobs.txt"
  : >"$jobs"
}

# submit_arrays NAME COUNT LOGSTEM JOBSFILE SCRIPT [ARGS...]
# Submits COUNT tasks of SCRIPT as job arrays of at most MaxArraySize − 1 tasks each (Slurm's
# default MaxArraySize, 1001, allows 1,000 per array); each task runs
# `SCRIPT OFFSET ARGS...`, its item being OFFSET + SLURM_ARRAY_TASK_ID. Uses the array
# `common` for sbatch's options; records each array in JOBSFILE and sets ARRAY_IDS.
submit_arrays() {
  local name=$1 count=$2 logstem=$3 jobsfile=$4 script=$5
  shift 5
  local max block offset size id
  max=$(scontrol show config | awk '$1 == "MaxArraySize" { print $3 }')
  block=$(( ${max:-1001} - 1 ))
  ARRAY_IDS=()
  for (( offset = 0; offset < count; offset += block )); do
    size=$(( count - offset < block ? count - offset : block ))
    id=$(sbatch "${common[@]}" --job-name="$name" --array="1-$size" \
      --output="$logstem-%A_%a.log" "$script" "$offset" "$@")
    id=${id%%;*}
    ARRAY_IDS+=("$id")
    echo "tasks $(( offset + 1 ))-$(( offset + size )) of $count: array job $id (task t is $offset + t)" | tee -a "$jobsfile"
  done
}

# submit_after NAME LOGSTEM JOBSFILE SCRIPT [ARGS...]: SCRIPT once every array in ARRAY_IDS has
# ended (afterany: also when a task failed, so the job reports it instead of waiting forever).
# Prints the job id; records it, and the command that reruns the job, in JOBSFILE.
submit_after() {
  local name=$1 logstem=$2 jobsfile=$3
  shift 3
  local deps id
  deps=$(IFS=:; echo "${ARRAY_IDS[*]}")
  id=$(sbatch "${common[@]}" --job-name="$name" --dependency="afterany:$deps" \
    --kill-on-invalid-dep=yes --output="$logstem-%j.log" "$@")
  id=${id%%;*}
  echo "$name: job $id (after every task ends)" | tee -a "$jobsfile" >&2
  echo "rerun $name: sbatch ${common[*]} --output=$logstem-%j.log $*" >>"$jobsfile"
  echo "$id"
}

# whole_number NAME...: exits 2 unless each named variable (if set) is a whole number ≥ 1.
whole_number() {
  local v
  for v in "$@"; do
    case "${!v-1}" in '' | *[!0-9]* | 0*) echo "$v must be a whole number ≥ 1, not '${!v}'" >&2; exit 2 ;; esac
  done
}
