#!/bin/sh
# ocirun's blockIO, hugepageLimits and network on the v2 guest (Debian's
# 6.1): the engine enables io and hugetlb on the way down (a pure v2 host),
# blockIO.weight lands in io.weight scaled as runc does (no BFQ loaded:
# 500 -> 4950), hugepageLimits in hugetlb.2MB.max, network is refused (no v2
# form), delete leaves no group. The guest has no block device: io.max is
# checked on the host only (tests/oci.bats, v1 blkio there). v1 guest: no
# blkio hierarchy: blockIO refused, naming the controller; then the scenario
# mounts hugetlb and net_cls,net_prio hierarchies: hugetlb.2MB.limit_in_bytes,
# net_cls.classid, net_prio.ifpriomap, removed on delete.
# A cgroup namespace, as oci-lifecycle (the cgroup2 mount keeps nsdelegate).
fail() { echo "FAIL: $*"; cleanup; exit 1; }
R=/tmp/ocirun-res
B=/tmp/ocirun-res-bundle
G=ctrbox-test-ocires
O="ocirun --root $R"
cleanup() { $O delete -f r1 >/dev/null 2>&1; rm -rf "$B" "$R"; }
eq() { [ "$1" = "$2" ] || fail "$3: '$1', expected '$2'"; }

mkdir -p "$B/rootfs/bin" "$B/rootfs/proc" "$B/rootfs/sys" "$B/rootfs/dev" "$B/rootfs/tmp"
cp /bin/busybox "$B/rootfs/bin/busybox" || fail "busybox"
for a in sh sleep; do ln -s busybox "$B/rootfs/bin/$a"; done
(cd "$B" && ocirun spec) || fail "ocirun spec"
cp "$B/config.json" "$B/spec.json"
res() {
	sed -e 's/"terminal": true/"terminal": false/' -e 's/^\( *\)"sh"$/\1"sleep", "100"/' \
		-e "s|\"linux\": {|\"linux\": { \"cgroupsPath\": \"/$G\",|" \
		-e 's/"type": "mount"/"type": "mount" }, { "type": "cgroup"/' \
		-e "s/\"resources\": {/\"resources\": { $1,/" "$B/spec.json" >"$B/config.json"
}
res '"blockIO": { "weight": 500 }, "hugepageLimits": [ { "pageSize": "2MB", "limit": 4194304 } ]'
case $CGROUP_VERSION in
2)
	$O create --bundle "$B" r1 2>"$B/err" || fail "create: $(cat $B/err)"
	d=/sys/fs/cgroup/$G
	eq "$(cat $d/io.weight)" "default 4950" "io.weight"
	eq "$(cat $d/hugetlb.2MB.max)" 4194304 "hugetlb.2MB.max"
	$O delete -f r1 || fail "delete"
	[ ! -d "$d" ] || fail "group left: $d"
	res '"network": { "classID": 1048577 }'
	$O create --bundle "$B" r1 2>"$B/err" && fail "network accepted on v2"
	grep -q "controller not available: net_cls" "$B/err" || fail "network: $(cat $B/err)"
	;;
1)
	$O create --bundle "$B" r1 2>"$B/err" && fail "blockIO accepted without blkio"
	grep -q "controller not available: blkio" "$B/err" || fail "blockIO: $(cat $B/err)"
	# hugetlb and net_cls,net_prio hierarchies of the scenario's own
	n=/sys/fs/cgroup/net_cls,net_prio
	h=/sys/fs/cgroup/hugetlb
	mkdir -p $n $h && mount -t cgroup -o net_cls,net_prio cgroup $n &&
		mount -t cgroup -o hugetlb cgroup $h || fail "mount net_cls,net_prio and hugetlb"
	res '"hugepageLimits": [ { "pageSize": "2MB", "limit": 4194304 } ], "network": { "classID": 1048577, "priorities": [ { "name": "lo", "priority": 5 } ] }'
	$O create --bundle "$B" r1 2>"$B/err" || fail "create: $(cat $B/err)"
	eq "$(cat $h/$G/hugetlb.2MB.limit_in_bytes)" 4194304 "hugetlb.2MB.limit_in_bytes"
	eq "$(cat $n/$G/net_cls.classid)" 1048577 "net_cls.classid"
	grep -qx "lo 5" $n/$G/net_prio.ifpriomap || fail "net_prio.ifpriomap: $(cat $n/$G/net_prio.ifpriomap)"
	$O delete -f r1 || fail "delete"
	[ ! -d $n/$G ] && [ ! -d $h/$G ] || fail "group left in $n or $h"
	umount $n $h && rmdir $n $h || fail "umount"
	;;
esac
[ ! -e "$R/r1" ] || fail "state left"
for m in $(awk '$9 == "cgroup" || $9 == "cgroup2" { print $5 }' /proc/self/mountinfo); do
	[ ! -d "$m/$G" ] || fail "cgroup left: $m/$G"
done
cleanup
exit 0
