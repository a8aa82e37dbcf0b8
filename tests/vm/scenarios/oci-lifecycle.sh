#!/bin/sh
# ocirun in the VM (Debian's 6.1, v2 and v1 variants, the initramfs as /):
# a busybox bundle from `ocirun spec`, edited with sed (no jq here):
# create parks init, start runs it, the cgroup files hold the limits, pause
# and resume go through the freezer (cgroup.freeze on v2, freezer.state on
# v1 when a freezer hierarchy is mounted), kill, delete leaves no state
# directory and no cgroup.
# The container gets a cgroup namespace (docker's default on v2): mounting
# cgroup2 from the host's cgroup namespace reconfigures the one cgroup2
# superblock (the host's nsdelegate goes), which the rig reports; the
# engine should bind or keep the host's options there (not done yet).
fail() { echo "FAIL: $*"; cleanup; exit 1; }
R=/tmp/ocirun-vm
B=/tmp/ocirun-vm-bundle
G=ctrbox-test-ocivm
O="ocirun --root $R"
cleanup() { $O delete -f vm1 >/dev/null 2>&1; rm -rf "$B" "$R"; }
mnt() { awk -v t="$1" -v c="$2" '$9 == t && (c == "" || (","$NF",") ~ ","c",") { print $5; exit }' /proc/self/mountinfo; }
eq() { [ "$1" = "$2" ] || fail "$3: '$1', expected '$2'"; }
status() { $O state vm1 | sed -n 's/.*"status": "\(.*\)".*/\1/p'; }

mkdir -p "$B/rootfs/bin" "$B/rootfs/proc" "$B/rootfs/sys" "$B/rootfs/dev" "$B/rootfs/tmp"
cp /bin/busybox "$B/rootfs/bin/busybox" || fail "busybox"
for a in sh sleep cat; do ln -s busybox "$B/rootfs/bin/$a"; done
(cd "$B" && ocirun spec) || fail "ocirun spec"
sed -i -e 's/"terminal": true/"terminal": false/' -e 's/^\( *\)"sh"$/\1"sleep", "100"/' \
	-e "s|\"linux\": {|\"linux\": { \"cgroupsPath\": \"/$G\",|" \
	-e 's/"type": "mount"/"type": "mount" }, { "type": "cgroup"/' \
	-e 's/"resources": {/"resources": { "cpu": { "quota": 20000, "period": 100000 }, "memory": { "limit": 67108864 }, "pids": { "limit": 50 },/' \
	"$B/config.json"
$O create --bundle "$B" --pid-file "$B/pid" vm1 2>"$B/err" || fail "create: $(cat $B/err)"
eq "$(status)" created "status after create"
pid=$(cat "$B/pid")
[ "$(cat /proc/$pid/comm)" != sleep ] || fail "the program ran before start"
$O start vm1 || fail "start"
eq "$(status)" running "status after start"
i=0
while [ "$(cat /proc/$pid/comm)" != sleep ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
eq "$(cat /proc/$pid/comm)" sleep "init after start"
case $CGROUP_VERSION in
2)
	d=$(mnt cgroup2)/$G
	eq "$(cat $d/cpu.max)" "20000 100000" "cpu.max"
	eq "$(cat $d/memory.max)" 67108864 "memory.max"
	eq "$(cat $d/pids.max)" 50 "pids.max"
	grep -qx "$pid" "$d/cgroup.procs" || fail "init not in $d"
	$O pause vm1 || fail "pause"
	eq "$(cat $d/cgroup.freeze)" 1 "cgroup.freeze after pause"
	eq "$(status)" paused "status after pause"
	$O resume vm1 || fail "resume"
	eq "$(cat $d/cgroup.freeze)" 0 "cgroup.freeze after resume"
	;;
1)
	eq "$(cat $(mnt cgroup cpu)/$G/cpu.cfs_quota_us)" 20000 "cpu.cfs_quota_us"
	eq "$(cat $(mnt cgroup memory)/$G/memory.limit_in_bytes)" 67108864 "memory.limit_in_bytes"
	if [ -n "$(mnt cgroup freezer)" ]; then
		$O pause vm1 || fail "pause"
		eq "$(cat $(mnt cgroup freezer)/$G/freezer.state)" FROZEN "freezer.state"
		$O resume vm1 || fail "resume"
	fi
	;;
esac
eq "$(status)" running "status after resume"
$O kill vm1 KILL || fail "kill"
i=0
while [ "$(status)" != stopped ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
eq "$(status)" stopped "status after kill"
$O delete vm1 || fail "delete"
[ ! -e "$R/vm1" ] || fail "state directory left"
for m in $(awk '$9 == "cgroup" || $9 == "cgroup2" { print $5 }' /proc/self/mountinfo); do
	[ ! -d "$m/$G" ] || fail "cgroup left: $m/$G"
done
cleanup
exit 0
