#!/bin/sh
# ctrrun-escape (issue 10, STUDY-SESSION 2.2 (3)): the handout's chroot
# escape program stays inside a ctrrun container run from the initramfs
# root, where pivot_root(2) fails and the engine moves the root over /
# instead. docker's default capabilities keep CAP_SYS_CHROOT, so the
# program's chroot(2) calls succeed; its ".." walk stops at the moved root
# (the kernel steps back down into the mount on the initramfs's /), so a
# marker file on the initramfs itself (under the container's root mount)
# stays out of reach and the program ends in the image.
set -u
marker=/.ctrrun-escape-marker
fail() { echo "ctrrun-escape: FAIL: $*"; rm -f "$marker"; exit 1; }
# Without a seccomp syscall table (armhf: ctrrun-seccomp.sh) run unconfined.
case $(uname -m) in x86_64|aarch64) sec= ;; *) sec="--security-opt seccomp=unconfined" ;; esac
path_of() {
	for d in $(echo "$PATH" | tr : ' '); do
		[ -x "$d/$1" ] && [ ! -d "$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	return 1
}
esc=$SCENARIO_BIN/pivot-escape
[ -x "$esc" ] || { echo "ctrrun-escape: no $esc"; exit 77; }
bb=$(path_of busybox) || { echo "ctrrun-escape: no busybox"; exit 77; }
cgp0=$(find /sys/fs/cgroup -name ctrbox -type d)

scratch=$(pwd)
img=$scratch/img
mkdir -p "$img/bin" "$img/etc"
cp "$bb" "$img/bin/busybox"
for a in sh cat; do ln -s busybox "$img/bin/$a"; done
cp "$esc" "$img/escape"
echo inside >"$img/myfile"
echo "initramfs secret" >"$marker"

out=$(ctrrun $sec --rm "$img" /escape /bin/sh -c "cat $marker; cat /myfile" 2>"$scratch/err")
st=$?
cat "$scratch/err"
echo "escape printed: $out (status $st)"
[ "$out" = inside ] || fail "escape: got '$out' (status $st)"
# And with CAP_SYS_CHROOT gone (--cap-drop), chroot(2) itself is refused.
out=$(ctrrun $sec --rm --cap-drop SYS_CHROOT "$img" /escape /bin/sh -c "cat $marker; cat /myfile" 2>"$scratch/err")
cat "$scratch/err"
[ "$out" = inside ] || fail "escape --cap-drop SYS_CHROOT: got '$out'"
grep -q "escape: chroot .xx: Operation not permitted" "$scratch/err" ||
	fail "chroot(2) permitted without CAP_SYS_CHROOT: $(cat "$scratch/err")"
rm -f "$marker"
echo "ctrrun-escape: the escape program stayed inside"
for d in $(find /sys/fs/cgroup -name ctrbox -type d); do
	echo "$cgp0" | grep -qx "$d" || rmdir "$d" || fail "rmdir $d"
done
exit 0
