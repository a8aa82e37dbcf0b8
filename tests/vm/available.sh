#!/bin/sh
# Exit 0 when the VM rig can run here: qemu and a Debian kernel are present.
command -v qemu-system-x86_64 >/dev/null 2>&1 || exit 1
ls /boot/vmlinuz-* >/dev/null 2>&1 || exit 1
