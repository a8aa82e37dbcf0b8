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

# Children are checked too: forked ones (unshare -f, the persistence
# helper, nsenter's fork into a PID namespace) always are, and with
# --trace-children=yes so are programs they exec, but for the host's own
# binaries (true, sh: not ours to check, and slow under valgrind).
VG_OPTS="-q --trace-children=yes --trace-children-skip=/usr/bin/*,/bin/*,/usr/sbin/* \
--leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
--error-exitcode=99"

# vg ARGS...: run "ctrbox ARGS" under valgrind; the status is valgrind's 99
# on any error (in any process of the tree), else the applet's.
vg() {
	# shellcheck disable=SC2086
	valgrind $VG_OPTS "$VG_BUILD/ctrbox" "$@"
}

@test "valgrind: namespace applets, success and error paths" {
	require_root
	require_cmd valgrind
	sleep 60 & local sp=$!
	defer "kill $sp"
	local args
	for args in "lsns" "lsns -J" "lsns -T" "lsns --output-all -p $sp" \
		"lsns -Q NPROCS>1&&TYPE==\"net\"" "lsns -o FOO" "lsns -Q (" \
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
		vg() { valgrind $VG_OPTS '$VG_BUILD/ctrbox' \"\$@\"; }
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

@test "valgrind: post-fork code, every process of the tree checked (--trace-children)" {
	require_root
	require_cmd valgrind
	sleep 60 & local sp=$!
	defer "kill $sp"
	local d=$BATS_TEST_TMPDIR args n
	printf 'echo hi\n' >"$d/script"
	chmod +x "$d/script"
	for args in "unshare -f true" "unshare -f --kill-child true" "unshare -f -p --mount-proc true" \
		"unshare --forward-signals true" "unshare -f $d" "unshare -r --map-users=0:0:1 true" \
		"unshare --uts=$d/uts true" "unshare -f --pid=$d/pid true" "unshare -u $d/script" \
		"unshare -f -u unshare -f -i true" "nsenter -t $sp -p true" "nsenter -t $sp -p -F true" \
		"nsenter -t $sp -p $d" "cgexec -g cpu:/ $d/script"; do
		rm -f "$d"/vg.*
		# in a private mount namespace: --uts=FILE binds there
		run /usr/bin/unshare -m --propagation private \
			valgrind $VG_OPTS --log-file="$d/vg.%p" "$VG_BUILD/ctrbox" $args
		[ "$status" -ne 99 ] || { echo "valgrind: ctrbox $args: $(cat "$d"/vg.*)"; false; }
		# errors are "==PID==" lines ("--PID--" are valgrind's own notes,
		# e.g. on pidfd_open, which it does not know)
		! grep -l '^==' "$d"/vg.* || { echo "valgrind: ctrbox $args: $(cat "$d"/vg.*)"; false; }
		# forked processes had logs of their own: the children were checked
		case $args in *" -F "*) ;; *" -f "* | *"-p "* | *--forward-signals* | *--map-users* | *--uts=*)
			n=$(ls "$d"/vg.* | wc -l)
			[ "$n" -ge 2 ] || { echo "ctrbox $args: only $n process under valgrind"; false; } ;;
		esac
	done
}
