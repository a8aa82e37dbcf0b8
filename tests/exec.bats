#!/usr/bin/env bats
# exec.bats: every applet that runs a program runs it as glibc's execvp does
# (ctr_proc_exec): PATH search, and a file without "#!" (ENOEXEC) through
# /bin/sh as POSIX asks (musl's execvp alone would fail with 126).

load helpers

setup() {
	require_root
	D=$BATS_TEST_TMPDIR
	printf 'echo "ran:$0:$*"; exit 7\n' >"$D/noshebang"
	chmod +x "$D/noshebang"
	printf 'not a program\n' >"$D/noexec"
	chmod -x "$D/noexec"
}

teardown() {
	run_deferred
}

# check APPLET-ARGS...: the script through the applet, by path and by PATH.
check() {
	run "$@" "$D/noshebang" a b
	[ "$status" -eq 7 ]
	[ "$output" = "ran:$D/noshebang:a b" ]
	PATH="$D:$PATH" run "$@" noshebang c
	[ "$status" -eq 7 ]
	[ "$output" = "ran:$D/noshebang:c" ]
	# glibc's execvp (util-linux's peers) does the same
	run /usr/bin/env "$D/noshebang" a b
	[ "$status" -eq 7 ]
}

@test "unshare runs a script without #! through /bin/sh, by path and by PATH" {
	check unshare -u
	check nolsan unshare -f -p --mount-proc
}

@test "nsenter runs a script without #! through /bin/sh" {
	check nsenter -t $$ -u
	check nsenter -t $$ -p
}

@test "pivot runs a script without #! through /bin/sh inside the new root" {
	local r=$D/root
	mkdir -p "$r/bin" "$r/t"
	# ctrbox has no sh applet: the host's static busybox if any, else
	# a shell copied with its libraries.
	if [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; then
		cp /bin/busybox "$r/bin/sh"
	else
		cp /bin/dash "$r/bin/sh"
		ldd /bin/dash | grep -o '/[^ ]*' | while read -r l; do
			mkdir -p "$r$(dirname "$l")"; cp -L "$l" "$r$l"; done
	fi
	cp "$D/noshebang" "$r/t/noshebang"
	run pivot "$r" /t/noshebang x
	[ "$status" -eq 7 ]
	[ "$output" = "ran:/t/noshebang:x" ]
	run env PATH=/t "$CTRBIN/pivot" "$r" noshebang y
	[ "$status" -eq 7 ]
	[ "$output" = "ran:/t/noshebang:y" ]
}

@test "cgexec runs a script without #! through /bin/sh" {
	check cgexec -g cpu:/
}

@test "not found is 127, not executable 126, a directory 126, in every applet" {
	local a
	for a in "unshare -u" "nsenter -t $$ -u" "cgexec -g cpu:/"; do
		run -127 $a /nonexistent/x
		[[ "$output" == *"failed to execute /nonexistent/x: No such file or directory" ]]
		run -127 $a no-such-command-anywhere
		run -126 $a "$D/noexec"
		[[ "$output" == *"failed to execute $D/noexec: Permission denied" ]]
		run -126 $a "$D"
		# an unreadable-by-search PATH entry first: EACCES is remembered,
		# the command is still found further on
		PATH="$D/noexec:/usr/bin:/bin" run $a true
		[ "$status" -eq 0 ]
	done
	# as util-linux's peers (glibc's execvp)
	run -127 /usr/bin/unshare -u /nonexistent/x
	run -126 /usr/bin/unshare -u "$D/noexec"
}

@test "an empty \$SHELL fails as util-linux's exec_shell does: 127" {
	run -127 env SHELL= unshare -u </dev/null
	run -127 env SHELL= /usr/bin/unshare -u </dev/null
	run -127 env SHELL= nsenter -t $$ -u </dev/null
}
