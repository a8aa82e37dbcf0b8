# pivot-initramfs: the VM's root is the initramfs, which pivot_root(2) refuses
# (EINVAL). pivot must still give a root that the handout's escape program
# cannot leave: it moves the new root over /, chroots and drops the escape
# capabilities, and says so. --chroot, for comparison, is escaped.
set -u
fail() { echo "pivot-initramfs: FAIL: $*"; exit 1; }
# The file an applet or tool name runs (busybox ash's command -v may answer
# with the bare name of an applet).
path_of() {
	for d in $(echo "$PATH" | tr : ' '); do
		[ -x "$d/$1" ] && [ ! -d "$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	return 1
}

esc=$SCENARIO_BIN/pivot-escape
[ -x "$esc" ] || { echo "pivot-initramfs: no $esc"; exit 77; }
bb=$(path_of busybox) || { echo "pivot-initramfs: no busybox"; exit 77; }
grep -q ' / / .* - rootfs ' /proc/self/mountinfo ||
	awk '$5 == "/" && $1 == $2 { f = 1 } END { exit !f }' /proc/self/mountinfo ||
	{ echo "pivot-initramfs: the root is not the initramfs here"; exit 77; }

scratch=$(pwd)
r=$scratch/root
cleanup() { cd /; rm -rf "$r" "$scratch/marker"; }
trap cleanup EXIT
mkdir -p "$r/bin"
cp "$bb" "$r/bin/busybox"
for a in sh cat ls grep cut; do ln -s busybox "$r/bin/$a"; done
cp "$esc" "$r/escape"
echo "initramfs secret" >"$scratch/marker"
echo inside >"$r/myfile"

# The plain chroot is escaped: the program reads the marker outside.
out=$(pivot --chroot "$r" /escape /bin/cat "$scratch/marker" 2>/dev/null)
[ "$out" = "initramfs secret" ] || fail "--chroot: escape did not reach the marker: '$out'"
echo "pivot-initramfs: --chroot is escaped, as expected"

# pivot: the escape stays inside, and pivot says what it did.
out=$(pivot "$r" /escape /bin/sh -c "cat $scratch/marker; cat /myfile" 2>"$scratch/err")
st=$?
grep -q "the current root is the initramfs, which pivot_root(2) refuses: moved $r over / and chrooted" \
	"$scratch/err" || fail "no initramfs notice: $(cat "$scratch/err")"
[ "$out" = inside ] || fail "escape: got '$out' (status $st)"
grep -q "escape: chroot .xx: Operation not permitted" "$scratch/err" ||
	fail "chroot(2) was still permitted: $(cat "$scratch/err")"
echo "pivot-initramfs: the escape program stayed inside"

# The capabilities are gone from the bounding set, and /proc/1/root (init's
# root, the initramfs) is closed without CAP_SYS_PTRACE.
out=$(pivot --proc --dev "$r" /bin/sh -c '
	b=$(grep CapBnd /proc/self/status | cut -f2)
	e=$(grep CapEff /proc/self/status | cut -f2)
	echo $(( (0x$b >> 18) & 1 )) $(( (0x$b >> 21) & 1 )) $(( (0x$b >> 19) & 1 )) $(( (0x$e >> 21) & 1 ))
	ls /proc/1/root/ >/dev/null 2>&1 && echo init-root-open
	echo x >/dev/null && echo dev-ok' 2>/dev/null)
[ "$out" = "$(printf '0 0 0 0\ndev-ok')" ] || fail "capabilities or /proc/1/root: '$out'"
echo "pivot-initramfs: CAP_SYS_CHROOT, CAP_SYS_ADMIN, CAP_SYS_PTRACE dropped; /proc/1/root closed"

# --keep-old cannot keep the initramfs: an error, and nothing left behind.
out=$(pivot --keep-old /old "$r" /bin/true 2>&1)
[ $? -eq 1 ] || fail "--keep-old on the initramfs did not fail"
[ "$out" = "pivot: --keep-old: the current root is the initramfs, it cannot be kept" ] ||
	fail "--keep-old message: '$out'"
[ ! -e "$r/old" ] || fail "--keep-old left $r/old"
grep -q " $r" /proc/self/mountinfo && fail "mounts left under $r"
echo "pivot-initramfs: ok"
exit 0
