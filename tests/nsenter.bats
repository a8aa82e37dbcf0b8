#!/usr/bin/env bats
# nsenter: join a target's namespaces (STUDY-SESSION.md 2.2 (2)), option by
# option, through the kernel's view (/proc/self/ns, status, cgroup files).
# Targets are made with util-linux's /usr/bin/unshare; each is killed (and
# waited for) at teardown, so no process, mount or ns file stays behind.
load helpers

teardown() { run_deferred; }

NSTYPES="user cgroup ipc uts net pid mnt time"

# spawn CMD...: run CMD in the background with stdio closed; TARGET is its
# pid. It is killed and waited for at teardown.
spawn() {
	local f="$BATS_TEST_TMPDIR/pids"
	defer "kill_wait \$(cat '$f' 2>/dev/null)"
	"$@" </dev/null >/dev/null 2>&1 3>&- &
	TARGET=$!
	disown "$TARGET"
	echo "$TARGET" >>"$f"
}

cwd_is() { [ "$(readlink "/proc/$1/cwd")" = "$2" ]; }

is_comm() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; }

# the single child of PID (unshare -f's), once it runs COMM
child_running() {
	local c
	c=$(cat "/proc/$1/task/$1/children" 2>/dev/null) || return 1
	c=${c%% }
	[ -n "$c" ] && is_comm "$c" "$2" && echo "$c" >"$BATS_TEST_TMPDIR/child"
}

# spawn_forked CMD... (an unshare -f --kill-child ... sleep): TARGET is the
# forked child running sleep.
spawn_forked() {
	spawn "$@"
	wait_for 5 child_running "$TARGET" sleep
	TARGET=$(cat "$BATS_TEST_TMPDIR/child")
	echo "$TARGET" >>"$BATS_TEST_TMPDIR/pids"
}

ns_links() { # ns_links PID: "type link" lines of every namespace
	local t
	for t in $NSTYPES; do echo "$t $(readlink "/proc/$1/ns/$t")"; done
}

# ---- STUDY-SESSION.md 2.2 (2) -------------------------------------------

@test "nsenter -t PID -a lands in every namespace of an unshare -m -u -i -n -p -f --mount-proc target" {
	require_root
	spawn_forked /usr/bin/unshare -m -u -i -n -p -f --kill-child --mount-proc sleep 60
	want=$(ns_links "$TARGET")
	# the target's namespaces are not ours (else the test proves nothing)
	for t in mnt uts ipc net pid; do
		[ "$(ns_ino "$TARGET" $t)" != "$(ns_ino self $t)" ]
	done
	run nsenter -t "$TARGET" -a sh -c '
		for t in '"$NSTYPES"'; do echo "$t $(readlink /proc/self/ns/$t)"; done'
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
	# inside: its own /proc; the target is PID 1 and we are a small PID
	run nsenter -t "$TARGET" -a sh -c 'cat /proc/1/comm; echo $$; ls /proc | grep -c "^[0-9]"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = sleep ]
	[ "${lines[1]}" -gt 1 ] && [ "${lines[1]}" -lt 100 ]
	[ "${lines[2]}" -lt 10 ]
}

@test "-a also enters a target's user namespace when it is not ours" {
	require_root
	spawn_forked /usr/bin/unshare -U -r -u -p -f --kill-child sleep 60
	[ "$(ns_ino "$TARGET" user)" != "$(ns_ino self user)" ]
	want=$(ns_links "$TARGET")
	run nsenter -t "$TARGET" -a sh -c '
		for t in '"$NSTYPES"'; do echo "$t $(readlink /proc/self/ns/$t)"; done'
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
}

@test "-a uses one atomic setns(pidfd, all flags) on this kernel" {
	require_root
	require_cmd strace
	spawn_forked /usr/bin/unshare -m -u -i -n -p -f --kill-child sleep 60
	run strace -f -e trace=setns,pidfd_open nsenter -t "$TARGET" -a true
	[ "$status" -eq 0 ]
	# besides the probe (libctr/nsjoin.c: our own UTS namespace through a
	# pidfd of ourselves), one setns
	[ "$(grep 'setns(' <<<"$output" | grep -vc 'setns([0-9]*, CLONE_NEWUTS) *= 0$')" -eq 1 ]
	pidfd=$(sed -n 's/^pidfd_open('"$TARGET"', 0) *= \([0-9]*\)$/\1/p' <<<"$output")
	[ -n "$pidfd" ]
	line=$(grep "^setns($pidfd, " <<<"$output")
	[[ "$line" == *") = 0" ]]
	for f in NS CGROUP UTS IPC PID NET TIME; do
		[[ "$line" == *CLONE_NEW$f* ]]
	done
}

@test "without pidfd_open (kernels < 5.8) -a goes one by one through /proc/PID/ns files, user last" {
	require_root
	require_cmd strace
	spawn_forked /usr/bin/unshare -U -r -m -u -i -n -p -f --kill-child --mount-proc sleep 60
	want=$(ns_links "$TARGET")
	run strace -qq -f -o "$BATS_TEST_TMPDIR/strace" -e trace=setns,pidfd_open \
		-e inject=pidfd_open:error=ENOSYS nsenter -t "$TARGET" -a sh -c '
		for t in '"$NSTYPES"'; do echo "$t $(readlink /proc/self/ns/$t)"; done'
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
	calls=$(sed -n 's/^[0-9]* *setns([0-9]*, CLONE_NEW\([A-Z]*\)) *= 0$/\1/p' "$BATS_TEST_TMPDIR/strace" | tr '\n' ' ')
	# root drops privilege: every other namespace first, the user namespace last
	[ "$calls" = "CGROUP IPC UTS NET PID NS TIME USER " ]
}

# ---- namespace options one by one ---------------------------------------

@test "each of -m -u -i -n -p enters only that namespace" {
	require_root
	spawn_forked /usr/bin/unshare -m -u -i -n -p -f --kill-child sleep 60
	for opt in m:mnt u:uts i:ipc n:net p:pid; do
		t=${opt#*:}
		run nsenter -t "$TARGET" "-${opt%%:*}" sh -c '
			for t in '"$NSTYPES"'; do echo "$t $(readlink /proc/self/ns/$t)"; done'
		[ "$status" -eq 0 ]
		for u in $NSTYPES; do
			line=$(grep "^$u " <<<"$output")
			if [ "$u" = "$t" ]; then
				[ "$line" = "$u $(readlink /proc/$TARGET/ns/$u)" ]
			else
				[ "$line" = "$u $(readlink /proc/self/ns/$u)" ]
			fi
		done
	done
}

@test "a hostname set in the target's UTS namespace is seen through -u, not outside" {
	require_root
	spawn /usr/bin/unshare -u sh -c 'hostname ctrbox-nsenter-test && exec sleep 60'
	wait_for 5 is_comm "$TARGET" sleep
	run nsenter -t "$TARGET" -u hostname
	[ "$status" -eq 0 ]
	[ "$output" = ctrbox-nsenter-test ]
	[ "$(hostname)" != ctrbox-nsenter-test ]
	run nsenter --uts="/proc/$TARGET/ns/uts" hostname
	[ "$output" = ctrbox-nsenter-test ]
}

@test "--uts=FILE enters a namespace kept only by a bind-mounted ns file" {
	require_root
	spawn /usr/bin/unshare -u sh -c 'hostname ctrbox-persist && exec sleep 60'
	wait_for 5 is_comm "$TARGET" sleep
	touch "$BATS_TEST_TMPDIR/uts"
	run /usr/bin/unshare -m --propagation private sh -c '
		mount --bind /proc/'"$TARGET"'/ns/uts "$0" || exit 9
		kill -KILL '"$TARGET"'; while kill -0 '"$TARGET"' 2>/dev/null; do sleep 0.05; done
		nsenter --uts="$0" hostname; nsenter -u"$0" hostname' "$BATS_TEST_TMPDIR/uts"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'ctrbox-persist\nctrbox-persist')" ]
	! is_mounted "$BATS_TEST_TMPDIR/uts"
}

@test "-p forks so the program is inside the PID namespace; -F does not" {
	require_root
	spawn_forked /usr/bin/unshare -p -f --kill-child --mount-proc sleep 60
	tpid=$(readlink "/proc/$TARGET/ns/pid")
	run nsenter -t "$TARGET" -p readlink /proc/self/ns/pid
	[ "$status" -eq 0 ]
	[ "$output" = "$tpid" ]
	# -F: nsenter execs the program itself, whose children are inside
	run nsenter -t "$TARGET" -p -F readlink /proc/self/ns/pid
	[ "$status" -eq 0 ]
	[ "$output" = "$(readlink /proc/self/ns/pid)" ]
	run nsenter -t "$TARGET" -p -F readlink /proc/self/ns/pid_for_children
	[ "$output" = "$tpid" ]
}

@test "-U enters a user namespace as uid 0 with no groups; --preserve-credentials keeps them" {
	require_root
	require_cmd setpriv
	spawn /usr/bin/unshare -U --map-root-user sleep 60
	wait_for 5 is_comm "$TARGET" sleep
	wait_for 5 grep -q 0 "/proc/$TARGET/uid_map"
	run setpriv --groups 5,6 nsenter -t "$TARGET" -U sh -c '
		readlink /proc/self/ns/user; grep -E "^(Uid|Gid|Groups):" /proc/self/status'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(readlink /proc/$TARGET/ns/user)" ]
	[[ "${lines[1]}" =~ ^Uid:[[:space:]]+0[[:space:]]+0[[:space:]]+0[[:space:]]+0$ ]]
	[[ "${lines[3]}" =~ ^Groups:[[:space:]]*$ ]]
	run setpriv --groups 5,6 nsenter -t "$TARGET" -U --preserve-credentials grep '^Groups:' /proc/self/status
	[ "$status" -eq 0 ]
	# groups 5 and 6 are unmapped in there: the overflow gid shows for them
	[[ "$output" =~ ^Groups:[[:space:]]+65534[[:space:]]+65534[[:space:]]*$ ]]
}

@test "--keep-caps makes the user namespace's capabilities ambient" {
	require_root
	spawn /usr/bin/unshare -U --map-root-user sleep 60
	wait_for 5 is_comm "$TARGET" sleep
	wait_for 5 grep -q 0 "/proc/$TARGET/uid_map"
	run nsenter -t "$TARGET" -U grep '^CapAmb:' /proc/self/status
	[ "$output" = "CapAmb:	0000000000000000" ]
	run nsenter -t "$TARGET" -U --keep-caps grep -E '^Cap(Amb|Prm):' /proc/self/status
	[ "$status" -eq 0 ]
	prm=${lines[0]#CapPrm:?}
	[ "${lines[1]}" = "CapAmb:	$prm" ]
	[ "$prm" != 0000000000000000 ]
}

@test "--user-parent enters the parent of the target's user namespace" {
	require_root
	spawn /usr/bin/unshare -U --map-root-user sh -c \
		'readlink /proc/self/ns/user >"$0.tmp" && mv "$0.tmp" "$0" && exec /usr/bin/unshare -U --map-root-user sleep 60' \
		"$BATS_TEST_TMPDIR/parent"
	wait_for 5 is_comm "$TARGET" sleep
	parent=$(cat "$BATS_TEST_TMPDIR/parent")
	[ "$parent" != "$(readlink /proc/$TARGET/ns/user)" ]
	[ "$parent" != "$(readlink /proc/self/ns/user)" ]
	run nsenter -t "$TARGET" --user-parent readlink /proc/self/ns/user
	[ "$status" -eq 0 ]
	[ "$output" = "$parent" ]
	run nsenter -t "$TARGET" -U readlink /proc/self/ns/user
	[ "$output" = "$(readlink /proc/$TARGET/ns/user)" ]
}

@test "-N FD enters the network namespace of a socket the target holds, not the target's own" {
	require_root
	require_cmd bash ip
	# The socket is made in a new netns; the process then goes back to ours.
	spawn /usr/bin/unshare -n bash -c '
		ip link set lo up || exit 1
		readlink /proc/self/ns/net >"$0.tmp" && mv "$0.tmp" "$0"
		exec 7<>/dev/udp/127.0.0.1/9
		exec /usr/bin/nsenter --net=/proc/'$$'/ns/net sleep 60' "$BATS_TEST_TMPDIR/sknet"
	wait_for 5 is_comm "$TARGET" sleep
	sknet=$(cat "$BATS_TEST_TMPDIR/sknet")
	[ "$(readlink /proc/$TARGET/ns/net)" = "$(readlink /proc/self/ns/net)" ]
	[ "$sknet" != "$(readlink /proc/self/ns/net)" ]
	run nsenter -t "$TARGET" -N 7 readlink /proc/self/ns/net
	[ "$status" -eq 0 ]
	[ "$output" = "$sknet" ]
	run nsenter -t "$TARGET" --net-socket=0 true
	[ "$status" -eq 1 ]
	# (ENOTTY: its text differs between musl and glibc)
	[[ "$output" == "nsenter: ioctl SIOCGSKNS: fd 0: "* ]]
	run nsenter -t "$TARGET" -N 99 true
	[ "$status" -eq 1 ]
	[ "$output" = "nsenter: pidfd_getfd: 99: Bad file descriptor" ]
}

# ---- root, directories, ids, environment --------------------------------

@test "-r and -w take the target's root and cwd; -r=DIR, -w=DIR and -W name them" {
	require_root
	root="$BATS_TEST_TMPDIR/root"
	mkdir -p "$root/bin" "$root/work" "$root/etc"
	cp /bin/busybox "$root/bin/busybox"
	spawn /usr/bin/unshare -m chroot "$root" /bin/busybox sh -c 'cd /work && exec /bin/busybox sleep 60'
	wait_for 5 cwd_is "$TARGET" "$root/work"
	run nsenter -t "$TARGET" -m -r -w /bin/busybox sh -c 'ls /; pwd'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'bin\netc\nwork\n/work')" ]
	# without -w, -r keeps the cwd nsenter had (util-linux does the same)
	run nsenter -t "$TARGET" -m -r /bin/busybox ls /
	[ "$output" = "$(printf 'bin\netc\nwork')" ]
	run nsenter -t "$TARGET" -m -r -W/etc /bin/busybox pwd
	[ "$output" = /etc ]
	run nsenter -t "$TARGET" -m --root="$root" --wd="$root/etc" /bin/busybox pwd
	[ "$output" = /etc ]
	# entering a mount namespace alone puts us at its root
	run nsenter -t "$TARGET" -m pwd
	[ "$output" = / ]
	run nsenter -t "$TARGET" -m -w pwd
	[ "$output" = "$root/work" ]
}

@test "-S and -G set uid and gid; 'follow' takes the target's" {
	require_root
	require_cmd setpriv
	spawn /usr/bin/unshare -u setpriv --reuid 1234 --regid 4321 --clear-groups sleep 60
	wait_for 5 is_comm "$TARGET" sleep
	run nsenter -t "$TARGET" -u -S 2000 -G 3000 grep -E '^(Uid|Gid):' /proc/self/status
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'Uid:\t2000\t2000\t2000\t2000\nGid:\t3000\t3000\t3000\t3000')" ]
	run nsenter -t "$TARGET" -u --setuid=follow --setgid=follow grep -E '^(Uid|Gid):' /proc/self/status
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'Uid:\t1234\t1234\t1234\t1234\nGid:\t4321\t4321\t4321\t4321')" ]
}

@test "-e replaces the environment with the target's" {
	require_root
	spawn /usr/bin/unshare -u env -i CTRBOX_A=1 'CTRBOX_B=x y' PATH=/usr/bin:/bin sleep 60
	wait_for 5 is_comm "$TARGET" sleep
	run env CTRBOX_MINE=1 "$CTRBOX" nsenter -t "$TARGET" -u -e /usr/bin/env
	[ "$status" -eq 0 ]
	[ "$output" = "$(tr '\0' '\n' <"/proc/$TARGET/environ")" ]
	[ "$output" = "$(printf 'CTRBOX_A=1\nCTRBOX_B=x y\nPATH=/usr/bin:/bin')" ]
}

# ---- cgroups --------------------------------------------------------------

@test "-c joins the target's cgroups: every v1 hierarchy and the cgroup2 tree" {
	require_root
	require_cgroup_v1 cpu pids
	v2=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
	[ -n "$v2" ] || skip "no cgroup2 mount"
	g=ctrbox-test-nsenter-$$
	dirs="/sys/fs/cgroup/cpu/$g /sys/fs/cgroup/pids/$g $v2/$g"
	for d in $dirs; do
		defer "rmdir '$d'"
	done
	mkdir $dirs
	spawn /usr/bin/unshare -u sleep 60
	wait_for 5 is_comm "$TARGET" sleep
	for d in $dirs; do echo "$TARGET" >"$d/cgroup.procs"; done
	grep -q ":cpu:/$g\$" "/proc/$TARGET/cgroup"
	run nsenter -t "$TARGET" -u -c cat /proc/self/cgroup
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat /proc/$TARGET/cgroup)" ]
	grep -qx "0::/$g" <<<"$output"
	grep -qx "[0-9]*:pids:/$g" <<<"$output"
	# the program ran in there and is gone: only the target is left
	for d in $dirs; do
		[ "$(cat "$d/cgroup.procs")" = "$TARGET" ]
	done
}

# ---- exit status ------------------------------------------------------------

@test "exit status is the program's, with and without the PID-namespace fork" {
	require_root
	spawn_forked /usr/bin/unshare -u -p -f --kill-child sleep 60
	run nsenter -t "$TARGET" -u sh -c 'exit 7'
	[ "$status" -eq 7 ]
	run nsenter -t "$TARGET" -p sh -c 'exit 42'
	[ "$status" -eq 42 ]
	run nsenter -t "$TARGET" -p true
	[ "$status" -eq 0 ]
}

@test "a program killed by a signal makes nsenter die of the same signal" {
	require_root
	require_cmd perl
	spawn_forked /usr/bin/unshare -p -f --kill-child sleep 60
	# perl's $? keeps the raw wait status: the low 7 bits are the signal
	run perl -e 'system(@ARGV); print $? & 127, "\n"' nsenter -t "$TARGET" -p sh -c 'kill -USR1 $$'
	[ "$output" = 10 ]
	run perl -e 'system(@ARGV); print $? & 127, "\n"' nsenter -t "$TARGET" -p -F sh -c 'kill -TERM $$'
	[ "$output" = 15 ]
}

@test "exec failures: 127 not found, 126 not executable" {
	require_root
	spawn /usr/bin/unshare -u sleep 60
	wait_for 5 is_comm "$TARGET" sleep
	run -127 nsenter -t "$TARGET" -u /nonexistent/prog
	[ "$output" = "nsenter: failed to execute /nonexistent/prog: No such file or directory" ]
	printf 'true\n' >"$BATS_TEST_TMPDIR/noexec"
	chmod 644 "$BATS_TEST_TMPDIR/noexec"
	run -126 nsenter -t "$TARGET" -u "$BATS_TEST_TMPDIR/noexec"
	[ "$output" = "nsenter: failed to execute $BATS_TEST_TMPDIR/noexec: Permission denied" ]
}

@test "without a program nsenter runs \$SHELL, else /bin/sh, as a login shell" {
	require_root
	spawn /usr/bin/unshare -u sleep 60
	wait_for 5 is_comm "$TARGET" sleep
	run env SHELL=/usr/bin/env nsenter -t "$TARGET" -u
	[ "$status" -eq 0 ]
	grep -qx SHELL=/usr/bin/env <<<"$output"
	run sh -c 'echo "echo \$0; readlink /proc/self/ns/uts" | env -u SHELL nsenter -t '"$TARGET"' -u'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = -sh ]
	[ "${lines[1]}" = "$(readlink /proc/$TARGET/ns/uts)" ]
}

@test "-t PID:INODE checks the pidfs inode of the target" {
	require_root
	require_cmd perl
	spawn /usr/bin/unshare -u sleep 60
	wait_for 5 is_comm "$TARGET" sleep
	ino=$(perl -e '$fd = syscall(434, $ARGV[0] + 0, 0); $fd >= 0 or exit 1;
		open(my $h, "<&=", $fd) or exit 1; print((stat($h))[1])' "$TARGET") ||
		skip "no pidfd_open"
	run nsenter -t "$TARGET:$ino" -u readlink /proc/self/ns/uts
	[ "$status" -eq 0 ]
	[ "$output" = "$(readlink /proc/$TARGET/ns/uts)" ]
	run nsenter -t "$TARGET:1" -u true
	[ "$status" -eq 1 ]
	[ "$output" = "nsenter: pidfd inode 1 not found for pid $TARGET" ]
}

# ---- errors -----------------------------------------------------------------

@test "errors: bad and exited PIDs, missing and wrong ns files, missing target" {
	sleep 0 &
	gone=$!
	wait "$gone"
	run nsenter -t "$gone" -u true
	[ "$status" -eq 1 ]
	[ "$output" = "nsenter: cannot open /proc/$gone/ns/uts: No such file or directory" ]
	run nsenter -t "$gone" -a true
	[ "$status" -eq 1 ]
	[ "$output" = "nsenter: stat of /proc/$gone/ns/user failed: No such file or directory" ]
	run nsenter -t abc -u true
	[ "$status" -eq 1 ]
	[ "$output" = "nsenter: failed to parse PID argument 'abc': Invalid argument" ]
	run nsenter -t 12x -u true
	[ "$output" = "nsenter: failed to parse PID argument '12x': Invalid argument" ]
	run nsenter -t 0 -u true
	[ "$status" -eq 1 ]
	[[ "$output" == "nsenter: failed to parse PID argument '0': "* ]]
	run nsenter --mount=/nonexistent true
	[ "$status" -eq 1 ]
	[ "$output" = "nsenter: cannot open /nonexistent: No such file or directory" ]
	run nsenter -u=/etc/hostname true
	[ "$status" -eq 1 ]
	[ "$output" = "nsenter: reassociate to namespace 'ns/uts' failed: Invalid argument" ]
	run nsenter --net=/proc/self/ns/uts true
	[ "$output" = "nsenter: reassociate to namespace 'ns/net' failed: Invalid argument" ]
	run nsenter -u true
	[ "$status" -eq 1 ]
	[ "$output" = "nsenter: no target PID specified" ]
	run nsenter true
	[ "$status" -eq 1 ]
	[ "$output" = "nsenter: no namespace specified" ]
	run nsenter -r true
	[ "$output" = "nsenter: neither filename nor target pid supplied for root" ]
	run nsenter -t 1 -t 1 -u true
	[ "$status" -eq 1 ]
	[ "$output" = "nsenter: option --target may be given only once" ]
}

@test "errors: non-numeric values, usage errors, exclusive and unsupported options" {
	run nsenter -S abc -u true
	[ "$status" -eq 1 ]
	[ "$output" = "nsenter: failed to parse uid: 'abc'" ]
	run nsenter --setgid=-1 -u true
	[ "$output" = "nsenter: failed to parse gid: '-1'" ]
	run nsenter -N x true
	[ "$status" -eq 1 ]
	[ "$output" = "nsenter: failed to parse file descriptor: 'x'" ]
	run nsenter --bogus
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf "nsenter: unrecognized option '--bogus'\nTry 'nsenter --help' for more information.")" ]
	run nsenter -x
	[ "$output" = "$(printf "nsenter: invalid option -- 'x'\nTry 'nsenter --help' for more information.")" ]
	run nsenter -t
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf "nsenter: option requires an argument -- 't'\nTry 'nsenter --help' for more information.")" ]
	run nsenter --target
	[ "$output" = "$(printf "nsenter: option '--target' requires an argument\nTry 'nsenter --help' for more information.")" ]
	run nsenter --all=x
	[ "$output" = "$(printf "nsenter: option '--all' doesn't allow an argument\nTry 'nsenter --help' for more information.")" ]
	run nsenter -w -W/ -t 1 -m true
	[ "$status" -eq 1 ]
	[ "$output" = "nsenter: mutually exclusive arguments: --wdns --wd" ]
	run nsenter --mount=:4026531840 true
	[ "$status" -eq 1 ]
	[ "$output" = "nsenter: --mount=:NSID (a namespace id) is not supported" ]
	run nsenter -Z -t 1 -a true
	[ "$status" -eq 1 ]
	[ "$output" = "nsenter: --follow-context is not supported" ]
}

@test "--help goes to stdout with exit 0; --version names ctrbox" {
	run nsenter --help
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Usage:" ]
	[[ "$output" == *"--net-socket <fd>"* ]]
	[[ "$output" == *"--join-cgroup"* ]]
	run nsenter -h
	[ "$status" -eq 0 ]
	run nsenter -V
	[ "$status" -eq 0 ]
	[[ "$output" == "nsenter from ctrbox "* ]]
}

@test "nsenter leaves no process behind after a failure" {
	require_root
	spawn /usr/bin/unshare -u sleep 60
	wait_for 5 is_comm "$TARGET" sleep
	before=$(ls /proc | grep -c '^[0-9]')
	run nsenter -t "$TARGET" -u --net=/nonexistent true
	[ "$status" -eq 1 ]
	run nsenter -t "$TARGET" -u -c --root=/nonexistent true
	[ "$status" -eq 1 ]
	[ "$output" = "nsenter: cannot open /nonexistent: No such file or directory" ]
}
