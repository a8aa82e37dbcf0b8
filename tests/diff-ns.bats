#!/usr/bin/env bats
# diff-ns.bats: ctrbox's unshare, nsenter and pivot_root side by side with
# Debian's util-linux (/usr/bin/unshare, /usr/bin/nsenter, /usr/sbin/pivot_root)
# over generated matrices of options and values. Each case compares the exit
# status class, the output of a probe run inside (the kernel state the applet
# left: which namespaces are new, uid_map, gid_map, setgroups, ids, hostname,
# capabilities, time offsets) and whether something was said on stderr.
# Intended differences, each with its reason: tests/diff-intended.txt.

load helpers
load diff-lib

VALUES=(010 0x10 -1 4294967295 4294967294 '' junk ' 5' +5 0 1000 99999999999 1e3 0010)

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	local d=$BATS_FILE_TMPDIR t
	# The probe: the kernel state of the process an applet ran.
	for t in mnt uts ipc net pid user cgroup time; do
		echo "$t $(readlink /proc/self/ns/$t)"
	done >"$d/outer"
	cat >"$d/probe" <<-'SH'
	#!/bin/sh
	DIFF_DIR=@DIFF_DIR@
	# which namespaces: outer (the test's), target (nsenter's), or new
	printf 'ns:'
	for t in mnt uts ipc net pid pid_for_children user cgroup time time_for_children; do
		i=$(readlink /proc/self/ns/$t 2>/dev/null)
		b=${t%_for_children}
		if grep -qxF "$b $i" "$DIFF_DIR/outer"; then w=outer
		elif [ -f "$DIFF_DIR/target" ] && grep -qxF "$b $i" "$DIFF_DIR/target"; then w=target
		else w=new; fi
		printf ' %s=%s' "$t" "$w"
	done
	echo
	echo "uid_map:" $(cat /proc/self/uid_map)
	echo "gid_map:" $(cat /proc/self/gid_map)
	echo "setgroups:" $(cat /proc/self/setgroups)
	echo "ids:" $(id -u) $(id -g) $(id -G)
	echo "hostname:" $(cat /proc/sys/kernel/hostname)
	grep -E '^(CapEff|CapAmb):' /proc/self/status | tr '\t' ' '
	[ -r /proc/self/timens_offsets ] && echo "timens:" $(cat /proc/self/timens_offsets)
	echo "pid1: $([ $$ = 1 ] && echo yes || echo no)"
	echo "cwd: $(pwd)"
	echo "env:" $(env | cut -d= -f1 | grep -v '^_$' | sort)
	SH
	# the probe's own references, also under --clear-env
	sed -i "s|@DIFF_DIR@|$d|" "$d/probe"
	chmod +x "$d/probe"
}

setup() {
	require_root
	export DIFF_DIR=$BATS_FILE_TMPDIR
	PROBE=$DIFF_DIR/probe
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	run_deferred
}

@test "unshare: namespace options, one by one and combined, leave the same kernel state" {
	local o
	for o in -m -u -i -n -U -C -T "-p -f" "-f -p --mount-proc" "-m --propagation=slave" \
		"-m --propagation=unchanged" "-m --propagation shared" -r -c "-U --setgroups=deny" \
		"-U --setgroups allow" "-r --setgroups=allow" "-U --keep-caps" "-r --keep-caps" \
		"-m -u -i -n -p -f -U -C -T" "-f" "--fork --kill-child" "--forward-signals" \
		"-R /" "-w /tmp" "--wd=/" "--clear-env" "--whitelist-env=PATH,HOME" "-u --" ""; do
		# shellcheck disable=SC2086
		diff_case "ns" unshare /usr/bin/unshare $o "$PROBE"
	done
	diff_finish
}

@test "unshare: every numeric option over the value matrix (exit status, maps, ids)" {
	local v
	for v in "${VALUES[@]}"; do
		diff_case "map-user" "unshare" "/usr/bin/unshare" --map-user="$v" "$PROBE"
		diff_case "map-group" "unshare" "/usr/bin/unshare" --map-group="$v" "$PROBE"
		diff_case "map-user sep" "unshare" "/usr/bin/unshare" --map-user "$v" "$PROBE"
		diff_case "setuid" "unshare" "/usr/bin/unshare" -S "$v" "$PROBE"
		diff_case "setgid" "unshare" "/usr/bin/unshare" --setgid="$v" "$PROBE"
		diff_case "setuid userns" "unshare" "/usr/bin/unshare" -r -S "$v" "$PROBE"
		diff_case "monotonic" "unshare" "/usr/bin/unshare" -T --monotonic="$v" "$PROBE"
		diff_case "boottime" "unshare" "/usr/bin/unshare" -T --boottime "$v" "$PROBE"
		diff_case "kill-child" "unshare" "/usr/bin/unshare" --kill-child="$v" "$PROBE"
		diff_case "map-users" "unshare" "/usr/bin/unshare" --map-users="$v:0:1" "$PROBE"
		diff_case "map-users count" "unshare" "/usr/bin/unshare" --map-users="0:0:$v" "$PROBE"
	done
	for v in 9 KILL SIGKILL sigterm term 64 65 0 "" SIGBOGUS; do
		diff_case "kill-child sig" "unshare" "/usr/bin/unshare" --kill-child="$v" "$PROBE"
	done
	for v in 0:0:1 0:0:65536 0:100000:65536 1000:0:1 all 0,0,1 1:2 1:2:3:4 0:4294967294:1 \
		0:4294967295:1 auto subids; do
		diff_case "map-users ranges" "unshare" "/usr/bin/unshare" --map-users="$v" "$PROBE"
		diff_case "map-groups ranges" "unshare" "/usr/bin/unshare" --map-groups="$v" "$PROBE"
	done
	diff_finish
}

@test "unshare: each option with and without an argument, and unknown options" {
	local o
	# run in a private mount namespace of our own: --mount=FILE etc. bind there
	export DIFF_APPLET=unshare
	for o in --mount --uts --ipc --net --pid --user --cgroup --time --mount-proc --kill-child \
		--propagation --setgroups --map-user --map-group --map-users --map-groups --root --wd \
		--setuid --setgid --monotonic --boottime --whitelist-env --fork --forward-signals \
		--map-root-user --map-current-user --keep-caps --clear-env --help --version \
		--bogus --map-auto --map-subids --owner --mount-binfmt --load-interp -x -Z -l -h -V \
		-m -S -G -R -w; do
		diff_case "arg-less" "/usr/bin/unshare -m --propagation=private $CTRBIN/unshare" \
			"/usr/bin/unshare -m --propagation=private /usr/bin/unshare" "$o" true
		case $o in --*)
			diff_case "with arg" "/usr/bin/unshare -m --propagation=private $CTRBIN/unshare" \
				"/usr/bin/unshare -m --propagation=private /usr/bin/unshare" "$o=zz" true ;;
		esac
	done
	diff_finish
}

start_target() {
	# a process in new user (root mapped), UTS, IPC, net, mount, PID, cgroup
	# namespaces, made by util-linux itself
	setsid /usr/bin/unshare -U -r -u -i -n -m -C -p -f --mount-proc sleep 600 &
	local w=$!
	defer "kill -9 -$w"
	wait_for 5 pgrep -P "$w" sleep
	TARGET=$(pgrep -P "$w" sleep)
	local t
	for t in mnt uts ipc net pid user cgroup time; do
		echo "$t $(readlink /proc/$TARGET/ns/$t)"
	done >"$DIFF_DIR/target"
	defer "rm -f '$DIFF_DIR/target'"
}

@test "nsenter: namespace options against a target leave the same kernel state" {
	local o
	start_target
	for o in -m -u -i -n -p -U -C -T -a "-u -i" "-U --preserve-credentials" "-U -S 0 -G 0" \
		"-a -F" "-p -F" "-u -r" "-u -w" "-m -r -w" "-u --root=/" "-u --wd=/tmp" "-u -e" \
		"--net=/proc/$TARGET/ns/net" "--uts=/proc/$TARGET/ns/uts -t $TARGET" "-U --keep-caps" \
		"-u -S 0" "-u -G 0"; do
		# shellcheck disable=SC2086
		diff_case "target" nsenter /usr/bin/nsenter -t "$TARGET" $o "$PROBE"
	done
	diff_finish
}

@test "nsenter: every numeric option over the value matrix" {
	local v
	start_target
	for v in "${VALUES[@]}" "$TARGET" " $TARGET" "+$TARGET" "0$TARGET"; do
		diff_case "target" "nsenter" "/usr/bin/nsenter" -t "$v" -u "$PROBE"
		diff_case "target=" "nsenter" "/usr/bin/nsenter" --target="$v" -n "$PROBE"
	done
	for v in "${VALUES[@]}" follow; do
		diff_case "setuid" "nsenter" "/usr/bin/nsenter" -t $$ -u -S "$v" "$PROBE"
		diff_case "setgid" "nsenter" "/usr/bin/nsenter" -t $$ -u --setgid="$v" "$PROBE"
		diff_case "setuid userns" "nsenter" "/usr/bin/nsenter" -t "$TARGET" -U -S "$v" "$PROBE"
	done
	diff_finish
}

@test "nsenter: each option with and without an argument, and unknown options" {
	local o
	start_target
	for o in --all --target --mount --uts --ipc --net --pid --user --cgroup --time --setuid \
		--setgid --root --wd --env --no-fork --preserve-credentials --help --version --bogus \
		-x -t -S -G -m -u -h -V; do
		diff_case "arg-less" "nsenter" "/usr/bin/nsenter" "$o" true
		diff_case "arg-less + target" nsenter /usr/bin/nsenter -t "$TARGET" "$o" true
		case $o in --*)
			diff_case "with arg" nsenter /usr/bin/nsenter -t "$TARGET" "$o=zz" true ;;
		esac
	done
	# options newer than Debian's 2.38: checked against the upstream
	# documentation in tests/diff-intended.txt; here only that 2.38 refuses
	for o in "-N 0" "--user-parent -U" "-W /" "-c" "--keep-caps -U" "-Z"; do
		# shellcheck disable=SC2086
		diff_case "newer" nsenter /usr/bin/nsenter -t "$TARGET" $o true
	done
	diff_finish
}

# pivot_root(8): always inside a new mount namespace with a tmpfs new root;
# the probe (shell builtins only: nothing else is in the new root) says
# where / and the old root ended up.
pivot_case() {
	local tool=$1
	shift
	/usr/bin/unshare -m --propagation=private sh -c '
		mount -t tmpfs t "$R" && mkdir "$R/old" "$R/dir" || exit 99
		cd "$R" || exit 99
		"$@"; rc=$?
		[ -e /old/etc/passwd ] && echo "old root at /old"
		[ -e /etc/passwd ] && echo "root unchanged"
		[ -d /dir ] && echo "new root at /"
		exit $rc' sh "$tool" "$@"
}

@test "pivot_root: argument matrix, in a new mount namespace, same result" {
	local a
	export R=$BATS_TEST_TMPDIR/newroot
	mkdir -p "$R"
	# word-split argument sets; @R@ is the new root
	for a in "" ". old" "@R@ @R@/old" ". dir" ". nonexistent" "nonexistent old" ". /tmp" \
		"old ." ". old extra" "-h" "-V" "--help" "--version" "--bogus" "-x" "-- . old" \
		"@R@/ @R@/old/"; do
		a=${a//@R@/$R}
		# shellcheck disable=SC2086
		DIFF_APPLET=pivot_root diff_case "pivot_root" "pivot_case $CTRBIN/pivot_root" \
			"pivot_case /usr/sbin/pivot_root" $a
	done
	diff_finish
}

@test "the harness itself: a planted difference is reported, an intended one is not" {
	DIFF_INTENDED=$BATS_TEST_TMPDIR/intended
	printf 'true\t*planted-intended*\tstatus\ttest\n' >"$DIFF_INTENDED"
	diff_case "planted" "true" "false" planted-intended
	[ "$DIFF_FAILED" -eq 0 ] && [ "$DIFF_INTENDED_HITS" -eq 1 ]
	diff_case "planted" "true" "false" planted-unintended
	[ "$DIFF_FAILED" -eq 1 ]
	run diff_finish
	[ "$status" -ne 0 ]
	[[ "$output" == *"DIFFERS: status: planted: true planted-unintended"* ]]
}
