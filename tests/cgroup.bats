#!/usr/bin/env bats
# cgcreate, cgset, cgget, cgexec, cgdelete on whatever cgroup layout the
# machine has: cgroup v1, pure v2, or a hybrid (this development host: v1
# controllers, cgroup2 with hugetlb only at /sys/fs/cgroup/unified). Where
# each controller lives is read from /proc/self/mountinfo (cgroup-lib.bash),
# and each test checks the files of that version (cpu.max vs
# cpu.cfs_quota_us, cpu.weight vs cpu.shares, /proc/PID/cgroup's "0::" vs
# "N:cpu:" lines). The same file runs in the VM rig's v1 and v2 variants.
# Every group is ctrbox-test-*, removed at teardown; nothing else is touched
# (no root group's file is written: on v2 the root's subtree_control must
# already offer cpu, as the rig's and systemd's do).
# vm-needs: bash, bats, busybox (awk grep sed find xargs kill stat od seq tr head)
load helpers
load cgroup-lib
bats_require_minimum_version 1.5.0

teardown() { run_deferred; }

CPU=$(cg_dir cpu) VCPU=$(cg_ver cpu)
CPUACCT=$(cg_dir cpuacct)
CPUSET=$(cg_dir cpuset) VCPUSET=$(cg_ver cpuset)
MEMORY=$(cg_dir memory) VMEM=$(cg_ver memory)
PIDS=$(cg_dir pids) VPIDS=$(cg_ver pids)
V2=$(cg_v2root)
BADARGS="Wrong input parameters, try '%s --help' for more information."

setup() {
	require_root
	[ -n "$CPU" ] || skip "no cpu controller: neither a v1 hierarchy nor the cgroup2 root has it"
	# On v2 a group gets cpu only if the root offers it to its children;
	# the tests never write a root's file.
	if [ "$VCPU" = 2 ]; then
		grep -qw cpu "$CPU/cgroup.subtree_control" ||
			skip "cgroup2 root $CPU does not enable cpu for its children"
	fi
	# Never fall back to the host's cgroup-tools through PATH.
	[ -x "$CTRBOX" ]
	[ "$(command -v cgcreate)" = "$CTRBIN/cgcreate" ]
	G=ctrbox-test-$$-$BATS_TEST_NUMBER
	G2=$G-b
}

# cpu_files G QUOTA PERIOD SHARES: the kernel's files of group G hold these,
# in the form of the version cpu is on (v2: cpu.max "QUOTA PERIOD" with -1
# as max, cpu.weight of SHARES).
cpu_files() {
	if [ "$VCPU" = 1 ]; then
		[ "$(cat "$CPU/$1/cpu.cfs_quota_us")" = "$2" ] &&
		[ "$(cat "$CPU/$1/cpu.cfs_period_us")" = "$3" ] &&
		[ "$(cat "$CPU/$1/cpu.shares")" = "$4" ]
	else
		local q=$2
		[ "$q" = -1 ] && q=max
		[ "$(cat "$CPU/$1/cpu.max")" = "$q $3" ] &&
		[ "$(cat "$CPU/$1/cpu.weight")" = "$(weight_of "$4")" ]
	fi
}

# The name of a cpu knob in this version and in the other one.
if [ "$VCPU" = 1 ]; then SHARES_FILE=cpu.shares; else SHARES_FILE=cpu.weight; fi

# ---- cgcreate -------------------------------------------------------------

@test "cgcreate -g cpu,cpuacct:PATH creates the group where each lives; again is fine" {
	defer cg_rm "$G"
	run cgcreate -g cpu,cpuacct:"$G"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -d "$CPU/$G" ]
	[ -d "$CPUACCT/$G" ]
	if [ -n "$CPUSET" ] && [ "$CPUSET" != "$CPU" ]; then
		[ ! -e "$CPUSET/$G" ]
	fi
	# v2: the parent gives the group its cpu controller.
	if [ "$VCPU" = 2 ]; then
		grep -qw cpu "$CPU/$G/cgroup.controllers"
	fi
	run cgcreate -g cpu:"$G"
	[ "$status" -eq 0 ]
}

@test "cgcreate: repeated -g, nested paths with missing parents, leading slash" {
	defer cg_rm "$G"
	defer cg_rm "$G2"
	[ -n "$PIDS" ] || skip "no pids controller"
	[ "$VPIDS" = 1 ] || grep -qw pids "$PIDS/cgroup.subtree_control" ||
		skip "cgroup2 root does not enable pids"
	run cgcreate -g cpu:/"$G"/a/b -g pids:"$G2"
	[ "$status" -eq 0 ]
	[ -d "$CPU/$G/a/b" ]
	[ -d "$PIDS/$G2" ]
	# v2: cpu was enabled on the way down, in the groups this call made.
	if [ "$VCPU" = 2 ]; then
		grep -qw cpu "$CPU/$G/cgroup.subtree_control"
		grep -qw cpu "$CPU/$G/a/cgroup.subtree_control"
		grep -qw cpu "$CPU/$G/a/b/cgroup.controllers"
	fi
}

@test "cgcreate: a named hierarchy (name=systemd, name=X) is a controller" {
	local d n m
	d=$(awk '$9 == "cgroup" && $NF ~ /name=systemd/ { print $5; exit }' /proc/self/mountinfo)
	if [ -n "$d" ]; then
		defer cg_rm "$G"
		run cgcreate -g name=systemd:"$G"
		[ "$status" -eq 0 ]
		[ -d "$d/$G" ]
		return
	fi
	# None here: mount one of our own in a mount namespace, and remove the
	# group before leaving (a named hierarchy without groups goes away
	# when unmounted).
	n=ctrboxtest$$ m=$BATS_TEST_TMPDIR/named
	mkdir -p "$m"
	run unshare -m --propagation private sh -c "
		mount -t cgroup -o none,name=$n cgroup '$m' || exit 99
		'$CTRBIN/cgcreate' -g name=$n:'$G'/a || exit 1
		[ -d '$m/$G/a' ] || exit 2
		'$CTRBIN/cgdelete' -r name=$n:'$G' || exit 3
		[ ! -e '$m/$G' ] || exit 4
		umount '$m'"
	[ "$status" -ne 99 ] || skip "the kernel refuses a named v1 hierarchy here: $output"
	[ "$status" -eq 0 ]
}

@test "cgcreate: a new cpuset group can take a task (v1: parent's cpus and mems copied)" {
	[ -n "$CPUSET" ] || skip "no cpuset controller"
	[ "$VCPUSET" = 1 ] || grep -qw cpuset "$CPUSET/cgroup.subtree_control" ||
		skip "cgroup2 root does not enable cpuset"
	defer cg_rm "$G"
	run cgcreate -g cpuset:"$G"/sub
	[ "$status" -eq 0 ]
	if [ "$VCPUSET" = 1 ]; then
		[ "$(cat "$CPUSET/$G/sub/cpuset.cpus")" = "$(cat "$CPUSET/cpuset.cpus")" ]
		[ "$(cat "$CPUSET/$G/sub/cpuset.mems")" = "$(cat "$CPUSET/cpuset.mems")" ]
	else
		# v2: an empty cpuset.cpus means the parent's; cpuset is enabled.
		grep -qw cpuset "$CPUSET/$G/sub/cgroup.controllers"
	fi
	run cgexec -g cpuset:"$G"/sub sh -c 'cat /proc/$$/cgroup'
	[ "$status" -eq 0 ]
	if [ "$VCPUSET" = 1 ]; then
		[[ "$output" == *":cpuset:/$G/sub"* ]]
	else
		[[ "$output" == *"0::/$G/sub"* ]]
	fi
}

@test "cgcreate: an unknown controller is refused, nothing created" {
	defer cg_rm "$G"
	run cgcreate -g cpu,nosuchctrl:"$G"
	[ "$status" -eq 1 ]
	[ "$output" = "cgcreate: unknown controller: nosuchctrl" ]
	cg_gone "$G"
}

@test "cgcreate: a controller the kernel has but no hierarchy offers is 'not available'" {
	local c
	for c in net_cls perf_event net_prio freezer devices rdma misc; do
		grep -q "^$c[[:space:]]" /proc/cgroups && [ -z "$(cg_dir $c)" ] && break
		c=
	done
	[ -n "$c" ] || skip "every controller the kernel has is mounted"
	defer cg_rm "$G"
	run cgcreate -g cpu:"$G" -g "$c:$G"
	[ "$status" -eq 1 ]
	if [ -n "$V2" ]; then
		[ "$output" = "cgcreate: controller not available: $c: no cgroup v1 hierarchy has it and $V2/cgroup.controllers does not list it" ]
	else
		[ "$output" = "cgcreate: controller not available: $c: no cgroup v1 hierarchy has it and cgroup2 is not mounted" ]
	fi
	cg_gone "$G"
}

# in_cgns GROUP MNT CMD...: run CMD in a cgroup namespace rooted at v2 group
# GROUP (this subshell moves into it first), with the cgroup2 mount MNT
# replaced by one made there: its root is GROUP, as in a container. Status
# 99 when that root still offers a controller.
in_cgns() {
	local g=$1 m=$2
	shift 2
	echo "$BASHPID" >"$g/cgroup.procs" || return 98
	exec unshare -C -m --propagation private sh -c 'umount "$1" && mount -t cgroup2 none "$1" &&
		[ -z "$(cat "$1/cgroup.controllers")" ] || exit 99; shift; exec "$@"' sh "$m" "$@"
}

# A controller that no mounted hierarchy offers is "not available": it is
# never looked for in the other version's tree. Each layout makes the case
# its own way: where cpu is on v1, its hierarchy is hidden in a mount
# namespace (the v2 tree, mounted there when the layout has none, does not
# list cpu: the kernel binds it to v1); where the cgroup2 root lists a
# controller (cpu on v2, hugetlb on this hybrid host), a cgroup namespace
# rooted at a group whose parent enables none remounts cgroup2 with no
# controller at its root. The kernel's own file is checked first both ways.
@test "cgcreate: a controller no mounted hierarchy offers is 'not available' (v1 one hidden, v2 one outside the cgroup namespace)" {
	local r=$V2 mnt= c= ran=
	defer cg_rm "$G"
	if [ "$VCPU" = 1 ]; then
		# No cgroup2 mount (a pure v1 layout): mount one in the namespace.
		[ -n "$r" ] || { r=$BATS_TEST_TMPDIR/cg2; mkdir -p "$r"; mnt="mount -t cgroup2 none '$r' &&"; }
		run unshare -m --propagation private sh -c \
			"$mnt umount '$CPU' && grep -qw cpu '$r/cgroup.controllers' ||
			 exec '$CTRBIN/cgcreate' -g cpu:'$G'"
		[ "$status" -eq 1 ]
		[ "$output" = "cgcreate: controller not available: cpu: no cgroup v1 hierarchy has it and $r/cgroup.controllers does not list it" ]
		cg_gone "$G"
		ran=1
	fi
	if [ -n "$V2" ]; then
		if [ "$VCPU" = 2 ]; then c=cpu; else read -r c _ <"$V2/cgroup.controllers" || :; fi
	fi
	if [ -n "$c" ]; then
		# $G enables nothing for $G/ns: the namespace's root lists nothing.
		mkdir -p "$V2/$G/ns"
		[ -z "$(cat "$V2/$G/ns/cgroup.controllers")" ]
		run in_cgns "$V2/$G/ns" "$V2" "$CTRBIN/cgcreate" -g "$c":x
		[ "$status" -eq 1 ]
		[ "$output" = "cgcreate: controller not available: $c: no cgroup v1 hierarchy has it and $V2/cgroup.controllers does not list it" ]
		[ ! -e "$V2/$G/ns/x" ]
		ran=1
	fi
	# cpu is on v1 or on v2: one of the two ran.
	[ -n "$ran" ]
}

@test "cgcreate: malformed -g and paths are wrong input (status 129), the argument named" {
	local a
	for a in cpu cpu: :x "cpu,,cpuacct:$G" ",cpu:$G"; do
		run cgcreate -g "$a"
		[ "$status" -eq 129 ]
		[ "${lines[0]}" = "cgcreate: invalid group: '$a': expected CONTROLLER[,...]:PATH" ]
		[ "${lines[1]}" = "$(printf "$BADARGS" cgcreate)" ]
	done
	run cgcreate -g cpu:"$G/../x"
	[ "$status" -eq 129 ]
	[ "${lines[0]}" = "cgcreate: invalid group path: '$G/../x': Invalid argument" ]
	run cgcreate -g cpu:/
	[ "$status" -eq 1 ]
	[ "$output" = "cgcreate: can't create cgroup /: it is a hierarchy's root" ]
	run cgcreate
	[ "$status" -eq 129 ]
	[ "${lines[0]}" = "cgcreate: no group given: -g <controllers>:<path>" ]
	[ "${lines[1]}" = "$(printf "$BADARGS" cgcreate)" ]
	run cgcreate -g cpu:"$G" extra
	[ "$status" -eq 129 ]
	[ "${lines[0]}" = "cgcreate: unexpected argument 'extra'" ]
	cg_gone "$G"
}

@test "cgcreate -a/-t/-d/-f/-s set owners and modes; -b is accepted; -c (systemd scope) refused" {
	defer cg_rm "$G"
	defer cg_rm "$G"2
	run cgcreate -b -a 1:2 -t 3:4 -d 0750 -f 0640 -s 0600 -g cpu:"$G"
	[ "$status" -eq 0 ]
	[ "$(stat -c '%u:%g %a' "$CPU/$G")" = "1:2 750" ]
	[ "$(stat -c '%u:%g %a' "$CPU/$G/$SHARES_FILE")" = "1:2 640" ]
	# -t/-s are about v1's tasks file (cgroup.procs is an ordinary file
	# there, as in libcgroup), v2's cgroup.procs and cgroup.threads.
	if [ "$VCPU" = 1 ]; then
		[ "$(stat -c '%u:%g %a' "$CPU/$G/tasks")" = "3:4 600" ]
		[ "$(stat -c '%u:%g %a' "$CPU/$G/cgroup.procs")" = "1:2 640" ]
	else
		[ "$(stat -c '%u:%g %a' "$CPU/$G/cgroup.procs")" = "3:4 600" ]
		[ "$(stat -c '%u:%g %a' "$CPU/$G/cgroup.threads")" = "3:4 600" ]
	fi
	run cgcreate -d 999 -g cpu:"$G"
	[ "$status" -eq 129 ]
	[ "${lines[0]}" = "cgcreate: invalid mode '999'" ]
	run cgcreate -a nosuchuser-x: -g cpu:"$G"2
	[ "$status" -eq 1 ]
	[ "$output" = "cgcreate: can't find user 'nosuchuser-x'" ]
	# names are looked up in /etc/passwd and /etc/group (libctr/passwd.c);
	# the VM rig's initramfs has no daemon user: there only root is looked up
	if grep -q '^daemon:' /etc/passwd && grep -q '^daemon:' /etc/group; then
		run cgcreate -a daemon:daemon -t nobody: -g cpu:"$G"2
		[ "$status" -eq 0 ]
		[ "$(stat -c %u:%g "$CPU/$G"2)" = "$(id -u daemon):$(id -g daemon)" ]
	else
		run cgcreate -a root:root -t root: -g cpu:"$G"2
		[ "$status" -eq 0 ]
		[ "$(stat -c %u:%g "$CPU/$G"2)" = 0:0 ]
	fi
	rmdir "$CPU/$G"2
	run cgcreate -c -g cpu:"$G"2
	[ "$status" -eq 129 ]
	[ "${lines[0]}" = "cgcreate: option -c (systemd scopes) is not supported" ]
	run cgcreate --scope -g cpu:"$G"2
	[ "$status" -eq 129 ]
	cg_gone "$G"2
}

@test "cgcreate: a failure removes what the call created (second -g fails)" {
	defer cg_rm "$G"
	# The second group's parent is a file: mkdir fails after the first was made.
	run cgcreate -g cpu:"$G"/a -g cpu:"$G"/a/cgroup.procs/x
	[ "$status" -eq 1 ]
	[ "$output" = "cgcreate: cannot create group: $CPU/$G/a/cgroup.procs: Not a directory" ]
	cg_gone "$G"
}

# ---- cgset / cgget --------------------------------------------------------

@test "cgset -r writes the handout's values; the kernel's files hold them" {
	defer cg_rm "$G"
	cgcreate -g cpu:"$G"
	run cgset -r cpu.cfs_quota_us=10000 -r cpu.cfs_period_us=50000 -r cpu.shares=1536 "$G"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	cpu_files "$G" 10000 50000 1536
}

@test "cgset: options after the group (GNU getopt permutation), several groups, max" {
	defer cg_rm "$G"
	defer cg_rm "$G2"
	cgcreate -g cpu:"$G" -g cpu:"$G2"
	run cgset "$G" -r cpu.cfs_quota_us=20000 "$G2" -r cpu.shares=512
	[ "$status" -eq 0 ]
	cpu_files "$G" 20000 100000 512
	cpu_files "$G2" 20000 100000 512
	run cgset -r cpu.cfs_quota_us=max "$G" -- "$G2"
	[ "$status" -eq 0 ]
	cpu_files "$G" -1 100000 512
	cpu_files "$G2" -1 100000 512
	# Any negative quota is no limit, as the v1 kernel reads it.
	cgset -r cpu.cfs_quota_us=20000 "$G"
	run cgset -r cpu.cfs_quota_us=-5 "$G"
	[ "$status" -eq 0 ]
	cpu_files "$G" -1 100000 512
	# Numbers are decimal: 010 is ten (the kernel would read 8).
	run cgset -r cpu.shares=0100 -r cpu.cfs_quota_us=020000 "$G"
	[ "$status" -eq 0 ]
	cpu_files "$G" 20000 100000 100
}

@test "cgset: the other version's names are translated (cpu.max/weight on v1, cfs/shares on v2)" {
	defer cg_rm "$G"
	local c=cpu
	[ -n "$MEMORY" ] && [ "$(cg_ver memory)" = "$VCPU" ] && c=$c,memory
	[ -n "$PIDS" ] && [ "$VPIDS" = "$VCPU" ] && c=$c,pids
	if [ "$VCPU" = 2 ]; then
		for x in memory pids; do
			[[ $c == *$x* ]] && ! grep -qw $x "$CPU/cgroup.subtree_control" && c=${c/,$x/}
		done
	fi
	cgcreate -g "$c:$G"
	if [ "$VCPU" = 1 ]; then
		run cgset -r cpu.max="10000 50000" -r cpu.weight=208 "$G"
		[ "$status" -eq 0 ]
		cpu_files "$G" 10000 50000 2560
		run cgset -r cpu.max=max "$G"
		cpu_files "$G" -1 50000 2560
	else
		run cgset -r cpu.cfs_period_us=50000 -r cpu.cfs_quota_us=10000 -r cpu.shares=2560 "$G"
		[ "$status" -eq 0 ]
		[ "$(cat "$CPU/$G/cpu.max")" = "10000 50000" ]
		[ "$(cat "$CPU/$G/cpu.weight")" = 208 ]
		run cgset -r cpu.cfs_quota_us=-1 "$G"
		[ "$(cat "$CPU/$G/cpu.max")" = "max 50000" ]
	fi
	if [[ $c == *memory* ]]; then
		if [ "$VCPU" = 1 ]; then
			cgset -r memory.max=64M "$G"
			[ "$(cat "$MEMORY/$G/memory.limit_in_bytes")" = 67108864 ]
			cgset -r memory.max=-1 "$G"
			[ "$(cat "$MEMORY/$G/memory.limit_in_bytes")" = 9223372036854771712 ]
		else
			cgset -r memory.limit_in_bytes=64M "$G"
			[ "$(cat "$MEMORY/$G/memory.max")" = 67108864 ]
			cgset -r memory.limit_in_bytes=-1 "$G"
			[ "$(cat "$MEMORY/$G/memory.max")" = max ]
		fi
	fi
	if [[ $c == *pids* ]]; then
		cgset -r pids.max=7 "$G"
		[ "$(cat "$PIDS/$G/pids.max")" = 7 ]
		cgset -r pids.max=-1 "$G"
		[ "$(cat "$PIDS/$G/pids.max")" = max ]
	fi
}

@test "cgset -R: the group and every group below it, parents first; -b accepted" {
	defer cg_rm "$G"
	defer cg_rm "$G2"
	cgcreate -g cpu:"$G"/a/b -g cpu:"$G"/c -g cpu:"$G2"
	run cgset -b -R -r cpu.shares=512 "$G"
	[ "$status" -eq 0 ]
	local d
	for d in "$G" "$G"/a "$G"/a/b "$G"/c; do
		cpu_files "$d" -1 100000 512
	done
	# A sibling whose name starts the same is not below it.
	cpu_files "$G2" -1 100000 1024
	# Without -R only the group itself.
	run cgset "$G"/a -r cpu.shares=2048
	cpu_files "$G"/a -1 100000 2048
	cpu_files "$G"/a/b -1 100000 512
	# --copy-from with -R copies into the whole subtree.
	run cgset --copy-from "$G"/a -R "$G"/c
	[ "$status" -eq 0 ]
	cpu_files "$G"/c -1 100000 2048
	# Parents first: v1 refuses a child quota above what its parent
	# allows (a's -1 means G's 20000), so children first would fail here.
	cgset -r cpu.cfs_quota_us=20000 "$G"
	run cgset -R -r cpu.cfs_quota_us=50000 "$G"
	[ "$status" -eq 0 ]
	cpu_files "$G" 50000 100000 512
	cpu_files "$G"/a/b 50000 100000 512
	run cgset -R -r cpu.shares=512 "$G"-missing
	[ "$status" -eq 1 ]
	[ "$output" = "cgset: cannot find group: $CPU/$G-missing: No such file or directory" ]
}

@test "cgset: an empty value is wrong input, never reported written (cpuset.cpus=)" {
	defer cg_rm "$G"
	cgcreate -g cpu:"$G"
	for r in cpuset.cpus= cpu.shares= cpuset.mems=; do
		run cgset -r cpu.shares=512 -r "$r" "$G"
		[ "$status" -eq 129 ]
		[ "${lines[0]}" = "cgset: wrong parameter of option -r: $r" ]
		[ "${lines[1]}" = "$(printf "$BADARGS" cgset)" ]
	done
	cpu_files "$G" -1 100000 1024
	run cgexec -g cpu:"$G"/t -r cpu.shares= true
	[ "$status" -eq 129 ]
	cg_gone "$G"/t
}

@test "cgget answers in the form of the name asked, on either version" {
	defer cg_rm "$G"
	cgcreate -g cpu:"$G"
	if [ "$VCPU" = 1 ]; then
		echo 50000 >"$CPU/$G/cpu.cfs_period_us"
		echo 10000 >"$CPU/$G/cpu.cfs_quota_us"
		echo 1536 >"$CPU/$G/cpu.shares"
	else
		echo "10000 50000" >"$CPU/$G/cpu.max"
		echo 138 >"$CPU/$G/cpu.weight"
	fi
	run cgget -r cpu.max -r cpu.weight -r cpu.shares -r cpu.cfs_quota_us -r cpu.cfs_period_us "$G"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s:\ncpu.max: 10000 50000\ncpu.weight: 138\ncpu.shares: 1536\ncpu.cfs_quota_us: 10000\ncpu.cfs_period_us: 50000' "$G")" ]
	if [ "$VCPU" = 1 ]; then
		echo -1 >"$CPU/$G/cpu.cfs_quota_us"
		echo 2 >"$CPU/$G/cpu.shares"
	else
		echo "max 50000" >"$CPU/$G/cpu.max"
		echo 1 >"$CPU/$G/cpu.weight"
	fi
	run cgget -n -r cpu.max -r cpu.weight -r cpu.cfs_quota_us "$G"
	[ "$output" = "$(printf 'cpu.max: max 50000\ncpu.weight: 1\ncpu.cfs_quota_us: -1')" ]
	if [ -n "$MEMORY" ] && [ "$(cg_ver memory)" = "$VCPU" ] &&
	   { [ "$VMEM" = 1 ] || grep -qw memory "$MEMORY/cgroup.subtree_control"; }; then
		cgcreate -g memory:"$G"
		# The name of this version is read as the kernel shows it.
		run cgget -n -v -r memory.max -r memory.limit_in_bytes "$G"
		if [ "$VMEM" = 1 ]; then
			[ "$output" = "$(printf 'max\n9223372036854771712')" ]
		else
			[ "$output" = "$(printf 'max\n-1')" ]
		fi
	fi
}

@test "cgget output format: PATH:, NAME: VALUE, empty line; -n, -v, -nv; options after the paths" {
	defer cg_rm "$G"
	defer cg_rm "$G2"
	cgcreate -g cpu:"$G" -g cpu:"$G2"
	cgset -r cpu.cfs_quota_us=10000 "$G"
	local s1 s2 q1 q2
	s1=$(cgget -n -v -r cpu.shares "$G") s2=$(cgget -n -v -r cpu.shares "$G2")
	[ "$s1" = 1024 ]
	[ "$s2" = 1024 ]
	run cgget -r cpu.shares -r cpu.cfs_quota_us "$G" "$G2"
	[ "$output" = "$(printf '%s:\ncpu.shares: 1024\ncpu.cfs_quota_us: 10000\n\n%s:\ncpu.shares: 1024\ncpu.cfs_quota_us: -1' "$G" "$G2")" ]
	run cgget "$G" "$G2" -n -r cpu.shares -r cpu.cfs_quota_us
	[ "$output" = "$(printf 'cpu.shares: 1024\ncpu.cfs_quota_us: 10000\ncpu.shares: 1024\ncpu.cfs_quota_us: -1')" ]
	run cgget -v -r cpu.cfs_quota_us "$G" "$G2"
	[ "$output" = "$(printf '%s:\n10000\n\n%s:\n-1' "$G" "$G2")" ]
	run cgget "$G" -nv -r cpu.cfs_quota_us
	[ "$output" = 10000 ]
	# The trailing empty line is part of the format (command substitution
	# above drops it): compare the bytes.
	[ "$(cgget -r cpu.cfs_quota_us "$G" | od -c)" = "$(printf '%s:\ncpu.cfs_quota_us: 10000\n\n' "$G" | od -c)" ]
}

@test "cgget -g CTRL:PATH, -g CTRL PATH, -a and no option list every knob file of the controller" {
	defer cg_rm "$G"
	cgcreate -g cpu,cpuacct:"$G"
	# The kernel's view: the cpu.* files of the group, in directory order.
	local want got a
	want=$(ls "$CPU/$G" | grep '^cpu\.' | sort)
	for a in "-g cpu:$G" "-g cpu $G" "$G -g cpu" "-n -g cpu:$G"; do
		run cgget $a
		[ "$status" -eq 0 ]
		got=$(printf '%s\n' "$output" | sed -n 's/^\(cpu\.[^:]*\): .*/\1/p; s/^\(cpu\.[^:]*\):$/\1/p' | sort)
		[ "$got" = "$want" ] || { echo "cgget $a lists:"; echo "$got"; echo "files:"; echo "$want"; false; }
		case $a in -n*) [ "${lines[0]}" != "$G:" ] ;; *) [ "${lines[0]}" = "$G:" ] ;; esac
	done
	# -a and no option: every controller of the group, cpu's among them.
	for a in "-a $G" "$G"; do
		run cgget $a
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = "$G:" ]
		[[ "$output" == *"$SHARES_FILE: "* ]]
	done
	# Multi-line values: later lines after a tab.
	run cgget -r cpu.stat "$G"
	[[ "${lines[1]}" == "cpu.stat: "* ]]
	[[ "${lines[2]}" == $'\t'* ]]
}

# A layout without cgroup2 (v1) refuses cgroup.* names; the case itself then
# runs on a cgroup2 mount of its own (no controllers: the kernel binds them
# to v1) in a mount namespace, one for each command (in_v2: the group lives
# on in the kernel's v2 tree between them, and is removed through another).
# Elsewhere the refusal is checked in a mount namespace where every cgroup2
# mount is hidden (and, on a pure v2 layout, a named v1 hierarchy stands in).
@test "cgset/cgget -r cgroup.*: v2's core files of the group (libcgroup 3.x); refused without cgroup2" {
	local r=$V2 in=() named=$BATS_TEST_TMPDIR/named
	mkdir -p "$named"
	run unshare -m --propagation private sh -c "umount -a -t cgroup2
		grep -q ' - cgroup ' /proc/self/mountinfo ||
			mount -t cgroup -o none,name=ctrboxtest$$ cgroup '$named' || exit 99
		exec '$CTRBIN/cgset' -r cgroup.max.descendants=5 '$G'"
	[ "$status" -eq 1 ]
	[ "$output" = "cgset: no cgroup2 mount: cgroup.max.descendants: name a v1 controller's file instead" ]
	if [ -z "$r" ]; then
		r=$BATS_TEST_TMPDIR/cg2 in=(in_v2 "$r")
		mkdir -p "$r"
		defer in_v2 "$r" rmdir "$r/$G"
	else
		defer cg_rm "$G"
	fi
	# mkdir, not cgcreate: on a hybrid host no v2 controller is enabled.
	"${in[@]}" mkdir "$r/$G"
	run "${in[@]}" cgset -r cgroup.max.descendants=5 "$G"
	[ "$status" -eq 0 ]
	[ "$("${in[@]}" cat "$r/$G/cgroup.max.descendants")" = 5 ]
	run "${in[@]}" cgget -n -v -r cgroup.max.descendants -r cgroup.type "$G"
	[ "$output" = "$(printf '5\ndomain')" ]
	run "${in[@]}" cgset -r cgroup.max.descendants=x "$G"
	[ "$status" -eq 1 ]
	[ "$output" = "cgset: cannot write: 'x' to $r/$G/cgroup.max.descendants: Invalid argument" ]
}

# in_v2 MNT CMD...: run CMD in a mount namespace with cgroup2 mounted at MNT.
in_v2() {
	unshare -m --propagation private sh -c 'mount -t cgroup2 none "$0" && exec "$@"' "$@"
}

@test "cgget -m names the setup mode of this layout; alone only" {
	run cgget -m
	[ "$status" -eq 0 ]
	case $(cg_mode) in
	unified) [ "$output" = "Unified Mode (Cgroup v2 only)." ] ;;
	hybrid) [ "$output" = "Hybrid mode (Cgroup v1/v2)." ] ;;
	legacy) [ "$output" = "Legacy Mode (Cgroup v1 only)." ] ;;
	esac
	run cgget -m -n
	[ "$status" -eq 129 ]
	run cgget -c
	[ "$status" -eq 129 ]
	[ "${lines[0]}" = "cgget: option -c (controller versions) is not supported" ]
}

@test "cgget errors: missing group, missing knob, bad name, wrong input; nothing on stdout" {
	run --separate-stderr cgget -r cpu.shares "$G"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "cgget: cannot find group: $CPU/$G: No such file or directory" ]
	defer cg_rm "$G"
	cgcreate -g cpu:"$G"
	run --separate-stderr cgget -r "$SHARES_FILE" -r cpu.nope "$G"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "cgget: cannot read: $CPU/$G/cpu.nope: No such file or directory" ]
	run cgget -g cpu:"$G"-missing
	[ "$status" -eq 1 ]
	[ "$output" = "cgget: cannot find group: $CPU/$G-missing: No such file or directory" ]
	run cgget -r cpu "$G"
	[ "$status" -eq 1 ]
	[ "$output" = "cgget: invalid parameter name 'cpu': expected <controller>.<name>" ]
	run cgget -r foo.bar "$G"
	[ "$status" -eq 1 ]
	[ "$output" = "cgget: unknown controller: foo" ]
	run cgget -r cpu.shares
	[ "$status" -eq 129 ]
	[ "${lines[0]}" = "cgget: no group given" ]
	[ "${lines[1]}" = "$(printf "$BADARGS" cgget)" ]
	run cgget -a -r cpu.shares "$G"
	[ "$status" -eq 129 ]
	[ "${lines[0]}" = "cgget: -r cannot be combined with -a or -g" ]
	run cgget -g cpu:"$G" "$G"
	[ "$status" -eq 129 ]
	run cgget -x
	[ "$status" -eq 129 ]
	[ "${lines[0]}" = "cgget: invalid option -- 'x'" ]
}

@test "cgset: a value the kernel refuses names file, value and errno; earlier writes undone" {
	defer cg_rm "$G"
	cgcreate -g cpu:"$G"
	run cgset -r cpu.shares=2048 -r cpu.cfs_quota_us=500 "$G"
	[ "$status" -eq 1 ]
	if [ "$VCPU" = 1 ]; then
		[ "$output" = "cgset: cannot write: '500' to $CPU/$G/cpu.cfs_quota_us: Invalid argument" ]
	else
		[ "$output" = "cgset: cannot write: '500 100000' to $CPU/$G/cpu.max (for cpu.cfs_quota_us=500): Invalid argument" ]
	fi
	cpu_files "$G" -1 100000 1024
	# Translated: the message says what it was translated from.
	run cgset -r cpu.max="500 100000" "$G"
	[ "$status" -eq 1 ]
	if [ "$VCPU" = 1 ]; then
		[ "$output" = "cgset: cannot write: '500' to $CPU/$G/cpu.cfs_quota_us (for cpu.max=500 100000): Invalid argument" ]
	else
		[ "$output" = "cgset: cannot write: '500 100000' to $CPU/$G/cpu.max: Invalid argument" ]
	fi
	cpu_files "$G" -1 100000 1024
}

@test "cgset: values and names are checked before anything is written" {
	defer cg_rm "$G"
	cgcreate -g cpu:"$G"
	local r
	for r in cpu.shares=abc cpu.shares=0x10 cpu.shares=010x cpu.cfs_quota_us=-x cpu.weight=0 \
		 cpu.weight=10001 "cpu.max=1 2 3" cpu.cfs_period_us=1x memory.limit_in_bytes=12Q \
		 pids.max=-2 cpuset.cpus=0- cpuset.cpus=a; do
		run cgset -r cpu.shares=4096 -r "$r" "$G"
		[ "$status" -eq 1 ]
		[ "$output" = "cgset: invalid value: $r" ]
	done
	run cgset -r cpushares=5 "$G"
	[ "$output" = "cgset: invalid parameter name: 'cpushares'" ]
	run cgset -r cpu.shares "$G"
	[ "$status" -eq 129 ]
	[ "${lines[0]}" = "cgset: wrong parameter of option -r: cpu.shares" ]
	run cgset -r =5 "$G"
	[ "$status" -eq 129 ]
	[ "${lines[0]}" = "cgset: wrong parameter of option -r: =5" ]
	run cgset -r cpu.shares=5
	[ "$status" -eq 129 ]
	[ "${lines[0]}" = "cgset: no cgroup specified" ]
	run cgset "$G"
	[ "$status" -eq 129 ]
	[ "${lines[0]}" = "cgset: no name-value pair was set" ]
	run cgset
	[ "$status" -eq 129 ]
	run cgset -r nosuch.x=1 "$G"
	[ "$output" = "cgset: unknown controller: nosuch" ]
	run cgset -r cpu.nope=1 "$G"
	[ "$output" = "cgset: cannot write: '1' to $CPU/$G/cpu.nope: No such file or directory" ]
	run cgset -r cpu.shares=2048 "$G"-missing
	[ "$output" = "cgset: cannot find group: $CPU/$G-missing: No such file or directory" ]
	cpu_files "$G" -1 100000 1024
}

@test "cgset --copy-from copies the settings of every common controller" {
	defer cg_rm "$G"
	defer cg_rm "$G2"
	local c=cpu,cpuacct
	[ -n "$PIDS" ] && { [ "$VPIDS" = 1 ] || grep -qw pids "$PIDS/cgroup.subtree_control"; } &&
		c=$c,pids
	cgcreate -g "$c:$G" -g "$c:$G2"
	cgset -r cpu.cfs_period_us=50000 -r cpu.cfs_quota_us=10000 -r cpu.shares=2560 "$G"
	[[ $c == *pids* ]] && cgset -r pids.max=7 "$G"
	run cgset --copy-from "$G" "$G2"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	cpu_files "$G2" 10000 50000 2560
	[[ $c != *pids* ]] || [ "$(cat "$PIDS/$G2/pids.max")" = 7 ]
	run cgset --copy-from "$G"-missing "$G2"
	[ "$status" -eq 1 ]
	[ "$output" = "cgset: cannot find group: $G-missing or $G2: No such file or directory" ]
	run cgset --copy-from "$G" -r cpu.shares=2 "$G2"
	[ "$status" -eq 129 ]
	[ "${lines[0]}" = "cgset: -r and --copy-from cannot be used together" ]
}

# ---- cgexec ---------------------------------------------------------------

@test "cgexec -g moves itself into the groups and execs (same PID, no fork)" {
	defer cg_rm "$G"
	cgcreate -g cpu,cpuacct:"$G"
	local out pid
	out=$(cgexec -g cpu,cpuacct:"$G" --sticky -s sh -c 'echo $$; cat /proc/$$/cgroup' & echo "pid $!"; wait)
	pid=$(echo "$out" | sed -n 's/^pid //p')
	[ -n "$pid" ]
	[ "$(echo "$out" | grep -v '^pid' | head -1)" = "$pid" ]
	if [ "$VCPU" = 1 ]; then
		[[ "$out" == *":cpu:/$G"* ]] || [[ "$out" == *":cpu,cpuacct:/$G"* ]]
	else
		[[ "$out" == *"0::/$G"* ]]
	fi
}

@test "cgexec: options stop at the command (no permutation); -b accepted" {
	defer cg_rm "$G"
	cgcreate -g cpu:"$G"
	run cgexec -b -g cpu:"$G" sh -c 'echo "$@"; cat /proc/$$/cgroup' sh -r -g x
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "-r -g x" ]
	if [ "$VCPU" = 1 ]; then [[ "$output" == *"cpu"*":/$G"* ]]; else [[ "$output" == *"0::/$G"* ]]; fi
}

@test "cgexec errors: missing group 1, not found 127, no -g / no command 129" {
	run cgexec -g cpu:"$G" true
	[ "$status" -eq 1 ]
	[ "$output" = "cgexec: cannot find group: $CPU/$G: No such file or directory" ]
	defer cg_rm "$G"
	cgcreate -g cpu:"$G"
	run -127 cgexec -g cpu:"$G" /nonexistent/cmd
	[ "$status" -eq 127 ]
	[ "$output" = "cgexec: failed to execute /nonexistent/cmd: No such file or directory" ]
	run cgexec true
	[ "$status" -eq 129 ]
	[ "${lines[0]}" = "cgexec: no group given: -g <controllers>:<path> (cgrules.conf is not supported)" ]
	run cgexec -g cpu:"$G"
	[ "$status" -eq 129 ]
	[ "${lines[0]}" = "cgexec: no command given" ]
	run cgexec -g cpu:"$G" -r cpu.shares=2 -g cpu:x true
	[ "$status" -eq 129 ]
	[ "${lines[0]}" = "cgexec: -r needs exactly one -g <controllers>:<path>" ]
}

@test "cgexec -r: a transient group with the values, CMD's status, removed after" {
	defer cg_rm "$G"
	local files
	if [ "$VCPU" = 1 ]; then files="cpu.cfs_quota_us cpu.cfs_period_us cpu.shares"; else files="cpu.max cpu.weight"; fi
	run cgexec -g cpuacct:"$G" -r cpu.cfs_quota_us=10000 -r cpu.cfs_period_us=50000 \
		-r cpu.shares=1536 sh -c "cd $CPU/$G && cat $files && cat /proc/\$\$/cgroup; exit 3"
	[ "$status" -eq 3 ]
	if [ "$VCPU" = 1 ]; then
		[ "${lines[0]}" = 10000 ]
		[ "${lines[1]}" = 50000 ]
		[ "${lines[2]}" = 1536 ]
		[[ "$output" == *"cpuacct"*":/$G"* ]]
	else
		[ "${lines[0]}" = "10000 50000" ]
		[ "${lines[1]}" = 138 ]
		[[ "$output" == *"0::/$G"* ]]
	fi
	cg_gone "$G"
}

@test "cgexec -r: a nested transient group takes the parents it created with it" {
	defer cg_rm "$G"
	run cgexec -g cpu,cpuacct:"$G"/a/b -r cpu.shares=512 sh -c "cat $CPU/$G/a/b/$SHARES_FILE"
	[ "$status" -eq 0 ]
	if [ "$VCPU" = 1 ]; then [ "$output" = 512 ]; else [ "$output" = "$(weight_of 512)" ]; fi
	cg_gone "$G"
	# A parent that existed before stays.
	cgcreate -g cpu:"$G"
	run cgexec -g cpu:"$G"/t -r cpu.shares=512 true
	[ "$status" -eq 0 ]
	[ -d "$CPU/$G" ]
	[ ! -e "$CPU/$G/t" ]
}

@test "cgexec -r: what CMD leaves in the group is killed; a signal death is passed on" {
	defer cg_rm "$G"
	run cgexec -g cpu:"$G" -r cpu.shares=512 sh -c 'sleep 300 & echo $!'
	[ "$status" -eq 0 ]
	! kill -0 "$output" 2>/dev/null
	cg_gone "$G"
	run cgexec -g cpu:"$G" -r cpu.shares=512 sh -c 'kill -TERM $$'
	[ "$status" -eq 143 ]
	cg_gone "$G"
}

@test "cgexec -r: failures leave nothing behind (bad value, kernel refusal, exec failure)" {
	defer cg_rm "$G"
	run cgexec -g cpu:"$G" -r cpu.shares=x true
	[ "$status" -eq 1 ]
	[ "$output" = "cgexec: invalid value: cpu.shares=x" ]
	cg_gone "$G"
	run cgexec -g cpu:"$G"/sub -r cpu.cfs_quota_us=500 true
	[ "$status" -eq 1 ]
	if [ "$VCPU" = 1 ]; then
		[ "$output" = "cgexec: cannot write: '500' to $CPU/$G/sub/cpu.cfs_quota_us: Invalid argument" ]
	else
		[ "$output" = "cgexec: cannot write: '500 100000' to $CPU/$G/sub/cpu.max (for cpu.cfs_quota_us=500): Invalid argument" ]
	fi
	cg_gone "$G"
	run -127 cgexec -g cpu:"$G" -r cpu.shares=512 /nonexistent/cmd
	[ "$status" -eq 127 ]
	cg_gone "$G"
	run cgexec -g cpu:"$G" -r nosuch.x=1 true
	[ "$output" = "cgexec: unknown controller: nosuch" ]
	cg_gone "$G"
}

@test "cgexec -r: an existing group is refused and left alone" {
	defer cg_rm "$G"
	cgcreate -g cpu:"$G"
	run cgexec -g cpu:"$G" -r cpu.shares=512 true
	[ "$status" -eq 1 ]
	[ "$output" = "cgexec: cannot create group: $CPU/$G: File exists" ]
	[ -d "$CPU/$G" ]
	cpu_files "$G" -1 100000 1024
}

# ---- cgdelete -------------------------------------------------------------

@test "cgdelete removes from each hierarchy; -g is optional; tasks move to the parent" {
	defer cg_rm "$G"
	defer cg_rm "$G2"
	cgcreate -g cpu,cpuacct:"$G" -g cpu:"$G2"/x
	sleep 300 &
	local pid=$!
	defer kill -KILL $pid
	echo $pid >"$CPU/$G2/x/cgroup.procs"
	cg_member $pid "$G2/x" cpu
	run cgdelete -g cpu,cpuacct:"$G" cpu:"$G2"/x
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	cg_gone "$G"
	[ ! -e "$CPU/$G2/x" ]
	cg_member $pid "$G2" cpu
}

@test "cgdelete: subgroups need -r; -r (also after the group) removes the tree, tasks to PATH's parent" {
	defer cg_rm "$G"
	cgcreate -g cpu,cpuacct:"$G"/a/b -g cpu:"$G"/c
	sleep 300 &
	local pid=$!
	defer kill -KILL $pid
	echo $pid >"$CPU/$G/a/b/cgroup.procs"
	run cgdelete -g cpu,cpuacct:"$G"
	[ "$status" -eq 1 ]
	# EBUSY: "Device or resource busy" (glibc), "Resource busy" (musl)
	[[ "$output" == "cgdelete: cannot remove group (it has subgroups, see -r): $CPU/$G: "*"esource busy" ]]
	[ -d "$CPU/$G/a/b" ]
	[ -d "$CPUACCT/$G/a/b" ]
	run cgdelete cpu,cpuacct:"$G" -r
	[ "$status" -eq 0 ]
	cg_gone "$G"
	if [ "$VCPU" = 1 ]; then
		grep -Eq "^[0-9]+:([^:]*,)?cpu(,[^:]*)?:/\$" /proc/$pid/cgroup
	else
		grep -qx "0::/" /proc/$pid/cgroup
	fi
}

@test "cgdelete: a missing group fails before anything is removed; wrong input is 129" {
	defer cg_rm "$G"
	cgcreate -g cpu:"$G"
	run cgdelete -g cpu:"$G" -g cpu:"$G"-missing
	[ "$status" -eq 1 ]
	[ "$output" = "cgdelete: cannot find group: $CPU/$G-missing: No such file or directory" ]
	[ -d "$CPU/$G" ]
	run cgdelete -g cpu
	[ "$status" -eq 129 ]
	[ "${lines[0]}" = "cgdelete: invalid group: 'cpu': expected CONTROLLER[,...]:PATH" ]
	run cgdelete cpu:/
	[ "$status" -eq 1 ]
	[ "$output" = "cgdelete: cannot remove group '/': it is a hierarchy's root" ]
	run cgdelete
	[ "$status" -eq 129 ]
	[ "${lines[0]}" = "cgdelete: no group given: [-g] <controllers>:<path>" ]
	[ "${lines[1]}" = "$(printf "$BADARGS" cgdelete)" ]
	run cgdelete -b cpu:"$G"
	[ "$status" -eq 0 ]
	cg_gone "$G"
}

# ---- common ---------------------------------------------------------------

@test "--help, --version and bad options for every cg applet (wrong input: 129)" {
	local a
	for a in cgcreate cgset cgget cgexec cgdelete; do
		run $a --help
		[ "$status" -eq 0 ]
		[[ "${lines[0]}" == "Usage: $a "* ]]
		[[ "$output" == *"  -b"* ]]
		run $a -V
		[ "$status" -eq 0 ]
		[[ "$output" == "$a from ctrbox "* ]]
		run $a --bogus
		[ "$status" -eq 129 ]
		[ "${lines[0]}" = "$a: unrecognized option '--bogus'" ]
		[ "${lines[1]}" = "$(printf "$BADARGS" $a)" ]
		run $a -Z
		[ "$status" -eq 129 ]
		[ "${lines[0]}" = "$a: invalid option -- 'Z'" ]
	done
}

# rnd CHARS MAXLEN: a random string of those characters.
rnd() { head -c 300 /dev/urandom | tr -dc "$1" | head -c $((RANDOM % $2)); }
fz_dirs() { local m; for m in $(cg_mounts); do ls -d "$m"/ctrbox-test-fz* 2>/dev/null; done; }
fz_clean() { local d m; for d in $(fz_dirs); do m=${d%/ctrbox-test-fz*}; cg_rm "${d#$m/}"; done; }

# Every -g/-r form through the parsers; the group part always stays under
# ctrbox-test-fz* (a ".." is refused), so nothing else can be touched. A
# failed cgcreate and any cgexec -r must leave no group behind. Statuses: 0,
# 1 (own error) or 129 (wrong input), nothing else.
@test "fuzz: random -g and -r never crash and leave no group" {
	defer cg_rm ctrbox-test-fuzz
	defer fz_clean
	cgcreate -g cpu,cpuacct:ctrbox-test-fuzz
	local i c p n v st out t0=$SECONDS
	# At most FUZZ_ROUNDS rounds or FUZZ_SECONDS seconds (the VM under TCG
	# is ~20 times slower), and at least 5 rounds.
	for i in $(seq 1 ${FUZZ_ROUNDS:-150}); do
		[ "$i" -le 5 ] || [ $((SECONDS - t0)) -lt "${FUZZ_SECONDS:-30}" ] || break
		c=$(rnd 'cpuacts,=name*' 14)
		p=$(rnd 'a-z0-9./,:=' 16)
		n=$(rnd 'cpu.sharesquotmax_w' 18)
		v=$(rnd '0-9a-z -' 10)
		for a in "cgcreate -g $c:ctrbox-test-fz$p" "cgget -g $c:ctrbox-test-fz$p" \
			 "cgget -r $n ctrbox-test-fuzz" "cgset -r $n=$v ctrbox-test-fuzz" \
			 "cgset -r cpu.$n=$v ctrbox-test-fuzz" "cgdelete -r -g $c:ctrbox-test-fz$p" \
			 "cgexec -g $c:ctrbox-test-fz$p -r $n=$v true" \
			 "cgexec -g $c:ctrbox-test-fz$p -r cpu.$n=$v true"; do
			case $a in cgcreate*|cgexec*) fz_clean ;; esac
			set -- $a
			st=0
			out=$("$@" 2>&1) || st=$?
			if { [ "$st" -gt 1 ] && [ "$st" -ne 129 ]; } || [[ "$out" == *Sanitizer* ]] ||
			   [[ "$out" == *"runtime error"* ]]; then
				echo "status $st: $a"
				echo "$out"
				false
			fi
			case $a in
			cgexec*) [ -z "$(fz_dirs)" ] || { echo "left by: $a"; fz_dirs; false; } ;;
			cgcreate*) [ "$st" = 0 ] || [ -z "$(fz_dirs)" ] || { echo "left by: $a"; false; } ;;
			esac
		done
	done
}

@test "cgget: odd group names are a clear error, never a crash (fuzz finding)" {
	local name
	for name in ' ' '=~' ''; do
		run cgget "$name" -t -l
		[ "$status" -eq 129 ]
		[ "${lines[0]}" = "cgget: invalid option -- 't'" ]
		# '' is the root group: readable.
		run cgget -r cpu.shares "$name"
		[ "$status" -le 1 ]
		[ "$status" -eq 0 ] || [[ "$output" == "cgget: "* ]]
	done
}
