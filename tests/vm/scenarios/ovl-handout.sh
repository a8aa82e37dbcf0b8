#!/bin/sh
# ovlmount in the VM (Debian's 6.1: no fsconfig "lowerdir+", so ovlmount uses
# mount(2)): STUDY-SESSION.md 2.4 step by step with the handout's names,
# --inspect, --diff, a read-only overlay, and the errors. The scratch dir is
# on /tmp, a tmpfs (the initramfs root may lack xattrs); everything mounted
# here is unmounted on exit.
fail() { echo "FAIL: $*"; exit 1; }
d=$PWD
cleanup() {
	for m in "$d/merged" "$d/ro" "$d/t"; do
		while awk -v p="$m" '$5 == p { f = 1 } END { exit !f }' /proc/self/mountinfo; do
			umount -l "$m" || break
		done
	done
}
trap cleanup EXIT
mounted() { awk -v p="$1" '$5 == p { f = 1 } END { exit !f }' /proc/self/mountinfo; }
# check STATUS EXPECTED CMD...: exact output (stdout+stderr) and status
check() {
	want_st=$1 want=$2
	shift 2
	st=0
	out=$("$@" 2>&1) || st=$?
	[ "$st" = "$want_st" ] || fail "$*: status $st, want $want_st: $out"
	[ "$out" = "$want" ] || fail "$*: [$out], want [$want]"
}

grep -qw overlay /proc/filesystems || { echo "overlay not available"; exit 77; }

# (1) mount
mkdir lower1 lower2 upper merged work
echo "abc in lower1" >lower1/abc.txt
echo "xyz in lower2" >lower2/xyz.txt
ovlmount -v -l "$d/lower1:$d/lower2" -u "$d/upper" -w "$d/work" "$d/merged" 2>err ||
	fail "mount: $(cat err)"
case $(uname -r) in
6.1.*) [ "$(cat err)" = "ovlmount: mounted 2 lower layer(s) on $d/merged (mount(2) data)" ] ||
	fail "6.1 took another path: $(cat err)" ;;
esac
mounted "$d/merged" || fail "merged not in mountinfo"
# (2.1) both files
[ "$(ls merged | tr '\n' ' ')" = "abc.txt xyz.txt " ] || fail "merged: $(ls merged)"
# (2.2) a new file lands in upper only
echo hoge >merged/hoge.txt
[ -f upper/hoge.txt ] && [ ! -e lower1/hoge.txt ] && [ ! -e lower2/hoge.txt ] || fail "hoge.txt"
# (2.3) copy-up
echo changed >>merged/abc.txt
[ "$(cat upper/abc.txt)" = "$(printf 'abc in lower1\nchanged')" ] || fail "copy-up"
[ "$(cat lower1/abc.txt)" = "abc in lower1" ] || fail "lower1 changed"
# (2.4) whiteout
rm merged/xyz.txt
[ ! -e merged/xyz.txt ] || fail "xyz.txt still visible"
[ -c upper/xyz.txt ] || fail "upper/xyz.txt is not a char device"
[ "$(stat -c '%t,%T' upper/xyz.txt)" = "0,0" ] || fail "whiteout is not 0,0"
[ "$(cat lower2/xyz.txt)" = "xyz in lower2" ] || fail "lower2 lost its data"

# --inspect: docker's GraphDriver shape, the four paths
check 0 "{\"Name\":\"overlay\",\"Data\":{\"LowerDir\":\"$d/lower1:$d/lower2\",\"UpperDir\":\"$d/upper\",\"WorkDir\":\"$d/work\",\"MergedDir\":\"$d/merged\"}}" \
	ovlmount --inspect merged
ovlmount --list | grep -qF "\"MergedDir\":\"$d/merged\"" || fail "--list lacks merged"
# --diff, and an opaque directory
check 0 "$(printf 'C /abc.txt\nA /hoge.txt\nD /xyz.txt')" ovlmount --diff merged
mkdir -p lower2/etc && touch lower2/etc/a lower2/etc/b
rm -r merged/etc && mkdir merged/etc && touch merged/etc/new
check 0 "$(printf 'C /abc.txt\nC /etc\nD /etc/a\nD /etc/b\nA /etc/new\nA /hoge.txt\nD /xyz.txt')" \
	ovlmount --diff merged

# busy, then unmount
exec 9<merged/abc.txt
check 1 "ovlmount: cannot unmount: $d/merged: target is busy" ovlmount -U merged
exec 9<&-
ovlmount -U merged
mounted "$d/merged" && fail "still mounted"

# read-only overlay
mkdir ro
ovlmount -l lower1:lower2 ro
touch ro/new 2>/dev/null && fail "wrote to a read-only overlay"
check 0 "{\"Name\":\"overlay\",\"Data\":{\"LowerDir\":\"$d/lower1:$d/lower2\",\"MergedDir\":\"$d/ro\"}}" \
	ovlmount --inspect ro
ovlmount -U ro

# errors: exact message, status 1, nothing mounted, nothing created
n0=$(grep -c . /proc/self/mountinfo)
check 1 "ovlmount: cannot access lower directory: $d/nope: No such file or directory" \
	ovlmount -l "lower1:$d/nope" -u u2 -w w2 m2
mkdir w3 && touch w3/junk
check 1 "ovlmount: work directory is not empty: w3 (holds 'junk')" ovlmount -l lower1 -u u2 -w w3 m2
[ ! -e u2 ] && [ ! -e m2 ] || fail "created dirs left behind"
mkdir t && mount -t ramfs ramfs t
check 1 "ovlmount: upper and work directories are on different filesystems: t/u, work" \
	ovlmount -l lower1 -u t/u -w work merged
check 1 "ovlmount: upper filesystem cannot hold overlay's xattrs: t/u: no trusted.* xattr support (ramfs?)" \
	ovlmount -l lower1 -u t/u -w t/w merged
check 1 "ovlmount: not an overlay mount: $d/t" ovlmount -U t
check 1 "ovlmount: not an overlay mount: $d/t" ovlmount --inspect t
umount t
[ "$(grep -c . /proc/self/mountinfo)" = "$n0" ] || fail "mount table changed"
exit 0
