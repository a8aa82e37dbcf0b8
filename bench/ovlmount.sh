#!/bin/sh
# bench/ovlmount.sh: mount + unmount of an overlay with 1, 10, 100 and 500
# lower layers (plus upper and work), ctrbox ovlmount against util-linux
# `mount -t overlay ... && umount`. Runs in a private mount namespace, so the
# machine's mount table never changes.
#
# mount(8) hands the whole lowerdir list to mount(2), one page at most: 500
# absolute paths here (~16 KiB) do not fit, so its 500-layer row cds into the
# layers' dir and uses short relative names, as Docker's overlay2 does.
# ctrbox gets absolute paths at every size; its "--legacy" row is the path
# kernels before 6.8 take (mount(2), short links over one page).
if [ -z "$OVL_BENCH_NS" ]; then
	OVL_BENCH_NS=1 exec /usr/bin/unshare -m --propagation private sh "$0" "$@"
fi
. bench/lib.sh
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null ||
	{ echo "## ovlmount: overlayfs not available, skipped"; exit 0; }

dir=$(mktemp -d /tmp/ovlbench.XXXXXX)
trap 'umount -l "$dir/m" 2>/dev/null; rm -rf "$dir"' EXIT
mkdir "$dir/layers" "$dir/m" "$dir/u" "$dir/w"
i=0
while [ $i -lt 500 ]; do
	mkdir "$dir/layers/$i"
	echo $i >"$dir/layers/$i/f"
	i=$((i + 1))
done
ovl="$CTRBOX ovlmount"
for n in 1 10 100 500; do
	abs="" rel=""
	i=0
	while [ $i -lt "$n" ]; do
		abs="$abs${abs:+:}$dir/layers/$i"
		rel="$rel${rel:+:}$i"
		i=$((i + 1))
	done
	uw="upperdir=$dir/u,workdir=$dir/w"
	if [ $((${#abs} + ${#uw} + 10)) -lt 4096 ]; then
		peer="mount -t overlay overlay -o lowerdir=$abs,$uw $dir/m && umount $dir/m"
		label="mount(8)+umount"
	else
		peer="cd $dir/layers && mount -t overlay overlay -o lowerdir=$rel,$uw $dir/m && umount $dir/m"
		label="mount(8)+umount, relative names"
	fi
	bench_compare "overlay mount+unmount, $n layer(s)" \
		"ctrbox ovlmount + -U" "sh -c '$ovl -l $abs -u $dir/u -w $dir/w $dir/m && $ovl -U $dir/m'" \
		"$label" "sh -c '$peer'" \
		"ctrbox ovlmount --legacy + -U" "sh -c '$ovl --legacy -l $abs -u $dir/u -w $dir/w $dir/m && $ovl -U $dir/m'"
done
