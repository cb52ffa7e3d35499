#!/usr/bin/env bash
# A real Slurm 22.05 cluster on 127.0.0.1 for factop's tests: munge, MariaDB, slurmdbd,
# slurmctld, four emulated 8-GPU nodes (n1-n4, one slurmd each) and slurmrestd with JWT.
# After ../shared/guides/real-servers.md §4, whose quirks each comment below names.
#
#   scripts/it/slurm.sh up DIR     start everything under DIR (a fresh temp dir); prints
#                                  the environment the clients need
#   scripts/it/slurm.sh down DIR   cancel every job, stop every daemon by its recorded PID
#   scripts/it/slurm.sh crash DIR NAME     SIGKILL one daemon (slurmctld, slurmd-n1..n4,
#                                          slurmdbd, slurmrestd), as a crash or OOM kill would
#   scripts/it/slurm.sh restart DIR NAME   start it again as `up` did
#
# Ports: slurmctld 17017, slurmd 17031-17034, slurmdbd 17019, slurmrestd 17020, MariaDB 17306.
set -u
cmd=${1:?usage: slurm.sh up|down DIR}
T=${2:?usage: slurm.sh up|down DIR}
export SLURM_CONF="$T/slurm.conf" # every client needs it, or it tries DNS SRV lookups

# start, pid_of, alive, wait_for and stop: daemons under $T, recorded in $T/pids.
. "$(dirname "$0")/daemons.sh"

up() {
  # NoInAddrAny binds to the address the hostname resolves to: refuse anything but loopback.
  getent hosts "$(hostname)" | grep -q '^127\.' || {
    echo "slurm.sh: $(hostname) does not resolve to 127.x, so Slurm would not stay on loopback" >&2
    return 1
  }
  mkdir -p "$T"/{log,munge,state,spool,run,dev,jobs,db}
  touch "$T/pids"
  chmod 755 "$T"        # slurmrestd runs as nobody and reads slurm.conf
  chmod 711 "$T/munge"
  chmod 1777 "$T/jobs"  # a job's cwd must be writable by its user
  mungekey -c -k "$T/munge/munge.key" && chmod 600 "$T/munge/munge.key"
  start munged munged -F --force --key-file="$T/munge/munge.key" --socket="$T/munge/munge.socket" \
    --pid-file="$T/munge/munged.pid" --seed-file="$T/munge/munged.seed" \
    --log-file="$T/log/munged.file.log"
  WATCH=munged wait_for 5 sh -c "munge -S '$T/munge/munge.socket' -n | unmunge -S '$T/munge/munge.socket'" || return 1

  mariadb-install-db --no-defaults --user=root --datadir="$T/db" \
    --auth-root-authentication-method=normal --skip-test-db >"$T/log/install-db.log" 2>&1 || return 1
  start mariadbd mariadbd --no-defaults --user=root --datadir="$T/db" --socket="$T/mysqld.sock" \
    --port=17306 --bind-address=127.0.0.1 --pid-file="$T/run/mysqld.pid" \
    --log-error="$T/log/mariadb.err" --innodb-buffer-pool-size=64M
  WATCH=mariadbd wait_for 30 mariadb --no-defaults -S "$T/mysqld.sock" -uroot -e 'SELECT 1' || return 1
  mariadb --no-defaults -S "$T/mysqld.sock" -uroot -e \
    "CREATE USER 'slurm'@'127.0.0.1' IDENTIFIED BY 'slurmpw'; GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';"

  # GPUs need a File= that is a character device, or Slurm drops them.
  for i in 0 1 2 3 4 5 6 7; do mknod "$T/dev/nvidia$i" c 195 "$i"; done
  dd if=/dev/urandom of="$T/jwt.key" bs=32 count=1 2>/dev/null
  chmod 600 "$T/jwt.key"
  cat >"$T/slurm.conf" <<C
ClusterName=fleet
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
MailProg=/bin/true
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/munge/munge.socket
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$T/jwt.key
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
SlurmctldPort=17017
SlurmdPort=17018
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool/%n
SlurmctldPidFile=$T/run/slurmctld.pid
SlurmdPidFile=$T/run/slurmd-%n.pid
SlurmctldLogFile=$T/log/slurmctld.file.log
SlurmdLogFile=$T/log/slurmd-%n.file.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SlurmdParameters=config_overrides
GresTypes=gpu
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
SlurmdTimeout=30
MinJobAge=300
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoragePort=17019
AccountingStoragePass=$T/munge/munge.socket
AccountingStorageTRES=gres/gpu
NodeName=n[1-4] NodeHostname=$(hostname -s) NodeAddr=127.0.0.1 Port=17031-17034 CPUs=64 Sockets=2 CoresPerSocket=32 ThreadsPerCore=1 RealMemory=512000 Gres=gpu:h100:8 State=UNKNOWN
PartitionName=gpu Nodes=ALL Default=YES MaxTime=INFINITE State=UP
C
  cat >"$T/gres.conf" <<C
AutoDetect=off
NodeName=n[1-4] Name=gpu Type=h100 File=$T/dev/nvidia[0-7]
C
  # slurmctld reaches slurmdbd through AccountingStoragePass (it ignores AuthInfo there).
  cat >"$T/slurmdbd.conf" <<C
AuthType=auth/munge
AuthInfo=socket=$T/munge/munge.socket
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$T/jwt.key
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=17019
CommunicationParameters=NoInAddrAny
SlurmUser=root
LogFile=$T/log/slurmdbd.file.log
PidFile=$T/run/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=17306
StorageUser=slurm
StoragePass=slurmpw
StorageLoc=slurm_acct_db
C
  chmod 600 "$T/slurmdbd.conf"

  launch slurmdbd || return 1
  timeout 20 sacctmgr -i add cluster fleet >/dev/null
  timeout 20 sacctmgr -i add account ml Description=ml Organization=lab >/dev/null
  timeout 20 sacctmgr -i add user root Account=ml DefaultAccount=ml >/dev/null
  launch slurmctld || return 1
  for n in 1 2 3 4; do launch "slurmd-n$n"; done
  wait_for 60 sh -c '[ "$(sinfo -h -N -o %T | grep -c idle)" = 4 ]' || return 1
  launch slurmrestd || return 1
  echo "SLURM_CONF=$SLURM_CONF"
}

launch() { # NAME: start one Slurm daemon and wait until it answers
  case $1 in
  slurmdbd)
    start slurmdbd slurmdbd -D
    WATCH=slurmdbd wait_for 20 bash -c 'echo >/dev/tcp/127.0.0.1/17019'
    ;;
  slurmctld) # -i: a crash can leave a state file half written
    start slurmctld slurmctld -D -i -f "$T/slurm.conf"
    WATCH=slurmctld wait_for 30 sh -c 'scontrol ping | grep -q UP'
    ;;
  slurmd-n[1-4]) start "$1" slurmd -D -N "${1#slurmd-}" -f "$T/slurm.conf" ;;
  slurmrestd) # it refuses root and needs SLURM_JWT=daemon to accept tokens
    start slurmrestd env SLURM_JWT=daemon slurmrestd -f "$T/slurm.conf" -a rest_auth/jwt \
      -s openapi/v0.0.38,openapi/dbv0.0.38 -u nobody 127.0.0.1:17020
    WATCH=slurmrestd wait_for 20 bash -c 'echo >/dev/tcp/127.0.0.1/17020'
    ;;
  *)
    echo "slurm.sh: no daemon called $1" >&2
    return 2
    ;;
  esac
}

crash() { # NAME: SIGKILL, then wait until it is gone
  local p
  p=$(pid_of "$1")
  [ -n "$p" ] || {
    echo "slurm.sh: no daemon called $1" >&2
    return 2
  }
  kill -KILL "$p" 2>/dev/null
  for _ in $(seq 100); do
    alive "$p" || return 0
    sleep 0.1
  done
  return 1
}

down() {
  # Cancel every user's jobs first: a killed slurmd leaves its slurmstepd behind.
  local ids
  if ids=$(timeout 5 squeue -h -o %i 2>/dev/null); then # not when slurmctld never answered
    [ -n "$ids" ] && timeout 10 scancel $ids
    wait_for 10 sh -c '[ -z "$(squeue -h)" ]'
  fi
  stop slurmrestd slurmd-n1 slurmd-n2 slurmd-n3 slurmd-n4
  stop slurmctld
  stop slurmdbd
  stop mariadbd munged
  # A job on a slurmd that was crashed has no daemon left to cancel it: its step daemon and its
  # script (run from this cluster's spool) would outlive the cluster. Kill them, and what the
  # script started (its process group).
  local pid parent group ours
  ours=$(ps -o pgid= -p $$ | tr -d ' ')
  for pid in $(pgrep -f "$T/spool/" || true); do
    parent=$(ps -o ppid= -p "$pid" | tr -d ' ')
    group=$(ps -o pgid= -p "$pid" | tr -d ' ')
    [ -n "$parent" ] && [ "$(ps -o comm= -p "$parent")" = slurmstepd ] && kill -KILL "$parent"
    if [ -n "$group" ] && [ "$group" != "$ours" ]; then
      kill -KILL -- "-$group" 2>/dev/null
    else
      kill -KILL "$pid" 2>/dev/null
    fi
  done
  return 0
}

case $cmd in
up) up || {
  echo "slurm.sh: Slurm did not start; logs in $T/log" >&2
  down
  exit 1
} ;;
down) down ;;
crash) crash "${3:?usage: slurm.sh crash DIR NAME}" ;;
restart) launch "${3:?usage: slurm.sh restart DIR NAME}" ;;
*) echo "usage: slurm.sh up|down|crash|restart DIR [NAME]" >&2 && exit 2 ;;
esac
