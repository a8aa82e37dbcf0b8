#!/bin/sh
# The rig itself: the variant's cgroup layout, the overlay module, the root is
# the initramfs, ctrbox's applets come from ctrbox (never busybox), and the
# scenario contract (empty scratch dir, CGROUP_VERSION, SCENARIO_BIN).
fail() { echo "FAIL: $*"; exit 1; }

[ -z "$(ls -A .)" ] || fail "scratch dir $PWD is not empty"
case $PWD in /tmp/*) ;; *) fail "scratch dir $PWD not under /tmp" ;; esac
[ -d "$SCENARIO_BIN" ] || fail "SCENARIO_BIN=$SCENARIO_BIN is not a directory"

# The root is the kernel's rootfs, and /tmp a tmpfs.
awk '$5 == "/" { print $9; exit }' /proc/self/mountinfo | grep -qx rootfs ||
	fail "/ is not rootfs: $(awk '$5 == "/"' /proc/self/mountinfo)"
awk '$5 == "/tmp" { print $9 }' /proc/self/mountinfo | grep -qx tmpfs || fail "/tmp is not a tmpfs"

grep -qw overlay /proc/filesystems || fail "overlay not registered (insmod overlay.ko failed?)"

cg=/sys/fs/cgroup
case $CGROUP_VERSION in
2)
	awk '$5 == "/sys/fs/cgroup" { print $9 }' /proc/self/mountinfo | grep -qx cgroup2 ||
		fail "no cgroup2 on $cg"
	for c in cpu cpuset memory pids; do
		grep -qw $c $cg/cgroup.subtree_control || fail "$c not in $cg/cgroup.subtree_control"
	done
	grep -qw cgroup /proc/self/mounts && awk '$3 == "cgroup"' /proc/self/mounts | grep -q . &&
		fail "a v1 hierarchy is mounted"
	;;
1)
	awk '$5 == "/sys/fs/cgroup" { print $9 }' /proc/self/mountinfo | grep -qx tmpfs ||
		fail "no tmpfs on $cg"
	for c in cpu,cpuacct cpuset memory pids; do
		opts=$(awk -v m="$cg/$c" '$5 == m && $9 == "cgroup" { print $NF }' /proc/self/mountinfo)
		[ -n "$opts" ] || fail "no v1 hierarchy at $cg/$c"
		for one in $(echo $c | tr , ' '); do
			case ",$opts," in *",$one,"*) ;; *) fail "$cg/$c lacks $one: $opts" ;; esac
		done
	done
	[ "$(readlink $cg/cpu)" = cpu,cpuacct ] && [ "$(readlink $cg/cpuacct)" = cpu,cpuacct ] ||
		fail "cpu and cpuacct are not symlinks to cpu,cpuacct"
	[ -f $cg/cpu/cpu.cfs_quota_us ] || fail "no cpu.cfs_quota_us"
	awk '$9 == "cgroup2"' /proc/self/mountinfo | grep -q . && fail "cgroup2 is mounted"
	;;
*)
	fail "CGROUP_VERSION=$CGROUP_VERSION"
	;;
esac

# Every ctrbox applet is found on PATH as ctrbox's link, and the shell runs it
# rather than a busybox applet of the same name.
apps=$(ctrbox --list) || fail "ctrbox --list failed"
[ -n "$apps" ] || fail "ctrbox --list printed nothing"
for a in $apps; do
	p=$(command -v "$a") || fail "$a not found on PATH"
	[ "$p" = "/bin/$a" ] || fail "$a resolves to $p, not /bin/$a"
	[ "$(readlink "/bin/$a")" = ctrbox ] || fail "/bin/$a is not a link to ctrbox"
done
# Not through busybox's own applet runners either (sh, env), while an
# explicit "busybox NAME" still is busybox's.
bbapps=" $(/bin/busybox --list | tr '\n' ' ') "
case $bbapps in *" unshare "*) ;; *) fail "busybox --list: $bbapps" ;; esac
[ "$(command -v busybox)" = /bin/busybox ] || fail "busybox resolves to $(command -v busybox)"
[ "$(readlink /bin/sh)" = bb ] || fail "/bin/sh is not the rig's busybox copy"
for a in $apps; do
	case $($a --help 2>&1) in *BusyBox*) fail "$a --help is busybox's" ;; esac
	case $(env $a --help 2>&1) in *BusyBox*) fail "env $a --help is busybox's" ;; esac
	case $bbapps in
	*" $a "*)
		case $(busybox $a --help 2>&1) in
		*BusyBox*) ;;
		*) fail "busybox $a --help is not busybox's" ;;
		esac
		;;
	esac
done
exit 0
