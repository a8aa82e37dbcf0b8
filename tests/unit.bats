#!/usr/bin/env bats
# The libctr unit-test binaries (tests/unit/<module>_test.c, built by `make
# unit` next to the ctrbox under test, in $(BUILD)/unit/). Each prints TAP;
# a failing case shows its CHECK lines. Add a module: one @test calling
# run_unit MODULE.
load helpers
bats_require_minimum_version 1.5.0

UNIT_DIR=$(dirname "$CTRBOX")/unit

# What a unit case leaves only if it fails halfway: its child cgroups
# (ctrbox-test-secdev-PID) and temp dirs (/tmp/ctrbox-unit-*).
teardown() {
	local d
	for d in /sys/fs/cgroup/*/ctrbox-test-secdev-* /tmp/ctrbox-unit-*; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null
	done
	true
}

run_unit() {
	local bin="$UNIT_DIR/$1_test"
	[ -x "$bin" ] || { echo "missing $bin: run make unit"; return 1; }
	run "$bin" "${@:2}"
	echo "$output"
	[ "$status" -eq 0 ]
	! grep -q '^not ok' <<<"$output"
}

@test "unit: seccomp (tables, compiler, docker's default filter loaded)" {
	require_root
	run_unit seccomp
	# ENGINE-NOTES 5 expectations ran in the live case
	grep -q '^ok [0-9]* t_live$' <<<"$output"
	grep -q '^ok [0-9]* t_live_sys_admin$' <<<"$output"
}

@test "unit: devices (rules, device program vs rules, v1 and v2 groups for real)" {
	require_root
	require_cgroup_v1 devices
	awk '$9 == "cgroup2" { f = 1 } END { exit !f }' /proc/self/mountinfo || skip "no cgroup2 mount"
	run_unit devices
	grep -q '^ok [0-9]* t_v1$' <<<"$output"
	grep -q '^ok [0-9]* t_v2$' <<<"$output"
}
