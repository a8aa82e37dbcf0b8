#!/usr/bin/env bats
# unshare, option by option, checked through the kernel's view: /proc/PID/ns,
# uid_map/gid_map/setgroups, timens offsets, mountinfo, wait statuses.
# Anything that mounts runs inside a private mount namespace made by the
# host's util-linux, so nothing can reach the machine's mount table.
load helpers
bats_require_minimum_version 1.5.0

teardown() { run_deferred; }

# in_mntns SCRIPT: run bash SCRIPT in a fresh private mount namespace with a
# tmpfs on $D (a scratch dir); everything mounted there dies with it.
# Pinned to one CPU: on Linux 6.18 mount namespace ids are not ordered
# across CPUs, so binding the file of a namespace made just after ours, on
# another CPU, fails with EINVAL now and then (the kernel takes it for a
# namespace loop; util-linux's unshare fails the same way).
in_mntns() {
	local cpu
	D="$BATS_TEST_TMPDIR/d"
	mkdir -p "$D"
	cpu=$(awk '/^Cpus_allowed_list/ { split($2, a, "[-,]"); print a[1] }' /proc/self/status)
	D=$D taskset -c "$cpu" /usr/bin/unshare -m --propagation private \
		bash -c "mount -t tmpfs t \"\$D\" || exit 99; $1"
}


# The wait status of a command as "exit N" or "signal N" (perl is essential
# on Debian; bash's $? cannot tell exit 143 from SIGTERM).
wait_status() {
	perl -e 'system(@ARGV); my $s = $?; print(($s & 127) ? "signal " . ($s & 127) : "exit " . ($s >> 8))' -- "$@"
}

@test "each namespace option gives the program a new namespace of its type" {
	require_root
	local t o
	for o in m:mnt u:uts i:ipc n:net U:user C:cgroup T:time; do
		t=${o#*:}
		run unshare "-${o%%:*}" readlink "/proc/self/ns/$t"
		[ "$status" -eq 0 ]
		[ "$output" != "$(readlink "/proc/self/ns/$t")" ]
	done
	# -p alone: the caller's children go to the new namespace, not the caller.
	run unshare -p sh -c 'readlink /proc/$$/ns/pid; readlink /proc/$$/ns/pid_for_children'
	[ "${lines[0]}" = "$(readlink /proc/self/ns/pid)" ]
	[ "${lines[1]}" != "$(readlink /proc/self/ns/pid)" ]
	run unshare -p -f readlink /proc/self/ns/pid
	[ "$output" != "$(readlink /proc/self/ns/pid)" ]
	# Long names too.
	run nolsan unshare --mount --uts --ipc --net --pid --fork --user --cgroup --time \
		sh -c 'for t in mnt uts ipc net pid user cgroup time; do readlink /proc/self/ns/$t; done'
	[ "$status" -eq 0 ]
	for t in mnt uts ipc net pid user cgroup time; do
		[[ "$output" != *"$(readlink /proc/self/ns/$t)"* ]]
	done
}

@test "no option: same namespaces, the program runs as is" {
	run unshare sh -c 'readlink /proc/self/ns/uts; readlink /proc/self/ns/mnt'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(readlink /proc/self/ns/uts)" ]
	[ "${lines[1]}" = "$(readlink /proc/self/ns/mnt)" ]
}

@test "--TYPE=FILE persists each namespace: bound, enterable after exit, unmountable" {
	require_root
	run in_mntns '
		unshare --uts="$D/uts" --ipc="$D/ipc" --net="$D/net" --mount="$D/mnt" \
			--user="$D/user" --cgroup="$D/cgroup" --time="$D/time" -r \
			sh -c "hostname persisted; for t in uts ipc net mnt user cgroup time; do echo \$t \$(readlink /proc/self/ns/\$t); done" > "$D/seen"
		pgrep -f "^unshare --uts" && exit 9
		while read t ns; do
			# the bind mount is the namespace the program was in
			line=$(awk -v p="$D/$t" "\$5 == p" /proc/self/mountinfo)
			case "$line" in *" - nsfs nsfs "*) ;; *) echo "not nsfs: $t $line"; exit 1;; esac
			[ "$(stat -L -c %i "$D/$t")" = "$(echo "$ns" | tr -dc 0-9)" ] || { echo "ino $t"; exit 1; }
		done < "$D/seen"
		/usr/bin/nsenter --uts="$D/uts" hostname
		/usr/bin/nsenter --user="$D/user" --mount="$D/mnt" readlink /proc/self/ns/mnt
		for t in uts ipc net mnt user cgroup time; do umount "$D/$t"; done
		! grep -q nsfs /proc/self/mountinfo
		echo unmounted'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = persisted ]
	[[ "${lines[1]}" == mnt:* ]]
	[ "${lines[1]}" != "$(readlink /proc/self/ns/mnt)" ]
	[ "${lines[2]}" = unmounted ]
}

@test "--pid=FILE binds pid_for_children, needs --fork, and refuses without it" {
	require_root
	run in_mntns '
		env "$NOLSAN" unshare --pid="$D/pid" --fork --mount-proc sh -c "readlink /proc/self/ns/pid; sleep 0.1"
		stat -L -c %i "$D/pid"
		umount "$D/pid"'
	[ "$status" -eq 0 ]
	[ "$(echo "${lines[0]}" | tr -dc 0-9)" = "${lines[1]}" ]
	run in_mntns 'unshare --pid="$D/pid" true; echo "rc=$?"; ls -A "$D"'
	[ "${lines[0]}" = "unshare: persisting a PID namespace requires --fork" ]
	[ "${lines[1]}" = "rc=1" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "a persisted time namespace keeps its offsets (no --fork needed)" {
	require_root
	run in_mntns '
		unshare --time="$D/time" --boottime 1000000 true
		/usr/bin/nsenter --time="$D/time" cat /proc/uptime
		umount "$D/time"'
	[ "$status" -eq 0 ]
	local up=${lines[0]%%.*}
	[ "$up" -ge 1000000 ]
}

@test "failures leave nothing behind: no file, no bind mount, no helper" {
	require_root
	# FILE in a directory that does not exist
	run in_mntns 'unshare --uts="$D/nodir/uts" true; echo "rc=$?"; grep -c nsfs /proc/self/mountinfo || true; ls -A "$D"'
	[ "${lines[0]}" = "unshare: cannot create: $BATS_TEST_TMPDIR/d/nodir/uts: No such file or directory" ]
	[ "${lines[1]}" = "rc=1" ]
	[ "${lines[2]}" = 0 ]
	[ "${#lines[@]}" -eq 3 ]
	# The second of two binds fails: the first is undone too.
	run in_mntns 'unshare --uts="$D/uts" --net="$D/nodir/net" true; echo "rc=$?"; grep -c nsfs /proc/self/mountinfo || true; ls -A "$D"'
	[ "${lines[1]}" = "rc=1" ]
	[ "${lines[2]}" = 0 ]
	[ "${#lines[@]}" -eq 3 ]
	# The program cannot be executed: the binds are undone, created files
	# removed, an existing file kept (but unmounted); with and without --fork.
	run in_mntns '
		touch "$D/existing"
		unshare --uts="$D/uts" --ipc="$D/existing" /nonexistent/prog; echo "rc=$?"
		unshare -f --mount="$D/mnt" --pid="$D/pid" /etc/passwd; echo "rc=$?"
		grep -c nsfs /proc/self/mountinfo || true; ls -A "$D"'
	[ "${lines[0]}" = "unshare: failed to execute /nonexistent/prog: No such file or directory" ]
	[ "${lines[1]}" = "rc=127" ]
	[ "${lines[2]}" = "unshare: failed to execute /etc/passwd: Permission denied" ]
	[ "${lines[3]}" = "rc=126" ]
	[ "${lines[4]}" = 0 ]
	[ "${lines[5]}" = existing ]
	[ "${#lines[@]}" -eq 6 ]
	# A setup step fails before anything is bound.
	run in_mntns 'unshare --uts="$D/uts" -w /nonexistent true; echo "rc=$?"; ls -A "$D"'
	[ "${lines[0]}" = "unshare: cannot change directory to /nonexistent: No such file or directory" ]
	[ "${lines[1]}" = "rc=1" ]
	[ "${#lines[@]}" -eq 2 ]
	# and no persistence helper is left running
	! pgrep -f "unshare --uts=$BATS_TEST_TMPDIR" >/dev/null
}

@test "-r, -c, --map-user, --map-group: one-line maps and setgroups deny" {
	require_root
	run unshare -r sh -c 'cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups; id -u; id -g'
	[ "$status" -eq 0 ]
	[ "$(echo ${lines[0]})" = "0 0 1" ]
	[ "$(echo ${lines[1]})" = "0 0 1" ]
	[ "${lines[2]}" = deny ]
	[ "${lines[3]}" = 0 ]
	run unshare --map-user=1000 --map-group=2000 sh -c 'cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups; id -u; id -g'
	[ "$(echo ${lines[0]})" = "1000 0 1" ]
	[ "$(echo ${lines[1]})" = "2000 0 1" ]
	[ "${lines[2]}" = deny ]
	[ "${lines[3]}" = 1000 ]
	[ "${lines[4]}" = 2000 ]
	run unshare --map-user=nobody --map-group=nogroup cat /proc/self/uid_map /proc/self/gid_map
	[ "$(echo ${lines[0]})" = "65534 0 1" ]
	[ "$(echo ${lines[1]})" = "65534 0 1" ]
	run unshare -c cat /proc/self/uid_map
	[ "$(echo ${lines[0]})" = "0 0 1" ]
	# --map-user alone: no gid_map, setgroups untouched
	run unshare --map-user=7 sh -c 'cat /proc/self/gid_map /proc/self/setgroups'
	[ "$output" = allow ]
}

@test "--map-users/--map-groups ranges are written directly, with the single id's hole" {
	require_root
	run unshare --map-users 0:100000:65536 --map-groups=0:200000:1000 --setgroups allow \
		sh -c 'cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups'
	[ "$status" -eq 0 ]
	[ "$(echo ${lines[0]})" = "0 100000 65536" ]
	[ "$(echo ${lines[1]})" = "0 200000 1000" ]
	[ "${lines[2]}" = allow ]
	# several ranges, and the deprecated outer,inner,count order
	run unshare --map-users 0:100000:10 --map-users 100010,10,5 cat /proc/self/uid_map
	[ "$(echo ${lines[0]})" = "0 100000 10" ]
	[ "$(echo ${lines[1]})" = "10 100010 5" ]
	# overlapping ranges: the kernel says no
	run unshare --map-users 0:100000:10 --map-users 10:100005:5 true
	[ "$status" -eq 1 ]
	[[ "$output" == "unshare: cannot write: /proc/"*"/uid_map: Invalid argument" ]]
	# --map-user 0 (our uid 0 -> 0) punches 0 out of 0:100000:10 on the
	# inside: 1..9 map to 100000..100008, one id shorter at the top.
	run unshare --map-users 0:100000:10 --map-user 0 cat /proc/self/uid_map
	[ "$status" -eq 0 ]
	[ "$(echo ${lines[0]})" = "0 0 1" ]
	[ "$(echo ${lines[1]})" = "1 100000 9" ]
	[ "${#lines[@]}" -eq 2 ]
	# both sides hit: inner 5 and outer 0 leave 0:0:10; the rest pairs up in order
	run unshare --map-users 0:0:10 --map-user 5 cat /proc/self/uid_map
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "5 0 1 0 1 5 6 6 4" ]
	# all: pass-through of every id we have
	run unshare --map-users all --map-groups all cat /proc/self/uid_map /proc/self/gid_map
	[ "$(echo ${lines[0]})" = "$(echo $(cat /proc/self/uid_map))" ]
	[ "$(echo ${lines[1]})" = "$(echo $(cat /proc/self/gid_map))" ]
	# --setgroups deny is written before gid_map (the kernel refuses it after)
	run unshare --map-groups 0:200000:10 --setgroups deny cat /proc/self/setgroups
	[ "$status" -eq 0 ]
	[ "$output" = deny ]
}

@test "--setgroups allow|deny, and its conflict with --map-group" {
	require_root
	run unshare -U --setgroups deny cat /proc/self/setgroups
	[ "$output" = deny ]
	run unshare -U --setgroups allow cat /proc/self/setgroups
	[ "$output" = allow ]
	run unshare -r --setgroups allow true
	[ "$status" -eq 1 ]
	[ "$output" = "unshare: options --setgroups=allow and --map-group are mutually exclusive" ]
	[ "$output" = "$(/usr/bin/unshare -r --setgroups allow true 2>&1)" ]
}

@test "--boottime and --monotonic set the time namespace's offsets" {
	require_root
	local host
	run unshare -T --boottime 86400 --monotonic=-5 sh -c 'cat /proc/self/timens_offsets; cat /proc/uptime'
	[ "$status" -eq 0 ]
	[ "$(echo ${lines[0]})" = "monotonic -5 0" ]
	[ "$(echo ${lines[1]})" = "boottime 86400 0" ]
	host=$(cut -d. -f1 /proc/uptime)
	local up=${lines[2]%%.*}
	[ "$up" -ge $((host + 86400 - 5)) ]
	[ "$up" -le $((host + 86400 + 5)) ]
	# with --fork the child is the first in the namespace
	run unshare -T -f --boottime 1000 cat /proc/self/timens_offsets
	[ "$(echo ${lines[1]})" = "boottime 1000 0" ]
	run unshare --monotonic 5 true
	[ "$status" -eq 1 ]
	[ "$output" = "unshare: options --monotonic and --boottime require unsharing of a time namespace (-T)" ]
}

@test "--propagation: private by default, shared, slave, unchanged (mountinfo fields of /)" {
	require_root
	root_fields() { awk '$5 == "/" { for (i = 7; $i != "-"; i++) printf "%s ", $i; print "" }' /proc/self/mountinfo; }
	export -f root_fields
	run in_mntns '
		mount --make-rshared /
		echo "host: $(root_fields)"
		for p in default private shared slave unchanged; do
			if [ $p = default ]; then a=""; else a="--propagation $p"; fi
			echo "$p: $(unshare -m $a bash -c root_fields)"
		done
		echo "no -m: $(unshare --propagation private bash -c root_fields)"'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^host:\ shared:[0-9]+\ $ ]]
	[[ "${lines[1]}" =~ ^default:\ $ ]]
	[[ "${lines[2]}" =~ ^private:\ $ ]]
	[[ "${lines[3]}" =~ ^shared:\ shared:[0-9]+\ $ ]]
	# the copy of a shared mount joins its peer group
	[ "${lines[3]#shared: }" = "${lines[0]#host: }" ]
	[[ "${lines[4]}" =~ ^slave:\ master:[0-9]+\ $ ]]
	[ "${lines[4]#slave: master:}" = "${lines[0]#host: shared:}" ]
	[[ "${lines[5]}" =~ ^unchanged:\ shared:[0-9]+\ master:[0-9]+\ $ ]] ||
		[[ "${lines[5]}" =~ ^unchanged:\ shared:[0-9]+\ $ ]]
	[ "${lines[6]}" = "no -m: ${lines[0]#host: }" ]
	run unshare --propagation foo true
	[ "$status" -eq 1 ]
	[ "$output" = "unshare: unsupported propagation mode: foo" ]
	[ "$output" = "$(/usr/bin/unshare --propagation foo true 2>&1)" ]
}

@test "--mount-proc[=DIR] mounts a proc of the new PID namespace, private" {
	require_root
	run nolsan unshare -p -f --mount-proc sh -c 'echo $$; ls /proc | grep -c "^[0-9]"; cat /proc/1/cmdline | tr "\0" " "'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1 ]
	[ "${lines[1]}" -le 3 ]
	[[ "${lines[2]}" == "sh -c "* ]]
	run in_mntns 'mkdir "$D/p"; env "$NOLSAN" unshare -p -f --mount-proc="$D/p" --propagation unchanged sh -c "ls \$D/p/1/ >/dev/null && cat \$D/p/1/comm"; is=$(awk -v p="$D/p" "\$5 == p" /proc/self/mountinfo); echo "left:$is"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = sh ]
	[ "${lines[1]}" = "left:" ]
	run unshare --mount-proc=/nonexistent true
	[ "$status" -eq 1 ]
	[ "$output" = "unshare: mount /nonexistent failed: No such file or directory" ]
	[ "$output" = "$(/usr/bin/unshare --mount-proc=/nonexistent true 2>&1)" ]
}

@test "-R/--root and -w/--wd" {
	require_root
	local bb
	bb=$(command -v busybox) || skip "needs busybox-static"
	file -L "$bb" 2>/dev/null | grep -q "statically linked" || skip "busybox is not static"
	local r="$BATS_TEST_TMPDIR/root"
	mkdir -p "$r/sub/dir"
	cp "$bb" "$r/busybox"
	run nolsan unshare -R "$r" /busybox sh -c 'pwd; /busybox ls /'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = / ]
	[ "${lines[1]}" = busybox ]
	[ "${lines[2]}" = sub ]
	run unshare --root="$r" --wd=/sub/dir /busybox pwd
	[ "$output" = /sub/dir ]
	run unshare -w "$r/sub" pwd
	[ "$output" = "$r/sub" ]
	run unshare -R /nonexistent true
	[ "$status" -eq 1 ]
	[ "$output" = "unshare: cannot change root directory to '/nonexistent': No such file or directory" ]
	[ "$output" = "$(/usr/bin/unshare -R /nonexistent true 2>&1)" ]
	run nolsan unshare -R "$r" -w /nonexistent /busybox true
	[ "$output" = "unshare: cannot change directory to /nonexistent: No such file or directory" ]
}

@test "exit status: the program's, 127/126 when it cannot run, signals re-raised" {
	require_cmd perl
	run unshare sh -c 'exit 42'
	[ "$status" -eq 42 ]
	run unshare -f sh -c 'exit 43'
	[ "$status" -eq 43 ]
	run wait_status unshare -f sh -c 'kill -TERM $$'
	[ "$output" = "signal 15" ]
	run wait_status unshare -f -p sh -c 'kill -USR1 $$; sleep 1'
	[ "$output" = "exit 0" ] || [ "$output" = "signal 10" ]
	run wait_status unshare -f sh -c 'kill -KILL $$'
	[ "$output" = "signal 9" ]
	run wait_status /usr/bin/unshare -f sh -c 'kill -TERM $$'
	[ "$output" = "signal 15" ]
	run wait_status unshare sh -c 'kill -TERM $$'
	[ "$output" = "signal 15" ]
	run -127 unshare /nonexistent/prog
	[ "$output" = "unshare: failed to execute /nonexistent/prog: No such file or directory" ]
	[ "$output" = "$(/usr/bin/unshare /nonexistent/prog 2>&1)" ]
	run -127 unshare no-such-program-xyz
	[ "$output" = "unshare: failed to execute no-such-program-xyz: No such file or directory" ]
	run unshare -f /etc/passwd
	[ "$status" -eq 126 ]
	[ "$output" = "unshare: failed to execute /etc/passwd: Permission denied" ]
	[ "$output" = "$(/usr/bin/unshare -f /etc/passwd 2>&1)" ]
}

@test "no program: \$SHELL as a login shell, else /bin/sh" {
	run bash -c 'echo "echo \$0" | SHELL=/bin/bash unshare -u'
	[ "$output" = -bash ]
	run bash -c 'echo "echo \$0" | env -u SHELL unshare'
	[ "$output" = -sh ]
	run -127 bash -c 'echo "echo \$0" | SHELL=/nonexistent/zsh unshare'
	[ "$output" = "unshare: failed to execute /nonexistent/zsh: No such file or directory" ]
}

@test "--kill-child: the child gets the signal when unshare dies" {
	require_root
	local up child
	unshare --kill-child sleep 1000 &
	up=$!
	defer "kill_wait $up"
	wait_for 5 grep -q . "/proc/$up/task/$up/children"
	child=$(cat "/proc/$up/task/$up/children"); child=${child%% *}
	defer "kill_wait $child"
	[ "$(cat /proc/$child/comm)" = sleep ]
	kill -KILL "$up"
	wait_for 5 sh -c "! kill -0 $child"
	# --kill-child=SIGTERM (names with or without SIG) reaches a trap
	local f="$BATS_TEST_TMPDIR/got"
	unshare --kill-child=TERM sh -c "trap 'echo term > $f; exit 0' TERM; : > $f.ready; while :; do sleep 0.1; done" &
	up=$!
	defer "kill_wait $up"
	wait_for 5 grep -q . "/proc/$up/task/$up/children"
	wait_for 5 test -e "$f.ready"	# the trap is set (a busy machine is slow)
	child=$(cat "/proc/$up/task/$up/children"); child=${child%% *}
	defer "kill_wait $child"
	kill -KILL "$up"
	wait_for 5 test -s "$f"
	[ "$(cat "$f")" = term ]
	# with -p the child is the namespace's init: SIGKILL still reaches it
	unshare -p --kill-child sleep 1000 &
	up=$!
	defer "kill_wait $up"
	wait_for 5 grep -q . "/proc/$up/task/$up/children"
	child=$(cat "/proc/$up/task/$up/children"); child=${child%% *}
	defer "kill_wait $child"
	kill -KILL "$up"
	wait_for 5 sh -c "! kill -0 $child"
	run unshare --kill-child=NOSIG true
	[ "$status" -eq 1 ]
	[ "$output" = "unshare: unknown signal: NOSIG" ]
	[ "$output" = "$(/usr/bin/unshare --kill-child=NOSIG true 2>&1)" ]
	# a number is not a signal name to util-linux's signame_to_signum()
	run unshare --kill-child=9 true
	[ "$status" -eq 1 ]
	[ "$output" = "unshare: unknown signal: 9" ]
	[ "$output" = "$(/usr/bin/unshare --kill-child=9 true 2>&1)" ]
}

@test "--forward-signals passes SIGTERM/SIGINT on; without it unshare waits them out" {
	local up child st
	unshare --forward-signals sh -c 'trap "exit 7" TERM; while :; do sleep 0.1; done' &
	up=$!
	defer "kill_wait $up"
	wait_for 5 grep -q . "/proc/$up/task/$up/children"
	child=$(cat "/proc/$up/task/$up/children"); child=${child%% *}
	defer "kill_wait $child"
	sleep 0.2
	kill -TERM "$up"
	st=0
	wait "$up" || st=$?
	[ "$st" -eq 7 ]
	# default: unshare -f ignores (blocks) SIGTERM while the child runs
	unshare -f sh -c 'trap "exit 8" USR1; while :; do sleep 0.1; done' &
	up=$!
	defer "kill_wait $up"
	wait_for 5 grep -q . "/proc/$up/task/$up/children"
	child=$(cat "/proc/$up/task/$up/children"); child=${child%% *}
	defer "kill_wait $child"
	sleep 0.2
	kill -TERM "$up"
	sleep 0.3
	kill -0 "$up"
	kill -0 "$child"
	kill -USR1 "$child"
	st=0
	wait "$up" || st=$?
	[ "$st" -eq 8 ]
}

@test "--clear-env and --whitelist-env" {
	run env -i FOO=1 BAR=2 BAZ=3 PATH=/usr/bin:/bin "$CTRBIN/unshare" --clear-env /usr/bin/env
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	run env -i FOO=1 BAR=2 BAZ=3 PATH=/usr/bin:/bin "$CTRBIN/unshare" --whitelist-env FOO,PATH,NOTSET /usr/bin/env
	[ "$(printf '%s\n' "${lines[@]}" | sort | tr '\n' ' ')" = "FOO=1 PATH=/usr/bin:/bin " ]
	# lists add up, and --clear-env does not empty a whitelist
	run env -i FOO=1 BAR=2 BAZ=3 "$CTRBIN/unshare" --whitelist-env=FOO --clear-env --whitelist-env BAZ /usr/bin/env
	[ "$(printf '%s\n' "${lines[@]}" | sort | tr '\n' ' ')" = "BAZ=3 FOO=1 " ]
	run unshare --whitelist-env
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "unshare: option '--whitelist-env' requires an argument" ]
}

@test "--keep-caps puts the permitted set into the ambient set (CapAmb)" {
	require_root
	local bnd
	# a new user namespace starts with every capability in its bounding set
	bnd=$(unshare -U awk '/^CapBnd/ { print $2 }' /proc/self/status)
	[ "$bnd" != 0000000000000000 ]
	run unshare --map-user=1000 --keep-caps awk '/^Cap(Amb|Eff)/ { print $2 }' /proc/self/status
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$bnd" ]
	[ "${lines[1]}" = "$bnd" ]
	run unshare --map-user=1000 awk '/^Cap(Amb|Eff)/ { print $2 }' /proc/self/status
	[ "${lines[0]}" = 0000000000000000 ]
	[ "${lines[1]}" = 0000000000000000 ]
	# without a new user namespace --keep-caps does nothing
	run unshare --keep-caps awk '/^CapAmb/ { print $2 }' /proc/self/status
	[ "$output" = 0000000000000000 ]
}

@test "-S/--setuid and -G/--setgid (supplementary groups dropped)" {
	require_root
	run unshare -S 65534 -G 65533 sh -c 'id -u; id -g; id -G; grep ^Groups /proc/self/status'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 65534 ]
	[ "${lines[1]}" = 65533 ]
	[ "${lines[2]}" = 65533 ]
	[ "$(echo ${lines[3]})" = "Groups:" ]
	run unshare -r --setuid 0 id -u
	[ "$output" = 0 ]
	run unshare --setuid=-1 true
	[ "$output" = "unshare: failed to parse uid: '-1'" ]
	run unshare -S abc true
	[ "$status" -eq 1 ]
	[ "$output" = "unshare: failed to parse uid: 'abc'" ]
	[ "$output" = "$(/usr/bin/unshare -S abc true 2>&1)" ]
	run unshare -G 1x true
	[ "$output" = "unshare: failed to parse gid: '1x'" ]
	# In a user namespace with setgroups denied, dropping groups fails.
	run unshare -r -G 0 true
	[ "$status" -eq 1 ]
	[ "$output" = "unshare: setgid() failed: Operation not permitted" ]
}

@test "usage errors: unknown option, missing or bad argument, as util-linux words them" {
	local a ours theirs
	for a in "--bogus" "-Z" "--propagation" "-R" "--help=x" "--fork=3" "--map-user abc" \
		"--map-group abc" "--setgroups foo" "--monotonic x" "--kill-child=NOSIG" \
		"--boottime 1.5" "-G x"; do
		run unshare $a
		[ "$status" -eq 1 ]
		ours=$output
		theirs=$(/usr/bin/unshare $a 2>&1) || true
		# getopt's own messages name the program as invoked
		[ "$ours" = "${theirs//\/usr\/bin\/unshare:/unshare:}" ] || { echo "$a: <$ours> <$theirs>"; false; }
	done
	run unshare --bogus
	[ "${lines[0]}" = "unshare: unrecognized option '--bogus'" ]
	[ "${lines[1]}" = "Try 'unshare --help' for more information." ]
	run unshare --map-users 1:2
	[ "$status" -eq 1 ]
	[ "$output" = "unshare: invalid mapping '1:2'" ]
	run unshare --map-users 0:0:0
	[ "$output" = "unshare: invalid mapping '0:0:0'" ]
	run unshare --map-users 0:4294967290:10
	[ "$output" = "unshare: invalid mapping '0:4294967290:10'" ]
	run unshare -u=/tmp/x true
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "unshare: invalid option -- '='" ]
}

@test "options of util-linux 2.42 that need newuidmap or binfmt_misc are refused by name" {
	local a
	for a in --map-auto --map-subids "--owner 1:1" --mount-binfmt "--load-interp x" "-l x"; do
		run unshare $a true
		[ "$status" -eq 1 ]
		[[ "$output" == "unshare: --"*" is not supported" ]]
	done
	run unshare --map-users auto true
	[ "$output" = "unshare: --map-users auto is not supported (it needs newuidmap and /etc/subuid)" ]
	run unshare --map-groups=subids true
	[ "$output" = "unshare: --map-groups subids is not supported (it needs newgidmap and /etc/subgid)" ]
}

@test "unshare(2) refused: 'unshare failed', exit 1, like util-linux" {
	require_cmd setpriv
	run setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$CTRBIN/unshare" -u true
	[ "$status" -eq 1 ]
	[ "$output" = "unshare: unshare failed: Operation not permitted" ]
	[ "$output" = "$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all /usr/bin/unshare -u true 2>&1)" ]
}

@test "-h prints usage on stdout, -V the version" {
	run unshare -h
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Usage:" ]
	[[ "$output" == *"--whitelist-env <list>"* ]]
	run unshare --version
	[[ "$output" == "unshare from ctrbox "* ]]
}
