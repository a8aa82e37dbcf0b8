#!/bin/sh
# cgcreate/cgset/cgget/cgdelete with the v1 names on v2 and the v2 names on
# v1 (STUDY-SESSION.md 2.3's values), the files the kernel shows, the
# messages of a refused value, and v2's no-internal-process rule.
fail() { echo "FAIL: $*"; cleanup; exit 1; }
G=ctrbox-test-names
cleanup() {
	[ -n "$bg" ] && kill -9 "$bg" 2>/dev/null && wait "$bg" 2>/dev/null
	cgdelete -r -g cpu,cpuset,memory,pids:$G 2>/dev/null
	cgdelete -r -g cpu,cpuset,memory,pids:$G-copy 2>/dev/null
	cgdelete -r -g memory:$G-nip 2>/dev/null
	cgdelete -r -g cpu:$G-tr 2>/dev/null
}
mnt() { awk -v t="$1" -v c="$2" '$9 == t && (c == "" || (","$NF",") ~ ","c",") { print $5; exit }' /proc/self/mountinfo; }
eq() { [ "$1" = "$2" ] || fail "$3: '$1', expected '$2'"; }

cgcreate -g cpu,cpuset,memory,pids:$G || fail "cgcreate"
cgset -r cpu.cfs_quota_us=10000 -r cpu.cfs_period_us=50000 -r cpu.shares=1536 \
	-r memory.limit_in_bytes=64M -r pids.max=-1 -r cpuset.cpus=0 $G || fail "cgset v1 names"
eq "$(cgget -n -v -r cpu.cfs_quota_us -r cpu.cfs_period_us -r cpu.shares -r memory.limit_in_bytes -r pids.max $G | tr '\n' ' ')" \
	"10000 50000 1536 67108864 max " "cgget v1 names"

case $CGROUP_VERSION in
2)
	d=$(mnt cgroup2)/$G
	eq "$(cat $d/cpu.max)" "10000 50000" "cpu.max"
	eq "$(cat $d/cpu.weight)" 138 "cpu.weight for shares 1536"
	eq "$(cat $d/memory.max)" 67108864 "memory.max"
	eq "$(cat $d/pids.max)" max "pids.max"
	eq "$(cat $d/cpuset.cpus)" 0 "cpuset.cpus"
	cgset -r cpu.shares=1024 $G && eq "$(cat $d/cpu.weight)" 100 "cpu.weight for 1024"
	cgset -r cpu.shares=2560 $G && eq "$(cat $d/cpu.weight)" 208 "cpu.weight for 2560"
	eq "$(cgget -n -v -r cpu.shares $G)" 2560 "cpu.shares read back from cpu.weight"
	cgset -r cpu.cfs_quota_us=-1 -r memory.limit_in_bytes=-1 $G || fail "cgset -1"
	eq "$(cat $d/cpu.max)" "max 50000" "cpu.max after quota -1"
	eq "$(cat $d/memory.max)" max "memory.max after -1"
	eq "$(cgget -n -v -r cpu.cfs_quota_us -r memory.limit_in_bytes $G | tr '\n' ' ')" "-1 -1 " "max read as -1"
	out=$(cgset -r cpu.shares=512 -r cpu.cfs_quota_us=500 $G 2>&1) && fail "quota 500 accepted"
	eq "$out" "cgset: cannot write: '500 50000' to $d/cpu.max (for cpu.cfs_quota_us=500): Invalid argument" "message"
	eq "$(cat $d/cpu.weight)" 208 "cpu.weight rolled back"
	# No internal processes: a group with a process cannot give memory to a
	# child (EBUSY on subtree_control); nothing is left behind.
	cgcreate -g memory:$G-nip || fail "cgcreate nip"
	sleep 300 & bg=$!
	echo $bg >$(mnt cgroup2)/$G-nip/cgroup.procs || fail "move sleep"
	out=$(cgcreate -g memory:$G-nip/child 2>&1) && fail "cgcreate under a populated group"
	case $out in "cgcreate: cannot enable controller (group has processes): memory in $(mnt cgroup2)/$G-nip/cgroup.subtree_control: "*) ;;
		*) fail "no-internal-process message: $out" ;; esac
	[ -e $(mnt cgroup2)/$G-nip/child ] && fail "child left behind"
	kill -9 $bg; wait $bg 2>/dev/null; bg=
	# cpuacct on v2: the v2 tree, cpuacct.usage read from cpu.stat.
	cgcreate -g cpu,cpuacct:$G-nip || fail "cgcreate cpu,cpuacct on v2"
	u=$(awk '$1 == "usage_usec" { print $2 }' $(mnt cgroup2)/$G-nip/cpu.stat)
	eq "$(cgget -n -v -r cpuacct.usage $G-nip)" "${u}000" "cpuacct.usage on v2"
	out=$(cgset -r cpuacct.usage=0 $G-nip 2>&1) && fail "cpuacct.usage reset on v2"
	case $out in "cgset: cannot write: cpuacct.usage=0: cgroup v2 cannot reset the usage in cpu.stat: "*) ;;
		*) fail "cpuacct.usage=0 message: $out" ;; esac
	# A group that gives a domain controller (memory) to subgroups cannot
	# take a process (threaded-capable ones like cpu alone would allow it).
	cgcreate -g memory:$G-nip/sub || fail "cgcreate sub"
	out=$(cgexec -g memory:$G-nip true 2>&1) && fail "cgexec into a group with subtree_control"
	case $out in "cgexec: cannot join group (it has controllers enabled for subgroups): $(mnt cgroup2)/$G-nip/cgroup.procs: "*) ;;
		*) fail "cgexec message: $out" ;; esac
	cgdelete -r -g memory:$G-nip || fail "cgdelete -r nip"
	# A nested transient group: the parent it made and the controller it
	# enabled there are taken back.
	cgexec -g cpu:$G-tr/a -r cpu.weight=50 sh -c "[ \$(cat $(mnt cgroup2)/$G-tr/a/cpu.weight) = 50 ]" ||
		fail "nested transient group"
	[ -e $(mnt cgroup2)/$G-tr ] && fail "transient parent left behind"
	;;
1)
	c=$(mnt cgroup cpu)/$G
	eq "$(cat $c/cpu.cfs_quota_us) $(cat $c/cpu.cfs_period_us) $(cat $c/cpu.shares)" "10000 50000 1536" "v1 files"
	cgset -r cpu.max="20000 100000" -r cpu.weight=208 -r memory.max=max $G || fail "cgset v2 names"
	eq "$(cat $c/cpu.cfs_quota_us) $(cat $c/cpu.cfs_period_us) $(cat $c/cpu.shares)" "20000 100000 2560" "v2 names on v1"
	eq "$(cgget -n -v -r cpu.max -r cpu.weight -r memory.max $G | tr '\n' ' ')" "20000 100000 208 max " "cgget v2 names"
	out=$(cgset -r cpu.cfs_quota_us=500 $G 2>&1) && fail "quota 500 accepted"
	eq "$out" "cgset: cannot write: '500' to $c/cpu.cfs_quota_us: Invalid argument" "message"
	# The v1 cpuset of a new group has its parent's cpus and mems.
	eq "$(cat $(mnt cgroup cpuset)/$G/cpuset.mems)" "$(cat $(mnt cgroup cpuset)/cpuset.mems)" "cpuset.mems"
	;;
esac
# --copy-from: every setting of the common controllers.
cgcreate -g cpu,cpuset,memory,pids:$G-copy || fail "cgcreate copy"
cgset --copy-from $G $G-copy || fail "cgset --copy-from"
for n in cpu.max cpu.weight cpu.cfs_quota_us cpu.shares memory.max pids.max cpuset.cpus; do
	eq "$(cgget -n -v -r $n $G-copy)" "$(cgget -n -v -r $n $G)" "copied $n"
done
cgdelete -g cpu,cpuset,memory,pids:$G-copy || fail "cgdelete copy"
cgexec -g cpu,cpuset,memory,pids:$G sh -c 'grep -q ctrbox-test-names /proc/self/cgroup' || fail "cgexec"
cgdelete -g cpu,cpuset,memory,pids:$G || fail "cgdelete"
cleanup
exit 0
