#!/usr/bin/env bats
# libctr/path.c: paths inside a root resolved by fd (openat2 RESOLVE_IN_ROOT,
# or the O_NOFOLLOW walk when openat2 is missing or refused), mkdir -p and
# mount targets made by fd, mounts by fd (open_tree/move_mount/fsopen, or
# /proc/self/fd/N). Driven through tests/pathtest.c, and through pivot and
# ovlmount while a loop swaps a directory and a symlink leading outside.
# Mounts happen only inside `unshare -m` (or the applet's own namespace).
load helpers

teardown() { run_deferred; }

setup_file() {
	local t=$BATS_FILE_TMPDIR top b
	top=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	export PATHTEST="$t/pathtest" SWAP="$t/swap"
	if command -v cc >/dev/null 2>&1; then
		# a build failure is the tests' failure, not a skip
		cc -D_GNU_SOURCE -I"$top/include" -o "$PATHTEST" "$top/tests/pathtest.c" \
			"$top/libctr/path.c" "$top/libctr/path_mount.c" "$top/libctr/buf.c" "$top/libctr/passwd.c" \
			"$top/libctr/opt.c" "$top/libctr/mount.c" "$top/libctr/err.c" \
			>"$t/cc.log" 2>&1 || rm -f "$PATHTEST"
		cc -O2 -o "$SWAP" "$top/tests/swap.c" >>"$t/cc.log" 2>&1 || rm -f "$SWAP"
	fi
	export STATROOT="$t/statroot"
	if [ -x /bin/busybox ] && file -L /bin/busybox | grep -q 'statically linked'; then
		mkdir -p "$STATROOT/bin"
		cp /bin/busybox "$STATROOT/bin/busybox"
		for b in sh cat cut grep; do
			ln -s busybox "$STATROOT/bin/$b"
		done
	fi
}

require_tools() {
	command -v cc >/dev/null || skip "needs cc to build tests/pathtest.c and swap.c"
	[ -x "$PATHTEST" ] && [ -x "$SWAP" ] || { cat "$BATS_FILE_TMPDIR/cc.log"; false; }
}

# The modes every lookup test runs in: the kernel's openat2 and the walk.
modes() {
	printf '%s\n' 1 0
}

# A root with symlinks of every kind: R, and OUT outside it.
make_root() {
	R="$BATS_TEST_TMPDIR/root"
	OUT="$BATS_TEST_TMPDIR/out"
	mkdir -p "$R/a/b" "$OUT"
	echo secret >"$OUT/secret"
	echo inside >"$R/a/b/file"
	ln -s "$OUT" "$R/abs"                 # absolute, to a host path
	ln -s ../../../../../../../.. "$R/a/up"  # relative, past the root
	ln -s /a/b "$R/a/self"                # absolute, inside
	ln -s loop2 "$R/loop1"
	ln -s loop1 "$R/loop2"
	ln -s "$OUT/secret" "$R/sec"
}

@test "lookups resolve inside the root: absolute links, .. past the root, both with openat2 and without" {
	require_tools
	make_root
	local m
	for m in $(modes); do
		export CTRBOX_OPENAT2=$m
		run "$PATHTEST" open "$R" /abs
		[ "$status" -eq 1 ]
		[ "$output" = "pathtest: open: /abs: No such file or directory" ]
		run "$PATHTEST" open "$R" sec
		[ "$status" -eq 1 ]
		run "$PATHTEST" open "$R" a/up
		[ "$output" = "$R" ]
		run "$PATHTEST" open "$R" a/up/a/self/file
		[ "$output" = "$R/a/b/file" ]
		run "$PATHTEST" open "$R" ../../..
		[ "$output" = "$R" ]
		run "$PATHTEST" open "$R" a/self/../../a/./b//file
		[ "$output" = "$R/a/b/file" ]
		# nofollow: the link itself; nosymlinks: refused anywhere
		run "$PATHTEST" open "$R" abs nofollow
		[ "$output" = "$R/abs" ]
		run "$PATHTEST" open "$R" a/self/file nosymlinks
		[ "$status" -eq 1 ]
		[[ "$output" == *"Too many levels of symbolic links" ]]
		run "$PATHTEST" open "$R" loop1
		[ "$status" -eq 1 ]
		[[ "$output" == *"Too many levels of symbolic links" ]]
	done
}

@test "mkdir -p and file targets through symlinks are made inside the root, each reported" {
	require_tools
	make_root
	local m
	for m in $(modes); do
		export CTRBOX_OPENAT2=$m
		rm -rf "$R${OUT:?}" "$R/new"
		run "$PATHTEST" mkdir "$R" abs/d1/d2
		[ "$status" -eq 0 ]
		[ "${lines[-1]}" = "$R$OUT/d1/d2" ]
		[[ "$output" == *"made $OUT/d1"* ]]
		run "$PATHTEST" mkfile "$R" a/up/new/f
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = "made /new" ]
		[ "${lines[1]}" = "made /new/f" ]
		[ "${lines[2]}" = "$R/new/f" ]
		[ -f "$R/new/f" ]
		# an existing file is the target, nothing made
		run "$PATHTEST" mkfile "$R" a/self/file
		[ "$output" = "$R/a/b/file" ]
		# a file on the way is not a directory
		run "$PATHTEST" mkdir "$R" a/b/file/x
		[ "$status" -eq 1 ]
		[ "$output" = "pathtest: mkdir: a/b/file/x: Not a directory" ]
		[ "$(ls "$OUT")" = secret ]
	done
}

@test "long paths: deeper than PATH_MAX works; a component over NAME_MAX is named in the error" {
	require_tools
	R="$BATS_TEST_TMPDIR/root"
	mkdir -p "$R"
	local seg p="" i
	seg=$(printf 'd%.0s' $(seq 200))
	for i in $(seq 30); do p="$p/$seg"; done   # 6030 bytes
	for m in $(modes); do
		export CTRBOX_OPENAT2=$m
		run "$PATHTEST" mkdir "$R" "$p"
		[ "$status" -eq 0 ]
		[ "${#p}" -gt 4096 ]
		[ "${lines[-1]}" = "<too long to name>" ]
		(cd "$R" && for i in $(seq 30); do cd "$seg" || exit 1; done)
		run "$PATHTEST" open "$R" "$p/../$seg"
		[ "$status" -eq 0 ]
		run "$PATHTEST" open "$R" "$p/../nope"
		[ "$status" -eq 1 ]
		[[ "$output" == *"/../nope: No such file or directory" ]]
		rm -rf "${R:?}/$seg"
		run "$PATHTEST" mkdir "$R" "a/$(printf 'x%.0s' $(seq 256))/b"
		[ "$status" -eq 1 ]
		[[ "${lines[-1]}" == "pathtest: mkdir: a/xxxx"*"x/b: File name too long" ]]
	done
	rm -rf "$R"
}

@test "mounts by fd: a bind made read-only and a tmpfs land inside the root, with either mount API" {
	require_root
	require_tools
	make_root
	local api
	for api in new legacy; do
		run /usr/bin/unshare -m --propagation private env CTRBOX_MOUNT_API=$api sh -c "
			'$PATHTEST' bind '$OUT' '$R' abs/m ro || exit 1
			'$PATHTEST' tmpfs '$R' a/up/t || exit 1
			touch '$R$OUT/m/x' 2>/dev/null && echo writable
			awk '{ print \$5, \$6 }' /proc/self/mountinfo | grep '^$BATS_TEST_TMPDIR'"
		[ "$status" -eq 0 ]
		[ "${lines[-2]}" = "$R$OUT/m ro,relatime" ]
		[ "${lines[-1]}" = "$R/t rw,nosuid,relatime" ]
	done
	! grep -q " $BATS_TEST_TMPDIR" /proc/self/mountinfo
}

# The race: while SWAP exchanges a directory of the root with a symlink that
# leads outside (relative, past the root), the target is looked up, made and
# mounted over and over; mountinfo must never show a mount outside the root.
race_lib() {
	local api=$1 walk=$2 n=$3
	make_root
	mkdir "$R/t"
	ln -s "../../../../../../../../..$OUT" "$R/tl"
	"$SWAP" "$R/t" "$R/tl" 120 >"$BATS_TEST_TMPDIR/swaps" &
	local sw=$!
	defer "kill $sw; wait $sw"
	run /usr/bin/unshare -m --propagation private env CTRBOX_MOUNT_API="$api" \
		CTRBOX_OPENAT2="$walk" bash -c "
		for i in \$(seq $n); do
			'$PATHTEST' bind '$BATS_TEST_TMPDIR/src' '$R' t/x >/dev/null 2>&1
		done
		in=0 out=0
		while read -r tgt; do
			case \$tgt in
			'$R'/*) in=\$((in + 1)) ;;
			*) out=\$((out + 1)); echo \"OUTSIDE: \$tgt\" ;;
			esac
		done < <(awk '\$4 == \"$BATS_TEST_TMPDIR/src\" { print \$5 }' /proc/self/mountinfo)
		echo in=\$in out=\$out"
	kill "$sw"
	wait "$sw" || true
	echo "$output ($(cat "$BATS_TEST_TMPDIR/swaps") swaps)" >&3
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" == "in="*" out=0" ]]
	[ "${lines[-1]}" != "in=0 out=0" ]
	[ "$(ls "$OUT")" = secret ]
}

@test "race: a bind target swapped for a symlink to outside never lands outside (openat2, new mount API)" {
	require_root
	require_tools
	mkdir "$BATS_TEST_TMPDIR/src"
	race_lib new 1 300
}

@test "race: the same with the user-space walk and mount(2) onto /proc/self/fd" {
	require_root
	require_tools
	mkdir "$BATS_TEST_TMPDIR/src"
	race_lib legacy 0 300
}

# The applet: pivot with a bind and /proc while t and proc are swapped with
# links to outside. --keep-old keeps the host tree visible inside at /old, so
# a mount that landed outside the root would show there in mountinfo.
@test "race: pivot -b and --proc never mount outside the root while targets are swapped" {
	require_root
	require_tools
	[ -x "$STATROOT/bin/busybox" ] || skip "needs a static /bin/busybox (busybox-static)"
	file -L "$CTRBOX" | grep -q 'statically linked' || skip "needs a static ctrbox"
	R="$BATS_TEST_TMPDIR/root"
	OUT="$BATS_TEST_TMPDIR/out"
	cp -a "$STATROOT" "$R"
	mkdir -p "$R/t" "$R/proc" "$R/old" "$OUT" "$BATS_TEST_TMPDIR/src"
	ln -s "../../../../../../..$OUT" "$R/tl"
	ln -s "$OUT" "$R/procl"
	"$SWAP" "$R/t" "$R/tl" 120 >/dev/null &
	local s1=$!
	defer "kill $s1"
	"$SWAP" "$R/proc" "$R/procl" 120 >/dev/null &
	local s2=$!
	defer "kill $s2"
	local i ok=0 refused=0 bad=0 mi
	for i in $(seq 150); do
		# the host's /proc, at /old/proc, shows this namespace's mounts
		if mi=$(pivot --proc --keep-old /old -b "$BATS_TEST_TMPDIR/src:/t/x" "$R" \
			/bin/cat /old/proc/self/mountinfo \
			2>"$BATS_TEST_TMPDIR/err"); then
			ok=$((ok + 1))
			if awk '{ print $5 }' <<<"$mi" | grep -q "^/old$OUT"; then
				bad=$((bad + 1))
				echo "OUTSIDE: $(awk '{ print $5 }' <<<"$mi" | grep "^/old$OUT")" >&3
			fi
		else
			# /proc swapped for a symlink when looked at: refused, by name
			grep -q "proc mount point: $R/proc is a symlink" "$BATS_TEST_TMPDIR/err" ||
				cat "$BATS_TEST_TMPDIR/err" >&3
			refused=$((refused + 1))
		fi
	done
	kill "$s1" "$s2"
	wait "$s1" "$s2" || true
	echo "pivot: $ok mounted inside, $refused refused (proc was a symlink), $bad outside" >&3
	[ "$bad" -eq 0 ]
	[ "$ok" -gt 0 ]
	[ "$(ls -A "$OUT")" = "" ]
	! grep -q " $BATS_TEST_TMPDIR" /proc/self/mountinfo
}

# /etc/passwd and /etc/group of any size, read through the image's root fd.
@test "passwd and group of any size: a user at the end of 8 MB, its groups, inside an image" {
	require_tools
	R="$BATS_TEST_TMPDIR/root"
	mkdir -p "$R/etc"
	awk 'BEGIN { for (i = 0; i < 200000; i++) printf "user%d:x:%d:%d:a user with a long gecos field to make lines longer:/home/u%d:/bin/sh\n", i, i + 10000, i + 10000, i; print "tail:x:4242:4343::/home/tail:/bin/tail-shell" }' >"$R/etc/passwd"
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "g%d:x:%d:user1,user2,user3\n", i, i + 10000; print "late:x:777:a,tail,b"; printf "huge:x:778:"; for (i = 0; i < 50000; i++) printf "m%d,", i; print "tail" }' >"$R/etc/group"
	[ "$(stat -c %s "$R/etc/passwd")" -gt 8000000 ]
	run "$PATHTEST" user "$R" tail
	[ "$output" = "tail 4242 4343 /home/tail /bin/tail-shell" ]
	run "$PATHTEST" groups "$R" tail 4343
	[ "$output" = "4343 777 778" ]
	run "$PATHTEST" user "$R" nobody-here
	[ "$status" -eq 1 ]
	[ "$output" = "no such user" ]
	# an image's /etc/passwd that is a symlink to the host's resolves inside:
	# to itself here (a loop), and never to the host's file
	rm "$R/etc/passwd"
	ln -s /etc/passwd "$R/etc/passwd"
	run "$PATHTEST" user "$R" root
	[ "$status" -eq 1 ]
	[[ "$output" == *"Too many levels of symbolic links" ]]
	ln -sf ../../../../../etc/shadow "$R/etc/passwd"
	run "$PATHTEST" user "$R" root
	[ "$status" -eq 1 ]
	[[ "$output" == *"No such file or directory" ]]
}

@test "unshare --map-user/--map-group NAME: names at the end of an 8 MB /etc/passwd and /etc/group" {
	require_root
	local d="$BATS_TEST_TMPDIR"
	awk 'BEGIN { for (i = 0; i < 200000; i++) printf "user%d:x:%d:%d:a user with a long gecos field to make lines longer:/home/u%d:/bin/sh\n", i, i + 10000, i + 10000, i; print "tailuser:x:4242:4343::/:/bin/sh" }' >"$d/passwd"
	awk 'BEGIN { for (i = 0; i < 300000; i++) printf "group%d:x:%d:user1,user2,user3\n", i, i + 10000; print "tailgroup:x:4343:" }' >"$d/group"
	run /usr/bin/unshare -m sh -c "
		mount --bind '$d/passwd' /etc/passwd && mount --bind '$d/group' /etc/group &&
		'$CTRBOX' unshare --map-user=tailuser --map-group=tailgroup cat /proc/self/uid_map /proc/self/gid_map"
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "4242 0 1 4343 0 1" ]
}

# mountinfo of any length: thousands of mounts (doubled by recursive binds, in
# a mount namespace of our own), then an overlay mounted last is found by
# ovlmount --inspect and --list.
@test "mountinfo with thousands of mounts is read whole (ovlmount --inspect/--list)" {
	require_root
	require_overlay
	local d="$BATS_TEST_TMPDIR"
	mkdir -p "$d/base" "$d/l1" "$d/l2" "$d/m"
	echo hi >"$d/l1/f"
	run /usr/bin/unshare -m --propagation private bash -c "
		mount -t tmpfs none '$d/base' && mkdir '$d/base/a' || exit 1
		for i in \$(seq 12); do mount --rbind '$d/base' '$d/base/a' || exit 1; done
		wc -l </proc/self/mountinfo; wc -c </proc/self/mountinfo
		'$CTRBOX' ovlmount -l '$d/l1:$d/l2' '$d/m' || exit 1
		'$CTRBOX' ovlmount --inspect '$d/m' | grep -c '\"LowerDir\":\"$d/l1:$d/l2\"'
		'$CTRBOX' ovlmount --list | grep -c '$d/m'
		cat '$d/m/f'"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" -gt 4000 ]
	[ "${lines[1]}" -gt 300000 ]
	[ "${lines[2]}" = 1 ]
	[ "${lines[3]}" = 1 ]
	[ "${lines[4]}" = hi ]
}

@test "long paths in the applets: an error names what was too long, visibly cut" {
	local long
	long="/$(printf 'a%.0s' $(seq 5000))"
	run pivot "$long" /bin/true
	[ "$status" -eq 1 ]
	[[ "$output" == "pivot: new root: /aaaaaaaa"*"aaa...: "*"too long" ]]
	run ovlmount -l /tmp:/usr "$BATS_TEST_TMPDIR/$(printf 'b%.0s' $(seq 300))/m"
	[ "$status" -eq 1 ]
	[[ "$output" == "ovlmount: cannot create directory: $BATS_TEST_TMPDIR/bbbb"*": "*"too long" ]]
}
