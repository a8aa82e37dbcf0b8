#!/usr/bin/env bats
# The multicall binary: dispatch by argv[0], --list, --install, configs.
load helpers

teardown() { run_deferred; }

@test "ctrbox --list prints the configured applets, sorted, one a line" {
	run "$CTRBOX" --list
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' "${lines[@]}" | sort)" ]
	[[ "$output" == *unshare* ]]
	[[ "$output" == *nsenter* ]]
}

@test "an unknown applet name is one line naming it, exit 127" {
	run -127 "$CTRBOX" frobnicate
	[ "$status" -eq 127 ]
	[ "$output" = "ctrbox: applet not found: frobnicate" ]
	ln -s "$CTRBOX" "$BATS_TEST_TMPDIR/frob"
	run -127 "$BATS_TEST_TMPDIR/frob"
	[ "$status" -eq 127 ]
	[ "$output" = "ctrbox: applet not found: frob" ]
}

@test "the applet is argv[0]'s basename; ctrbox APPLET works too" {
	run "$CTRBIN/unshare" --version
	[ "$status" -eq 0 ]
	[[ "$output" == "unshare from ctrbox "* ]]
	run "$CTRBOX" nsenter --version
	[ "$status" -eq 0 ]
	[[ "$output" == "nsenter from ctrbox "* ]]
}

@test "ctrbox --help, --version, and an unknown option" {
	run "$CTRBOX" --help
	[ "$status" -eq 0 ]
	[[ "$output" == Usage:* ]]
	run "$CTRBOX" --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^ctrbox\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
	run "$CTRBOX" --bogus
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "ctrbox: unrecognized option '--bogus'" ]
}

@test "ctrbox --install makes hard links, --install -s symlinks, for every applet" {
	local d="$BATS_TEST_TMPDIR/bin" a
	mkdir "$d" "$d.s"
	cp "$CTRBOX" "$d/ctrbox"
	"$d/ctrbox" --install "$d"
	"$CTRBOX" --install -s "$d.s"
	for a in $("$CTRBOX" --list); do
		[ "$(stat -c %i "$d/$a")" = "$(stat -c %i "$d/ctrbox")" ]
		[ -L "$d.s/$a" ]
		[ "$(readlink -f "$d.s/$a")" = "$(readlink -f "$CTRBOX")" ]
	done
	[ "$(ls "$d" | wc -l)" -eq $(( $("$CTRBOX" --list | wc -l) + 1 )) ]
	run "$CTRBOX" --install /nonexistent/dir
	[ "$status" -eq 1 ]
	[[ "$output" == "ctrbox: cannot link /nonexistent/dir/"*": No such file or directory" ]]
}

@test "configs/minimal builds only unshare and nsenter, and links no other code" {
	require_cmd make
	local b="$BATS_TEST_TMPDIR/min"
	make -s -C "$BATS_TEST_DIRNAME/.." BUILD="$b" CONFIG=configs/minimal >/dev/null
	run "$b/ctrbox" --list
	[ "$output" = "$(printf 'nsenter\nunshare')" ]
	run -127 "$b/ctrbox" lsns
	[ "$status" -eq 127 ]
	# No lsns code is in the binary: its usage text is absent.
	! grep -q "lsns \[options\]" "$b/ctrbox"
}

@test "make install puts the binary and applet links under DESTDIR/PREFIX" {
	require_cmd make
	local dest="$BATS_TEST_TMPDIR/dest" a
	make -s -C "$BATS_TEST_DIRNAME/.." install DESTDIR="$dest" PREFIX=/usr >/dev/null
	[ -x "$dest/usr/bin/ctrbox" ]
	for a in $("$CTRBOX" --list); do
		[ -e "$dest/usr/bin/$a" ]
	done
}

@test "the default build is static and stripped" {
	require_cmd file
	[[ "$CTRBOX" == */build/ctrbox ]] || skip "not the default build"
	run file "$CTRBOX"
	[[ "$output" == *"statically linked"* ]]
	[[ "$output" == *"stripped"* ]]
	[[ "$output" != *"not stripped"* ]]
}

# Issues 9 and 10: the whole defconfig binary (every applet, ctrrun and ocirun
# included) fits in 320 KiB, configs/minimal in 96 KiB, static musl x86_64.
@test "sizes: static defconfig <= 320 KiB, configs/minimal <= 96 KiB" {
	require_cmd musl-gcc
	local top out
	top=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	out=$BATS_TEST_TMPDIR/b
	for c in defconfig minimal; do
		make -s -C "$top" CONFIG=configs/$c BUILD="$out/$c" >/dev/null
		file -L "$out/$c/ctrbox" | grep -q 'statically linked'
	done
	run stat -c %s "$out/defconfig/ctrbox"
	echo "defconfig: $output bytes"
	[ "$output" -le $((320 * 1024)) ]
	run stat -c %s "$out/minimal/ctrbox"
	echo "minimal: $output bytes"
	[ "$output" -le $((96 * 1024)) ]
}
