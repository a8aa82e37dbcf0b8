# pivot-plain: pivot_root(2) proper, on a root that can be pivoted. The VM's
# root is the initramfs, so this scenario first makes a pivotable one itself,
# the way switch_root does: in a private mount namespace (busybox unshare -m),
# a tmpfs with busybox, ctrbox and the escape program, moved over / and
# chrooted into. There pivot must use pivot_root(2), not the initramfs path.
set -u
fail() { echo "pivot-plain: FAIL: $*"; exit 1; }
# The file an applet or tool name runs (busybox ash's command -v may answer
# with the bare name of an applet).
path_of() {
	for d in $(echo "$PATH" | tr : ' '); do
		[ -x "$d/$1" ] && [ ! -d "$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	return 1
}

esc=$SCENARIO_BIN/pivot-escape
bb=$(path_of busybox) || { echo "pivot-plain: no busybox"; exit 77; }
ctr=$(path_of ctrbox || path_of pivot) || { echo "pivot-plain: no ctrbox"; exit 77; }
[ -x "$esc" ] || { echo "pivot-plain: no $esc"; exit 77; }
busybox unshare --help >/dev/null 2>&1 || { echo "pivot-plain: busybox has no unshare"; exit 77; }

scratch=$(pwd)
mkdir "$scratch/base"
trap 'cd /; rmdir "$scratch/base" 2>/dev/null' EXIT
echo "pivot-plain: making a pivotable root: tmpfs moved over / in a private mount namespace"

# Everything below runs in the namespace busybox unshare makes; it dies with it.
busybox unshare -m --propagation private "$bb" sh -s "$scratch/base" "$bb" "$ctr" "$esc" <<'INNER'
set -u
base=$1 bb=$2 ctr=$3 esc=$4
fail() { echo "pivot-plain: FAIL: $*"; exit 1; }
"$bb" mount -t tmpfs base "$base" || fail "mount tmpfs"
"$bb" mkdir -p "$base/bin" "$base/r/bin"
"$bb" cp "$bb" "$base/bin/busybox"
"$bb" cp "$ctr" "$base/bin/ctrbox"
"$bb" cp "$bb" "$base/r/bin/busybox"
"$bb" cp "$esc" "$base/r/escape"
for a in sh cat ls grep mkdir mount cut rmdir tr; do
	"$bb" ln -s busybox "$base/bin/$a"
	"$bb" ln -s busybox "$base/r/bin/$a"
done
"$bb" ln -s ctrbox "$base/bin/pivot"
"$bb" ln -s ctrbox "$base/bin/pivot_root"
echo "outside the new root" >"$base/marker"
echo inside >"$base/r/myfile"
cd "$base" || fail "cd"
"$bb" mount --move . / || fail "mount --move . /"
exec "$bb" chroot . /bin/sh -c '
set -u
export PATH=/bin
fail() { echo "pivot-plain: FAIL: $*"; exit 1; }
# pivot_root(2) proper: no initramfs notice, the escape stays inside.
out=$(pivot /r /escape /bin/sh -c "cat /marker; cat /myfile" 2>/tmp-err)
[ "$out" = inside ] || fail "escape under pivot: got $out: $(cat /tmp-err)"
grep -q initramfs /tmp-err && fail "took the initramfs path: $(cat /tmp-err)"
echo "pivot-plain: pivot used pivot_root(2); the escape program stayed inside"
out=$(pivot --chroot /r /escape /bin/cat /marker 2>/tmp-err)
[ "$out" = "outside the new root" ] || fail "escape under --chroot: got $out: $(cat /tmp-err)"
echo "pivot-plain: --chroot is escaped, as expected"
n=$(pivot --proc /r /bin/sh -c "cat /proc/self/mountinfo" | cut -d" " -f5 | tr "\n" " ")
[ "$n" = "/ /proc " ] || fail "mountinfo inside: $n"
echo "pivot-plain: the old root is not in mountinfo inside"
# pivot_root(8) form, in one more private namespace.
mkdir /r/old
out=$(busybox unshare -m --propagation private sh -c \
	"mount --bind /r /r && cd /r && pivot_root . old && exec /bin/cat /myfile /old/marker")
[ "$out" = "$(printf "inside\noutside the new root")" ] || fail "pivot_root(8) form: $out"
rmdir /r/old
echo "pivot-plain: pivot_root NEW_ROOT PUT_OLD works"
'
INNER
st=$?
[ $st -eq 0 ] || exit $st
echo "pivot-plain: ok"
exit 0
