#!/usr/bin/env bash
# The collect of deploy/slurm/sweep.sh, as a Slurm job or by hand; safe to rerun. Exits 3,
# naming them, when tasks have no output: rerun those (the tasks' logs say why they failed),
# then this.
# Arguments: CORRIDOR SPEC OUT
set -euo pipefail
exec "$1" sweep "$2" --collect --xlsx --out "$3"
