#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for trying the recipes and for CI: Debian's
# slurm-wlm and munge, one node with every CPU, one partition `corridor`.
#
#   deploy/slurm/local-cluster.sh up      # install if needed, write the config, start the daemons
#   deploy/slurm/local-cluster.sh down    # stop the daemons this script started
#
# MAX_ARRAY_SIZE sets the cluster's MaxArraySize (default 1001, Slurm's), e.g. small to try how
# montecarlo.sh splits a large shard count into several arrays.
#
# Needs root (or sudo). The configuration goes to /etc/slurm/slurm.conf (an existing one is
# kept as slurm.conf.corridor-backup), logs to /var/log/slurm/, state to /var/spool/.
set -euo pipefail
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
state=/run/corridor-slurm
node=$(hostname -s)

up() {
  if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      slurm-wlm munge >/dev/null
  fi
  $SUDO mkdir -p "$state" /var/log/slurm /var/spool/slurmctld /var/spool/slurmd /run/munge /etc/slurm
  # A munge key (the package makes one on install; make one if it did not).
  if [ ! -s /etc/munge/munge.key ]; then
    $SUDO mungekey --create --keyfile=/etc/munge/munge.key
  fi
  $SUDO chown munge:munge /etc/munge/munge.key /run/munge
  $SUDO chmod 0400 /etc/munge/munge.key
  if ! $SUDO pgrep -x munged >/dev/null; then
    $SUDO runuser -u munge -- /usr/sbin/munged
    echo munged >>"$state/started"
  fi
  # Memory the node offers jobs: 90% of what the machine has, MB.
  mem=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
  if [ -f /etc/slurm/slurm.conf ] && [ ! -f /etc/slurm/slurm.conf.corridor-backup ] \
    && ! grep -q "ClusterName=corridor-local" /etc/slurm/slurm.conf; then
    $SUDO cp /etc/slurm/slurm.conf /etc/slurm/slurm.conf.corridor-backup
  fi
  $SUDO tee /etc/slurm/slurm.conf >/dev/null <<CONF
ClusterName=corridor-local
SlurmctldHost=$node
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
MaxArraySize=${MAX_ARRAY_SIZE:-1001}
MpiDefault=none
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$node CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=corridor Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
  if ! $SUDO pgrep -x slurmctld >/dev/null; then
    $SUDO /usr/sbin/slurmctld -c   # -c: a clean start, no state from an earlier cluster
    echo slurmctld >>"$state/started"
  fi
  if ! $SUDO pgrep -x slurmd >/dev/null; then
    $SUDO /usr/sbin/slurmd
    echo slurmd >>"$state/started"
  fi
  # Wait (up to 60 s) for the node to take jobs.
  for _ in $(seq 60); do
    if sinfo -h -N -o "%t" 2>/dev/null | grep -qE "^(idle|mix|alloc)"; then
      sinfo
      return 0
    fi
    sleep 1
  done
  echo "local-cluster: the node did not come up; see /var/log/slurm/" >&2
  sinfo -N -l >&2 || true
  $SUDO tail -n 20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2 || true
  return 1
}

down() {
  [ -f "$state/started" ] || return 0
  # In reverse order of starting.
  for d in $(tac "$state/started"); do
    $SUDO pkill -x "$d" || true
  done
  for _ in $(seq 20); do
    $SUDO pgrep -x slurmd >/dev/null || $SUDO pgrep -x slurmctld >/dev/null || break
    sleep 0.5
  done
  $SUDO rm -f "$state/started"
  if [ -f /etc/slurm/slurm.conf.corridor-backup ]; then
    $SUDO mv /etc/slurm/slurm.conf.corridor-backup /etc/slurm/slurm.conf
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
