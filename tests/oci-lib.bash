# oci-lib.bash: what the OCI runtime's tests share (oci.bats, podman.bats,
# containerd.bats). OCIRUN is ocirun through its own argv[0] link; each test
# gets its own --root, so nothing it does touches /run/ocirun.

OCIRUN="$CTRBIN/ocirun"

# A busybox-static root filesystem at $1 (made once per file under
# $BATS_FILE_TMPDIR when $1 is omitted).
make_rootfs() {
	local r=$1 a
	mkdir -p "$r/bin" "$r/etc" "$r/proc" "$r/sys" "$r/dev" "$r/tmp" "$r/root"
	cp /usr/bin/busybox "$r/bin/busybox"
	for a in $(/usr/bin/busybox --list); do
		[ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"
	done
	echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
	echo 'root:x:0:' >"$r/etc/group"
}

require_busybox() {
	file -L /usr/bin/busybox 2>/dev/null | grep -q 'statically linked' ||
		skip "needs a static /usr/bin/busybox (busybox-static)"
}

# make_bundle DIR [JQ-FILTER]: ocirun spec, then the filter; no terminal,
# a writable root, cgroupsPath unique to the test.
make_bundle() {
	local b=$1 f=${2:-.}
	mkdir -p "$b"
	[ -d "$BATS_FILE_TMPDIR/rootfs" ] || make_rootfs "$BATS_FILE_TMPDIR/rootfs"
	ln -sfn "$BATS_FILE_TMPDIR/rootfs" "$b/rootfs"
	rm -f "$b/config.json"
	(cd "$b" && "$OCIRUN" spec)
	jq --arg cg "/ctrbox-test-oci-$$-$BATS_TEST_NUMBER" \
		'.process.terminal = false | .root.readonly = false | .process.capabilities.ambient = [] |
		 .linux.cgroupsPath = $cg | .process.args = ["sleep", "100"] | '"$f" \
		"$b/config.json" >"$b/config.json.new"
	mv "$b/config.json.new" "$b/config.json"
}

# The status field of `ocirun state ID`.
oci_status() {
	"$OCIRUN" --root "$ROOT" state "$1" | jq -r .status
}

# Every hierarchy's directory of a cgroup path; none may exist after delete.
cgroup_dirs() {
	local m
	for m in $(awk '$9 == "cgroup" || $9 == "cgroup2" { print $5 }' /proc/self/mountinfo); do
		[ -d "$m/$1" ] && echo "$m/$1"
	done
	return 0
}
