#!/usr/bin/env bats
# Every applet's common paths and error paths under valgrind: no invalid
# access, no use of uninitialised memory, no definite or indirect leak.
# valgrind needs a dynamic (glibc) build to see malloc, so this file builds
# one of its own; the static musl binary under test is not involved.
load helpers

setup_file() {
	command -v valgrind >/dev/null || return 0
	VG_BUILD="$BATS_FILE_TMPDIR/vg"
	make -s -C "$BATS_TEST_DIRNAME/.." CC=gcc STATIC=0 BUILD="$VG_BUILD" CFLAGS="-O1 -g" >/dev/null
	export VG_BUILD
}

teardown() { run_deferred; }

# vg ARGS...: run "ctrbox ARGS" under valgrind; the status is valgrind's 99
# on any error, else the applet's.
vg() {
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		"$VG_BUILD/ctrbox" "$@"
}

@test "valgrind: namespace applets, success and error paths" {
	require_root
	require_cmd valgrind
	sleep 60 & local sp=$!
	defer "kill $sp"
	local args
	for args in "lsns" "lsns -J" "lsns -T" "lsns --output-all -p $sp" \
		"lsns -Q NPROCS>1&&TYPE==\"net\"" "lsns -o FOO" "lsns -Q (" "lsns -p 0" \
		"lsns -J -o NS,TYPE -Q COMMAND=~\"^[[:alpha:]]+.*[^a]$\"" "lsns -Q TYPE=~\"a|b\"" \
		"unshare -u true" "unshare -m -u -i -n -p -f --mount-proc true" \
		"unshare --bogus" "unshare --propagation nope true" \
		"nsenter -t $sp -a true" "nsenter -t 4194304 -a true" "nsenter -t abc -u true"; do
		run vg $args
		[ "$status" -ne 99 ] || { echo "valgrind: ctrbox $args: $output"; false; }
	done
}

@test "valgrind: cgroup applets, success and error paths" {
	require_root
	require_cmd valgrind
	require_cgroup_v1 cpu
	local g=ctrbox-test-vg-$$ args
	defer "cgdelete -r -g cpu:$g"
	for args in "cgcreate -g cpu:$g" "cgset -r cpu.cfs_quota_us=10000 $g" \
		"cgset -r cpu.cfs_quota_us=500 $g" "cgget -r cpu.max -r cpu.shares $g" "cgget -g cpu:$g" \
		"cgexec -g cpu:$g true" "cgexec -g cpu:$g/t -r cpu.shares=512 true" \
		"cgget -r cpu.shares nonexistent-$g" "cgcreate -g nosuchctrl:$g" "cgdelete -g cpu:$g"; do
		run vg $args
		[ "$status" -ne 99 ] || { echo "valgrind: ctrbox $args: $output"; false; }
	done
	[ ! -d "/sys/fs/cgroup/cpu/$g" ]
}

@test "valgrind: ovlmount and pivot, success and error paths" {
	require_root
	require_cmd valgrind
	require_overlay
	local d="$BATS_TEST_TMPDIR" args
	mkdir -p "$d/l1" "$d/l2" "$d/m"
	run /usr/bin/unshare -m --propagation private sh -c "
		vg() { valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
			--errors-for-leak-kinds=definite,indirect --error-exitcode=99 '$VG_BUILD/ctrbox' \"\$@\"; }
		vg ovlmount -l '$d/l1:$d/l2' '$d/m' || exit 1
		vg ovlmount --inspect '$d/m' >/dev/null || exit 2
		vg ovlmount --list >/dev/null || exit 3
		vg ovlmount --diff -l '$d/l2' '$d/l1' >/dev/null || exit 4
		vg ovlmount -U '$d/m' || exit 5
		vg ovlmount --inspect '$d/m'; [ \$? = 1 ] || exit 6
		vg ovlmount -l '$d/nope' '$d/m'; [ \$? = 1 ] || exit 7
		vg pivot '$d/nope' /bin/true; [ \$? = 1 ] || exit 8
		vg pivot --bogus; [ \$? = 1 ] || exit 9"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
}
