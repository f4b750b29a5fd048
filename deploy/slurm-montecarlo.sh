#!/usr/bin/env bash
# Runs a corridor Monte Carlo scenario as a Slurm job array: one array task per shard, then a
# dependent job that merges the partials. The outputs are byte-identical to a single-machine run.
#
# Usage (from a shared filesystem that holds the corridor binary and the scenario):
#   SHARDS=16 SCENARIO=scenarios/mc-random-failures.toml OUT=output deploy/slurm-montecarlo.sh
#
# Each shard k writes $OUT/<scenario>/partial-k-of-N.json; the merge writes the final
# mc_replicates.csv, mc_summary.json, mc_daily_bands.csv and manifest.json next to them.
set -euo pipefail
SHARDS=${SHARDS:-16}
SCENARIO=${SCENARIO:-scenarios/mc-random-failures.toml}
OUT=${OUT:-output}
CORRIDOR=${CORRIDOR:-./target/release/corridor}
CPUS=${CPUS:-2}
NAME=$(basename "$SCENARIO" .toml)

array_id=$(sbatch --parsable \
  --job-name="corridor-$NAME" \
  --array="1-$SHARDS" \
  --cpus-per-task="$CPUS" \
  --output="$OUT/slurm-%A-%a.log" \
  --wrap "RAYON_NUM_THREADS=$CPUS $CORRIDOR run $SCENARIO --shard \${SLURM_ARRAY_TASK_ID}/$SHARDS --out $OUT --quiet")

sbatch --parsable \
  --job-name="corridor-$NAME-merge" \
  --dependency="afterok:$array_id" \
  --output="$OUT/slurm-merge-%j.log" \
  --wrap "$CORRIDOR merge $OUT/$NAME/partial-*-of-$SHARDS.json --out $OUT"
