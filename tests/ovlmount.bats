#!/usr/bin/env bats
# ovlmount: the study session's overlay steps (STUDY-SESSION.md 2.4) and
# issue 5. Every test body runs in a private mount namespace (in_ns), so the
# machine's mount table never changes; the kernel's view is read from that
# namespace's /proc/self/mountinfo.
load helpers

setup() {
	require_root
	require_overlay
	cd "$BATS_TEST_TMPDIR"
	cat >lib.sh <<'EOF'
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }
# check STATUS EXPECTED CMD...: CMD's exact output (stdout+stderr) and status.
check() {
	local want_st=$1 want=$2 out st=0
	shift 2
	out=$("$@" 2>&1) || st=$?
	local cmd="$*"
	[ ${#cmd} -lt 300 ] || cmd="${cmd:0:150}...${cmd: -100}"
	[ "$st" = "$want_st" ] || fail "$cmd: status $st, want $want_st; output: $out"
	[ "$out" = "$want" ] || fail "$cmd: output [$out], want [$want]"
}
# Is PATH (as mountinfo escapes it) a mount point here?
mounted() { awk -v p="$1" '$5 == p { f = 1 } END { exit !f }' /proc/self/mountinfo; }
n_overlays() { awk '/ - overlay / { n++ } END { print n + 0 }' /proc/self/mountinfo; }
fstype_at() { awk -v p="$1" '$5 == p { for (i = 7; $i != "-"; i++); t = $(i + 1) } END { print t }' /proc/self/mountinfo; }
# Feature probe (not the kernel version): does this kernel's overlay take
# layers one by one through the new mount API (fsconfig "lowerdir+", 6.8+)?
# Only then does a refusal carry the kernel's own words: before, ovlmount
# falls back to mount(2), which returns a bare errno (the words go to dmesg).
ovl_lowerdir_plus() {
	mkdir -p probe-l1 probe-l2 probe-m
	ovlmount -v -l "$PWD/probe-l1:$PWD/probe-l2" "$PWD/probe-m" 2>probe-how ||
		fail "probe: $(cat probe-how)"
	ovlmount -U "$PWD/probe-m"
	grep -q "(fsconfig lowerdir+ " probe-how
}
# The handout's layout: lower1/abc.txt, lower2/xyz.txt.
handout() {
	mkdir lower1 lower2 upper merged work
	echo "abc in lower1" >lower1/abc.txt
	echo "xyz in lower2" >lower2/xyz.txt
}
EOF
}

teardown() { run_deferred; }

# in_ns SCRIPT: bash -c SCRIPT in a new private mount namespace, cwd the
# test's tmpdir, with lib.sh's checks loaded.
in_ns() {
	cd "$BATS_TEST_TMPDIR"
	/usr/bin/unshare -m --propagation private bash -c ". ./lib.sh
$1"
}

@test "handout 2.4: merged shows both, new file lands in upper, copy-up, whiteout" {
	in_ns '
	handout
	d=$PWD
	ovlmount -l "$d/lower1:$d/lower2" -u "$d/upper" -w "$d/work" "$d/merged"
	[ "$(fstype_at "$d/merged")" = overlay ] || fail "no overlay at merged"
	# (1) both files side by side
	[ "$(ls merged)" = "$(printf "abc.txt\nxyz.txt")" ] || fail "merged: $(ls merged)"
	# (2) a new file is in upper only
	echo hoge >merged/hoge.txt
	[ -f upper/hoge.txt ] && [ ! -e lower1/hoge.txt ] && [ ! -e lower2/hoge.txt ] || fail hoge
	# (3) changing abc.txt copies it up, lower1 keeps its content
	[ ! -e upper/abc.txt ] || fail "abc.txt in upper before the change"
	echo changed >>merged/abc.txt
	[ "$(cat upper/abc.txt)" = "$(printf "abc in lower1\nchanged")" ] || fail copy-up
	[ "$(cat lower1/abc.txt)" = "abc in lower1" ] || fail "lower1 changed"
	# (4) rm leaves a whiteout: char device 0,0; lower2 keeps the data
	rm merged/xyz.txt
	[ ! -e merged/xyz.txt ] || fail "xyz.txt still in merged"
	[ "$(stat -c "%F %t,%T" upper/xyz.txt)" = "character special file 0,0" ] || fail whiteout
	[ "$(cat lower2/xyz.txt)" = "xyz in lower2" ] || fail "lower2 lost xyz.txt"
	ovlmount -U "$d/merged"
	! mounted "$d/merged" || fail "still mounted"
	'
}

@test "--inspect round-trips the four paths as docker's GraphDriver; --list has it" {
	in_ns '
	handout
	d=$PWD
	ovlmount -l lower1:lower2 -u upper -w work merged   # relative: shown absolute
	out=$(ovlmount --inspect merged)
	[ "$(jq -r .Name <<<"$out")" = overlay ] || fail "$out"
	[ "$(jq -r .Data.LowerDir <<<"$out")" = "$d/lower1:$d/lower2" ] || fail "$out"
	[ "$(jq -r .Data.UpperDir <<<"$out")" = "$d/upper" ] || fail "$out"
	[ "$(jq -r .Data.WorkDir <<<"$out")" = "$d/work" ] || fail "$out"
	[ "$(jq -r .Data.MergedDir <<<"$out")" = "$d/merged" ] || fail "$out"
	[ "$(jq -c "[.Data | keys[]]" <<<"$out")" = "[\"LowerDir\",\"MergedDir\",\"UpperDir\",\"WorkDir\"]" ] || fail "$out"
	ovlmount --list | grep -qxF "$out" || fail "--list lacks it: $(ovlmount --list)"
	[ "$(ovlmount --list | wc -l)" = "$(n_overlays)" ] || fail "--list count"
	# what --inspect printed mounts the same overlay again
	mkdir merged2
	ovlmount -l "$(jq -r .Data.LowerDir <<<"$out")" merged2/../merged2
	[ "$(ovlmount --inspect merged2 | jq -r .Data.LowerDir)" = "$d/lower1:$d/lower2" ] || fail again
	ovlmount -U merged2
	ovlmount -U merged
	'
}

@test "--diff lists A /hoge.txt, C /abc.txt, D /xyz.txt (merged, upper, upper + -l)" {
	in_ns '
	handout
	d=$PWD
	ovlmount -l lower1:lower2 -u upper -w work merged
	echo hoge >merged/hoge.txt
	echo more >>merged/abc.txt
	rm merged/xyz.txt
	want=$(printf "C /abc.txt\nA /hoge.txt\nD /xyz.txt")
	check 0 "$want" ovlmount --diff merged
	check 0 "$want" ovlmount --diff upper      # finds the mount using it
	ovlmount -U merged
	check 0 "$want" ovlmount --diff -l lower1:lower2 upper
	'
}

@test "--diff: an opaque directory hides the lower entries it replaced" {
	require_cmd python3
	in_ns '
	handout
	mkdir -p lower2/etc/sub lower1/etc
	touch lower2/etc/a lower2/etc/b lower2/etc/sub/c lower1/etc/d
	ovlmount -l lower1:lower2 -u upper -w work merged
	rm -r merged/etc
	mkdir merged/etc
	touch merged/etc/a merged/etc/new
	[ "$(ls merged/etc)" = "$(printf "a\nnew")" ] || fail "merged/etc: $(ls merged/etc)"
	# the kernel marked upper/etc opaque
	python3 -c "import os,sys; sys.exit(os.getxattr(\"upper/etc\", \"trusted.overlay.opaque\") != b\"y\")" ||
		fail "upper/etc is not opaque"
	check 0 "$(printf "C /etc\nC /etc/a\nD /etc/b\nD /etc/d\nA /etc/new\nD /etc/sub")" ovlmount --diff merged
	ovlmount -U merged
	# a 6.7+ xattr whiteout (empty file marked overlay.whiteout) is a delete too
	touch lower2/xw upper/xw
	python3 -c "import os; os.setxattr(\"upper/xw\", \"trusted.overlay.whiteout\", b\"\")"
	check 0 "$(printf "C /etc\nC /etc/a\nD /etc/b\nD /etc/d\nA /etc/new\nD /etc/sub\nD /xw")" \
		ovlmount --diff -l lower1:lower2 upper
	'
}

@test "500 lower layers with long absolute paths mount, the top one wins (lowerdir+ and mount(2) links)" {
	in_ns '
	base=$PWD/$(printf "a-rather-long-directory-name-to-fill-the-page-%s/" 1 2 3)layers
	mkdir -p "$base"
	L=
	for i in $(seq 0 499); do
		l=$base/layer-number-$(printf %03d "$i")
		mkdir "$l"
		echo "$i" >"$l/who"
		: >"$l/only-$i"
		L=$L${L:+:}$l
	done
	[ ${#L} -gt 40000 ] || fail "paths too short: ${#L}"
	for how in "" --legacy; do
		ovlmount $how -l "$L" -u "$PWD/up$how" -w "$PWD/wk$how" "$PWD/m"
		[ "$(cat m/who)" = 0 ] || fail "$how: top layer lost: $(cat m/who)"
		[ "$(ls m | grep -c "^only-")" = 500 ] || fail "$how: not 500 layers"
		[ "$(ovlmount --inspect m | jq -r .Data.LowerDir)" = "$L" ] || fail "$how: inspect"
		echo new >m/who
		[ "$(cat "$PWD/up$how/who")" = new ] || fail "$how: upper"
		ovlmount -U m
		! mounted "$PWD/m" || fail "$how: still mounted"
		[ ! -e .ovlmount.m ] || fail "$how: link dir left behind"
	done
	# mount(2) alone cannot: the lowerdir string is far over one page
	! mount -t overlay overlay -o "lowerdir=$L" m 2>/dev/null || fail "mount(8) took it"
	[ "$(n_overlays)" = 0 ] || fail leftover
	# the kernel stops at 500
	mkdir extra
	if ovl_lowerdir_plus; then
		check 1 "ovlmount: lower layer: $PWD/extra: overlay: too many lower directories, limit is 500: Invalid argument" \
			ovlmount -l "$L:$PWD/extra" -u up -w wk m
	else
		echo "# no overlay lowerdir+ (before 6.8): mount(2) fallback, bare EINVAL" >&3
		check 1 "ovlmount: mount overlay: m: Invalid argument" \
			ovlmount -l "$L:$PWD/extra" -u up -w wk m
	fi
	! mounted "$PWD/m" || fail "501 layers mounted"
	[ ! -e .ovlmount.m ] || fail "501 layers: link dir left behind"
	[ "$(n_overlays)" = 0 ] || fail leftover
	'
}

@test "without an upper the overlay is read-only: writes fail with EROFS" {
	in_ns '
	handout
	ovlmount -l lower1:lower2 merged
	! echo x 2>/dev/null >merged/new || fail "write succeeded"
	check 1 "touch: cannot touch '"'"'merged/new'"'"': Read-only file system" touch merged/new
	check 1 "rm: cannot remove '"'"'merged/abc.txt'"'"': Read-only file system" rm merged/abc.txt
	[ "$(ovlmount --inspect merged | jq -c "[.Data | keys[]]")" = "[\"LowerDir\",\"MergedDir\"]" ] || fail inspect
	check 1 "ovlmount: $PWD/merged is a read-only overlay: it has no upper layer" ovlmount --diff merged
	ovlmount -U merged
	# --ro with an upper: read-only mount, upper untouched
	ovlmount -r -l lower1 -u upper -w work merged
	awk -v p="$PWD/merged" "\$5 == p && \$6 ~ /^ro,/ { f = 1 } END { exit !f }" /proc/self/mountinfo || fail "not ro"
	check 1 "touch: cannot touch '"'"'merged/new'"'"': Read-only file system" touch merged/new
	ovlmount -U merged
	check 1 "ovlmount: a read-only overlay (no upper) needs at least 2 lower directories" ovlmount -l lower1 merged
	'
}

@test "paths with spaces, commas and colons work with both mount paths" {
	in_ns '
	mkdir "lo w,e:r" l2
	echo top >"lo w,e:r/f"
	for how in "" --legacy; do
		u="$PWD/u p,p:er$how" w="$PWD/w o,r:k$how" m="$PWD/m e,r:ged"
		ovlmount $how -l "$PWD/lo w,e\\:r:l2" -u "$u" -w "$w" "$m"
		[ "$(cat "$m/f")" = top ] || fail "$how: content"
		out=$(ovlmount --inspect "$m")
		[ "$(jq -r .Data.LowerDir <<<"$out")" = "$PWD/lo w,e\\:r:$PWD/l2" ] || fail "$how: $out"
		[ "$(jq -r .Data.UpperDir <<<"$out")" = "$u" ] || fail "$how: $out"
		[ "$(jq -r .Data.WorkDir <<<"$out")" = "$w" ] || fail "$how: $out"
		[ "$(jq -r .Data.MergedDir <<<"$out")" = "$m" ] || fail "$how: $out"
		echo x >"$m/n,e w"
		check 0 "A /n,e w" ovlmount --diff "$m"
		ovlmount -U "$m"
	done
	check 1 "ovlmount: empty layer in --lower '"'"'a::b'"'"' (data-only layers are not supported)
Try '"'"'ovlmount --help'"'"' for more information." ovlmount -l a::b m
	'
}

@test "-o passes overlay options to the kernel and mount flags to the mount" {
	in_ns '
	handout
	ovlmount -l lower1:lower2 -u upper -w work -o index=on,redirect_dir=on,nosuid,nodev merged
	line=$(awk -v p="$PWD/merged" "\$5 == p" /proc/self/mountinfo)
	[[ "$line" == *" rw,nosuid,nodev,"* ]] || fail "$line"
	[[ "$line" == *",index=on"* && "$line" == *"redirect_dir=on"* ]] || fail "$line"
	ovlmount -U merged
	if ovl_lowerdir_plus; then
		check 1 "ovlmount: overlay refused option: bogus: overlay: Unknown parameter '"'"'bogus'"'"': Invalid argument" \
			ovlmount -l lower1 -u upper -w work -o bogus merged
	else
		echo "# no overlay lowerdir+ (before 6.8): mount(2) fallback, bare EINVAL" >&3
		check 1 "ovlmount: mount overlay: merged: Invalid argument" \
			ovlmount -l lower1 -u upper -w work -o bogus merged
	fi
	[ "$(n_overlays)" = 0 ] || fail leftover
	long=$(printf "redirect_dir=on,%.0s" $(seq 300))
	check 1 "ovlmount: mount data too long: 4831 bytes even with short links; mount(2) takes at most 4095" \
		ovlmount --legacy -l lower1 -u upper -w work -o "${long%,}" merged
	[ ! -e .ovlmount.merged ] && [ "$(n_overlays)" = 0 ] || fail leftover
	check 1 "ovlmount: -o upperdir is not accepted: give layers with -l, -u, -w
Try '"'"'ovlmount --help'"'"' for more information." ovlmount -l lower1 -o upperdir=/x merged
	'
}

@test "errors: lower missing, work not empty, upper on another fs: exact message, nothing left" {
	in_ns '
	handout
	d=$PWD
	before=$(ls)
	check 1 "ovlmount: cannot access lower directory: $d/nope: No such file or directory" \
		ovlmount -l "lower1:$d/nope" -u u2 -w w2 m2
	[ "$(ls)" = "$before" ] || fail "left: $(ls)"
	touch lower2/file
	check 1 "ovlmount: lower layer is not a directory: lower2/file: Not a directory" \
		ovlmount -l lower1:lower2/file -u u2 -w w2 m2
	mkdir w3 && touch w3/junk
	check 1 "ovlmount: work directory is not empty: w3 (holds '"'"'junk'"'"')" \
		ovlmount -l lower1 -u u2/deep/er -w w3 m2
	[ ! -e u2 ] && [ ! -e m2 ] || fail "created dirs left behind"
	mkdir t && mount -t tmpfs tmpfs t
	check 1 "ovlmount: upper and work directories are on different filesystems: t/u, work" \
		ovlmount -l lower1 -u t/u -w work merged
	[ ! -e t/u ] || fail "t/u left"
	check 1 "ovlmount: upper and work directories must not be inside each other: $d/upper, $d/upper/w" \
		ovlmount -l lower1 -u upper -w upper/w merged
	mount -t ramfs ramfs t
	check 1 "ovlmount: upper filesystem cannot hold overlay'"'"'s xattrs: t/u: no trusted.* xattr support (ramfs?)" \
		ovlmount -l lower1 -u t/u -w t/w merged
	umount t
	ovlmount -l lower1:lower2 -u upper -w work merged
	mkdir merged/u merged/w
	check 1 "ovlmount: upper directory is on an overlay filesystem, which overlayfs cannot use as upper: merged/u" \
		ovlmount -l lower1 -u merged/u -w merged/w m3
	ovlmount -U merged
	[ "$(n_overlays)" = 0 ] || fail "overlay left mounted"
	[ ! -e m3 ] || fail "m3 left"
	'
}

@test "-U: busy refuses (--lazy detaches), not an overlay refused for -U and --inspect" {
	in_ns '
	handout
	d=$PWD
	ovlmount -l lower1:lower2 -u upper -w work merged
	exec 9<merged/abc.txt
	check 1 "ovlmount: cannot unmount: $d/merged: target is busy" ovlmount -U merged
	mounted "$d/merged" || fail "unmounted although busy"
	ovlmount -U --lazy merged
	! mounted "$d/merged" || fail "--lazy left it"
	exec 9<&-
	mkdir t && mount -t tmpfs tmpfs t
	check 1 "ovlmount: not an overlay mount: $d/t" ovlmount -U t
	mounted "$d/t" || fail "tmpfs unmounted"
	check 1 "ovlmount: not an overlay mount: $d/t" ovlmount --inspect t
	check 1 "ovlmount: not an overlay mount: $d/lower1 (not a mount point)" ovlmount --inspect lower1
	check 1 "ovlmount: not an overlay mount: $d/lower1 (not a mount point)" ovlmount -U lower1
	check 1 "ovlmount: cannot access: nope: No such file or directory" ovlmount -U nope
	'
}

@test "mount(2) fallback: relative to the common parent, else short links; stale ones replaced" {
	in_ns '
	handout
	d=$PWD
	ovlmount -v --legacy -l "lower1:lower2" merged 2>err
	[ "$(cat err)" = "ovlmount: mounted 2 lower layer(s) on merged (mount(2) data)" ] || fail "$(cat err)"
	[ ! -e .ovlmount.merged ] || fail "a link for absolute paths"
	ovlmount -U merged
	# 500 short names under one long parent: relative to it, one link
	p=$d/$(printf "a-long-parent-directory-name-%s/" 1 2 3 4)layers
	L=
	for i in $(seq 1 500); do mkdir -p "$p/$i"; echo "$i" >"$p/$i/who"; L=$L${L:+:}$p/$i; done
	[ ${#L} -gt 4096 ] || fail "fits a page"
	ovlmount -v --legacy -l "$L" -u upper -w work merged 2>err
	[ "$(cat err)" = "ovlmount: mounted 500 lower layer(s) on merged (mount(2) data relative to the layers'"'"' parent)" ] || fail "$(cat err)"
	[ "$(readlink .ovlmount.merged)" = "$p" ] || fail "link: $(readlink .ovlmount.merged)"
	grep -q "lowerdir=1:2:3:" /proc/self/mountinfo || fail "not relative"
	[ "$(cat merged/who)" = 1 ] || fail "top"
	[ "$(ovlmount --inspect merged | jq -r .Data.LowerDir)" = "$L" ] || fail inspect
	umount merged
	[ -L .ovlmount.merged ] || fail "umount(8) removed it?"
	# long names: a dir of short links, replacing the stale link
	L=
	for i in $(seq 1 300); do mkdir -p "$d/layers-with-long-names-for-the-page-limit/l$i"; L=$L${L:+:}$d/layers-with-long-names-for-the-page-limit/l$i; done
	L=$L:$d/lower1
	ovlmount -v --legacy -l "$L" merged 2>err
	[ "$(cat err)" = "ovlmount: mounted 301 lower layer(s) on merged (mount(2) data with short links)" ] || fail "$(cat err)"
	[ "$(readlink .ovlmount.merged/0)" = "$d/layers-with-long-names-for-the-page-limit/l1" ] || fail link
	[ "$(ovlmount --inspect merged | jq -r .Data.LowerDir)" = "$L" ] || fail inspect
	umount merged
	[ -d .ovlmount.merged ] || fail "umount(8) removed it?"
	ovlmount --legacy -l "$L" merged
	[ "$(ovlmount --inspect merged | jq -r .Data.LowerDir)" = "$L" ] || fail inspect
	ovlmount -U merged
	[ ! -e .ovlmount.merged ] || fail "link dir left"
	'
}

@test "usage: -h, -V, bad options, missing and extra arguments" {
	run ovlmount -h
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "Usage:" ]]
	[[ "$output" == *"--inspect"* ]]
	run ovlmount -V
	[ "$status" -eq 0 ]
	[[ "$output" == "ovlmount from ctrbox "* ]]
	run ovlmount --bogus
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf "ovlmount: unrecognized option '--bogus'\nTry 'ovlmount --help' for more information.")" ]
	run ovlmount -x
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "ovlmount: invalid option -- 'x'" ]
	run ovlmount -l
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "ovlmount: option requires an argument -- 'l'" ]
	run ovlmount -l a
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "ovlmount: no mount point given" ]
	run ovlmount m
	[ "${lines[0]}" = "ovlmount: no lower layer given (-l)" ]
	run ovlmount -l a -u u m
	[ "${lines[0]}" = "ovlmount: --upper and --work go together" ]
	run ovlmount -U --inspect m
	[ "${lines[0]}" = "ovlmount: -U, --inspect, --list and --diff are mutually exclusive" ]
	run ovlmount --inspect -u u m
	[ "${lines[0]}" = "ovlmount: -u, -w, -o, -r and --legacy are only for mounting" ]
	run ovlmount --lazy m
	[ "${lines[0]}" = "ovlmount: --lazy goes with -U" ]
	run ovlmount --list x
	[ "${lines[0]}" = "ovlmount: --list takes no argument" ]
	run ovlmount -U a b
	[ "${lines[0]}" = "ovlmount: unexpected argument 'b'" ]
	[ "$status" -eq 1 ]
}
