#!/usr/bin/env bash
# Starts, stops or reports a single-node Slurm cluster on this machine, for the tests and CI that
# submit jobs to Slurm: Debian 12's slurm-wlm (22.05) and munge, run as root.
#
#   scripts/slurm-local.sh start    # prints the `export SLURM_CONF=...` line the clients need
#   scripts/slurm-local.sh status
#   scripts/slurm-local.sh stop
#
# Why it looks like this:
# - No systemd (containers, CI runners): munged, slurmctld and slurmd are started by hand and their
#   pid files kept in $SLURM_LOCAL_DIR; `stop` kills only what `start` started.
# - No cgroup.conf: Slurm 22.05 has no CgroupPlugin=disabled and slurmd will not start with one
#   where cgroups are not delegated, so the cluster uses proctrack/linuxproc and task/none.
#   Slurm looks for cgroup.conf next to slurm.conf, i.e. in our own folder, never in /etc/slurm.
# - A config folder of its own ($SLURM_LOCAL_DIR, default /tmp/anon-impact-slurm): /etc/slurm is
#   left alone; daemons get `-f`, clients need SLURM_CONF.
# - No slurmdbd, so no sacct: finished jobs stay in slurmctld's memory for MinJobAge (1 h), where
#   `scontrol show job` gives JobState and ExitCode, and jobcomp/filetxt logs each one to
#   $SLURM_LOCAL_DIR/jobcomp.log.
# - Every start is a clean one (slurmctld -c): no jobs carried over from an earlier run.
# Missing packages are installed only with SLURM_LOCAL_INSTALL=1.
set -euo pipefail

DIR=${SLURM_LOCAL_DIR:-/tmp/anon-impact-slurm}
CONF=$DIR/slurm.conf
export SLURM_CONF=$CONF PATH=$PATH:/usr/sbin:/sbin
HOST=$(hostname -s)

die() { echo "slurm-local: $*" >&2; exit 1; }
say() { echo "slurm-local: $*" >&2; }

# alive NAME: the pid in $DIR/NAME.pid is running a process called NAME (not a reused pid)
alive() {
  local pid
  pid=$(cat "$DIR/$1.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ]
}

# kill_daemon NAME: TERM, up to 10 s, then KILL; forgets the pid file
kill_daemon() {
  if alive "$1"; then
    local pid i
    pid=$(cat "$DIR/$1.pid")
    kill "$pid" 2>/dev/null || true
    for i in $(seq 50); do alive "$1" || break; sleep 0.2; done
    if alive "$1"; then kill -9 "$pid" 2>/dev/null || true; fi
    say "stopped $1 ($pid)"
  fi
  rm -f "$DIR/$1.pid"
}

munge_works() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }

ensure_packages() {
  command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null && return
  [ "${SLURM_LOCAL_INSTALL:-0}" = 1 ] ||
    die "Slurm is not installed: apt-get install -y --no-install-recommends slurm-wlm munge (or run with SLURM_LOCAL_INSTALL=1)"
  say "installing slurm-wlm munge"
  compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null || apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
}

start_munge() {
  if munge_works; then return; fi   # a munged already serves /run/munge (not ours: stop leaves it)
  if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
  chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key
  mkdir -p /run/munge /var/lib/munge /var/log/munge
  chown munge:munge /run/munge /var/lib/munge /var/log/munge
  chmod 0755 /run/munge
  runuser -u munge -- /usr/sbin/munged --force
  cp /run/munge/munged.pid "$DIR/munged.pid"
  local i
  for i in $(seq 25); do munge_works && return; sleep 0.2; done
  die "munged does not answer; see /var/log/munge/munged.log"
}

write_conf() {
  local cpus mem
  cpus=$(nproc)
  mem=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)   # MB, 10% below total
  cat >"$CONF" <<EOF
# written by scripts/slurm-local.sh: a one-node cluster on $HOST
ClusterName=anonimpact
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=$((mem / cpus))
ReturnToService=2
MinJobAge=3600
SchedulerParameters=batch_sched_delay=0
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/jobcomp.log
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
}

logs() { local f; for f in "$DIR"/slurmctld.log "$DIR"/slurmd.log; do echo "== $f" >&2; tail -n 20 "$f" >&2 || true; done; }

cmd_start() {
  [ "$(id -u)" = 0 ] || die "must run as root"
  if alive slurmctld && alive slurmd; then say "already running"; echo "export SLURM_CONF=$CONF"; return; fi
  ensure_packages
  [ ! -e "$DIR/cgroup.conf" ] || die "$DIR/cgroup.conf exists: slurmd 22.05 will not start with it; remove it"
  cmd_stop 2>/dev/null   # a half-started cluster: begin again
  mkdir -p "$DIR/state" "$DIR/spool"
  : >"$DIR/slurmctld.log"; : >"$DIR/slurmd.log"
  start_munge
  write_conf
  slurmctld -c -f "$CONF" || { logs; die "slurmctld failed to start"; }
  slurmd -N "$HOST" -f "$CONF" || { logs; die "slurmd failed to start"; }
  local i state=""
  for i in $(seq 60); do
    state=$(sinfo -h -n "$HOST" -o %t 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.5
  done
  [ "$state" = idle ] || { logs; die "node $HOST is not idle after 30 s (state: ${state:-none})"; }
  say "running: node $HOST idle, partition local"
  echo "export SLURM_CONF=$CONF"
}

cmd_stop() {
  if alive slurmctld; then   # cancel jobs first: their slurmstepd outlive slurmd
    scancel --user=root 2>/dev/null || true
    local i
    for i in $(seq 25); do [ -z "$(squeue -h -t running,completing -o %i 2>/dev/null)" ] && break; sleep 0.2; done
  fi
  kill_daemon slurmd
  kill_daemon slurmctld
  kill_daemon munged
}

cmd_status() {
  if alive slurmctld && alive slurmd; then
    echo "slurm-local: running (SLURM_CONF=$CONF)"; sinfo -N -l 2>/dev/null || true
  else
    echo "slurm-local: not running"; return 3
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status   (folder: SLURM_LOCAL_DIR=$DIR)" >&2; exit 2 ;;
esac
