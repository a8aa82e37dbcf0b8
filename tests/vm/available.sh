#!/bin/sh
# tests/vm/available.sh [ARCH]: exit 0 when the VM rig can run here for ARCH
# (default x86_64): qemu and a Debian kernel (for aarch64 and armhf: qemu-user,
# the cross compiler and apt knowing the kernel, which tests/vm/fetch.sh gets).
top=$(cd "$(dirname "$0")/../.." && pwd)
# other ARCH QEMU-SYSTEM QEMU-USER CC DEBARCH FLAVOUR
other() {
	for c in $2 $3 $4; do
		command -v $c >/dev/null 2>&1 || exit 1
	done
	ls "$top/build/vm-$1"/debroot/boot/vmlinuz-* >/dev/null 2>&1 ||
		apt-cache show "linux-image-$6:$5" >/dev/null 2>&1 || exit 1
}
case ${1:-x86_64} in
x86_64)
	command -v qemu-system-x86_64 >/dev/null 2>&1 || exit 1
	ls /boot/vmlinuz-* >/dev/null 2>&1 || exit 1
	;;
aarch64) other aarch64 qemu-system-aarch64 qemu-aarch64-static aarch64-linux-musl-gcc arm64 arm64 ;;
armhf)   other armhf qemu-system-arm qemu-arm-static arm-linux-musleabihf-gcc armhf armmp-lpae ;;
*)       exit 1 ;;
esac
