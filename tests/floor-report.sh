#!/bin/sh
# tests/floor-report.sh ROOT CMD...: runs CMD (a ctrrun or floor-ctrrun
# container of `/bin/sleep N` whose state root is ROOT) in the background and
# prints the kernel's view of its container while it runs, with the random
# ID and hostname replaced: mountinfo (root, mount point, mount flags, fs
# type, source, super options; sorted), the process's credentials, seccomp
# and umask, its cgroups and their limits and devices rules, which
# namespaces are new, stdin, cwd, root, environment, session, /dev and the
# /etc files, loopback, the state dir's files (modes, sizes, config.json
# with times blanked). Then what is left after it: state dirs, groups under
# the cgroup parent, the mount table. tests/floor.bats compares ctrrun's
# report with bench/floor-ctrrun.c's.
root=$1
shift
"$@" &
cmd=$!
for i in $(seq 200); do
	d=$(ls -d "$root"/*/ 2>/dev/null | head -n 1)
	[ -n "$d" ] && grep -q ^running "$d/state" 2>/dev/null && break
	sleep 0.05
done
p=$(awk '{ print $2 }' "$d/state")
# ctrrun says running just before its exec: wait for the program itself
for i in $(seq 200); do
	[ "$(cat /proc/$p/comm 2>/dev/null)" = sleep ] && break
	sleep 0.05
done
id=$(basename "$d")
host=$(printf %.12s "$id")
norm() { sed -e "s/$id/ID/g; s/$host/HOST/g; s/ctr_$(printf %.10s "$id")/ctr_NAME/g"; }
echo "## mountinfo"
awk '{ s = 0; for (i = 7; i <= NF; i++) if ($i == "-") { s = i; break }
       print $4, $5, $6, $(s + 1), $(s + 2), $(s + 3) }' /proc/$p/mountinfo |
	sed 's/lowerdir+=/lowerdir=/' | norm | sort
echo "## status"
grep -E '^(Umask|Uid|Gid|Groups|Cap|NoNewPrivs|Seccomp)' /proc/$p/status
echo "## cgroups"
norm </proc/$p/cgroup
g=$(sed -n 's/^[0-9]*:devices:\(.*\)/\1/p' /proc/$p/cgroup)
for f in devices/devices.list cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpuset/cpuset.cpus \
	cpuset/cpuset.mems; do
	echo "$f: $(tr '\n' ' ' <"/sys/fs/cgroup/${f%%/*}$g/${f#*/}")"
done
echo "## namespaces"
for n in cgroup ipc mnt net pid uts user time; do
	[ "$(readlink /proc/$p/ns/$n)" = "$(readlink /proc/self/ns/$n)" ] && echo "$n host" || echo "$n new"
done
echo "## process"
readlink /proc/$p/fd/0 /proc/$p/cwd /proc/$p/root
tr '\0' '\n' </proc/$p/environ | norm
awk -v p=$p '{ print "pgrp", ($5 == p), "session", ($6 == p) }' /proc/$p/stat
echo "lo flags: $(/usr/bin/nsenter -t $p -n cat /sys/class/net/lo/flags)"
echo "hostname: $(/usr/bin/nsenter -t $p -u hostname | norm)"
echo "## /dev and /etc"
(cd /proc/$p/root/dev && stat -c '%A %u %g %t:%T %N' *)
for f in hostname hosts resolv.conf; do echo "$f:"; norm <"/proc/$p/root/etc/$f"; done
echo "## state dir"
# (state's size varies: pids and times in decimal, nanoseconds with
# trailing zeros dropped)
ls -ln "$d" | awk 'NR > 1 { if ($9 == "state") $5 = "N"; print $1, $5, $9 }'
norm <"$d/config.json" | sed -E 's/"Created":"[^"]*"/"Created":T/; s/"CreatedUnix":[0-9]*/"CreatedUnix":T/'
cut -d' ' -f1 "$d/state"
wait $cmd
echo "## after: exit $?"
ls -A "$root"
for f in /sys/fs/cgroup/*/; do
	find "$f" -path "*/$CGPARENT/*" -type d 2>/dev/null
done
