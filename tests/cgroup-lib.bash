# cgroup-lib.bash: where each controller lives on the layout this test runs
# on (cgroup v1, pure v2, or a hybrid of both), read from /proc/self/mountinfo
# as ctrbox reads it: a v1 hierarchy naming the controller, else the first
# cgroup2 mount when its root offers it ("cpuacct" means the v2 tree there:
# v2 has no cpuacct, cpu.stat counts CPU time). Loaded by cgroup.bats,
# study-2.3.bats and diff-cgroup.bats after helpers.bash. Needs only sh, awk,
# grep, sed, find, xargs, kill (busybox applets do), so it runs in the VM rig.

# The v1 mount point of a controller ("" if no v1 hierarchy has it).
cg_v1dir() {
	awk -v c="$1" '$9 == "cgroup" && (","$NF",") ~ ","c"," { print $5; exit }' /proc/self/mountinfo
}

# The first cgroup2 mount point ("" if none).
cg_v2root() {
	awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo
}

# Where the groups of a controller live, and which version: cg_dir CTRL
# prints the mount point, cg_ver CTRL prints 1 or 2 ("" when unavailable).
cg_dir() {
	local d r
	d=$(cg_v1dir "$1")
	if [ -n "$d" ]; then echo "$d"; return; fi
	r=$(cg_v2root)
	[ -n "$r" ] || return 0
	if [ "$1" = cpuacct ] || grep -qw "$1" "$r/cgroup.controllers" 2>/dev/null; then
		echo "$r"
	fi
}
cg_ver() {
	if [ -n "$(cg_v1dir "$1")" ]; then echo 1
	elif [ -n "$(cg_dir "$1")" ]; then echo 2
	fi
}

# Mount points of every cgroup hierarchy.
cg_mounts() { awk '$9 == "cgroup" || $9 == "cgroup2" { print $5 }' /proc/self/mountinfo; }

# Test cleanup: kill what is in group $1 and remove it (and subgroups) from
# every hierarchy.
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

# Is process $1 in group $2 of controller $3 (by its /proc/PID/cgroup)?
cg_member() {
	if [ "$(cg_ver "$3")" = 1 ]; then
		grep -Eq "^[0-9]+:([^:]*,)?$3(,[^:]*)?:/$2\$" "/proc/$1/cgroup"
	else
		grep -qx "0::/$2" "/proc/$1/cgroup"
	fi
}

# The setup mode libcgroup's cgget -m names: legacy, hybrid or unified.
cg_mode() {
	local v1 v2
	v1=$(awk '$9 == "cgroup" { n++ } END { print n + 0 }' /proc/self/mountinfo)
	v2=$(cg_v2root)
	if [ "$v1" = 0 ]; then echo unified
	elif [ -n "$v2" ]; then echo hybrid
	else echo legacy
	fi
}

# CPU time of a group in ns, from the kernel's own accounting: v1
# cpuacct.usage, v2 cpu.stat usage_usec.
cg_usage_ns() {
	local d
	d=$(cg_dir cpuacct)
	if [ "$(cg_ver cpuacct)" = 1 ]; then
		cat "$d/$1/cpuacct.usage"
	else
		awk '$1 == "usage_usec" { printf "%d000\n", $2 }' "$d/$1/cpu.stat"
	fi
}

# The weight crun and runc give the cpu.shares values these tests use,
# computed outside ctrbox (gawk: ceil(10^((l^2 + 125 l)/612 - 7/34)),
# l = log2(shares)); busybox awk has no log/exp, hence the table.
weight_of() {
	case $1 in
	2) echo 1 ;; 100) echo 17 ;; 512) echo 59 ;; 1024) echo 100 ;; 1536) echo 138 ;;
	2048) echo 174 ;; 2560) echo 208 ;; *) echo "weight_of: no entry for $1" >&2; return 1 ;;
	esac
}
