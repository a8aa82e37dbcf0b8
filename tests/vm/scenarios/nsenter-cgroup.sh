#!/bin/sh
# nsenter -c/--join-cgroup on the VM's pure cgroup v2 and pure v1 layouts:
# the program lands in every cgroup of the target, as the target's
# /proc/PID/cgroup says (util-linux joins on cgroup v2 only; ctrbox also
# joins every mounted v1 hierarchy), and nothing but the target is left in
# them afterwards. cpuset is left out: a v1 cpuset group needs cpus and mems
# before it takes a task.
g=ctrbox-test-nsenter
cg=/sys/fs/cgroup
dirs=""
tpid=""
cleanup() {
	if [ -n "$tpid" ]; then
		kill -KILL "$tpid" 2>/dev/null
		wait "$tpid" 2>/dev/null
	fi
	for d in $dirs; do [ -d "$d" ] && rmdir "$d"; done
}
fail() { echo "FAIL: $*"; cleanup; exit 1; }

case ${CGROUP_VERSION:-} in
2) dirs=$cg/$g ;;
1) dirs=$(awk -v g=$g '$9 == "cgroup" && $NF !~ /cpuset/ { print $5 "/" g }' /proc/self/mountinfo) ;;
*) echo "CGROUP_VERSION is not 1 or 2"; exit 77 ;;
esac
[ -n "$dirs" ] || { echo "no cgroup hierarchy is mounted"; exit 77; }

sleep 60 &
tpid=$!
for d in $dirs; do
	mkdir "$d" || fail "mkdir $d"
	echo "$tpid" >"$d/cgroup.procs" || fail "cannot move $tpid into $d"
done
want=$(cat /proc/$tpid/cgroup)
n=$(echo "$want" | grep -c ":/$g\$")
[ "$n" -ge 1 ] || fail "the target is in no $g group: $want"

# -u: nsenter wants a namespace; entering our own UTS namespace changes nothing.
got=$(nsenter -t "$tpid" -u -c cat /proc/self/cgroup 2>&1) || fail "nsenter -c: $got"
[ "$got" = "$want" ] || fail "nsenter -c: the program is in
$got
the target in
$want"
got=$(nsenter -t "$tpid" -u --join-cgroup sh -c 'cat /proc/self/cgroup' 2>&1) || fail "nsenter --join-cgroup: $got"
[ "$got" = "$want" ] || fail "nsenter --join-cgroup: $got"
for d in $dirs; do
	procs=$(cat "$d/cgroup.procs")
	[ "$procs" = "$tpid" ] || fail "$d/cgroup.procs holds more than the target: $procs"
done
cleanup
exit 0
