# ctrrun-lib.bash: what the ctrrun tests share (load after helpers).
#
# IMG: a busybox image made from what the machine has (a static busybox and
# its applet links, passwd/group with a user u1 in group g2); ROOT: a state
# root of the test run's own (--root), so that other users of /run/ctrbox
# do not disturb the before/after comparisons.

BUSYBOX=$(command -v busybox 2>/dev/null || true)

require_ctrrun_image() {
	require_root
	require_overlay
	[ -n "$BUSYBOX" ] && file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' ||
		skip "needs a static busybox"
	IMG="$BATS_RUN_TMPDIR/ctrrun-img"
	ROOT="$BATS_RUN_TMPDIR/ctrrun-root"
	if [ ! -x "$IMG/bin/sh" ]; then
		rm -rf "$IMG.tmp"
		mkdir -p "$IMG.tmp/bin" "$IMG.tmp/etc" "$IMG.tmp/root" "$IMG.tmp/tmp"
		cp "$BUSYBOX" "$IMG.tmp/bin/busybox"
		for a in $("$BUSYBOX" --list); do
			[ -e "$IMG.tmp/bin/$a" ] || ln -s busybox "$IMG.tmp/bin/$a"
		done
		printf 'root:x:0:0:root:/root:/bin/sh\nu1:x:1000:1000::/home/u1:/bin/sh\nnobody:x:65534:65534::/nonexistent:/bin/sh\n' \
			>"$IMG.tmp/etc/passwd"
		printf 'root:x:0:\ng1:x:1000:\ng2:x:2000:u1\nnogroup:x:65534:\n' >"$IMG.tmp/etc/group"
		if cc -static -Os -o "$IMG.tmp/escape" "$BATS_TEST_DIRNAME/escape.c" 2>/dev/null; then :; fi
		mv "$IMG.tmp" "$IMG" 2>/dev/null || rm -rf "$IMG.tmp"
	fi
	CR="ctrbox ctrrun --root $ROOT"
	export IMG ROOT CR
}

# The image's tree must never change: a checksum of names, modes and sizes.
img_sum() {
	(cd "$IMG" && find . -printf '%p %m %s %T@\n' | sort | md5sum)
}

# What a container may leave behind, host side: state dirs, cgroups under
# the test's own --cgroup-parent $CGP (others may run containers under
# ctrbox/ meanwhile), mounts, processes of the ctrbox under test.
CGP=ctrbox-test-engine-$$
leftovers() {
	local p
	ls -A "$ROOT" 2>/dev/null | grep -v '^$' || true
	find /sys/fs/cgroup/*/"$CGP" /sys/fs/cgroup/"$CGP" -mindepth 1 -type d 2>/dev/null | sort
	awk '{ print $5 }' /proc/self/mountinfo | sort | md5sum
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$CTRBOX" ] && echo "ctrbox process ${p#/proc/}"
	done
	true
}

# The container's group path as ctrrun made it.
cg_of() {
	echo "ctrbox/$($CR inspect -f '{{.Id}}' "$1")"
}
