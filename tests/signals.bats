#!/usr/bin/env bats
# Signals through the wrappers that fork and wait (unshare -f, cgexec -r;
# libctr/spawn.c): a signal sent at any moment after start reaches the child
# (none lost between fork and wait, the wrapper never dies before its child),
# signals ignored on entry stay ignored in the child (nohup), held signals
# do not leak into the child's mask, and the child's status or fatal signal is
# the wrapper's. Checked through /proc/PID/status of the child.
load helpers

teardown() { run_deferred; }

setup() {
	require_root
	U=$$$BATS_TEST_NUMBER
	G=ctrbox-test-safety-$$-$BATS_TEST_NUMBER
}

# cgexec -r with a knob this host's cpu controller has (v1 or v2), as a
# script on PATH that execs it: a signal to its pid is cgexec's.
make_cgx() {
	local knob=cpu.weight=50
	awk '$9 == "cgroup" && (","$NF",") ~ ",cpu," { f=1 } END { exit !f }' /proc/self/mountinfo &&
		knob=cpu.shares=512
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\nexec cgexec -g cpu:%s -r %s "$@"\n' "$G" "$knob" >"$BATS_TEST_TMPDIR/bin/cgx"
	chmod +x "$BATS_TEST_TMPDIR/bin/cgx"
	PATH="$BATS_TEST_TMPDIR/bin:$PATH"
}
require_cgx() {
	awk '($9 == "cgroup" && (","$NF",") ~ ",cpu,") { f=1 } END { exit !f }' /proc/self/mountinfo ||
		grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null ||
		grep -qw cpu /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null ||
		skip "no cpu controller (v1 or v2)"
	make_cgx
}
cg_left() {
	local m
	for m in $(awk '$9 == "cgroup" || $9 == "cgroup2" { print $5 }' /proc/self/mountinfo); do
		[ ! -e "$m/$G" ] || return 0
	done
	return 1
}
cg_clean() {
	local m
	for m in $(awk '$9 == "cgroup" || $9 == "cgroup2" { print $5 }' /proc/self/mountinfo); do
		[ -d "$m/$G" ] || continue
		xargs -r kill -KILL <"$m/$G/cgroup.procs" 2>/dev/null
		wait_for 5 rmdir "$m/$G" || true
	done
}

# Start WRAPPER... sleep 200 times, each sent SIGTERM at once. Every run must
# end by SIGTERM (status 143) within a second or two - a lost signal leaves
# the wrapper waiting for the whole sleep - and no sleep may outlive its
# wrapper (a wrapper killed before it could forward). The loop runs in a
# fresh bash: bats traps TERM, and a signal that hits a forked subshell
# before it drops that trap would be the shell's, not the wrapper's.
term_race() {
	local orphans
	run bash -c '
		lost=0 bad=0
		for i in $(seq 200); do
			t0=${EPOCHREALTIME/./}
			"$@" sleep "6.'"$U"'" &
			pid=$!
			# a spread of moments: before, during and after the fork
			for ((j = RANDOM % 1500; j > 0; j--)); do :; done
			kill -TERM "$pid"
			st=0
			wait "$pid" || st=$?
			[ "$st" -eq 143 ] || { bad=$((bad + 1)); echo "run $i: status $st"; }
			[ $(( ${EPOCHREALTIME/./} - t0 )) -lt 3000000 ] || lost=$((lost + 1))
		done
		echo "bad=$bad lost=$lost"' term_race "$@"
	# our sleeps carry a unique argument; any left is an orphan: count it,
	# then end it by its PID
	local left
	left=$(pgrep -xf "sleep 6.$U" || true)
	orphans=$(printf '%s' "$left" | grep -c . || true)
	[ -z "$left" ] || kill -KILL $left 2>/dev/null || true
	echo "200 runs: ${lines[-1]} orphans=$orphans" >&3
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "bad=0 lost=0" ]
	[ "$orphans" -eq 0 ]
}

@test "unshare -f --forward-signals: SIGTERM sent right after start reaches the child, 200 times" {
	term_race unshare -f --forward-signals
}

@test "cgexec -r: SIGTERM sent right after start reaches the child, 200 times, no group left" {
	require_cgx
	defer cg_clean
	term_race cgx
	! cg_left
}

# The child's SigIgn and SigBlk masks (hex) from /proc/self/status.
masks='awk "/^Sig(Ign|Blk)/ { print \$1, \$2 }" /proc/self/status'
# Is signal N's bit set in hex mask M?
bit() { (( (16#$1 >> ($2 - 1)) & 1 )); }

@test "nohup cgexec -r CMD: CMD still ignores SIGHUP, and so does cgexec; held SIGINT is not in CMD's mask" {
	require_cgx
	defer cg_clean
	run bash -c "trap '' HUP; cgx sh -c '$masks; kill -HUP \$PPID; sleep 0.2; echo alive'"
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = alive ]
	local ign=${lines[1]#SigIgn: } blk=${lines[0]#SigBlk: }
	bit "$ign" 1            # SIGHUP ignored in CMD
	! bit "$ign" 2          # SIGINT not: held in cgexec, not ignored
	[ "$((16#$blk))" -eq 0 ]
	! cg_left
	# without nohup SIGHUP is passed on: CMD dies of it, cgexec too
	run cgx sh -c 'kill -HUP $PPID; sleep 5'
	[ "$status" -eq 129 ]
	! cg_left
}

@test "unshare -f: SIGINT and SIGQUIT ignored on entry (a background job) stay ignored in the child" {
	run bash -c "trap '' INT QUIT; unshare -f --forward-signals sh -c '$masks'"
	[ "$status" -eq 0 ]
	local ign=${lines[1]#SigIgn: }
	bit "$ign" 2 && bit "$ign" 3
	# and without: nothing ignored, nothing blocked
	run unshare -f sh -c "$masks"
	[ "$((16#${lines[0]#SigBlk: }))" -eq 0 ]
	! bit "${lines[1]#SigIgn: }" 2
	# held (no --forward-signals): SIGTERM to unshare waits, the child ends it
	run unshare -f sh -c 'kill -TERM $PPID; sleep 0.2; exit 5'
	[ "$status" -eq 5 ]
}

@test "exit statuses: the child's code, its fatal signal re-raised (unshare -f, cgexec -r)" {
	require_cgx
	defer cg_clean
	local w
	for w in "unshare -f" "unshare -f --forward-signals" cgx; do
		run $w sh -c 'exit 7'
		[ "$status" -eq 7 ]
		run $w sh -c 'kill -KILL $$'
		[ "$status" -eq 137 ]
		run $w sh -c 'kill -USR1 $$'
		[ "$status" -eq 138 ]
	done
	! cg_left
}
