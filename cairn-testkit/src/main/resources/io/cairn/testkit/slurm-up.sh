#!/bin/sh
# Starts munged, slurmctld and slurmd for a single-node cluster on this host, reusing what runs.
set -e
H=$(hostname)
S=/var/tmp/cairn-slurm
mkdir -p "$S/state" "$S/spool" /etc/slurm /run/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
if ! pgrep -x munged >/dev/null; then runuser -u munge -- munged; fi
if [ ! -f /etc/slurm/slurm.conf ] || ! grep -q "ClusterName=cairn" /etc/slurm/slurm.conf; then
  cat > /etc/slurm/slurm.conf <<CONF
ClusterName=cairn
SlurmctldHost=$H
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/slurmctld.log
SlurmdLogFile=$S/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
MinJobAge=300
MaxArraySize=10001
MaxJobCount=100000
SchedulerParameters=sched_interval=1,defer_batch=0
KillWait=2
OverTimeLimit=0
InactiveLimit=0
NodeName=$H CPUs=2 RealMemory=4000 State=UNKNOWN
PartitionName=debug Nodes=$H Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:8
CONF
fi
if ! pgrep -x slurmctld >/dev/null; then slurmctld; fi
if ! pgrep -x slurmd >/dev/null; then slurmd; fi
i=0
while ! sinfo -h -o %t 2>/dev/null | grep -qE 'idle|mix|alloc'; do
  i=$((i+1)); [ $i -gt 60 ] && { echo "slurm did not come up; see $S/slurmctld.log" >&2; exit 1; }
  sleep 0.5
done
