#!/bin/sh
# ovlmount with 500 lower layers of long absolute paths in the VM: 6.1 has no
# fsconfig "lowerdir+" and the list is ~60 KiB, far over mount(2)'s one page,
# so ovlmount falls back to short links (Docker overlay2's trick). The top
# layer wins, --inspect reads the real paths back, -U removes the links.
# vm-timeout: 90
fail() { echo "FAIL: $*"; exit 1; }
d=$PWD
trap 'umount -l "$d/m" 2>/dev/null; :' EXIT
grep -qw overlay /proc/filesystems || { echo "overlay not available"; exit 77; }

base=$d/a-rather-long-directory-name-to-fill-the-page-1/a-rather-long-directory-name-to-fill-the-page-2/layers
mkdir -p "$base"
L=
i=0
while [ $i -lt 500 ]; do
	l=$base/layer-number-$i
	mkdir "$l"
	echo $i >"$l/who"
	: >"$l/only-$i"
	L=$L${L:+:}$l
	i=$((i + 1))
done
[ ${#L} -gt 40000 ] || fail "paths too short"
ovlmount -v -l "$L" -u "$d/up" -w "$d/wk" "$d/m" 2>err || fail "mount: $(cat err)"
case $(uname -r) in
6.1.*) [ "$(cat err)" = "ovlmount: mounted 500 lower layer(s) on $d/m (mount(2) data with short links)" ] ||
	fail "6.1 took another path: $(cat err)" ;;
esac
[ "$(cat m/who)" = 0 ] || fail "top layer lost: $(cat m/who)"
[ "$(ls m | grep -c '^only-')" = 500 ] || fail "not 500 layers: $(ls m | grep -c '^only-')"
echo new >m/who
[ "$(cat up/who)" = new ] || fail "upper"
out=$(ovlmount --inspect m) || fail "inspect"
[ "$out" = "{\"Name\":\"overlay\",\"Data\":{\"LowerDir\":\"$L\",\"UpperDir\":\"$d/up\",\"WorkDir\":\"$d/wk\",\"MergedDir\":\"$d/m\"}}" ] ||
	fail "inspect: $(echo "$out" | cut -c1-300)"
ovlmount -U m
awk -v p="$d/m" '$5 == p { f = 1 } END { exit !f }' /proc/self/mountinfo && fail "still mounted"
[ ! -e .ovlmount.m ] || fail "link dir left behind"

# 500 short names under one long parent: relative to it, through one link
p=$d/a-rather-long-directory-name-to-fill-the-page-1/short
mkdir -p "$p"
S=
i=0
while [ $i -lt 500 ]; do
	mkdir "$p/$i"
	echo $i >"$p/$i/who"
	S=$S${S:+:}$p/$i
	i=$((i + 1))
done
ovlmount -v -l "$S" m 2>err || fail "mount: $(cat err)"
case $(uname -r) in
6.1.*) [ "$(cat err)" = "ovlmount: mounted 500 lower layer(s) on m (mount(2) data relative to the layers' parent)" ] ||
	fail "6.1 took another path: $(cat err)" ;;
esac
[ "$(cat m/who)" = 0 ] || fail "relative: top layer lost"
[ "$(ovlmount --inspect m)" = "{\"Name\":\"overlay\",\"Data\":{\"LowerDir\":\"$S\",\"MergedDir\":\"$d/m\"}}" ] ||
	fail "relative: inspect"
ovlmount -U m
[ ! -e .ovlmount.m ] && [ ! -L .ovlmount.m ] || fail "link left behind"

# a handful of layers fits one page: plain mount(2) data, no links
ovlmount -v -l "$base/layer-number-1:$base/layer-number-2:$base/layer-number-3" m 2>err
case $(uname -r) in
6.1.*) [ "$(cat err)" = "ovlmount: mounted 3 lower layer(s) on m (mount(2) data)" ] ||
	fail "3 layers: $(cat err)" ;;
esac
[ "$(cat m/who)" = 1 ] || fail "3 layers: top"
ovlmount -U m
exit 0
