#!/usr/bin/env bats
# cgcreate, cgset, cgget, cgexec, cgdelete on the host's cgroups (hybrid here:
# v1 controllers, cgroup2 with hugetlb only at /sys/fs/cgroup/unified).
# Every group is ctrbox-test-*, removed at teardown; nothing else is touched
# (no root group's knob is written).
load helpers
bats_require_minimum_version 1.5.0

teardown() { run_deferred; }

setup() {
	require_root
	require_cgroup_v1 cpu
	# Never fall back to the host's cgroup-tools through PATH.
	[ -x "$CTRBOX" ] && [ "$(command -v cgcreate)" = "$CTRBIN/cgcreate" ]
	G=ctrbox-test-$$-$BATS_TEST_NUMBER
	G2=$G-b
}

# Mount points of every cgroup hierarchy.
cg_mounts() { awk '$9 == "cgroup" || $9 == "cgroup2" { print $5 }' /proc/self/mountinfo; }
# Mount point of the v1 hierarchy of a controller.
v1dir() { awk -v c="$1" '$9 == "cgroup" && (","$NF",") ~ ","c"," { print $5; exit }' /proc/self/mountinfo; }
# Test cleanup: kill what is in group $1 and remove it (and subgroups) everywhere.
cg_rm() {
	local m d
	for m in $(cg_mounts); do
		[ -d "$m/$1" ] || continue
		for d in $(find "$m/$1" -depth -type d); do
			xargs -r kill -KILL <"$d/cgroup.procs" 2>/dev/null
			wait_for 5 rmdir "$d" || true
		done
	done
}
# Is group $1 gone from every hierarchy?
cg_gone() {
	local m
	for m in $(cg_mounts); do
		[ ! -e "$m/$1" ] || return 1
	done
}

CPU=$(v1dir cpu 2>/dev/null)
CPUACCT=$(v1dir cpuacct 2>/dev/null)
CPUSET=$(v1dir cpuset 2>/dev/null)
MEMORY=$(v1dir memory 2>/dev/null)
PIDS=$(v1dir pids 2>/dev/null)

# ---- cgcreate -------------------------------------------------------------

@test "cgcreate -g cpu,cpuacct:PATH creates the group in both hierarchies; again is fine" {
	defer cg_rm "$G"
	run cgcreate -g cpu,cpuacct:"$G"
	[ "$status" -eq 0 ] && [ -z "$output" ]
	[ -d "$CPU/$G" ] && [ -d "$CPUACCT/$G" ]
	[ ! -e "$CPUSET/$G" ]
	run cgcreate -g cpu:"$G"
	[ "$status" -eq 0 ]
}

@test "cgcreate: repeated -g, nested paths with missing parents, leading slash" {
	defer cg_rm "$G"
	defer cg_rm "$G2"
	run cgcreate -g cpu:/"$G"/a/b -g pids:"$G2"
	[ "$status" -eq 0 ]
	[ -d "$CPU/$G/a/b" ] && [ -d "$PIDS/$G2" ]
}

@test "cgcreate: a named hierarchy (name=systemd) is a controller" {
	local d
	d=$(awk '$9 == "cgroup" && $NF ~ /name=systemd/ { print $5; exit }' /proc/self/mountinfo)
	[ -n "$d" ] || skip "no name=systemd hierarchy"
	defer cg_rm "$G"
	run cgcreate -g name=systemd:"$G"
	[ "$status" -eq 0 ]
	[ -d "$d/$G" ]
}

@test "cgcreate: a v1 cpuset group gets its parent's cpus and mems, so a task can join" {
	[ -n "$CPUSET" ] || skip "no v1 cpuset"
	defer cg_rm "$G"
	run cgcreate -g cpuset:"$G"/sub
	[ "$status" -eq 0 ]
	[ "$(cat "$CPUSET/$G/sub/cpuset.cpus")" = "$(cat "$CPUSET/cpuset.cpus")" ]
	[ "$(cat "$CPUSET/$G/sub/cpuset.mems")" = "$(cat "$CPUSET/cpuset.mems")" ]
	run cgexec -g cpuset:"$G"/sub cat /proc/self/cgroup
	[ "$status" -eq 0 ]
	[[ "$output" == *":cpuset:/$G/sub"* ]]
}

@test "cgcreate: an unknown controller is refused, nothing created" {
	defer cg_rm "$G"
	run cgcreate -g cpu,nosuchctrl:"$G"
	[ "$status" -eq 1 ]
	[ "$output" = "cgcreate: unknown controller: nosuchctrl" ]
	cg_gone "$G"
}

@test "cgcreate: a controller the kernel has but nothing mounts is 'not available'" {
	local c
	for c in net_cls perf_event net_prio; do
		grep -q "^$c[[:space:]]" /proc/cgroups && [ -z "$(v1dir $c)" ] && break
		c=
	done
	[ -n "$c" ] || skip "no unmounted controller"
	defer cg_rm "$G"
	run cgcreate -g cpu:"$G" -g "$c:$G"
	[ "$status" -eq 1 ]
	[ "$output" = "cgcreate: controller not available: $c: no cgroup v1 hierarchy has it and /sys/fs/cgroup/unified/cgroup.controllers does not list it" ]
	cg_gone "$G"
}

@test "cgcreate: cpu on this host's v2 tree is not available (v1 cpu hidden in a mount namespace)" {
	[ -n "$(awk '$9 == "cgroup2" { print $5 }' /proc/self/mountinfo)" ] || skip "no cgroup2"
	defer cg_rm "$G"
	run /usr/bin/unshare -m --propagation private sh -c \
		"umount '$CPU' && grep -qw cpu /sys/fs/cgroup/unified/cgroup.controllers ||
		 exec '$CTRBIN/cgcreate' -g cpu:'$G'"
	[ "$status" -eq 1 ]
	[ "$output" = "cgcreate: controller not available: cpu: no cgroup v1 hierarchy has it and /sys/fs/cgroup/unified/cgroup.controllers does not list it" ]
	cg_gone "$G"
}

@test "cgcreate: malformed -g and paths are refused with the argument named" {
	local a
	for a in cpu cpu: :x "cpu,,cpuacct:$G" ",cpu:$G"; do
		run cgcreate -g "$a"
		[ "$status" -eq 1 ]
		[ "$output" = "cgcreate: invalid group: '$a': expected CONTROLLER[,...]:PATH" ]
	done
	run cgcreate -g cpu:"$G/../x"
	[ "$status" -eq 1 ]
	[ "$output" = "cgcreate: invalid group path: '$G/../x': Invalid argument" ]
	run cgcreate -g cpu:/
	[ "$status" -eq 1 ]
	[ "$output" = "cgcreate: can't create cgroup /: it is a hierarchy's root" ]
	run cgcreate
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "cgcreate: no group given: -g <controllers>:<path>" ]
	[ "${lines[1]}" = "Try 'cgcreate --help' for more information." ]
	cg_gone "$G"
}

@test "cgcreate -a/-t/-d/-f/-s set owners and modes" {
	defer cg_rm "$G"
	run cgcreate -a 1:2 -t 3:4 -d 0750 -f 0640 -s 0600 -g cpu:"$G"
	[ "$status" -eq 0 ]
	[ "$(stat -c '%u:%g %a' "$CPU/$G")" = "1:2 750" ]
	[ "$(stat -c '%u:%g %a' "$CPU/$G/cpu.shares")" = "1:2 640" ]
	[ "$(stat -c '%u:%g %a' "$CPU/$G/tasks")" = "3:4 600" ]
	[ "$(stat -c '%u:%g %a' "$CPU/$G/cgroup.procs")" = "3:4 600" ]
	run cgcreate -d 999 -g cpu:"$G"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "cgcreate: invalid mode '999'" ]
	run cgcreate -a nosuchuser-x: -g cpu:"$G"2
	[ "$status" -eq 1 ]
	[ "$output" = "cgcreate: can't find user 'nosuchuser-x'" ]
	cg_gone "$G"2
}

@test "cgcreate: a failure removes what the call created (second -g fails)" {
	defer cg_rm "$G"
	# The second group's parent is a file: mkdir fails after the first was made.
	run cgcreate -g cpu:"$G"/a -g cpu:"$G"/a/cpu.shares/x
	[ "$status" -eq 1 ]
	[ "$output" = "cgcreate: cannot create group: $CPU/$G/a/cpu.shares/x: Not a directory" ]
	cg_gone "$G"
}

# ---- cgset / cgget --------------------------------------------------------

@test "cgset -r writes the handout's values; the files hold them (v1)" {
	defer cg_rm "$G"
	cgcreate -g cpu:"$G"
	run cgset -r cpu.cfs_quota_us=10000 -r cpu.cfs_period_us=50000 -r cpu.shares=1536 "$G"
	[ "$status" -eq 0 ] && [ -z "$output" ]
	[ "$(cat "$CPU/$G/cpu.cfs_quota_us")" = 10000 ]
	[ "$(cat "$CPU/$G/cpu.cfs_period_us")" = 50000 ]
	[ "$(cat "$CPU/$G/cpu.shares")" = 1536 ]
}

@test "cgset: several groups at once; max means -1 on v1" {
	defer cg_rm "$G"
	defer cg_rm "$G2"
	cgcreate -g cpu:"$G" -g cpu:"$G2"
	echo 20000 >"$CPU/$G/cpu.cfs_quota_us"
	run cgset -r cpu.cfs_quota_us=max -r cpu.shares=512 "$G" "$G2"
	[ "$status" -eq 0 ]
	[ "$(cat "$CPU/$G/cpu.cfs_quota_us" "$CPU/$G2/cpu.shares")" = "$(printf -- '-1\n512')" ]
}

@test "cgset: v2 names on v1 (cpu.max, cpu.weight, memory.max, pids.max -1)" {
	[ -n "$MEMORY" ] && [ -n "$PIDS" ] || skip "needs v1 memory and pids"
	defer cg_rm "$G"
	cgcreate -g cpu,memory,pids:"$G"
	run cgset -r cpu.max="10000 50000" -r cpu.weight=208 -r memory.max=64M -r pids.max=-1 "$G"
	[ "$status" -eq 0 ]
	[ "$(cat "$CPU/$G/cpu.cfs_quota_us")" = 10000 ]
	[ "$(cat "$CPU/$G/cpu.cfs_period_us")" = 50000 ]
	[ "$(cat "$CPU/$G/cpu.shares")" = 2560 ]
	[ "$(cat "$MEMORY/$G/memory.limit_in_bytes")" = 67108864 ]
	[ "$(cat "$PIDS/$G/pids.max")" = max ]
	run cgset -r cpu.max=max -r memory.max=-1 "$G"
	[ "$status" -eq 0 ]
	[ "$(cat "$CPU/$G/cpu.cfs_quota_us")" = -1 ]
	[ "$(cat "$CPU/$G/cpu.cfs_period_us")" = 50000 ]
	[ "$(cat "$MEMORY/$G/memory.limit_in_bytes")" = 9223372036854771712 ]
}

@test "cgget answers in the form of the name asked (v2 names on v1)" {
	[ -n "$MEMORY" ] || skip "needs v1 memory"
	defer cg_rm "$G"
	cgcreate -g cpu,memory:"$G"
	echo 10000 >"$CPU/$G/cpu.cfs_quota_us"
	echo 50000 >"$CPU/$G/cpu.cfs_period_us"
	echo 1536 >"$CPU/$G/cpu.shares"
	run cgget -r cpu.max -r cpu.weight -r memory.max -r cpu.shares "$G"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s:\ncpu.max: 10000 50000\ncpu.weight: 138\nmemory.max: max\ncpu.shares: 1536' "$G")" ]
	echo -1 >"$CPU/$G/cpu.cfs_quota_us"
	echo 2 >"$CPU/$G/cpu.shares"
	run cgget -n -r cpu.max -r cpu.weight "$G"
	[ "$output" = "$(printf 'cpu.max: max 50000\ncpu.weight: 1')" ]
}

@test "cgget output is libcgroup's: -r, -n, -v, -nv, several groups" {
	require_cmd /usr/bin/cgget
	defer cg_rm "$G"
	defer cg_rm "$G2"
	cgcreate -g cpu,cpuacct:"$G" -g cpu:"$G2"
	cgset -r cpu.cfs_quota_us=10000 "$G"
	local f
	for f in "" -n -v -nv; do
		run cgget $f -r cpu.shares -r cpu.cfs_quota_us "$G" "$G2"
		[ "$status" -eq 0 ]
		[ "$output" = "$(/usr/bin/cgget $f -r cpu.shares -r cpu.cfs_quota_us "$G" "$G2")" ]
	done
	# The trailing empty line is part of the format.
	[ "$(cgget -r cpu.shares "$G" | od -c | tail -2)" = "$(/usr/bin/cgget -r cpu.shares "$G" | od -c | tail -2)" ]
}

@test "cgget -g CTRL:PATH, -g CTRL PATH, -a and no option list knobs as libcgroup does" {
	require_cmd /usr/bin/cgget
	defer cg_rm "$G"
	cgcreate -g cpu,cpuacct:"$G"
	local a
	for a in "-g cpu:$G" "-g cpu:$G -g cpuacct:$G" "-g cpu,cpuacct:$G" "-g cpu $G" \
		 "-g cpu -g cpuacct $G" "-a $G" "$G" "-n -g cpu:$G" "-v -g cpuacct:$G"; do
		run cgget $a
		[ "$status" -eq 0 ]
		[ "$output" = "$(/usr/bin/cgget $a)" ] || { echo "differs: cgget $a"; diff <(echo "$output") <(/usr/bin/cgget $a); false; }
	done
	# Every v1 controller of the host, write-only knobs (memory.force_empty,
	# devices.allow) shown empty; counters that move are left out.
	local all
	all=$(awk '$9 == "cgroup" { n = split($NF, o, ","); for (i = 1; i <= n; i++)
		if (o[i] != "rw" && o[i] != "ro" && o[i] !~ /^(xattr|noprefix|clone_children|release_agent=.*)$/)
			printf "%s%s", (c++ ? "," : ""), o[i] }' /proc/self/mountinfo)
	defer cg_rm "$G2"
	cgcreate -g "$all:$G2"
	run cgget "$G2"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -v 'usage\|stat')" = "$(/usr/bin/cgget "$G2" | grep -v 'usage\|stat')" ]
	# Multi-line values: later lines after a tab.
	run cgget -r cpu.stat "$G"
	[ "${lines[1]}" = "cpu.stat: nr_periods 0" ]
	[[ "${lines[2]}" == $'\tnr_throttled 0' ]]
}

@test "cgget errors: missing group, missing knob, bad name, bad usage; nothing on stdout" {
	run --separate-stderr cgget -r cpu.shares "$G"
	[ "$status" -eq 1 ] && [ -z "$output" ]
	[ "$stderr" = "cgget: cannot find group: $CPU/$G: No such file or directory" ]
	defer cg_rm "$G"
	cgcreate -g cpu:"$G"
	run --separate-stderr cgget -r cpu.shares -r cpu.nope "$G"
	[ "$status" -eq 1 ] && [ -z "$output" ]
	[ "$stderr" = "cgget: cannot read: $CPU/$G/cpu.nope: No such file or directory" ]
	run cgget -g cpuacct:"$G"
	[ "$status" -eq 1 ]
	[ "$output" = "cgget: cannot find group: $CPUACCT/$G: No such file or directory" ]
	run cgget -r cpu "$G"
	[ "$status" -eq 1 ]
	[ "$output" = "cgget: invalid parameter name 'cpu': expected <controller>.<name>" ]
	run cgget -r foo.bar "$G"
	[ "$status" -eq 1 ]
	[ "$output" = "cgget: unknown controller: foo" ]
	run cgget -r cpu.shares
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "cgget: no group given" ]
	run cgget -a -r cpu.shares "$G"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "cgget: -r cannot be combined with -a or -g" ]
	run cgget -g cpu:"$G" "$G"
	[ "$status" -eq 1 ]
	[ "${lines[1]}" = "Try 'cgget --help' for more information." ]
	run cgget -x
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "cgget: invalid option -- 'x'" ]
}

@test "cgset: a value the kernel refuses names file, value and errno; earlier writes undone" {
	defer cg_rm "$G"
	cgcreate -g cpu:"$G"
	run cgset -r cpu.shares=2048 -r cpu.cfs_quota_us=500 "$G"
	[ "$status" -eq 1 ]
	[ "$output" = "cgset: cannot write: '500' to $CPU/$G/cpu.cfs_quota_us: Invalid argument" ]
	[ "$(cat "$CPU/$G/cpu.shares")" = 1024 ]
	[ "$(cat "$CPU/$G/cpu.cfs_quota_us")" = -1 ]
	# Translated: the message says what it was translated from.
	run cgset -r cpu.max="500 100000" "$G"
	[ "$status" -eq 1 ]
	[ "$output" = "cgset: cannot write: '500' to $CPU/$G/cpu.cfs_quota_us (for cpu.max=500 100000): Invalid argument" ]
}

@test "cgset: values and names are checked before anything is written" {
	defer cg_rm "$G"
	cgcreate -g cpu:"$G"
	local r
	for r in cpu.shares=abc cpu.cfs_quota_us=-5 cpu.weight=0 cpu.weight=10001 "cpu.max=1 2 3" \
		 cpu.cfs_period_us=1x memory.limit_in_bytes=12Q pids.max=-2 cpuset.cpus=0- cpuset.cpus=a; do
		run cgset -r cpu.shares=4096 -r "$r" "$G"
		[ "$status" -eq 1 ]
		[ "$output" = "cgset: invalid value: $r" ]
	done
	run cgset -r cpushares=5 "$G"
	[ "$output" = "cgset: invalid parameter name: 'cpushares'" ]
	run cgset -r cpu.shares "$G"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "cgset: wrong -r parameter 'cpu.shares': expected <name>=<value>" ]
	run cgset -r =5 "$G"
	[ "${lines[0]}" = "cgset: wrong -r parameter '=5': expected <name>=<value>" ]
	run cgset -r cpu.shares=5
	[ "${lines[0]}" = "cgset: no cgroup specified" ]
	run cgset "$G"
	[ "${lines[0]}" = "cgset: no name-value pair was set" ]
	run cgset -r nosuch.x=1 "$G"
	[ "$output" = "cgset: unknown controller: nosuch" ]
	run cgset -r cpu.nope=1 "$G"
	[ "$output" = "cgset: cannot write: '1' to $CPU/$G/cpu.nope: No such file or directory" ]
	run cgset -r cpu.shares=2048 "$G"-missing
	[ "$output" = "cgset: cannot find group: $CPU/$G-missing: No such file or directory" ]
	[ "$(cat "$CPU/$G/cpu.shares")" = 1024 ]
}

@test "cgset --copy-from copies the settings of every common controller" {
	defer cg_rm "$G"
	defer cg_rm "$G2"
	cgcreate -g cpu,cpuacct,pids:"$G" -g cpu,cpuacct,pids:"$G2"
	cgset -r cpu.cfs_period_us=50000 -r cpu.cfs_quota_us=10000 -r cpu.shares=2560 -r pids.max=7 "$G"
	run cgset --copy-from "$G" "$G2"
	[ "$status" -eq 0 ] && [ -z "$output" ]
	[ "$(cat "$CPU/$G2/cpu.cfs_quota_us" "$CPU/$G2/cpu.cfs_period_us" "$CPU/$G2/cpu.shares" "$PIDS/$G2/pids.max")" = "$(printf '10000\n50000\n2560\n7')" ]
	run cgset --copy-from "$G"-missing "$G2"
	[ "$status" -eq 1 ]
	[ "$output" = "cgset: cannot find group: $G-missing or $G2: No such file or directory" ]
	run cgset --copy-from "$G" -r cpu.shares=2 "$G2"
	[ "${lines[0]}" = "cgset: -r and --copy-from cannot be used together" ]
}

# ---- cgexec ---------------------------------------------------------------

@test "cgexec -g moves itself into the groups and execs (same PID, no fork)" {
	defer cg_rm "$G"
	cgcreate -g cpu,cpuacct:"$G" -g pids:"$G"
	local out
	out=$(cgexec -g cpu,cpuacct:"$G" -g pids:"$G" --sticky sh -c 'echo $$; cat /proc/self/cgroup' & echo "pid $!"; wait)
	local pid=$(echo "$out" | sed -n 's/^pid //p')
	[ -n "$pid" ] && [ "$(echo "$out" | grep -v '^pid' | head -1)" = "$pid" ]
	[[ "$out" == *":cpu:/$G"* ]] && [[ "$out" == *":cpuacct:/$G"* ]] && [[ "$out" == *":pids:/$G"* ]]
}

@test "cgexec errors: missing group 1, not found 127, no -g, no command" {
	run cgexec -g cpu:"$G" true
	[ "$status" -eq 1 ]
	[ "$output" = "cgexec: cannot find group: $CPU/$G: No such file or directory" ]
	defer cg_rm "$G"
	cgcreate -g cpu:"$G"
	run -127 cgexec -g cpu:"$G" /nonexistent/cmd
	[ "$status" -eq 127 ]
	[ "$output" = "cgexec: failed to execute /nonexistent/cmd: No such file or directory" ]
	run cgexec true
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "cgexec: no group given: -g <controllers>:<path> (cgrules.conf is not supported)" ]
	run cgexec -g cpu:"$G"
	[ "${lines[0]}" = "cgexec: no command given" ]
	run cgexec -g cpu:"$G" -r cpu.shares=2 -g cpu:x true
	[ "${lines[0]}" = "cgexec: -r needs exactly one -g <controllers>:<path>" ]
}

@test "cgexec -r: a transient group with the values, CMD's status, removed after" {
	defer cg_rm "$G"
	run cgexec -g cpuacct:"$G" -r cpu.cfs_quota_us=10000 -r cpu.cfs_period_us=50000 \
		-r cpu.shares=1536 sh -c "cat $CPU/$G/cpu.cfs_quota_us $CPU/$G/cpu.cfs_period_us \
		$CPU/$G/cpu.shares; grep -E ':cpu(acct)?:' /proc/self/cgroup; exit 3"
	[ "$status" -eq 3 ]
	[ "${lines[0]}" = 10000 ] && [ "${lines[1]}" = 50000 ] && [ "${lines[2]}" = 1536 ]
	[[ "$output" == *":cpuacct:/$G"* ]] && [[ "$output" == *":cpu:/$G"* ]]
	cg_gone "$G"
}

@test "cgexec -r: a nested transient group takes the parents it created with it" {
	defer cg_rm "$G"
	run cgexec -g cpu,cpuacct:"$G"/a/b -r cpu.shares=512 sh -c "cat $CPU/$G/a/b/cpu.shares"
	[ "$status" -eq 0 ] && [ "$output" = 512 ]
	cg_gone "$G"
	# A parent that existed before stays.
	cgcreate -g cpu:"$G"
	run cgexec -g cpu:"$G"/t -r cpu.shares=512 true
	[ "$status" -eq 0 ]
	[ -d "$CPU/$G" ] && [ ! -e "$CPU/$G/t" ]
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
	[ "$status" -eq 1 ] && [ "$output" = "cgexec: invalid value: cpu.shares=x" ]
	cg_gone "$G"
	run cgexec -g cpu:"$G"/sub -r cpu.cfs_quota_us=500 true
	[ "$status" -eq 1 ]
	[ "$output" = "cgexec: cannot write: '500' to $CPU/$G/sub/cpu.cfs_quota_us: Invalid argument" ]
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
	[ -d "$CPU/$G" ] && [ "$(cat "$CPU/$G/cpu.shares")" = 1024 ]
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
	run cgdelete -g cpu,cpuacct:"$G" cpu:"$G2"/x
	[ "$status" -eq 0 ] && [ -z "$output" ]
	cg_gone "$G"
	[ ! -e "$CPU/$G2/x" ]
	grep -q "^[0-9]*:cpu:/$G2\$" /proc/$pid/cgroup
}

@test "cgdelete: subgroups need -r; -r removes the whole tree" {
	defer cg_rm "$G"
	cgcreate -g cpu,cpuacct:"$G"/a/b -g cpu:"$G"/c
	run cgdelete -g cpu,cpuacct:"$G"
	[ "$status" -eq 1 ]
	# EBUSY: "Device or resource busy" (glibc), "Resource busy" (musl)
	[[ "$output" == "cgdelete: cannot remove group (it has subgroups, see -r): $CPU/$G: "*"esource busy" ]]
	[ -d "$CPU/$G/a/b" ] && [ -d "$CPUACCT/$G/a/b" ]
	run cgdelete -r -g cpu,cpuacct:"$G"
	[ "$status" -eq 0 ]
	cg_gone "$G"
}

@test "cgdelete: a missing group fails before anything is removed" {
	defer cg_rm "$G"
	cgcreate -g cpu:"$G"
	run cgdelete -g cpu:"$G" -g cpu,cpuacct:"$G"
	[ "$status" -eq 1 ]
	[ "$output" = "cgdelete: cannot find group: $CPUACCT/$G: No such file or directory" ]
	[ -d "$CPU/$G" ]
	run cgdelete -g cpu
	[ "$status" -eq 1 ]
	[ "$output" = "cgdelete: invalid group: 'cpu': expected CONTROLLER[,...]:PATH" ]
	run cgdelete cpu:/
	[ "$output" = "cgdelete: cannot remove group '/': it is a hierarchy's root" ]
	run cgdelete
	[ "${lines[0]}" = "cgdelete: no group given: [-g] <controllers>:<path>" ]
}

# ---- common ---------------------------------------------------------------

@test "--help, --version and bad options for every cg applet" {
	local a
	for a in cgcreate cgset cgget cgexec cgdelete; do
		run $a --help
		[ "$status" -eq 0 ] && [[ "${lines[0]}" == "Usage: $a "* ]]
		run $a -V
		[ "$status" -eq 0 ] && [ "$output" = "$a from ctrbox $($CTRBOX --version 2>/dev/null | sed 's/.* //' || true)" ] || [[ "$output" == "$a from ctrbox "* ]]
		run $a --bogus
		[ "$status" -eq 1 ]
		[ "${lines[0]}" = "$a: unrecognized option '--bogus'" ]
		[ "${lines[1]}" = "Try '$a --help' for more information." ]
	done
}

# rnd CHARS MAXLEN: a random string of those characters.
rnd() { head -c 300 /dev/urandom | tr -dc "$1" | head -c $((RANDOM % $2)); }
fz_dirs() { local m; for m in $(cg_mounts); do compgen -G "$m/ctrbox-test-fz*"; done; }
fz_clean() { local d m; for d in $(fz_dirs); do m=${d%/ctrbox-test-fz*}; cg_rm "${d#$m/}"; done; }

# Every -g/-r form through the parsers; the group part always stays under
# ctrbox-test-fz* (a ".." is refused), so nothing else can be touched. A
# failed cgcreate and any cgexec -r must leave no group behind.
@test "fuzz: random -g and -r never crash and leave no group" {
	defer cg_rm ctrbox-test-fuzz
	defer fz_clean
	cgcreate -g cpu,cpuacct,pids:ctrbox-test-fuzz
	local i c p n v st out
	for i in $(seq 1 ${FUZZ_ROUNDS:-150}); do
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
			if [ "$st" -gt 1 ] || [[ "$out" == *Sanitizer* ]] || [[ "$out" == *"runtime error"* ]]; then
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
	require_root
	local name
	for name in ' ' '=~' ''; do
		run cgget "$name" -t -l
		[ "$status" -eq 1 ]
		[[ "$output" == "cgget: "* ]]
	done
}
