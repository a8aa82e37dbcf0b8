#!/usr/bin/env bats
# STUDY-SESSION.md with ctrrun instead of docker run:
# 2.3 (1) `--cpuset-cpus 0 --cpu-quota 10000 --cpu-period 50000` gets ~20% of
#     the CPU and the files hold 10000 / 50000;
# 2.3 (2) `--cpu-shares 1024 / 1536 / 2560` on one CPU split it ~20/30/50;
# 2.4 (3) inspect's GraphDriver paths are the overlay the kernel mounted;
# 2.2 (3) the chroot escape program stays inside.
# CPU time is the container cgroup's own accounting, read with ctrbox's
# cgget (cpuacct.usage: v1 cpuacct, or v2 cpu.stat usage_usec translated),
# so the file runs unchanged on v1, v2 and hybrid hosts. The machine may be
# shared: shares are compared with each other, and the quota is a ceiling
# that outside load can only lower (then the other CPU is tried).

load helpers
load ctrrun-lib

setup() {
	require_ctrrun_image
}

teardown() {
	run_deferred
}

now_ns() { date +%s%N; }

# usage_pct GROUP...: CPU use over 3 s of each group, in tenths of a percent
# of one CPU.
usage_pct() {
	local g t0 t1 out=
	declare -A u0
	for g in "$@"; do u0[$g]=$(cgget -n -v -r cpuacct.usage "$g"); done
	t0=$(now_ns)
	sleep 3
	t1=$(now_ns)
	for g in "$@"; do
		out="$out $(( ($(cgget -n -v -r cpuacct.usage "$g") - ${u0[$g]}) * 1000 / (t1 - t0) ))"
	done
	echo $out
}

@test "2.3 (1): ctrrun --cpuset-cpus N --cpu-quota 10000 --cpu-period 50000 gets 20% of a CPU" {
	local cpu ref pct name contended=
	for cpu in 0 1; do
		[ -e /sys/devices/system/cpu/cpu$cpu ] || break
		name=q$cpu-$$
		# unlimited first: what a loop gets on this CPU right now
		$CR -d --name u$name --cpuset-cpus $cpu "$IMG" sh -c 'yes >/dev/null' >/dev/null
		defer "$CR rm -f u$name"
		sleep 0.3
		ref=$(usage_pct "$(cg_of u$name)")
		$CR rm -f u$name >/dev/null
		$CR -d --name $name --cpuset-cpus $cpu --cpu-quota 10000 --cpu-period 50000 "$IMG" \
			sh -c 'yes >/dev/null' >/dev/null
		defer "$CR rm -f $name"
		g=$(cg_of $name)
		[ "$(cgget -n -v -r cpu.cfs_quota_us -r cpu.cfs_period_us "$g")" = "$(printf '10000\n50000')" ]
		[ "$(cgget -n -v -r cpuset.cpus "$g")" = $cpu ]
		sleep 0.3
		pct=$(usage_pct "$g")
		$CR rm -f $name >/dev/null
		echo "# CPU $cpu: $((pct / 10)).$((pct % 10))% with the quota, $((ref / 10))% without" >&3
		[ "$pct" -le 250 ]
		[ "$pct" -ge 150 ] && return 0
		[ "$ref" -lt 600 ]   # only other load on the CPU may push it below the band
		contended="$contended $cpu"
	done
	echo "# CPUs$contended contended: only the 25% ceiling was checked" >&3
}

@test "2.3 (2): ctrrun --cpu-shares 1024 / 1536 / 2560 on one CPU split it 20 / 30 / 50" {
	local s g gs= total a b c
	for s in 1024 1536 2560; do
		$CR -d --name sh$s-$$ --cpuset-cpus 0 --cpu-shares $s "$IMG" sh -c 'yes >/dev/null' >/dev/null
		defer "$CR rm -f sh$s-$$"
		g=$(cg_of sh$s-$$)
		[ "$(cgget -n -v -r cpu.shares "$g")" = $s ]
		gs="$gs $g"
	done
	sleep 0.5
	set -- $(usage_pct $gs)
	total=$(( $1 + $2 + $3 ))
	[ "$total" -gt 0 ]
	a=$(( $1 * 100 / total )) b=$(( $2 * 100 / total )) c=$(( $3 * 100 / total ))
	echo "# split $a / $b / $c % (of $((total / 10))% of CPU 0)" >&3
	[ "$a" -ge 14 ] && [ "$a" -le 26 ]
	[ "$b" -ge 24 ] && [ "$b" -le 36 ]
	[ "$c" -ge 43 ] && [ "$c" -le 57 ]
	# docker's default is 1024
	$CR -d --name shd-$$ "$IMG" sleep 30 >/dev/null
	defer "$CR rm -f shd-$$"
	[ "$(cgget -n -v -r cpu.shares "$(cg_of shd-$$)")" = 1024 ]
}

@test "2.4 (3): inspect's GraphDriver LowerDir/UpperDir/WorkDir/MergedDir match the kernel's overlay" {
	local L1="$BATS_TEST_TMPDIR/layer1" pid mi lower upper work merged
	mkdir -p "$L1"
	echo abc >"$L1/abc.txt"
	$CR -d --name gd-$$ "$L1:$IMG" sleep 30 >/dev/null
	defer "$CR rm -f gd-$$"
	pid=$($CR inspect -f '{{.State.Pid}}' gd-$$)
	lower=$($CR inspect -f '{{.GraphDriver.Data.LowerDir}}' gd-$$)
	upper=$($CR inspect -f '{{.GraphDriver.Data.UpperDir}}' gd-$$)
	work=$($CR inspect -f '{{.GraphDriver.Data.WorkDir}}' gd-$$)
	merged=$($CR inspect -f '{{.GraphDriver.Data.MergedDir}}' gd-$$)
	[ "$($CR inspect -f '{{.GraphDriver.Name}}' gd-$$)" = overlay2 ]
	[ "$lower" = "$L1:$IMG" ]
	# the container's root mount, as the kernel reports it
	mi=$(awk '$5 == "/" { for (i = 7; $i != "-"; i++); print $(i + 1), $(i + 3) }' /proc/$pid/mountinfo)
	[ "${mi%% *}" = overlay ]
	opts=${mi#* }
	k_lower=$(echo "$opts" | tr ',' '\n' | sed -n 's/^lowerdir+\{0,1\}=//p' | paste -sd:)
	k_upper=$(echo "$opts" | tr ',' '\n' | sed -n 's/^upperdir=//p')
	k_work=$(echo "$opts" | tr ',' '\n' | sed -n 's/^workdir=//p')
	[ "$k_lower" = "$lower" ]
	[ "$k_upper" = "$upper" ]
	[ "$k_work" = "$work" ]
	# merged: where it was mounted before pivot_root, next to upper and work
	[ "$merged" = "$(dirname "$upper")/merged" ] && [ -d "$merged" ]
	# a write lands in UpperDir only, and the layers stay as they were
	$CR exec gd-$$ sh -c 'echo new >/new.txt; rm /abc.txt' 2>/dev/null ||
		nsenter -t "$pid" -m sh -c 'echo new >/new.txt; rm /abc.txt'
	[ "$(cat "$upper/new.txt")" = new ]
	[ "$(stat -c %F:%t:%T "$upper/abc.txt")" = "character special file:0:0" ]
	[ "$(cat "$L1/abc.txt")" = abc ]
}

@test "2.2 (3): the chroot escape program reaches the host under chroot, not under ctrrun" {
	[ -x "$IMG/escape" ] || skip "needs cc -static for tests/escape.c"
	touch /tmp/ctrrun-escape-marker-$$
	defer "rm -f /tmp/ctrrun-escape-marker-$$"
	# the control: plain chroot into a copy of the image escapes
	cp -a "$IMG" "$BATS_TEST_TMPDIR/chr"
	run chroot "$BATS_TEST_TMPDIR/chr" /escape /bin/ls /tmp
	[[ "$output" == *ctrrun-escape-marker-$$* ]]
	run $CR --rm "$IMG" /escape /bin/ls /tmp
	[[ "$output" != *ctrrun-escape-marker-$$* ]]
	[[ "$output" != *bats-run* ]]
}
