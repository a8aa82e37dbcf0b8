#!/usr/bin/env bats
# ctrrun-props: adversarial checks of what a container is (issue 10, "What a
# container is"; ENGINE-NOTES section 8, "Must-hold properties"). One test per
# property; each reads the kernel's view from inside the container (/proc/1,
# mountinfo, a static probe's syscalls) or from the host (cgroup files, /proc,
# the state root). The probe (tests/props-probe.c) sits in a layer of its own
# on top of the shared busybox image ($PIMG = probe layer:image), so the image
# stays the one ctrrun.bats uses.
#
# Host leftovers are counted per container: each container's hostname is the
# first 12 hex of its ID, so a container prints it and the test looks for
# ctrbox/<that>* cgroups afterwards (other sessions' containers share
# /sys/fs/cgroup/*/ctrbox, so a whole-tree comparison would be noise).

load helpers
load ctrrun-lib

setup() {
	require_ctrrun_image
	LAYER="$BATS_RUN_TMPDIR/props-layer"
	if [ ! -x "$LAYER/probe" ]; then
		rm -rf "$LAYER.tmp"
		mkdir -p "$LAYER.tmp/dev"
		if command -v musl-gcc >/dev/null 2>&1; then
			musl-gcc -static -Os -o "$LAYER.tmp/probe" "$BATS_TEST_DIRNAME/props-probe.c"
		else
			cc -static -Os -o "$LAYER.tmp/probe" "$BATS_TEST_DIRNAME/props-probe.c"
		fi
		# an image whose /dev/null is a symlink to a sensitive file
		# (CVE-2025-31133), and links that point out of the root
		ln -s /proc/sys/kernel/core_pattern "$LAYER.tmp/dev/null"
		mv "$LAYER.tmp" "$LAYER" 2>/dev/null || rm -rf "$LAYER.tmp"
	fi
	PIMG="$LAYER:$IMG"
	export LAYER PIMG
}

teardown() {
	run_deferred
}

# No cgroup of the container whose ID starts with $1 is left on the host.
cg_gone() {
	! ls -d /sys/fs/cgroup/*/ctrbox/"$1"* /sys/fs/cgroup/ctrbox/"$1"* 2>/dev/null | grep -q .
}

# Processes in the list that are alive (zombies excluded).
alive() {
	local p n=0
	for p in "$@"; do
		[ -r "/proc/$p/stat" ] && [ "$(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null)" != Z ] &&
			n=$((n + 1))
	done
	echo "$n"
}

# The host state a run may leave: our state dirs, the host's mount points, the
# test shell's fds.
host_state() {
	ls -A "$ROOT" 2>/dev/null || true
	awk '{ print $5 }' /proc/self/mountinfo | sort
	ls /proc/$$/fd | sort -n
}

caps_of() {
	awk -v k="$1:" '$1 == k { print $2 }'
}

@test "props 1: CapEff/CapPrm/CapBnd are the requested set, CapInh and CapAmb 0 (default, --cap-add/--cap-drop, ALL)" {
	check() {
		local want=$1
		shift
		run $CR --rm "$@" "$PIMG" cat /proc/1/status
		[ "$status" -eq 0 ]
		for k in CapEff CapPrm CapBnd; do
			[ "$(echo "$output" | caps_of $k)" = "$want" ] || { echo "$* $k: want $want"; echo "$output"; return 1; }
		done
		[ "$(echo "$output" | caps_of CapInh)" = 0000000000000000 ]
		[ "$(echo "$output" | caps_of CapAmb)" = 0000000000000000 ]
	}
	host_bnd=$(caps_of CapBnd </proc/self/status)
	check 00000000a80425fb
	check 00000000a80425fa --cap-drop CHOWN
	check 00000000a80425fb --cap-drop chown --cap-add CAP_CHOWN
	check 0000000000000000 --cap-drop ALL
	check 0000000000000001 --cap-drop ALL --cap-add CHOWN
	check 00000000a82425fb --cap-add SYS_ADMIN
	check "$host_bnd" --cap-add ALL
	# docker: --cap-add ALL wins over --cap-drop ALL, minus single drops
	check "$host_bnd" --cap-add ALL --cap-drop ALL
	check "$(printf %016x $((0x$host_bnd & ~1)))" --cap-add ALL --cap-drop CHOWN
	# a non-root user: nothing effective or permitted, bounding kept
	run $CR --rm -u u1 "$PIMG" cat /proc/1/status
	[ "$(echo "$output" | caps_of CapEff)" = 0000000000000000 ]
	[ "$(echo "$output" | caps_of CapPrm)" = 0000000000000000 ]
	[ "$(echo "$output" | caps_of CapBnd)" = 00000000a80425fb ]
	[ "$(echo "$output" | caps_of CapAmb)" = 0000000000000000 ]
	run $CR --rm --cap-add NOSUCH "$PIMG" true
	[ "$status" -eq 125 ]
}

@test "props 2: Seccomp 2 and NoNewPrivs as asked; nr 1000 and clone3 ENOSYS; unshare, setns, mount, clone(NEWUSER), AF_VSOCK, AF_ALG EPERM" {
	run $CR --rm "$PIMG" sh -c 'grep -E "^(Seccomp|NoNewPrivs):" /proc/1/status; /probe sys'
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx 'Seccomp:[[:space:]]*2'
	echo "$output" | grep -qx 'NoNewPrivs:[[:space:]]*0'
	for want in "nr1000 38" "clone3 38" "unshare 1" "setns 1" "mount 1" "clone_newuser 1" \
		"vsock 1" "alg 1" "personality_query ok" "personality_norandom 1" "fork ok"; do
		echo "$output" | grep -qx "$want" || { echo "missing: $want"; echo "$output"; return 1; }
	done
	run $CR --rm --security-opt no-new-privileges "$PIMG" sh -c 'grep -E "^(Seccomp|NoNewPrivs):" /proc/1/status /proc/self/status; /probe sys'
	[ "$(echo "$output" | grep -c 'NoNewPrivs:[[:space:]]*1$')" -eq 2 ]
	[ "$(echo "$output" | grep -c 'Seccomp:[[:space:]]*2$')" -eq 2 ]
	echo "$output" | grep -qx 'clone3 38'
	echo "$output" | grep -qx 'unshare 1'
	# unconfined: the same calls reach the kernel (the probe is not lying)
	run $CR --rm --security-opt seccomp=unconfined "$PIMG" /probe sys
	echo "$output" | grep -qx 'clone3 22'
	echo "$output" | grep -qx 'unshare ok'
}

@test "props 3: a 32-bit int \$0x80 or an x32 syscall from the container is refused" {
	run $CR --rm "$PIMG" /probe sys
	[ "$status" -eq 0 ]
	int80=$(echo "$output" | awk '$1 == "int80" { print $2 }')
	x32=$(echo "$output" | awk '$1 == "x32" { print $2 }')
	[ -n "$int80" ] && [ "$int80" != ok ]
	[ -n "$x32" ] && [ "$x32" != ok ]
	# and without the filter int $0x80 does work here: the test can fail
	run $CR --rm --security-opt seccomp=unconfined "$PIMG" /probe sys
	echo "$output" | grep -qx 'int80 ok'
}

@test "props 4: at exec no fd above 2 is open in the container process, even when the caller leaks some" {
	exec 7</ 8>"$BATS_TEST_TMPDIR/leak" 9<>"$BATS_TEST_TMPDIR/leak"
	run $CR --rm "$PIMG" /probe fds
	exec 7<&- 8>&- 9<&-
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '0\n1\n2')" ]
	# the same through --init (pid 1 is ctrrun's init: its child is what runs)
	exec 7</
	run $CR --rm --init "$PIMG" sh -c 'ls /proc/1/fd | sort -n | tr "\n" " "; echo; /probe fds | tr "\n" " "'
	exec 7<&-
	[ "${lines[0]}" = "0 1 2 " ]
	[ "${lines[1]}" = "0 1 2 " ]
	# --init's pid 1 never execs: a caller's dir fd must not reach it
	# either, where CAP_SYS_PTRACE would walk /proc/1/fd/7 to the host's /
	exec 7</
	run $CR --rm --init --cap-add SYS_PTRACE "$PIMG" sh -c 'ls /proc/1/fd | sort -n | tr "\n" " "; ls /proc/1/fd/7/ 2>/dev/null | head -3'
	exec 7<&-
	[ "$output" = "0 1 2 " ]
	# and through exec
	$CR -d --name fds "$PIMG" sleep 60 >/dev/null
	defer "$CR rm -f fds"
	exec 7</
	run $CR exec fds /probe fds
	exec 7<&-
	[ "$output" = "$(printf '0\n1\n2')" ]
}

@test "props 5: cwd resolves inside the root; -w /proc/self/fd/N is rejected before exec (CVE-2024-21626)" {
	mkdir -p "$BATS_TEST_TMPDIR/hostdir"
	exec 7</ 8<"$BATS_TEST_TMPDIR/hostdir"
	for w in /proc/self/fd/7 /proc/self/fd/8 /proc/self/fd/7/tmp /proc/self/fd/8/..; do
		run $CR --rm -w "$w" "$PIMG" sh -c 'pwd; ls; echo ESCAPED'
		[ "$status" -eq 125 ] || { exec 7<&- 8<&-; echo "-w $w: $output"; return 1; }
		[[ "$output" != *ESCAPED* ]]
		[[ "$output" == ctrrun:* ]]
	done
	# the same through exec -w
	$CR -d --name cwd "$PIMG" sleep 60 >/dev/null
	defer "$CR rm -f cwd"
	run $CR exec -w /proc/self/fd/7 cwd sh -c 'pwd; echo ESCAPED'
	exec 7<&- 8<&-
	[ "$status" -ne 0 ]
	[[ "$output" != *ESCAPED* ]]
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/hostdir")" ]
}

@test "props 6: mountinfo shows no host mount and no peer group shared with the host" {
	host_groups=$(grep -oE '(shared|master):[0-9]+' /proc/self/mountinfo | cut -d: -f2 | sort -u)
	run $CR --rm -v "$BATS_TEST_TMPDIR:/vol" --tmpfs /scratch "$PIMG" cat /proc/1/mountinfo
	[ "$status" -eq 0 ]
	# no shared/master tag at all (private), let alone one of the host's
	! echo "$output" | grep -qE ' (shared|master|propagate_from):[0-9]+ '
	for g in $host_groups; do
		! echo "$output" | grep -qE "(shared|master):$g "
	done
	# every mount point is one the container asked for
	bad=$(echo "$output" | awk '{ print $5 }' |
		grep -vE '^/(|proc(/.*)?|dev(/(pts|mqueue|shm))?|sys(/.*)?|etc/(hostname|hosts|resolv.conf)|vol|scratch)$' || true)
	[ -z "$bad" ] || { echo "unexpected mounts: $bad"; return 1; }
	# the root is the overlay on our image, the old root is gone
	[ "$(echo "$output" | awk '$5 == "/" { print $9 }')" = overlay ]
	! echo "$output" | awk '{ print $4 }' | grep -qx "$BATS_RUN_TMPDIR"
}

@test "props 6b: under a shared host tree, nothing propagates into or out of the container" {
	D="$BATS_TEST_TMPDIR/shared"
	mkdir -p "$D"
	run nolsan /usr/bin/unshare -m --propagation shared sh -c "
		mount -t tmpfs t '$D' && mount --make-shared '$D' || exit 99
		grep -c 'shared:' /proc/self/mountinfo
		$CR --rm --privileged -v '$D:/vol' '$PIMG' sh -c '
			grep -cE \"(shared|master|propagate_from):\" /proc/1/mountinfo
			sleep 1; echo in:\$(ls /vol/sub)
			mkdir /vol/in && mount -t tmpfs y /vol/in && touch /vol/in/fromctr; sleep 1' &
		sleep 0.5
		mkdir '$D/sub' && mount -t tmpfs x '$D/sub' && touch '$D/sub/fromhost'
		sleep 1.5
		echo out:\$(ls '$D/in')
		wait"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" -gt 0 ]             # the host side is shared
	[ "${lines[1]}" = 0 ]               # the container's is not
	echo "$output" | grep -qx 'in:'     # the host's later mount did not come in
	echo "$output" | grep -qx 'out:'    # the container's did not go out
}

@test "props 7: masked files are the real 1:3 null, masked dirs empty read-only, even with a symlinked image /dev/null" {
	# $PIMG's /dev/null is a symlink to /proc/sys/kernel/core_pattern
	[ -L "$LAYER/dev/null" ]
	pat=$(cat /proc/sys/kernel/core_pattern)
	masked="/proc/acpi /proc/asound /proc/interrupts /proc/kcore /proc/keys /proc/latency_stats /proc/sched_debug /proc/scsi /proc/timer_list /proc/timer_stats /sys/devices/virtual/powercap /sys/firmware"
	run $CR --rm "$PIMG" sh -c "for p in $masked; do
		[ -e \$p ] || continue
		if [ -d \$p ]; then echo \"\$p dir \$(ls -A \$p | wc -l)\"; touch \$p/x 2>/dev/null && echo \"\$p writable\";
		else echo \"\$p \$(stat -c '%F %t:%T' \$p) \$(wc -c <\$p)\"; fi
	done; echo probe >/proc/keys; cat /proc/1/mountinfo"
	[ "$status" -eq 0 ]
	n=0
	for p in $masked; do
		[ -e "$p" ] || continue
		n=$((n + 1))
		if [ -d "$p" ]; then
			echo "$output" | grep -qx "$p dir 0"
			# a read-only mount of its own
			echo "$output" | awk -v p="$p" '$5 == p { print $6 }' | grep -q '^ro'
		else
			echo "$output" | grep -qx "$p character special file 1:3 0"
		fi
	done
	[ "$n" -gt 0 ]
	! echo "$output" | grep -q writable
	[ "$(cat /proc/sys/kernel/core_pattern)" = "$pat" ]
}

@test "props 8: read-only paths fail writes with EROFS; /proc/sys and /proc/sysrq-trigger not writable" {
	run $CR --rm "$PIMG" sh -c 'for f in /proc/sys/kernel/domainname /proc/sys/kernel/core_pattern /proc/irq/default_smp_affinity /proc/sysrq-trigger /sys/kernel/uevent_helper /sys/fs/cgroup/x; do
		[ -e "$f" ] || [ "$f" = /sys/fs/cgroup/x ] || continue
		if echo x 2>/dev/null >"$f"; then echo "$f WRITTEN"; else echo "$f refused"; fi
	done 2>&1; grep -E " /proc/(bus|fs|irq|sys|sysrq-trigger) " /proc/1/mountinfo | awk "{ print \$5, \$6 }"'
	[ "$status" -eq 0 ]
	! echo "$output" | grep -q WRITTEN
	echo "$output" | grep -qx '/proc/sys/kernel/domainname refused'
	for p in /proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger; do
		[ -e "$p" ] || continue
		echo "$output" | grep -qE "^$p ro,"
	done
	# the errno is EROFS (not EACCES / EPERM)
	run $CR --rm "$PIMG" sh -c 'echo x >/proc/sys/kernel/domainname; touch /sys/x'
	[ "$(echo "$output" | grep -c 'Read-only file system')" -eq 2 ]
}

@test "props 9: /dev has exactly the default nodes (major:minor, 0666, root) and links; /dev/pts is its own instance" {
	run $CR --rm "$PIMG" sh -c 'cd /dev && for f in * pts/*; do
		if [ -L $f ]; then echo "$f -> $(readlink $f)";
		else stat -c "%n %F %t:%T %a %u:%g" $f; fi; done
		stat -c "pts-dev %d" /dev/pts; awk "\$5 == \"/dev/pts\" { print \$9, \$NF }" /proc/1/mountinfo'
	[ "$status" -eq 0 ]
	expected="fd -> /proc/self/fd
full character special file 1:7 666 0:0
mqueue directory 0:0 1777 0:0
null character special file 1:3 666 0:0
ptmx -> pts/ptmx
pts directory 0:0 755 0:0
random character special file 1:8 666 0:0
shm directory 0:0 1777 0:0
stderr -> /proc/self/fd/2
stdin -> /proc/self/fd/0
stdout -> /proc/self/fd/1
tty character special file 5:0 666 0:0
urandom character special file 1:9 666 0:0
zero character special file 1:5 666 0:0
pts/ptmx character special file 5:2 666 0:0"
	[ -e /proc/kcore ] && expected="core -> /proc/kcore
$expected"
	got=$(echo "$output" | grep -vE '^(pts-dev|devpts) ')
	[ "$got" = "$expected" ] || { diff <(echo "$expected") <(echo "$got"); return 1; }
	# a devpts of its own: not the host's instance
	[ "$(echo "$output" | awk '/^pts-dev/ { print $2 }')" != "$(stat -c %d /dev/pts)" ]
	echo "$output" | grep -qE '^devpts .*ptmxmode=666'
	# the host's ptys are not there
	[ "$(echo "$output" | grep -c '^pts/')" -eq 1 ]
}

@test "props 10: mount targets and -w that are symlinks out of the rootfs resolve inside it" {
	out="$BATS_TEST_TMPDIR/hostside"
	mkdir -p "$out" "$BATS_TEST_TMPDIR/vol"
	echo data >"$BATS_TEST_TMPDIR/vol/f"
	ups=../../../../../../../../../../..
	top="$BATS_TEST_TMPDIR/layer"
	mkdir -p "$top"
	ln -s "$out" "$top/abs-out"
	ln -s "$ups$out" "$top/rel-out"
	ln -s /proc/self/root/"$out" "$top/proc-out"
	for t in /abs-out /rel-out /abs-out/sub /rel-out/a/b /proc-out; do
		run $CR --rm -v "$BATS_TEST_TMPDIR/vol:$t" "$top:$PIMG" sh -c "cat $t/f; touch $t/g"
		[ "$status" -eq 0 ] || [ "$status" -eq 125 ] || { echo "-v $t: $output"; return 1; }
		if [ "$status" -eq 0 ]; then
			[ "$output" = data ]
		fi
		[ -z "$(ls -A "$out")" ] || { echo "-v $t reached the host: $(ls -A "$out")"; return 1; }
	done
	rm -f "$BATS_TEST_TMPDIR/vol/g"
	for w in /abs-out /rel-out/x /abs-out/y/z; do
		run $CR --rm -w "$w" "$top:$PIMG" sh -c 'touch here; pwd -P'
		[ "$status" -eq 0 ] || [ "$status" -eq 125 ]
		[ -z "$(ls -A "$out")" ] || { echo "-w $w reached the host: $(ls -A "$out")"; return 1; }
	done
	# --tmpfs on a link out
	run $CR --rm --tmpfs /abs-out "$top:$PIMG" sh -c 'touch /abs-out/t'
	[ -z "$(ls -A "$out")" ]
}

@test "props 10b: a mount target racing into a symlink (a shared volume flipped meanwhile) never lands outside the root" {
	S="$BATS_TEST_TMPDIR/shared"
	V="$BATS_TEST_TMPDIR/vol"
	mkdir -p "$S/d/target" "$V"
	echo inside >"$V/f"
	# the racer flips $S/b between a real dir and links out of the root
	(
		set +e
		while :; do
			rm -rf "$S/b"; ln -s d "$S/b"
			rm -rf "$S/b"; ln -s / "$S/b"
			rm -rf "$S/b"; ln -s ../../../../../../../../.. "$S/b"
			rm -rf "$S/b"; ln -s "$BATS_TEST_TMPDIR" "$S/b"
		done
	) &
	racer=$!
	defer "kill $racer"
	ok=0 seen=0
	for i in $(seq 30); do
		run $CR --rm -v "$S:/a" -v "$V:/a/b/target" "$PIMG" sh -c \
			'awk "\$5 == \"/\" { print \$9 }" /proc/1/mountinfo; grep -c "/vol /" /proc/1/mountinfo; cat /a/b/target/f 2>/dev/null; true'
		[ "$status" -eq 0 ] || [ "$status" -eq 125 ] || { echo "run $i: $status: $output"; return 1; }
		[ "$status" -eq 0 ] || continue
		ok=$((ok + 1))
		[ "${lines[0]}" = overlay ]
		# where the volume is seen, it is in the container's own tree (the
		# racer's rm -rf of a mount point detaches it, kernel >= 3.18)
		[ "${lines[1]}" -ge 1 ] && [ "${lines[2]}" = inside ] && seen=$((seen + 1))
		kill -0 $racer
	done
	kill $racer
	wait $racer || true
	# nothing reached the host side: the link targets are untouched
	[ ! -e "$BATS_TEST_TMPDIR/target" ]
	[ ! -e /target ]
	[ ! -e "$S/target" ]
	echo "# 10b: $ok of 30 started, the volume seen in $seen" >&3
	[ "$ok" -gt 0 ]
}

@test "props 11: /proc/PID/exe of a ctrrun process in the container is not writable and ctrrun is non-dumpable" {
	# --init: pid 1 is a fork of ctrbox that never execs
	run $CR --rm --init "$PIMG" /probe exe 1
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'write 13\nread 13')" ]
	# even with CAP_SYS_PTRACE (no dumpable check then) it cannot be written
	run $CR --rm --init --cap-add SYS_PTRACE "$PIMG" /probe exe 1
	[[ "$output" != *"write ok"* ]]
	# from the host, a root without CAP_SYS_PTRACE (caps a superset of the
	# container's): only non-dumpable refuses it
	require_cmd setpriv
	$CR -d --init --name dmp "$PIMG" sleep 60 >/dev/null
	defer "$CR rm -f dmp"
	pid=$($CR inspect -f '{{.State.Pid}}' dmp)
	[ "$(tr -d '\0' </proc/$pid/cmdline | head -c 6)" != sleep ]
	run setpriv --bounding-set -sys_ptrace readlink "/proc/$pid/exe"
	[ "$status" -ne 0 ]
	# the control: a dumpable process with the same caps is readable
	setpriv --bounding-set -sys_ptrace sleep 30 &
	sp=$!
	defer "kill $sp"
	sleep 0.2
	run setpriv --bounding-set -sys_ptrace readlink "/proc/$sp/exe"
	[ "$status" -eq 0 ]
}

@test "props 12: SIGKILL to ctrrun takes every container process down (pids and cgroup.procs), -d monitor too" {
	for mode in fg d; do
		name=sk$mode
		if [ $mode = fg ]; then
			$CR --rm --name $name "$PIMG" sh -c 'sleep 1000 & setsid sleep 1001 & (sleep 1002 &); exec sleep 1003' &
			crpid=$!
			defer "kill -KILL $crpid"
			wait_for 5 sh -c "$CR inspect -f '{{.State.Pid}}' $name | grep -qv '^0$'"
		else
			$CR -d --name $name "$PIMG" sh -c 'sleep 1000 & setsid sleep 1001 & (sleep 1002 &); exec sleep 1003' >/dev/null
			defer "$CR rm -f $name"
		fi
		id=$($CR inspect -f '{{.Id}}' $name)
		procs=/sys/fs/cgroup/pids/ctrbox/$id/cgroup.procs
		[ -e "$procs" ] || procs=$(ls /sys/fs/cgroup/*/ctrbox/$id/cgroup.procs | head -1)
		wait_for 5 sh -c "[ \$(wc -l <$procs) -ge 4 ]"
		pids=$(cat "$procs")
		[ "$(alive $pids)" -ge 4 ]
		[ $mode = d ] && crpid=$(awk '{ print $4 }' "$ROOT/$id/state")
		kill -KILL "$crpid"
		[ $mode = fg ] && { wait "$crpid" || true; }
		wait_for 5 sh -c "[ \$(cat $procs 2>/dev/null | wc -l) -eq 0 ]"
		for i in $(seq 100); do [ "$(alive $pids)" -eq 0 ] && break; sleep 0.05; done
		[ "$(alive $pids)" -eq 0 ] || { echo "$mode: survivors: $pids"; return 1; }
		$CR ps -a >/dev/null
		[ ! -e "$ROOT/$id" ] || { echo "$mode: state left: $(cat "$ROOT/$id/state")"; ls -la "$ROOT/$id"; return 1; }
		cg_gone "$id"
	done
}

@test "props 13: --init forwards SIGTERM, reaps orphaned zombies, exits 128+N" {
	$CR --rm --init --name it "$PIMG" sh -c 'sleep 1000' &
	crpid=$!
	defer "kill -KILL $crpid"
	wait_for 5 sh -c "$CR inspect -f '{{.State.Pid}}' it | grep -qv '^0$'"
	sleep 0.3
	kill -TERM "$crpid"
	st=0
	wait "$crpid" || st=$?
	[ "$st" -eq 143 ]
	# orphans reparent to pid 1 and are reaped: no Z left
	run $CR --rm --init "$PIMG" sh -c 'for i in 1 2 3 4 5; do (sleep 0.1 &); done; sleep 1; cat /proc/[0-9]*/stat 2>/dev/null | awk "\$3 == \"Z\"" | wc -l'
	[ "$status" -eq 0 ]
	[ "$output" = 0 ]
	run $CR --rm --init "$PIMG" sh -c 'kill -TERM $$'
	[ "$status" -eq 143 ]
	run $CR --rm --init "$PIMG" sh -c 'kill -SEGV $$'
	[ "$status" -eq 139 ]
	run $CR --rm --init "$PIMG" sh -c 'exit 42'
	[ "$status" -eq 42 ]
}

@test "props 14: exit codes 125 (own error), 126 (not executable), 127 (not found), else the command's" {
	for c in 0 1 42 255; do
		run $CR --rm "$PIMG" sh -c "exit $c"
		[ "$status" -eq "$c" ]
	done
	run $CR --rm "$PIMG" /etc/passwd
	[ "$status" -eq 126 ]
	run $CR --rm "$PIMG" /etc
	[ "$status" -eq 126 ]
	run -127 $CR --rm "$PIMG" /no/such
	run -127 $CR --rm "$PIMG" nosuch
	run $CR --rm --no-such-flag "$PIMG" true
	[ "$status" -eq 125 ]
	run $CR --rm -u nosuchuser "$PIMG" true
	[ "$status" -eq 125 ]
	# killed from the host: 128+9
	$CR --rm --name ex9 "$PIMG" sleep 100 &
	crpid=$!
	defer "kill -KILL $crpid"
	wait_for 5 sh -c "$CR inspect -f '{{.State.Pid}}' ex9 | grep -qv '^0$'"
	kill -KILL "$($CR inspect -f '{{.State.Pid}}' ex9)"
	st=0
	wait "$crpid" || st=$?
	[ "$st" -eq 137 ]
}

@test "props 15: a device node made inside (CAP_MKNOD) does not open unless on the allowlist" {
	run $CR --rm "$PIMG" sh -c 'mknod /tmp/mem c 1 1; mknod /tmp/loop b 7 0; mknod /tmp/fuse c 10 229; mknod /tmp/kmsg c 1 11; mknod /tmp/n c 1 3; mknod /tmp/z c 1 5; mknod /tmp/t c 5 0;
		for f in mem loop fuse kmsg n z; do /probe open /tmp/$f; done; mknod /dev/mem2 c 1 1 && /probe open /dev/mem2'
	[ "$status" -eq 0 ]
	for f in /tmp/mem /tmp/loop /tmp/fuse /tmp/kmsg /dev/mem2; do
		echo "$output" | grep -qx "$f 1" || { echo "$f opened: $output"; return 1; }
	done
	echo "$output" | grep -qx '/tmp/n ok'
	echo "$output" | grep -qx '/tmp/z ok'
	# --privileged lifts it: the kernel answers for the device itself
	run $CR --rm --privileged "$PIMG" sh -c 'mknod /tmp/loop b 7 0; /probe open /tmp/loop'
	[ "$output" != "/tmp/loop 1" ]
}

@test "props 16: --privileged: the caller's bounding set, no filter, no masks, no read-only paths, /sys writable" {
	run $CR --rm --privileged "$PIMG" sh -c 'cat /proc/1/status; cat /proc/1/mountinfo; stat -c "%n %t:%T" /proc/keys'
	[ "$status" -eq 0 ]
	host_bnd=$(caps_of CapBnd </proc/self/status)
	for k in CapEff CapPrm CapBnd; do
		[ "$(echo "$output" | caps_of $k)" = "$host_bnd" ]
	done
	[ "$(echo "$output" | caps_of CapInh)" = 0000000000000000 ]
	echo "$output" | grep -qx 'Seccomp:[[:space:]]*0'
	! echo "$output" | awk '{ print $5 }' | grep -qE '^/proc/(keys|acpi|sys|bus|fs|irq|timer_list|interrupts)$'
	! echo "$output" | awk '{ print $5 }' | grep -qx /sys/firmware
	[ "$(echo "$output" | awk '$5 == "/sys" { print $6 }' | cut -d, -f1)" = rw ]
	! echo "$output" | grep -qx '/proc/keys 1:3'
}

@test "props 17: -u USER:GROUP from the image's passwd and group, supplementary groups" {
	run $CR --rm -u u1 "$PIMG" grep -E '^(Uid|Gid|Groups|CapEff|CapPrm):' /proc/1/status
	[ "$status" -eq 0 ]
	echo "$output" | grep -qE '^Uid:\s+1000\s+1000\s+1000\s+1000$'
	echo "$output" | grep -qE '^Gid:\s+1000\s+1000\s+1000\s+1000$'
	echo "$output" | grep -qE '^Groups:\s+2000\s*$'
	run $CR --rm -u u1:g2 "$PIMG" grep -E '^(Uid|Gid):' /proc/1/status
	echo "$output" | grep -qE '^Uid:\s+1000\s+1000\s+1000\s+1000$'
	echo "$output" | grep -qE '^Gid:\s+2000\s+2000\s+2000\s+2000$'
	run $CR --rm -u 1000:2000 "$PIMG" grep -E '^(Uid|Gid):' /proc/1/status
	echo "$output" | grep -qE '^Gid:\s+2000\s+2000\s+2000\s+2000$'
	# a uid not in passwd: taken as it is, gid 0
	run $CR --rm -u 4242 "$PIMG" grep -E '^(Uid|Gid|Groups):' /proc/1/status
	echo "$output" | grep -qE '^Uid:\s+4242\s+4242\s+4242\s+4242$'
	echo "$output" | grep -qE '^Gid:\s+0\s+0\s+0\s+0$'
	echo "$output" | grep -qE '^Groups:\s*$'
	# the root user: no supplementary groups of the caller leak in
	run $CR --rm "$PIMG" grep -E '^Groups:' /proc/1/status
	echo "$output" | grep -qE '^Groups:\s*$'
	for u in nosuch u1:nosuch nosuch:g2; do
		run $CR --rm -u "$u" "$PIMG" true
		[ "$status" -eq 125 ] || { echo "-u '$u' gave $status"; return 1; }
	done
}

@test "props 18: --read-only root; --tmpfs mounts a fresh tmpfs (nosuid,nodev,noexec; size honoured)" {
	run $CR --rm --read-only --tmpfs /scratch:size=1m "$PIMG" sh -c 'touch /x 2>&1; touch /tmp/x 2>&1; echo h 2>&1 >/etc/hostname; touch /dev/shm/ok && echo shm-ok; touch /scratch/ok && echo scratch-ok; dd if=/dev/zero of=/scratch/big bs=1k count=2048 2>&1; cat /proc/1/mountinfo'
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -c 'Read-only file system')" -eq 3 ]
	echo "$output" | grep -qx shm-ok
	echo "$output" | grep -qx scratch-ok
	echo "$output" | grep -q 'No space left on device'
	[ "$(echo "$output" | awk '$5 == "/" { print $6 }' | cut -d, -f1)" = ro ]
	opts=$(echo "$output" | awk '$5 == "/scratch" { print $6, $9, $NF }')
	[[ "$opts" == *nosuid* && "$opts" == *nodev* && "$opts" == *noexec* && "$opts" == *" tmpfs "* ]]
	[[ "$opts" == *size=1024k* ]]
	# without --read-only the root is writable, and the image is not touched
	before=$(img_sum)
	run $CR --rm "$PIMG" sh -c 'touch /x && echo rw'
	[ "$output" = rw ]
	[ "$(img_sum)" = "$before" ]
}

@test "props 19: --ulimit sets soft and hard; raising a hard limit the caller cannot is a clean 125" {
	run $CR --rm --ulimit nofile=100:200 --ulimit core=0 "$PIMG" cat /proc/1/limits
	[ "$status" -eq 0 ]
	echo "$output" | grep -qE '^Max open files\s+100\s+200\s'
	echo "$output" | grep -qE '^Max core file size\s+0\s+0\s'
	hard=$(ulimit -Hn)
	before=$(host_state)
	run $CR --rm --ulimit nofile=$((hard + 1000)):$((hard + 1000)) "$PIMG" true
	# root without CAP_SYS_RESOURCE may not raise it: refused, or granted
	if ! grep -q . <(capsh --decode=$(caps_of CapEff </proc/self/status) | grep -w cap_sys_resource); then
		[ "$status" -eq 125 ]
		[[ "$output" == ctrrun:* ]]
	fi
	[ "$(host_state)" = "$before" ]
	run $CR --rm --ulimit nofile=200:100 "$PIMG" true
	[ "$status" -eq 125 ]
}

@test "props 20: --pids-limit bounds a fork bomb; -m sets the memory limit and an allocation over it is killed" {
	# a fork bomb's worth of children: pid 1 and 9 more
	run $CR --rm --pids-limit 10 "$PIMG" /probe forks 100
	[ "$status" -eq 0 ]
	[ "$output" = "forked 9 failed 91 errno 11" ]
	run $CR --rm "$PIMG" /probe forks 100
	[ "$output" = "forked 100 failed 0 errno 0" ]
	$CR -d --name lim --pids-limit 10 -m 32m --memory-swap 32m "$PIMG" sleep 60 >/dev/null
	defer "$CR rm -f lim"
	g=$(cg_of lim)
	run cgget -n -v -r pids.max -r memory.limit_in_bytes "$g"
	[ "${lines[*]}" = "10 33554432" ]
	$CR rm -f lim >/dev/null
	run $CR --rm -m 32m --memory-swap 32m "$PIMG" /probe alloc 8
	[ "$output" = done ]
	run $CR --rm -m 32m --memory-swap 32m "$PIMG" /probe alloc 128
	[ "$status" -eq 137 ]
	[ "$output" != done ]
}

@test "props 21: --rm runs, sequential and 50 in parallel, leave mounts, cgroups, fds and state dirs unchanged" {
	N=${CTRRUN_PROPS_SEQ:-100}
	$CR --rm "$PIMG" true
	before=$(host_state)
	ids="$BATS_TEST_TMPDIR/ids"
	t0=$(date +%s.%N)
	for i in $(seq "$N"); do
		$CR --rm --cpu-quota 50000 "$PIMG" hostname >>"$ids" || { echo "run $i failed"; return 1; }
	done
	t1=$(date +%s.%N)
	for i in $(seq 50); do
		$CR --rm --cpu-quota 50000 "$PIMG" hostname >>"$ids" &
	done
	wait
	t2=$(date +%s.%N)
	echo "# $N sequential: $(echo "$t1 - $t0" | bc) s; 50 parallel: $(echo "$t2 - $t1" | bc) s" >&3
	[ "$(sort -u "$ids" | wc -l)" -eq $((N + 50)) ]
	[ "$(host_state)" = "$before" ]
	while read -r id; do
		cg_gone "$id" || { echo "cgroup left: $id"; return 1; }
	done <"$ids"
}

@test "props 21c: cleanup (ps -a, every verb) running beside 50 parallel --rm creations removes none of them" {
	$CR --rm "$PIMG" true
	before=$(host_state)
	ids="$BATS_TEST_TMPDIR/ids"
	stop="$BATS_TEST_TMPDIR/stop"
	for j in 1 2 3; do
		(while [ ! -e "$stop" ]; do $CR ps -a >/dev/null; done) &
	done
	fails=0
	for i in $(seq 50); do
		$CR --rm --cpu-quota 50000 "$PIMG" hostname >>"$ids" 2>>"$BATS_TEST_TMPDIR/err" &
	done
	for i in $(seq 50); do
		wait -n || fails=$((fails + 1))
	done
	touch "$stop"
	wait
	cat "$BATS_TEST_TMPDIR/err" || true
	[ "$fails" -eq 0 ]
	[ "$(sort -u "$ids" | wc -l)" -eq 50 ]
	[ "$(host_state)" = "$before" ]
}

# bats test_tags=slow
@test "props 21b: 1,000 sequential --rm runs leave nothing (runs when 20 timed runs project it under CTRRUN_PROPS_BUDGET s, default 240)" {
	budget=${CTRRUN_PROPS_BUDGET:-240}
	$CR --rm "$PIMG" true
	before=$(host_state)
	ids="$BATS_TEST_TMPDIR/ids"
	t0=$(date +%s%N)
	for i in $(seq 20); do
		$CR --rm --cpu-quota 50000 "$PIMG" hostname >>"$ids"
	done
	per=$(( ($(date +%s%N) - t0) / 20000000 ))   # ms per run
	# ms per run = s per 1,000 runs
	[ "$per" -le "$budget" ] ||
		skip "1,000 runs would take ~$per s here (over the ${budget} s budget)"
	for i in $(seq 21 1000); do
		$CR --rm --cpu-quota 50000 "$PIMG" hostname >>"$ids" || { echo "run $i failed"; return 1; }
	done
	echo "# 1000 sequential: $(( ($(date +%s%N) - t0) / 1000000 )) ms" >&3
	[ "$(sort -u "$ids" | wc -l)" -eq 1000 ]
	[ "$(host_state)" = "$before" ]
	while read -r id; do cg_gone "$id" || { echo "cgroup left: $id"; return 1; }; done <"$ids"
}

@test "props 22: stale state after kill -9 of ctrrun is cleaned by the next call of any verb" {
	before=$(host_state)
	for verb in "ps" "ps -a -q" "inspect nosuch" "rm -f nosuch" "logs nosuch" "wait nosuch" "stop nosuch" \
		"kill nosuch" "exec nosuch true" "--rm $PIMG true"; do
		$CR --rm --name stale "$PIMG" sleep 1000 &
		crpid=$!
		defer "kill -KILL $crpid"
		wait_for 5 sh -c "$CR inspect -f '{{.State.Pid}}' stale 2>/dev/null | grep -qv '^0$'"
		id=$($CR inspect -f '{{.Id}}' stale)
		kill -KILL "$crpid"
		wait "$crpid" || true
		[ -d "$ROOT/$id" ]
		$CR $verb >/dev/null 2>&1 || true
		[ ! -e "$ROOT/$id" ] || { echo "'$verb' left $id"; return 1; }
		cg_gone "$id"
	done
	[ "$(host_state)" = "$before" ]
}

@test "props 22b: kill -9 of ctrrun at any point of start or teardown: the next call leaves no cgroup, mount or state" {
	# a parent group of this test's own, so that other sessions' containers
	# do not count
	P=ctrbox-props-$$
	defer "for h in /sys/fs/cgroup/*/$P /sys/fs/cgroup/$P; do [ -d \$h ] && find \$h -mindepth 1 -depth -type d -exec rmdir {} + ; rmdir \$h; done"
	before=$(host_state)
	for i in $(seq 40); do
		$CR --rm --cgroup-parent $P --cpu-quota 50000 "$PIMG" true &
		p=$!
		sleep "0.0$(printf %02d $(( (i * 7) % 60 )))"
		kill -KILL $p 2>/dev/null || true
		wait $p 2>/dev/null || true
	done
	# left after the next call: only dirs killed between mkdir and their
	# first file (state-less, taken once a minute old), no cgroup. A group
	# still busy (a dying process) keeps its record for the call after:
	# a few calls in a row then.
	only_empty() {
		local d
		$CR ps -a >/dev/null
		for d in "$ROOT"/*; do
			[ -e "$d" ] || continue
			[ -z "$(ls -A "$d")" ] || { echo "left: $d: $(ls -A "$d")"; return 1; }
		done
		[ -z "$(ls -d /sys/fs/cgroup/*/$P/*/ /sys/fs/cgroup/$P/*/ 2>/dev/null)" ]
	}
	wait_for 10 only_empty || only_empty
	for d in "$ROOT"/*; do
		[ -e "$d" ] && touch -d '2 min ago' "$d"
	done
	$CR ps -a >/dev/null
	after=$(host_state)
	[ "$after" = "$before" ] || { echo "before: $before"; echo "after: $after"; return 1; }
}

@test "props 23: bad input never crashes: fuzzed flags and values exit 125 with a message, nothing left behind" {
	file="$BATS_TEST_TMPDIR/afile"
	echo x >"$file"
	bad=(--no-such-flag -Z --cpus=abc "--cpus -1" "--cpus 1e400" "--cpus 0x10" "--cpu-quota x"
		"--cpu-quota 99999999999999999999" "--cpu-quota 10" "--cpu-period 1" "--cpu-period 99999999"
		"-c -5" "-c 99999999999" "-m abc" "-m 1q" "-m -1" "-m 99999999999999999999g" "-m 1"
		"--memory-swap x" "--pids-limit abc" "--pids-limit 1.5" "--pids-limit 99999999999999999999"
		"--ulimit nofile" "--ulimit nofile=a" "--ulimit nofile=200:100" "--ulimit bogus=1"
		"--ulimit =1" "--cap-add NOPE" "--cap-drop CAP_" "--security-opt foo"
		"--security-opt seccomp=/nonexistent" "--network bridge" "--network container:nosuch"
		"-v rel:/x" "-v /nonexistent-props:/x" "-v /tmp:rel" "-v /tmp:/x:zz" "-v :" "-v /tmp"
		"--tmpfs rel" "--tmpfs /x:bogus=1" "-u nosuchuser" "-u 0:nosuchgroup" "-w rel"
		"-h $(printf %064d 0)" "--name a/b" "--stop-signal NOPE" "--stop-timeout x" "--cpuset-cpus 9999"
		"--cpuset-cpus abc" "--cpuset-mems 99" "--env-file /nonexistent" "--rm=1" "--publish 1"
		"--device /dev/null" "--privileged=yes" "--entrypoint" "-e" "--name" "-d -t -i --name")
	images=("/nonexistent-image" "$file" ":" "$IMG:/nonexistent" "$IMG:$file" "")
	before=$(host_state)
	RANDOM=4242
	n=0
	check_one() {
		run timeout 20 $CR "$@"
		n=$((n + 1))
		if [ "$status" -ne 125 ] || [[ "$output" != *ctrrun* ]] ||
			[[ "$output" == *AddressSanitizer* || "$output" == *"runtime error"* ]]; then
			echo "ctrrun $*: status $status: $output"
			return 1
		fi
	}
	for b in "${bad[@]}"; do
		check_one --rm $b "$IMG" true
	done
	for im in "${images[@]}"; do
		check_one --rm "$im" true
		check_one -d "$im" true
	done
	# random pairs of bad items among good ones, on good and bad images
	good=("--rm" "-e A=1" "--cpus 0.5" "-m 64m" "--pids-limit 50" "--read-only" "--init" "-w /tmp" "-h x")
	for i in $(seq 60); do
		args="${good[RANDOM % ${#good[@]}]} ${bad[RANDOM % ${#bad[@]}]} ${good[RANDOM % ${#good[@]}]} ${bad[RANDOM % ${#bad[@]}]}"
		if [ $((RANDOM % 3)) -eq 0 ]; then
			check_one $args "${images[RANDOM % ${#images[@]}]}" true
		else
			check_one $args "$IMG" true
		fi
	done
	# an empty --root would put state dirs in the host's /
	check_one --root= --rm "$IMG" true
	check_one --root "" ps
	check_one run --root= --rm "$IMG" true
	# the other verbs: 125 for bad usage, 1 for a missing container
	$CR -d --name vf "$IMG" sleep 60 >/dev/null
	defer "$CR rm -f vf"
	for args in "inspect -f {{ vf" "inspect -f {{.State.Pid vf" "inspect -f {{.No.Such}} vf" \
		"inspect" "inspect -x vf" "exec" "exec vf" "exec -u nosuch vf true" "exec -w rel vf true" \
		"exec --bogus vf true" "kill -s NOPE vf" "kill -s 999 vf" "stop -t x vf" \
		"stop -t 99999999999999999 vf" "logs" "logs nosuch" "wait" "wait nosuch" "rm" "rm -x vf" \
		"ps -z" "bogusverb" "run" "run --" "--root"; do
		run timeout 20 $CR $args
		n=$((n + 1))
		if { [ "$status" -ne 125 ] && [ "$status" -ne 1 ]; } || [[ "$output" != *ctrrun* ]]; then
			echo "ctrrun $args: status $status: $output"
			return 1
		fi
	done
	$CR rm -f vf >/dev/null
	echo "# fuzz: $n runs" >&3
	[ "$(host_state)" = "$before" ]
	# and no orphan cgroup named after any state we could have made
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}
