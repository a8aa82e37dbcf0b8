#!/bin/sh
# ctrrun-seccomp: docker's default seccomp profile under ctrrun from the
# initramfs root. Where libctr has the architecture's syscall table (x86_64,
# aarch64) the filter is loaded (Seccomp: 2); elsewhere (armhf) ctrrun
# fails with "seccomp: no syscall table for this architecture" (status 125,
# nothing left behind) rather than load a filter that kills every syscall,
# and --security-opt seccomp=unconfined runs.
set -u
fail() { echo "ctrrun-seccomp: FAIL: $*"; exit 1; }
path_of() {
	for d in $(echo "$PATH" | tr : ' '); do
		[ -x "$d/$1" ] && [ ! -d "$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	return 1
}
bb=$(path_of busybox) || { echo "ctrrun-seccomp: no busybox"; exit 77; }
cgp0=$(find /sys/fs/cgroup -name ctrbox -type d)
img=$(pwd)/img
mkdir -p "$img/bin" "$img/etc"
cp "$bb" "$img/bin/busybox"
for a in sh grep true; do ln -s busybox "$img/bin/$a"; done
state0=$(ls -A /run/ctrbox 2>/dev/null)

case $(uname -m) in
x86_64|aarch64)
	out=$(ctrrun --rm "$img" grep Seccomp: /proc/self/status 2>&1) || fail "ctrrun: $out"
	echo "$out"
	[ "$(echo "$out" | tr -d ' \t')" = Seccomp:2 ] || fail "no filter: $out"
	;;
*)
	out=$(ctrrun --rm "$img" true 2>&1)
	st=$?
	echo "ctrrun on $(uname -m): status $st: $out"
	[ $st = 125 ] || fail "status $st, expected 125"
	case $out in *"seccomp: no syscall table for this architecture"*) ;;
	*) fail "message: $out" ;; esac
	out=$(ctrrun --rm --security-opt seccomp=unconfined "$img" grep Seccomp: /proc/self/status 2>&1) ||
		fail "seccomp=unconfined: $out"
	[ "$(echo "$out" | tr -d ' \t')" = Seccomp:0 ] || fail "unconfined: $out"
	;;
esac
[ "$(ls -A /run/ctrbox 2>/dev/null)" = "$state0" ] || fail "state left: $(ls -A /run/ctrbox)"
find /sys/fs/cgroup -path '*/ctrbox/*' -type d | grep . && fail "container cgroups left"
for d in $(find /sys/fs/cgroup -name ctrbox -type d); do
	echo "$cgp0" | grep -qx "$d" || rmdir "$d" || fail "rmdir $d"
done
exit 0
