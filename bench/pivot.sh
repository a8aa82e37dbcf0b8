#!/bin/sh
# bench/pivot.sh: entering a root directory and running /bin/true.
#   ctrbox pivot DIR /bin/true           mount ns + pivot_root(2), old root detached
#   util-linux unshare -m -R DIR         mount ns + chroot(2)
#   bwrap --bind DIR / /bin/true         user/mount ns, tmpfs root, bind, pivot_root
# DIR holds a static busybox as /bin/true. Target: pivot <= 0.5x bwrap.
. bench/lib.sh

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/bin"
if file -L /bin/busybox 2>/dev/null | grep -q 'statically linked'; then
	cp /bin/busybox "$dir/bin/busybox"
	ln -s busybox "$dir/bin/true"
else
	cp "$CTRBOX" "$dir/bin/true"   # exits non-zero as "true", but runs
fi

set -- ctrbox "$CTRBOX pivot $dir /bin/true"
set -- "$@" "unshare -m -R (chroot)" "/usr/bin/unshare -m -R $dir /bin/true"
have bwrap && set -- "$@" "bwrap --bind DIR /" "bwrap --bind $dir / /bin/true"
bench_compare "pivot DIR /bin/true" "$@"
