#!/usr/bin/env bats
# pivot: study session 2.2 (3) - a root directory, chroot vs pivot_root, the
# handout's escape program. Everything that switches roots runs in a mount
# namespace of its own (pivot makes one; the pivot_root(8) form is only run
# under /usr/bin/unshare -m), never on the machine's real root.
load helpers

teardown() { run_deferred; }

# Two template roots, built once: the handout's (a shell and a few tools with
# the libraries ldd names, merged-/usr layout with relative links) and a
# static one (ctrbox + busybox-static only). Both hold myfile and the
# statically built escape program.
setup_file() {
	local t=$BATS_FILE_TMPDIR b lib
	export ESCAPE="$t/escape"
	if command -v cc >/dev/null 2>&1; then
		cc -static -Os -o "$ESCAPE" "$BATS_TEST_DIRNAME/escape.c" 2>/dev/null || rm -f "$ESCAPE"
	fi

	export DYNROOT="$t/dynroot"
	mkdir -p "$DYNROOT/usr/bin" "$DYNROOT/usr/lib" "$DYNROOT/usr/lib64"
	ln -s usr/bin "$DYNROOT/bin"
	ln -s usr/lib "$DYNROOT/lib"
	ln -s usr/lib64 "$DYNROOT/lib64"
	for b in sh ls cat pwd touch mkdir grep; do
		cp -L "$(type -P "$b")" "$DYNROOT/usr/bin/$b"
		for lib in $(ldd "$(type -P "$b")" | grep -o '/[^ ]*'); do
			mkdir -p "$DYNROOT$(dirname "$lib")"
			cp -L "$lib" "$DYNROOT$lib"
		done
	done
	echo "handout's file" >"$DYNROOT/myfile"

	export STATROOT="$t/statroot"
	if [ -x /bin/busybox ] && file -L /bin/busybox | grep -q 'statically linked'; then
		mkdir -p "$STATROOT/bin"
		# A dynamic (e.g. sanitizer) build cannot run in there: leave it out.
		! file -L "$CTRBOX" | grep -q 'statically linked' ||
			cp "$CTRBOX" "$STATROOT/bin/ctrbox"
		cp /bin/busybox "$STATROOT/bin/busybox"
		for b in sh ls cat pwd touch mkdir grep mount sleep echo test wc stat readlink head cut; do
			ln -s busybox "$STATROOT/bin/$b"
		done
		echo "static file" >"$STATROOT/myfile"
		[ ! -x "$ESCAPE" ] || cp "$ESCAPE" "$STATROOT/escape"
	fi
}

require_static_root() {
	[ -x "$STATROOT/bin/busybox" ] || skip "needs a static /bin/busybox (busybox-static)"
}

require_escape() {
	[ -x "$STATROOT/escape" ] || skip "needs cc -static to build tests/escape.c"
}

# A fresh copy of a template root for this test: R.
fresh_root() {
	R="$BATS_TEST_TMPDIR/root"
	cp -a "$1" "$R"
}

# No mount is left below this test's directory, in this namespace.
assert_nothing_mounted() {
	! grep -q " $BATS_TEST_TMPDIR" /proc/self/mountinfo
}

@test "pivot --help, --version, bad options" {
	run pivot --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == Usage:* ]]
	[[ "$output" == *"--keep-old <dir>"* ]]
	run pivot --version
	[ "$output" = "pivot from ctrbox $("$CTRBOX" --version | cut -d' ' -f2)" ]
	run pivot --frob /
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf "pivot: unrecognized option '--frob'\nTry 'pivot --help' for more information.")" ]
	run pivot -w
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "pivot: option requires an argument -- 'w'" ]
	run pivot
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "pivot: no new root specified" ]
	run pivot -b :/x /tmp
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "pivot: invalid bind ':/x': expected <src>:<dst>[:ro]" ]
	run pivot -b /tmp: /tmp
	[ "${lines[0]}" = "pivot: invalid bind '/tmp:': expected <src>:<dst>[:ro]" ]
	run pivot --chroot --keep-old /old /tmp
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "pivot: --keep-old and --chroot are mutually exclusive" ]
	run pivot_root --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"pivot_root [options] new_root put_old"* ]]
	run pivot_root /tmp
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf "pivot_root: bad usage\nTry 'pivot_root --help' for more information.")" ]
	run pivot_root --frob a b
	[ "${lines[0]}" = "pivot_root: unrecognized option '--frob'" ]
}

@test "handout root (shell + libraries): pwd is /, ls shows only that tree" {
	require_root
	fresh_root "$DYNROOT"
	run pivot "$R" /bin/sh -c 'pwd; ls /; cat /myfile'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '/\nbin\nlib\nlib64\nmyfile\nusr\n%s' "handout's file")" ]
	assert_nothing_mounted
}

@test "static root (ctrbox + busybox only): pwd is /, ls shows only that tree, ctrbox runs" {
	require_root
	require_static_root
	[ -x "$STATROOT/bin/ctrbox" ] || skip "needs a static ctrbox build"
	fresh_root "$STATROOT"
	rm -f "$R/escape"
	run pivot "$R" /bin/sh -c 'pwd; ls /; cat /myfile; /bin/ctrbox pivot --version'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '/\nbin\nmyfile\nstatic file\npivot from ctrbox %s' \
		"$("$CTRBOX" --version | cut -d' ' -f2)")" ]
}

@test "the default command is /bin/sh, CMD's exit status is pivot's" {
	require_root
	require_static_root
	fresh_root "$STATROOT"
	run pivot "$R" <<<'echo "$0 in $(pwd)"; exit 3'
	[ "$status" -eq 3 ]
	[ "$output" = "/bin/sh in /" ]
}

@test "escape: under pivot --chroot the handout's program reaches a file outside the root" {
	require_root
	require_static_root
	require_escape
	fresh_root "$STATROOT"
	echo "outside $BATS_TEST_NUMBER" >"$BATS_TEST_TMPDIR/marker"
	run --separate-stderr pivot --chroot "$R" /escape /bin/cat "$BATS_TEST_TMPDIR/marker"
	[ "$status" -eq 0 ]
	[ "$output" = "outside $BATS_TEST_NUMBER" ]
	[ "$stderr" = "pivot: warning: --chroot: chroot(2) only changes this process's idea of /, a process with CAP_SYS_CHROOT can escape it" ]
}

@test "escape: under pivot the handout's program stays inside" {
	require_root
	require_static_root
	require_escape
	fresh_root "$STATROOT"
	echo "outside" >"$BATS_TEST_TMPDIR/marker"
	run pivot "$R" /escape /bin/cat "$BATS_TEST_TMPDIR/marker"
	[ "$status" -ne 0 ]
	[[ "$output" == *"can't open '$BATS_TEST_TMPDIR/marker': No such file or directory"* ]]
	# It did run its steps (chroot .xx worked, so did exec) and landed in
	# the new root: / is still the image.
	run --separate-stderr pivot "$R" /escape /bin/ls /
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'bin\nescape\nmyfile')" ]
	[ -d "$R/.xx" ]
	assert_nothing_mounted
}

@test "isolation: a mount made inside is not visible outside, and vice versa" {
	require_root
	require_static_root
	fresh_root "$STATROOT"
	mkdir "$R/mnt" "$R/sub"
	defer "umount -l '$R/sub'"
	# Inside: mount a tmpfs, wait until the host mounted its own, report.
	pivot --proc "$R" /bin/sh -c '
		mount -t tmpfs inside /mnt && touch /mnt/in && echo ready >/ready
		i=0; while [ ! -e /go ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
		ls -A /sub; grep -c " /sub " /proc/self/mountinfo' >"$BATS_TEST_TMPDIR/out" 2>&1 &
	wait_for 5 test -e "$R/ready"
	! is_mounted "$R/mnt"
	[ ! -e "$R/mnt/in" ]
	mount -t tmpfs host "$R/sub"
	touch "$R/sub/hostfile" "$R/go"
	wait
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = "0" ]
}

@test "the old root is gone from mountinfo inside; --keep-old keeps it (with a warning)" {
	require_root
	require_static_root
	fresh_root "$STATROOT"
	run pivot --proc "$R" /bin/sh -c 'cat /proc/self/mountinfo'
	[ "$status" -eq 0 ]
	# Two mounts: the new root and its /proc. Nothing of the host's.
	[ "${#lines[@]}" -eq 2 ]
	[ "$(echo "${lines[0]}" | cut -d' ' -f5)" = / ]
	[ "$(echo "${lines[1]}" | cut -d' ' -f5)" = /proc ]
	run --separate-stderr pivot --proc --keep-old /.old "$R" /bin/sh -c \
		'grep -c " /.old " /proc/self/mountinfo; ls /.old/ | grep -cx proc'
	[ "$status" -eq 0 ]
	[ "$stderr" = "pivot: warning: the old root stays mounted at /.old: the host's tree is reachable from inside" ]
	[ "$output" = "$(printf '1\n1')" ]
	assert_nothing_mounted
}

@test "--ro: the root refuses writes, the host's directory does not change" {
	require_root
	require_static_root
	fresh_root "$STATROOT"
	run pivot --ro --proc "$R" /bin/sh -c 'touch /newfile; echo rc=$?; cut -d" " -f5,6 /proc/self/mountinfo | grep "^/ "'
	[ "${lines[0]}" = "touch: /newfile: Read-only file system" ]
	[ "${lines[1]}" = "rc=1" ]
	[[ "${lines[2]}" == "/ ro,"* ]]
	[ ! -e "$R/newfile" ]
	touch "$R/hostwrite"   # the caller's directory stays writable
	assert_nothing_mounted
}

@test "binds land where asked, :ro is read-only, missing targets are created" {
	require_root
	require_static_root
	fresh_root "$STATROOT"
	local d="$BATS_TEST_TMPDIR"
	mkdir "$d/data" "$d/ro"
	echo data >"$d/data/f"
	echo ro >"$d/ro/f"
	echo single >"$d/file"
	run pivot --proc -b "$d/data:/srv/data" -b "$d/ro:/ro:ro" --bind "$d/file:/etc/one" "$R" /bin/sh -c '
		cat /srv/data/f /ro/f /etc/one; echo new >/srv/data/g; touch /ro/g; echo rc=$?
		grep -E " /(srv/data|ro|etc/one) " /proc/self/mountinfo | cut -d" " -f5,6'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = data ]
	[ "${lines[1]}" = ro ]
	[ "${lines[2]}" = single ]
	[ "${lines[3]}" = "touch: /ro/g: Read-only file system" ]
	[ "${lines[4]}" = "rc=1" ]
	[[ "${lines[5]}" == "/srv/data rw,"* ]]
	[[ "${lines[6]}" == "/ro ro,"* ]]
	[[ "${lines[7]}" == "/etc/one rw,"* ]]
	[ "$(cat "$d/data/g")" = new ]
	[ -d "$R/srv/data" ] && [ -f "$R/etc/one" ]
	assert_nothing_mounted
}

@test "--dev: a minimal /dev on tmpfs with the usual nodes, pts and shm" {
	require_root
	require_static_root
	fresh_root "$STATROOT"
	run pivot --proc --dev "$R" /bin/sh -c '
		for n in null zero full random urandom tty; do stat -c "%n %F %t:%T %a" /dev/$n; done
		readlink /dev/ptmx; echo x >/dev/null && echo null-ok
		grep -E " /dev(/pts|/shm)? " /proc/self/mountinfo | cut -d" " -f5,8'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' \
		'/dev/null character special file 1:3 666' \
		'/dev/zero character special file 1:5 666' \
		'/dev/full character special file 1:7 666' \
		'/dev/random character special file 1:8 666' \
		'/dev/urandom character special file 1:9 666' \
		'/dev/tty character special file 5:0 666' \
		'pts/ptmx' 'null-ok' '/dev tmpfs' '/dev/pts devpts' '/dev/shm tmpfs' | head -c -1)" ]
}

@test "-w/--wd sets the working directory inside; a missing one is an error" {
	require_root
	require_static_root
	fresh_root "$STATROOT"
	run pivot -w /bin "$R" /bin/pwd
	[ "$status" -eq 0 ]
	[ "$output" = /bin ]
	run nolsan pivot --wd /nodir "$R" /bin/pwd
	[ "$status" -eq 1 ]
	[ "$output" = "pivot: cannot change directory to /nodir: No such file or directory" ]
}

@test "errors: NEWROOT missing or not a directory, exact message, status 1, nothing mounted" {
	require_root
	run pivot "$BATS_TEST_TMPDIR/none" /bin/true
	[ "$status" -eq 1 ]
	[ "$output" = "pivot: new root: $BATS_TEST_TMPDIR/none: No such file or directory" ]
	touch "$BATS_TEST_TMPDIR/file"
	run pivot "$BATS_TEST_TMPDIR/file"
	[ "$status" -eq 1 ]
	[ "$output" = "pivot: new root: $BATS_TEST_TMPDIR/file: Not a directory" ]
	run pivot / /bin/true
	[ "$status" -eq 1 ]
	[ "$output" = "pivot: new root: / is the current root: Invalid argument" ]
	assert_nothing_mounted
}

@test "errors: CMD not found is 127, not executable is 126" {
	require_root
	require_static_root
	fresh_root "$STATROOT"
	run -127 nolsan pivot "$R" /nope
	[ "$output" = "pivot: failed to execute /nope: No such file or directory" ]
	run -127 nolsan pivot "$R" nope
	[ "$output" = "pivot: failed to execute nope: No such file or directory" ]
	run -126 nolsan pivot "$R" /myfile
	[ "$output" = "pivot: failed to execute /myfile: Permission denied" ]
	assert_nothing_mounted
}

@test "errors: EPERM without CAP_SYS_ADMIN, exact message, nothing created" {
	require_root
	require_static_root
	require_cmd capsh
	fresh_root "$STATROOT"
	run capsh --drop=cap_sys_admin -- -c "exec '$CTRBOX' pivot --proc '$R' /bin/true"
	[ "$status" -eq 1 ]
	[ "$output" = "pivot: unshare failed: Operation not permitted" ]
	# --no-unshare in a namespace we may not change: the first mount fails.
	run /usr/bin/unshare -m capsh --drop=cap_sys_admin -- -c \
		"exec '$CTRBOX' pivot --no-unshare --proc '$R' /bin/true"
	[ "$status" -eq 1 ]
	[ "$output" = "pivot: cannot change propagation: /: Operation not permitted" ]
	[ ! -e "$R/proc" ]
	assert_nothing_mounted
}

@test "a failure halfway undoes the earlier steps: mounts and created directories" {
	require_root
	require_static_root
	fresh_root "$STATROOT"
	local d="$BATS_TEST_TMPDIR" before
	echo x >"$d/file"
	echo y >"$R/afile"
	before=$(cd "$R" && find . | sort)
	run pivot -b "$d/file:/new/dir/file" -b "$d/none:/other" --proc "$R" /bin/true
	[ "$status" -eq 1 ]
	[ "$output" = "pivot: bind source: $d/none: No such file or directory" ]
	[ "$(cd "$R" && find . | sort)" = "$before" ]
	# With --no-unshare the mounts were in a namespace that lives on: the
	# undo must have taken them down.
	run /usr/bin/unshare -m --propagation private sh -c "
		'$CTRBOX' pivot --no-unshare --dev -b '$d/file:/new/file' -w / --keep-old ../../afile/up '$R'
		echo rc=\$?; grep -c ' $R' /proc/self/mountinfo"
	[ "${lines[0]}" = "pivot: put-old directory: $R/../../afile/up: Not a directory" ]
	[ "${lines[1]}" = "rc=1" ]
	[ "${lines[2]}" = "0" ]
	[ "$(cd "$R" && find . | sort)" = "$before" ]
	[ ! -e "$d/up" ]
	assert_nothing_mounted
}

@test "an absolute symlink in the image resolves inside the image: a bind through it stays in the root" {
	require_root
	require_static_root
	fresh_root "$STATROOT"
	local out="$BATS_TEST_TMPDIR/outside"
	mkdir "$out"
	ln -s "$out" "$R/link"
	ln -s ../../../.. "$R/up"
	run pivot --proc -b "$BATS_TEST_TMPDIR:/link/x" -b "$BATS_TEST_TMPDIR:/up/y" "$R" \
		/bin/busybox sh -c 'cut -d" " -f5 /proc/self/mountinfo | grep -x -e /y -e "'"$out"'/x"'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n/y' "$out/x")" ]
	# the targets were made inside the root, nothing outside
	[ -d "$R$out/x" ] && [ -d "$R/y" ]
	[ -z "$(ls -A "$out")" ]
	assert_nothing_mounted
}

@test "pivot_root NEW_ROOT PUT_OLD is pivot_root(8) (in a fresh mount namespace)" {
	require_root
	require_static_root
	fresh_root "$STATROOT"
	mkdir "$R/old"
	run /usr/bin/unshare -m --propagation private sh -c "
		mount --bind '$R' '$R' && cd '$R' &&
		env \"\$NOLSAN\" '$CTRBIN/pivot_root' . old && exec /bin/sh -c 'cat /myfile; ls /old/ | grep -cx proc'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'static file\n1')" ]
	# "pivot NEW_ROOT PUT_OLD" with PUT_OLD an existing directory: the same.
	run /usr/bin/unshare -m --propagation private sh -c "
		mount --bind '$R' '$R' && cd '$R' &&
		env \"\$NOLSAN\" '$CTRBIN/pivot' '$R' '$R/old' && exec /bin/sh -c 'cat /myfile; ls /old/ | grep -cx proc'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'static file\n1')" ]
	assert_nothing_mounted
}

@test "pivot_root(8) form: PUT_OLD not under NEW_ROOT, util-linux's message" {
	require_root
	require_static_root
	fresh_root "$STATROOT"
	mkdir "$BATS_TEST_TMPDIR/elsewhere"
	run /usr/bin/unshare -m --propagation private sh -c "
		mount --bind '$R' '$R' && mount -t tmpfs t '$BATS_TEST_TMPDIR/elsewhere' &&
		'$CTRBIN/pivot_root' '$R' '$BATS_TEST_TMPDIR/elsewhere'"
	[ "$status" -eq 1 ]
	[ "$output" = "pivot_root: failed to change root from \`$R' to \`$BATS_TEST_TMPDIR/elsewhere': Invalid argument" ]
	run /usr/bin/unshare -m --propagation private "$CTRBIN/pivot_root" "$R/none" "$R"
	[ "$status" -eq 1 ]
	[ "$output" = "pivot_root: failed to change root from \`$R/none' to \`$R': No such file or directory" ]
	assert_nothing_mounted
}

@test "pivot's form rule: two arguments with an existing directory second is pivot_root(8); else the container form" {
	require_root
	require_static_root
	fresh_root "$STATROOT"
	# CMD that is not a directory: container form.
	run nolsan pivot "$R" /myfile
	[ "$status" -eq 126 ]
	run pivot "$R" /bin/pwd
	[ "$status" -eq 0 ]
	[ "$output" = / ]
	# An existing directory as second argument: pivot_root(2), which here
	# (new root not a mount point, in a private namespace) is refused.
	mkdir "$R/old"
	run /usr/bin/unshare -m --propagation private "$CTRBIN/pivot" "$R" "$R/old"
	[ "$status" -eq 1 ]
	[[ "$output" == "pivot: failed to change root from \`$R' to \`$R/old': "* ]]
	# "--" forces the container form: /old is then the command (a directory).
	run -126 nolsan pivot -- "$R" /old
	[ "$output" = "pivot: failed to execute /old: Permission denied" ]
	assert_nothing_mounted
}

@test "pivot runs in a new mount namespace; --no-unshare uses the caller's" {
	require_root
	require_static_root
	fresh_root "$STATROOT"
	run pivot --proc "$R" /bin/readlink /proc/self/ns/mnt
	[ "$status" -eq 0 ]
	[ "$output" != "$(readlink /proc/self/ns/mnt)" ]
	[[ "$output" == mnt:* ]]
	run /usr/bin/unshare -m --propagation private sh -c "
		readlink /proc/self/ns/mnt; exec '$CTRBOX' pivot --no-unshare --proc '$R' /bin/readlink /proc/self/ns/mnt"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "${lines[1]}" ]
	assert_nothing_mounted
}

@test "in a user namespace: --dev binds the host's nodes, --ro keeps the locked flags" {
	require_root
	require_static_root
	fresh_root "$STATROOT"
	chmod 755 "$R"
	run /usr/bin/unshare -U -r -m "$CTRBOX" pivot --dev --ro "$R" /bin/sh -c '
		stat -c "%n %t:%T" /dev/null /dev/tty; echo x >/dev/null && echo null-ok; touch /x'
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '/dev/null 1:3\n/dev/tty 5:0\nnull-ok\ntouch: /x: Read-only file system')" ]
	assert_nothing_mounted
}
