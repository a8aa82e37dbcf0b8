#!/usr/bin/env bats
# floor: bench/floor-ctrrun.c, the floor bench/ctrrun.sh measures ctrrun
# against, must build the container ctrrun builds, or the ratio compares
# unequal work. Both run the same image under the same state root and cgroup
# parent, in a mount namespace without the cgroup2 mount on a hybrid host
# (the pure-v1 layout bench_pure_v1 gives the bench; the floor does v1 only);
# tests/floor-report.sh prints the kernel's view of each container and the
# two reports must be equal. The seccomp program is ctrrun's by
# construction (bench/floor-build.sh dumps it from ctrrun): checked by
# dumping the floor's in turn.

load helpers
load ctrrun-lib

setup() {
	require_ctrrun_image
	require_cmd strace
	require_cgroup_v1 cpu cpuset devices
	F=$BATS_TEST_TMPDIR
	mkdir -p "$F/root"
	CGPARENT=$CGP
	export CGPARENT
}

teardown() {
	run_deferred
	rmdir /sys/fs/cgroup/*/"$CGP" 2>/dev/null || true
}

# in a mount namespace of its own, without the cgroup2 mount of a hybrid host
pure_v1() {
	/usr/bin/unshare -m sh -c 'mount --make-rprivate / &&
		{ [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" != cgroup2fs ] ||
		  umount -l /sys/fs/cgroup/unified; } && exec "$@"' sh "$@"
}

@test "floor: floor-ctrrun's container is ctrrun's (mounts, cgroups, caps, seccomp, ns, files, teardown)" {
	local top hiers
	top=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	hiers=$(awk '$9 == "cgroup" { o = $NF; sub(/^r[wo],/, "", o); printf "%s:%s ", $5, o }' /proc/self/mountinfo)
	run pure_v1 sh "$top/bench/floor-build.sh" "$F/floor" \
		"$CTRBOX" ctrrun --root "$F/root" --cgroup-parent "$CGP" --rm --cpu-quota 50000 "$IMG" /bin/true
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	pure_v1 sh "$top/tests/floor-report.sh" "$F/root" \
		"$CTRBOX" ctrrun --root "$F/root" --cgroup-parent "$CGP" --rm --cpu-quota 50000 "$IMG" /bin/sleep 2 \
		>"$F/ctrrun.txt" 2>&1
	pure_v1 sh "$top/tests/floor-report.sh" "$F/root" \
		"$F/floor" "$F/root" "$CGP" "$IMG" $hiers -- /bin/sleep 2 >"$F/floor.txt" 2>&1
	# what must hold in both, so that equal reports are not equally empty
	grep -q '^/ / rw,relatime overlay overlay ' "$F/ctrrun.txt"
	grep -q '^/proc/sys ro' <(awk '{ print $2, $3 }' "$F/ctrrun.txt")
	grep -q '^CapEff:	00000000a80425fb$' "$F/ctrrun.txt"
	grep -q '^Seccomp:	2$' "$F/ctrrun.txt"
	grep -q "^1:cpu:/$CGP/ID\$\|:cpu:/$CGP/ID\$" "$F/ctrrun.txt"
	grep -q '^cpu/cpu.cfs_quota_us: 50000 $' "$F/ctrrun.txt"
	grep -q '^pid new$' "$F/ctrrun.txt"
	grep -q '^cgroup new$' "$F/ctrrun.txt"
	grep -q '^HOME=/root$' "$F/ctrrun.txt"
	grep -q '^## after: exit 0$' "$F/ctrrun.txt"
	diff -u "$F/ctrrun.txt" "$F/floor.txt"
	# the floor loads the very program ctrrun loads
	pure_v1 strace -f -qq -e trace=seccomp -e signal=none -X raw -s 65536 -v -o "$F/floor.strace" \
		"$F/floor" "$F/root" "$CGP" "$IMG" $hiers -- /bin/true
	sed -n 's/.*seccomp(0x1, 0, {len=[0-9]*, filter=\[\(.*\)\]}) = 0$/\1/p' "$F/floor.strace" >"$F/floor.bpf"
	[ -s "$F/floor.bpf" ]
	cmp "$F/floor.bpf.h" "$F/floor.bpf"
	[ -z "$(ls -A "$F/root")" ]
}
