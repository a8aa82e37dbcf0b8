#!/bin/sh
# ctrrun-initramfs (issue 10): ctrrun run straight from the initramfs root
# (not the bats tmpfs copy), where pivot_root(2) fails with EINVAL and the
# engine moves the overlay over / and chroots instead. A busybox image made
# here: ctrrun --rm runs, sees namespaces of its own, pid 1 and its
# hostname; inspect's GraphDriver paths are the kernel's overlay; nothing is
# left after (mounts, cgroups, /run/ctrbox).
set -u
fail() { echo "ctrrun-initramfs: FAIL: $*"; exit 1; }
# Without a seccomp syscall table (armhf: ctrrun-seccomp.sh) run unconfined.
case $(uname -m) in x86_64|aarch64) sec= ;; *) sec="--security-opt seccomp=unconfined" ;; esac
path_of() {
	for d in $(echo "$PATH" | tr : ' '); do
		[ -x "$d/$1" ] && [ ! -d "$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	return 1
}
bb=$(path_of busybox) || { echo "ctrrun-initramfs: no busybox"; exit 77; }
awk '$5 == "/" && $1 == $2 { f = 1 } END { exit !f }' /proc/self/mountinfo ||
	grep -q ' / / .* - rootfs ' /proc/self/mountinfo ||
	{ echo "ctrrun-initramfs: the root is not the initramfs here"; exit 77; }

img=$(pwd)/img
mkdir -p "$img/bin" "$img/etc" "$img/tmp"
cp "$bb" "$img/bin/busybox"
for a in $("$bb" --list); do [ -e "$img/bin/$a" ] || ln -s busybox "$img/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' >"$img/etc/passwd"
mounts0=$(awk '{ print $5 }' /proc/self/mountinfo | sort | md5sum)
state0=$(ls -A /run/ctrbox 2>/dev/null)
# ctrrun's parent group "ctrbox" stays, as docker's "docker" does: the
# scenario removes it when it made it.
cgp0=$(find /sys/fs/cgroup -name ctrbox -type d)

# (a) run --rm: own namespaces, pid 1, hostname.
out=$(ctrrun $sec --rm --hostname inside "$img" sh -c '
	echo pid=$$ host=$(hostname)
	for n in mnt uts ipc pid net cgroup; do echo $n=$(readlink /proc/self/ns/$n); done
	cat /proc/self/cgroup') 2>&1 || fail "ctrrun --rm: $out"
echo "$out"
echo "$out" | grep -qx 'pid=1 host=inside' || fail "pid 1 / hostname: $out"
for n in mnt uts ipc pid net cgroup; do
	[ "$(echo "$out" | sed -n "s/^$n=//p")" != "$(readlink /proc/self/ns/$n)" ] ||
		fail "$n namespace is the initramfs's"
done
# The escape capabilities are gone and / is the image.
# (The initramfs has /init and /scenarios; the image has neither.)
out=$(ctrrun $sec --rm "$img" sh -c '[ -e /init ] || [ -e /scenarios ] || echo image-root
	grep CapBnd /proc/1/status' 2>&1) || fail "image root: $out"
echo "$out"
echo "$out" | grep -qx image-root || fail "/ is not the image: $out"
b=$(echo "$out" | sed -n 's/^CapBnd:[[:space:]]*//p')
# docker's default set: no CAP_SYS_ADMIN (21) nor CAP_SYS_PTRACE (19), so
# no way out through mount(2) or /proc/1/root.
[ -n "$b" ] && [ $(( (0x$b >> 21) & 1 )) = 0 ] && [ $(( (0x$b >> 19) & 1 )) = 0 ] ||
	fail "CAP_SYS_ADMIN or CAP_SYS_PTRACE in the bounding set: $b"

# (e) inspect's GraphDriver against the kernel's overlay.
id=$(ctrrun $sec -d --name gd "$img" sleep 60) || fail "ctrrun -d: $id"
pid=$(ctrrun inspect -f '{{.State.Pid}}' gd)
lower=$(ctrrun inspect -f '{{.GraphDriver.Data.LowerDir}}' gd)
upper=$(ctrrun inspect -f '{{.GraphDriver.Data.UpperDir}}' gd)
work=$(ctrrun inspect -f '{{.GraphDriver.Data.WorkDir}}' gd)
merged=$(ctrrun inspect -f '{{.GraphDriver.Data.MergedDir}}' gd)
mi=$(awk '$5 == "/" { for (i = 7; $i != "-"; i++); print $(i + 1), $(i + 3) }' /proc/$pid/mountinfo)
echo "inspect: lower=$lower upper=$upper work=$work merged=$merged"
echo "mountinfo of $pid: $mi"
opts=${mi#* }
k_lower=$(echo "$opts" | tr ',' '\n' | sed -n 's/^lowerdir+\{0,1\}=//p' | paste -sd: -)
k_upper=$(echo "$opts" | tr ',' '\n' | sed -n 's/^upperdir=//p')
k_work=$(echo "$opts" | tr ',' '\n' | sed -n 's/^workdir=//p')
ctrrun rm -f gd >/dev/null 2>&1
[ "${mi%% *}" = overlay ] || fail "the container's / is not an overlay: $mi"
[ "$lower" = "$img" ] && [ "$k_lower" = "$lower" ] || fail "LowerDir $lower, kernel $k_lower"
[ "$k_upper" = "$upper" ] || fail "UpperDir $upper, kernel $k_upper"
[ "$k_work" = "$work" ] || fail "WorkDir $work, kernel $k_work"
[ "$merged" = "$(dirname "$upper")/merged" ] || fail "MergedDir $merged"

# Nothing left: mounts, cgroups, state.
[ "$(awk '{ print $5 }' /proc/self/mountinfo | sort | md5sum)" = "$mounts0" ] ||
	fail "mounts left: $(cat /proc/self/mountinfo)"
[ "$(ls -A /run/ctrbox 2>/dev/null)" = "$state0" ] || fail "state left in /run/ctrbox: $(ls -A /run/ctrbox)"
find /sys/fs/cgroup -path '*/ctrbox/*' -type d | grep . && fail "container cgroups left"
for d in $(find /sys/fs/cgroup -name ctrbox -type d); do
	echo "$cgp0" | grep -qx "$d" || rmdir "$d" || fail "rmdir $d"
done
echo "ctrrun-initramfs: ok"
exit 0
