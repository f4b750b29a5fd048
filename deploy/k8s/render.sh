#!/usr/bin/env bash
# Renders deploy/k8s/montecarlo.yaml.in: every value, the shard count among them, is given
# once here and filled in wherever the manifests need it.
#
#   IMAGE=registry.example.org/corridor:0.1.0 SHARDS=64 RUN_ARGS="--runs 100000 --seed 7" \
#     STORAGE_CLASS=nfs-client deploy/k8s/render.sh > corridor-mc.yaml
#   kubectl apply -f corridor-mc.yaml
#
# Values (environment): IMAGE (required; a versioned tag, not `latest`), SHARDS (16),
# PARALLELISM (= SHARDS), NAME (corridor-mc), SCENARIO (scenarios/mc-random-failures.toml, a
# path inside the image), RUN_ARGS (extra `corridor run` options, e.g. --runs, --seed, --set,
# --replicates), CPUS per shard (2), MEMORY per shard (512Mi), MERGE_MEMORY (512Mi), STORAGE
# (10Gi), STORAGE_CLASS (a ReadWriteMany class; empty: the cluster's default), WAIT_SECONDS (how
# long the merge waits for the shards, 86400).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${IMAGE:?set IMAGE to the corridor image, e.g. registry.example.org/corridor:0.1.0}"
if [[ "$IMAGE" == *:latest || ! "$IMAGE" =~ :[^/]+$ && "$IMAGE" != *@sha256:* ]]; then
  echo "IMAGE must name a versioned tag or a digest, not '$IMAGE' (every shard must run one build)" >&2
  exit 2
fi
SHARDS=${SHARDS:-16}
PARALLELISM=${PARALLELISM:-$SHARDS}
NAME=${NAME:-corridor-mc}
SCENARIO=${SCENARIO:-scenarios/mc-random-failures.toml}
RUN_ARGS=${RUN_ARGS:-}
CPUS=${CPUS:-2}
MEMORY=${MEMORY:-512Mi}
MERGE_MEMORY=${MERGE_MEMORY:-512Mi}
STORAGE=${STORAGE:-10Gi}
STORAGE_CLASS=${STORAGE_CLASS:-}
WAIT_SECONDS=${WAIT_SECONDS:-86400}
for v in SHARDS PARALLELISM CPUS WAIT_SECONDS; do
  case "${!v}" in '' | *[!0-9]* | 0*) echo "$v must be a whole number ≥ 1, not '${!v}'" >&2; exit 2 ;; esac
done
[[ "$NAME" =~ ^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$ ]] \
  || { echo "NAME must be a DNS label of at most 42 characters, not '$NAME'" >&2; exit 2; }
scenario_id=$(basename "$SCENARIO" .toml)
esc() { printf '%s' "$1" | sed -e 's/[\/&|]/\\&/g'; }
sed -e "s|@SHARDS@|$SHARDS|g" \
    -e "s|@PARALLELISM@|$PARALLELISM|g" \
    -e "s|@NAME@|$(esc "$NAME")|g" \
    -e "s|@IMAGE@|$(esc "$IMAGE")|g" \
    -e "s|@SCENARIO_ID@|$(esc "$scenario_id")|g" \
    -e "s|@SCENARIO@|$(esc "$SCENARIO")|g" \
    -e "s|@RUN_ARGS@|$(esc "$RUN_ARGS")|g" \
    -e "s|@CPUS@|$CPUS|g" \
    -e "s|@MEMORY@|$(esc "$MEMORY")|g" \
    -e "s|@MERGE_MEMORY@|$(esc "$MERGE_MEMORY")|g" \
    -e "s|@STORAGE@|$(esc "$STORAGE")|g" \
    -e "s|@WAIT_SECONDS@|$WAIT_SECONDS|g" \
    -e "s|@DEADLINE_SECONDS@|$((WAIT_SECONDS + 3600))|g" \
    "$here/montecarlo.yaml.in" |
  if [ -n "$STORAGE_CLASS" ]; then
    sed -e "s|@STORAGE_CLASS@|$(esc "$STORAGE_CLASS")|g"
  else
    grep -v "@STORAGE_CLASS@"
  fi
