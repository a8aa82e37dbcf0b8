#!/bin/sh
# Install what the tests need (with "build": only what the build needs), on
# Debian, when run as root and something is missing. Anything else: say what
# is missing and go on (tests skip).
pkgs="gcc libc6-dev make musl-tools"
[ "$1" = build ] || pkgs="$pkgs bats jq util-linux bsdutils procps iputils-ping file
      iproute2 strace libcap2-bin python3 cgroup-tools valgrind
      busybox-static cpio xz-utils qemu-system-x86 linux-image-amd64
      bash-static gcc-aarch64-linux-gnu musl-dev:arm64 qemu-system-arm qemu-user-static
      gcc-arm-linux-gnueabihf musl-dev:armhf clang libclang-rt-14-dev
      podman containerd runc"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "installing test dependencies:$missing"
	export DEBIAN_FRONTEND=noninteractive
	# aarch64, armhf (issue 12): musl-dev:ARCH, the arm64 kernel the VM rig fetches.
	for a in arm64 armhf; do
		case $missing in *:$a*)
			dpkg --print-foreign-architectures | grep -qx $a || dpkg --add-architecture $a ;;
		esac
	done
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
	echo "missing test dependencies (install them as root):$missing" >&2
fi
