#!/bin/sh
# tests/vm/fetch.sh DEBARCH DIR: Debian's kernel (with its modules), busybox-static
# and bash-static of another architecture (arm64, armhf), unpacked into DIR
# without installing them: apt-get download, then dpkg-deb -x. Needs the
# architecture added (dpkg --add-architecture DEBARCH; apt-get update), as
# tests/install-deps.sh does.
set -eu
a=$1 dir=$2
case $a in
arm64) flavour=arm64 ;;
armhf) flavour=armmp-lpae ;;
*) echo "fetch.sh: $a: arm64 or armhf" >&2; exit 1 ;;
esac
kpkg=$(apt-cache depends "linux-image-$flavour:$a" 2>/dev/null |
	sed -n "s/^ *Depends: \(linux-image-[0-9][^:]*\).*/\1/p" | head -n 1)
[ -n "$kpkg" ] || { echo "fetch.sh: apt knows no linux-image-$flavour:$a (dpkg --add-architecture $a; apt-get update)" >&2; exit 1; }
debs=$dir.debs
rm -rf "$dir" "$debs"
mkdir -p "$dir" "$debs"
# apt's sandbox user may not write here: download as whoever we are.
(cd "$debs" && apt-get download -o APT::Sandbox::User=root \
	"$kpkg:$a" "busybox-static:$a" "bash-static:$a") >&2
for d in "$debs"/*.deb; do
	dpkg-deb -x "$d" "$dir"
done
rm -rf "$debs"
ls "$dir"/boot/vmlinuz-* >/dev/null
