#!/bin/sh
# tests/vm/available.sh [ARCH]: exit 0 when the VM rig can run here for ARCH
# (default x86_64): qemu and a Debian kernel (for aarch64: qemu-user, the
# cross compiler and apt knowing arm64's kernel, which tests/vm/fetch.sh gets).
case ${1:-x86_64} in
x86_64)
	command -v qemu-system-x86_64 >/dev/null 2>&1 || exit 1
	ls /boot/vmlinuz-* >/dev/null 2>&1 || exit 1
	;;
aarch64)
	for c in qemu-system-aarch64 qemu-aarch64-static aarch64-linux-musl-gcc; do
		command -v $c >/dev/null 2>&1 || exit 1
	done
	top=$(cd "$(dirname "$0")/../.." && pwd)
	ls "$top"/build/vm-aarch64/debroot/boot/vmlinuz-* >/dev/null 2>&1 ||
		apt-cache show linux-image-arm64:arm64 >/dev/null 2>&1 || exit 1
	;;
*)
	exit 1
	;;
esac
