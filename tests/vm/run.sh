#!/bin/sh
# tests/vm/run.sh CTRBOX [SCENARIO.sh ...]: the VM rig (issue 3).
#
# Builds an initramfs holding CTRBOX with its applet links, busybox-static for
# the shell and the other tools, overlay.ko and the scenarios, then boots
# Debian's kernel on it under qemu, once per cgroup variant (v2: cgroup2 at
# /sys/fs/cgroup; v1: cpu,cpuacct / cpuset / memory / pids hierarchies), and
# prints each scenario's result as a TAP line naming the variant. The root
# stays the initramfs (the kernel's rootfs), as on a rescue system.
# Scenarios given on the command line replace tests/vm/scenarios/*.sh.
# After the scenarios, each variant runs the bats files tests/vm/bats.list
# names for it, with a static bash and Debian's bats-core in the initramfs;
# each test is a TAP line "ok N - v2 FILE: NAME". Exit status 0 only when
# every scenario and test passed (or skipped) in every variant.
#
# Environment:
#   VM_ARCH=x86_64        or aarch64 (qemu-system-aarch64 -M virt, TCG; the
#                         arm64 kernel, busybox and bash are fetched with
#                         tests/vm/fetch.sh; CTRBOX must be an aarch64 build),
#                         or armhf (qemu-system-arm -M virt, armmp-lpae kernel)
#   VM_VARIANTS="2 1"     cgroup variants to boot (in this order)
#   VM_BATS=SET           the bats files of tests/vm/bats.list to run: "test"
#                         (default; none when scenarios are given on the
#                         command line), "full" (every line), "none", or a
#                         list of bats files (run in every variant)
#   VM_HOST_TOOLS="unshare nsenter lsns jq ..."  host tools (and their
#                         libraries) in the guest's /usr/bin for the bats files
#                         (x86_64 only; default: util-linux's and cgroup-tools'
#                         peers, jq, ip, strace, ..., dash as sh, coreutils)
#   VM_BATS_TIMEOUT=300   seconds one bats file may take inside the VM (the
#                         boot's bound grows by as much for each)
#   VM_TIMEOUT=90         seconds a boot may take before qemu is killed, plus
#                         the seconds of every "# vm-timeout: SECS" scenario
#   VM_SCENARIO_TIMEOUT=30  seconds one scenario may take inside the VM
#   VM_PARALLEL=1         boot the variants at the same time (0: one by one)
#   VM_KERNEL=/boot/vmlinuz-VERSION   default: the newest in /boot
#   VM_PVH=1              boot the extracted vmlinux through PVH (0: bzImage)
#   VM_ACCEL=             kvm or tcg; default: kvm only when it really works
#   VM_RETRIES=1          boots again when a boot gave no result line
#   VM_DIR=build/vm       initramfs, serial logs (v2.log, v2.failed-1.log)
set -u

# A rig that cannot run says so as a TAP failure: tests/run.sh counts those.
die() { echo "not ok 1 - vm rig: $*"; exit 2; }
[ $# -ge 1 ] || die "usage: tests/vm/run.sh CTRBOX [SCENARIO.sh ...]"
ctrbox=$(realpath "$1") || die "no such file: $1"
shift
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
arch=${VM_ARCH:-x86_64}
case $arch in
x86_64)  deb_arch=amd64 runner="" cc=${VM_CC:-musl-gcc} qemu=qemu-system-x86_64
         console=ttyS0 suffix="" ;;
aarch64) deb_arch=arm64 runner=qemu-aarch64-static cc=${VM_CC:-aarch64-linux-musl-gcc}
         qemu=qemu-system-aarch64 console=ttyAMA0 suffix=-aarch64 ;;
armhf)   deb_arch=armhf runner=qemu-arm-static cc=${VM_CC:-arm-linux-musleabihf-gcc}
         qemu=qemu-system-arm console=ttyAMA0 suffix=-armhf ;;
*)       die "VM_ARCH: x86_64, aarch64 or armhf" ;;
esac
out=${VM_DIR:-$top/build/vm$suffix}
cache=$top/build/vm$suffix
variants=${VM_VARIANTS:-2 1}
mkdir -p "$out" "$cache" || die "cannot make $out"
out=$(cd "$out" && pwd)

if [ $# -gt 0 ]; then
	scenarios=$*
else
	scenarios=$(ls "$here"/scenarios/*.sh 2>/dev/null)
fi
[ -n "$scenarios" ] || die "no scenarios"
for s in $scenarios; do
	[ -f "$s" ] || die "no such scenario: $s"
done

# Bats files: "FILE VARIANTS" lines for /tests/bats.list in the guest.
bats_set=${VM_BATS-test}
[ $# -gt 0 ] && bats_set=${VM_BATS-none}
case $bats_set in
none|"") bats_lines="" ;;
test|full)
	bats_lines=$(sed 's/#.*//' "$here/bats.list" | awk -v set="$bats_set" -v arch="$arch" '
		NF >= 3 && (set == "full" || $NF == "test") {
			if (!($1 in vs)) { order[++n] = $1; vs[$1] = "" }
			for (i = 2; i < NF; i++) {
				t = $i
				if (t ~ /:/) { if (substr(t, 1, index(t, ":") - 1) != arch) continue
					t = substr(t, index(t, ":") + 1) }
				vs[$1] = vs[$1] " " t
			}
		}
		END { for (i = 1; i <= n; i++) if (vs[order[i]] != "") print order[i] vs[order[i]] }') ;;
*)
	bats_lines=$(for f in $bats_set; do
		[ -f "$f" ] || [ -f "$top/tests/$f" ] || { echo "!$f"; continue; }
		echo "${f##*/} v1 v2"; done)
	case $bats_lines in *!*) die "no such bats file: $(echo "$bats_lines" | sed -n 's/^!//p')" ;; esac
	;;
esac
for f in $(echo "$bats_lines" | awk '{ print $1 }'); do
	[ -f "$top/tests/$f" ] || die "tests/vm/bats.list: no such file: tests/$f"
done
# Each bats file may take VM_BATS_TIMEOUT more.
nfiles=$(echo "$bats_lines" | grep -c .)
# A scenario that asks for more time ("# vm-timeout: SECS", read by /init)
# extends the boot's bound by as much.
extra=$(sed -n 's/^# vm-timeout: *\([0-9][0-9]*\) *$/\1/p' $scenarios |
	awk '{ n += $1 } END { print n + 0 }')
timeout=${VM_TIMEOUT:-$((90 + extra + nfiles * ${VM_BATS_TIMEOUT:-300}))}

# ---- kernel --------------------------------------------------------------
# The host's own architecture: Debian's kernel in /boot, busybox and bash from
# PATH. Another: Debian's packages of that architecture, unpacked in
# $cache/debroot by tests/vm/fetch.sh (apt-get download, no install).
if [ "$arch" = x86_64 ]; then
	sysroot=""
else
	sysroot=$cache/debroot
	ls "$sysroot"/boot/vmlinuz-* >/dev/null 2>&1 ||
		sh "$here/fetch.sh" "$deb_arch" "$sysroot" >&2 ||
		die "no $deb_arch kernel (tests/vm/fetch.sh $deb_arch $sysroot failed)"
	command -v "$runner" >/dev/null || die "no $runner (Debian: qemu-user-static)"
fi
command -v "$qemu" >/dev/null || die "no $qemu"
kernel=${VM_KERNEL:-$(ls -v "$sysroot"/boot/vmlinuz-* 2>/dev/null | tail -n 1)}
[ -f "$kernel" ] || die "no kernel in $sysroot/boot (Debian: apt-get install linux-image-$deb_arch)"
kver=${kernel##*/vmlinuz-}
moddir=$sysroot/lib/modules/$kver
[ -d "$moddir" ] || die "no modules for $kver in $moddir"

# Booting the uncompressed ELF through PVH skips the in-guest decompression.
# (arm64's vmlinuz is an uncompressed Image already; armhf's a zImage.)
boot_image=$kernel how=bzImage
[ "$arch" = x86_64 ] || how=Image
[ "$arch" = armhf ] && how=zImage
if [ "$arch" = x86_64 ] && [ "${VM_PVH:-1}" = 1 ] &&
   grep -qx CONFIG_PVH=y "/boot/config-$kver" 2>/dev/null; then
	vmlinux=$cache/vmlinux-$kver
	if [ ! -s "$vmlinux" ] || [ "$kernel" -nt "$vmlinux" ]; then
		sh "$here/vmlinux.sh" "$kernel" "$vmlinux" || rm -f "$vmlinux"
	fi
	[ -s "$vmlinux" ] && boot_image=$vmlinux how=pvh
fi

# KVM only when it really works: a /dev/kvm we can open, hardware
# virtualisation in cpuinfo and the vendor module present. A software /dev/kvm
# without them dies with "emulation failure" on this kernel.
accel=${VM_ACCEL:-}
[ "$arch" = x86_64 ] || accel=${accel:-tcg}
if [ -z "$accel" ]; then
	accel=tcg
	if [ -r /dev/kvm ] && [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo &&
	   { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; then
		accel=kvm
	fi
fi
case $accel in
kvm) qemu_accel="-accel kvm -cpu host" ;;
# Multi-threaded TCG froze now and then at a CPU-quota write; one thread never did.
tcg) qemu_accel="-accel tcg,thread=single -cpu qemu64" ;;
*)   die "VM_ACCEL: kvm or tcg" ;;
esac
case $arch in
x86_64)  qemu_accel="-M pc $qemu_accel" ;;
aarch64) [ "$accel" = tcg ] || die "VM_ACCEL: only tcg for aarch64"
         qemu_accel="-M virt -accel tcg,thread=single -cpu cortex-a57" ;;
# Debian's armmp-lpae kernel: a Cortex-A15 has LPAE. It stalled before /init
# with highmem (RAM above 4 GiB) on, and with 2 CPUs.
armhf)   [ "$accel" = tcg ] || die "VM_ACCEL: only tcg for armhf"
         qemu_accel="-M virt,highmem=off -accel tcg,thread=single -cpu cortex-a15"
         smp=1 ;;
esac

# ---- initramfs -----------------------------------------------------------
stage=$out/root
rm -rf "$stage"
mkdir -p "$stage"/bin "$stage"/etc "$stage"/proc "$stage"/sys "$stage"/tmp \
	"$stage"/run "$stage"/root "$stage"/usr "$stage"/scenarios/bin || exit 2
ln -s bin "$stage"/sbin
ln -s ../bin "$stage"/usr/bin
ln -s ../bin "$stage"/usr/sbin
cp "$here/init" "$stage/init" && chmod 755 "$stage/init" || exit 2
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$stage/etc/group"
echo ctrbox-vm >"$stage/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 ctrbox-vm\n' >"$stage/etc/hosts"

# ctrbox first: every applet it has is a link to it in /bin.
cp "$ctrbox" "$stage/bin/ctrbox" || exit 2
applets=$($runner "$ctrbox" --list) || die "$ctrbox --list failed (VM_ARCH=$arch?)"
for a in $applets; do
	ln -s ctrbox "$stage/bin/$a"
done

# busybox for the rest, never for a name ctrbox has. Debian's busybox-static
# is built with FEATURE_SH_STANDALONE and PREFER_APPLETS: its sh (and env,
# xargs, chroot...) run its own applets before searching PATH, so its unshare
# would shadow /bin/unshare. Every busybox link therefore points to /bin/bb, a
# copy whose applet-name table has those names renamed (last letter to '~':
# same length, and the lookup scans on from a point at or before the entry),
# so that it searches PATH for them. /bin/busybox stays Debian's own: only an
# explicit "busybox unshare" runs busybox's unshare.
if [ -n "$sysroot" ]; then
	busybox=${VM_BUSYBOX:-$sysroot/bin/busybox}
else
	busybox=${VM_BUSYBOX:-$(command -v busybox)} || die "no busybox (Debian: busybox-static)"
fi
cp "$busybox" "$stage/bin/busybox" && cp "$busybox" "$stage/bin/bb" || exit 2
# "busybox" itself too, or "busybox unshare" would run the copy.
ours=" $(echo $applets) busybox "
# "NAME NEXT" for each busybox applet, NEXT being the one after it in the
# table: the pair pins the table entry down in the binary.
$runner "$busybox" --list | awk 'NR > 1 { print p, $0 } { p = $0 } END { print p }' |
while read -r name next; do
	case $ours in
	*" $name "*)
		hit=$(LC_ALL=C grep -obUaP "\\x00\\Q$name\\E\\x00\\Q$next\\E" "$stage/bin/bb" |
			cut -d: -f1)
		[ "$(echo $hit | wc -w)" = 1 ] || die "cannot find $name in busybox's applet table"
		printf '~' | dd of="$stage/bin/bb" bs=1 seek=$((hit + ${#name})) \
			conv=notrunc status=none || exit 2
		;;
	*)
		[ -e "$stage/bin/$name" ] || ln -s bb "$stage/bin/$name" || exit 2
		;;
	esac
done || exit 2
for a in $applets busybox; do
	if env -i PATH=/nonexistent $runner "$stage/bin/bb" sh -c "command -v $a" >/dev/null 2>&1; then
		die "busybox's sh still runs its own $a"
	fi
done
[ -e "$stage/bin/sh" ] || die "busybox has no sh"

# Modules the scenarios need, from the same kernel build, insmod-ed by /init
# in the order of /etc/modules (list dependencies first: there is no modprobe
# index). Compressed ones are unpacked here: busybox insmod may not.
for m in ${VM_MODULES:-overlay}; do
	ko=$(find "$moddir/kernel" -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" | head -n 1)
	[ -n "$ko" ] || die "no module $m in $moddir"
	dst=$stage/lib/modules/$kver/${ko#"$moddir"/}
	dst=${dst%.xz}; dst=${dst%.zst}
	mkdir -p "${dst%/*}"
	case $ko in
	*.xz)  xz -dc "$ko" >"$dst" ;;
	*.zst) zstd -dcq "$ko" >"$dst" ;;
	*)     cp "$ko" "$dst" ;;
	esac || exit 2
	echo "${dst#"$stage"}" >>"$stage/etc/modules"
done

# Scenarios, and the C helpers next to them compiled static.
for s in $scenarios; do
	cp "$s" "$stage/scenarios/" || exit 2
done
for d in $(for s in $scenarios; do dirname "$(realpath "$s")"; done | sort -u); do
	for c in "$d"/*.c; do
		[ -f "$c" ] || continue
		n=${c##*/}
		$cc -static -Os -Wall -Wextra -Werror -o "$stage/scenarios/bin/${n%.c}" "$c" ||
			die "cannot compile $c"
	done
done

# Bats: the static bash as /bin/bash, bats-core in /opt/bats (its bin, lib
# and libexec), the bats files and what they load in /tests.
if [ -n "$bats_lines" ]; then
	bash=${VM_BASH:-$sysroot/bin/bash-static}
	[ -x "$bash" ] || die "no static bash $bash (Debian: bash-static${sysroot:+:$deb_arch})"
	cp "$bash" "$stage/bin/bash" || exit 2
	bats_root=${VM_BATS_ROOT:-/usr}
	[ -x "$bats_root/bin/bats" ] && [ -d "$bats_root/libexec/bats-core" ] ||
		die "no bats-core in $bats_root (Debian: bats)"
	mkdir -p "$stage/opt/bats/bin" "$stage/opt/bats/lib" "$stage/opt/bats/libexec" "$stage/tests" &&
	cp "$bats_root/bin/bats" "$stage/opt/bats/bin/" &&
	cp -r "$bats_root/lib/bats-core" "$stage/opt/bats/lib/" &&
	cp -r "$bats_root/libexec/bats-core" "$stage/opt/bats/libexec/" || exit 2
	echo "$bats_lines" >"$stage/tests/bats.list"
	for f in $(echo "$bats_lines" | awk '{ print $1 }'); do
		cp "$top/tests/$f" "$stage/tests/" || exit 2
	done
	cp "$top"/tests/*.bash "$stage/tests/" || exit 2
	# On the host's own architecture, the host tools the bats files compare
	# with or call (util-linux, cgroup-tools, jq, ...) go to /usr/bin with
	# their shared libraries, as on the host; every other /usr/bin name links
	# to /bin. The bats files run with PATH=/usr/bin:/bin. A tool the host
	# lacks is left out: its tests skip as they do on the host.
	if [ -z "$sysroot" ]; then
		rm "$stage/usr/bin" && mkdir "$stage/usr/bin" || exit 2
		: >"$out/libs"
		for f in "$stage"/bin/*; do
			ln -s "../../bin/${f##*/}" "$stage/usr/bin/${f##*/}"
		done
		# Debian's sh (dash), coreutils and the other everyday tools too:
		# the tests expect their output and process trees, not busybox's.
		everyday="sh diff find xargs grep sed awk ps pgrep pkill
			$(dpkg -L coreutils 2>/dev/null | sed -n 's|^/\(usr/\)\{0,1\}bin/\([^/]*\)$|\2|p')"
		for t in ${VM_HOST_TOOLS-unshare nsenter lsns setpriv script findmnt mount umount
		           cgget cgset cgexec cgcreate cgdelete jq ip strace file getent capsh ping ldd perl
		           $everyday}; do
			# The file, not a shell builtin of the same name.
			for p in /usr/bin/$t /usr/sbin/$t /bin/$t /sbin/$t ""; do
				[ -f "$p" ] && [ -x "$p" ] && break
			done
			[ -n "$p" ] || continue
			rm -f "$stage/usr/bin/$t" && cp -L "$p" "$stage/usr/bin/$t" ||
				die "cannot copy $p into the initramfs"
			ldd "$p" 2>/dev/null | awk '/=> \// { print $3 } /^\t\// { print $1 }' >>"$out/libs"
		done
		for lib in $(sort -u "$out/libs"); do
			mkdir -p "$stage${lib%/*}" && cp -L "$lib" "$stage$lib" ||
				die "cannot copy $lib into the initramfs"
		done
		rm -f "$out/libs"
		# file(1)'s magic database.
		if [ -f /usr/lib/file/magic.mgc ]; then
			mkdir -p "$stage/usr/lib/file" "$stage/usr/share/misc" &&
			cp /usr/lib/file/magic.mgc "$stage/usr/lib/file/" &&
			ln -s ../../lib/file/magic.mgc "$stage/usr/share/misc/magic.mgc" || exit 2
		fi
	fi
fi

# /dev/console must exist before /init runs, or init has no stdio. A cpio
# newc entry is a text header, so write that archive here (no mknod, no root)
# and put it in front of the one cpio makes of the staging directory.
newc() { # NAME MODE RDEVMAJOR RDEVMINOR INODE
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%s\0' \
		"$5" "$2" 0 0 1 0 0 0 0 "$3" "$4" $((${#1} + 1)) 0 "$1"
	head -c $(( (4 - (110 + ${#1} + 1) % 4) % 4 )) /dev/zero
}
initrd=$out/initramfs.cpio.gz
{
	newc dev $((0040755)) 0 0 1
	newc dev/console $((0020600)) 5 1 2
	newc TRAILER!!! 0 0 0 0
	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet)
} | gzip -1 >"$initrd" || die "cannot write $initrd"

# ---- boot ----------------------------------------------------------------
# boot VARIANT LOG: one qemu run; its serial console goes to LOG. Prints the
# elapsed seconds. Killed by PID after $timeout s, or when the kernel panics.
boot() {
	args="console=$console quiet panic=-1 nokaslr CGROUP_VERSION=$1"
	args="$args SCENARIO_TIMEOUT=${VM_SCENARIO_TIMEOUT:-30} BATS_TIMEOUT=${VM_BATS_TIMEOUT:-300}"
	[ "$arch" = x86_64 ] || args="$args VM_ARCH=$arch"
	[ "$1" = 2 ] && args="$args cgroup_no_v1=all"
	rm -f "$2"
	t0=$(date +%s.%N)
	# shellcheck disable=SC2086
	$qemu $qemu_accel -m 512 -smp ${smp:-2} -no-reboot \
		-nodefaults -no-user-config -display none -monitor none \
		-serial "file:$2" -kernel "$boot_image" -initrd "$initrd" \
		-append "$args" </dev/null >"$2.qemu" 2>&1 &
	qpid=$!
	echo $qpid >"$2.pid"
	limit=$(( $(date +%s) + timeout ))
	done_at=""
	while kill -0 $qpid 2>/dev/null; do
		now=$(date +%s)
		if [ "$now" -ge "$limit" ]; then
			echo "rig: timeout: qemu killed after $timeout s" >>"$2"
			kill -KILL $qpid
			break
		fi
		if grep -q 'Kernel panic' "$2" 2>/dev/null; then
			# panic=-1 reboots at once and -no-reboot ends qemu: this is a backstop.
			sleep 2
			kill -KILL $qpid 2>/dev/null
			break
		fi
		# Powered off within seconds of the marker, or it hangs.
		if [ -z "$done_at" ] && grep -q '^ctrbox-vm: done' "$2" 2>/dev/null; then
			done_at=$now
		elif [ -n "$done_at" ] && [ $((now - done_at)) -gt 10 ]; then
			echo "rig: qemu still running 10 s after the last result: killed" >>"$2"
			kill -KILL $qpid
			break
		fi
		sleep 0.2
	done
	wait $qpid 2>/dev/null
	rm -f "$2.pid"
	cat "$2.qemu" >>"$2"
	rm -f "$2.qemu"
	echo "$t0 $(date +%s.%N)" | awk '{ printf "%.1f\n", $2 - $1 }'
}

# variant V: boot (retried once when no result line came), then write the
# variant's TAP lines (numbered from 1) to $out/vV.tap and its status to
# $out/vV.status.
nscen=$(echo $scenarios | wc -w)
variant() {
	v=v$1 log=$out/v$1.log
	rm -f "$out/$v".failed-*.log "$out/$v.tap" "$out/$v.status"
	for attempt in $(seq 1 $((${VM_RETRIES:-1} + 1))); do
		secs=$(boot "$1" "$log")
		tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
		results=$(grep -cE '^(not )?ok [0-9]+ - ' "$log")
		if grep -q 'Kernel panic' "$log"; then
			why="kernel panic"
		elif grep -q '^rig: timeout' "$log"; then
			why="timeout after $timeout s"
		elif ! grep -q '^ctrbox-vm: done' "$log"; then
			why="no closing line"
		elif nb=$(sed -n 's/^ctrbox-vm: done .*; \([0-9]*\) bats results$/\1/p' "$log") &&
		     [ "$results" -ne $((nscen + ${nb:-0})) ]; then
			why="$results result lines for $nscen scenarios and ${nb:-0} bats results"
		else
			why=""
		fi
		[ -n "$why" ] && [ "$results" = 0 ] && [ "$attempt" -le "${VM_RETRIES:-1}" ] || break
		cp "$log" "$out/$v.failed-$attempt.log"
		echo "# $v: no result line ($why), retrying; log kept in $out/$v.failed-$attempt.log"
	done >"$out/$v.tap"
	{
		grep -E '^(not )?ok [0-9]+ - |^# ' "$log"
		if [ -n "$why" ]; then
			cp "$log" "$out/$v.failed-$attempt.log"
			echo "not ok 0 - ${suffix#-}${suffix:+-}$v boot: $why (log: $out/$v.failed-$attempt.log)"
			{ grep -m 1 'Kernel panic' "$log"; tail -n 15 "$log"; } | sed 's/^/#   /'
		fi
		echo "# ${suffix#-}${suffix:+-}$v: boot to poweroff $secs s ($accel, $how, attempt $attempt)"
	} >>"$out/$v.tap"
	if [ -z "$why" ] && ! grep -q '^not ok ' "$out/$v.tap"; then
		echo 0 >"$out/$v.status"
	else
		echo 1 >"$out/$v.status"
	fi
}

echo "# VM rig: $arch, $kernel ($how, $accel), variants: $variants, $nscen scenarios, $nfiles bats files"
pids=""
# Interrupted: the variants' subshells and their qemu go too (by PID).
trap 'kill $pids 2>/dev/null; cat "$out"/v*.log.pid 2>/dev/null | xargs -r kill -KILL; exit 130' \
	INT TERM HUP
for v in $variants; do
	case $v in 1|2) ;; *) die "VM_VARIANTS: 1 and/or 2" ;; esac
	if [ "${VM_PARALLEL:-1}" = 1 ]; then
		variant "$v" &
		pids="$pids $!"
	else
		variant "$v"
	fi
done
for p in $pids; do
	wait "$p"
done

# Renumber across variants so that the whole run is one TAP stream.
status=0
for v in $variants; do
	[ "$(cat "$out/v$v.status" 2>/dev/null)" = 0 ] || status=1
done
for v in $variants; do
	cat "$out/v$v.tap"
done | awk '/^(not )?ok [0-9]+ - / { sub(/ok [0-9]+ - /, "ok " ++n " - ") } { print }
	END { print "1.." n }'
exit $status
