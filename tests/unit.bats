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
	run_deferred
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

@test "unit: seccomp (tables, docker's default on both arches, loaded for real)" {
	require_root
	run_unit seccomp
	# ENGINE-NOTES 5 expectations ran in the live case
	grep -q '^ok [0-9]* t_live$' <<<"$output"
	grep -q '^ok [0-9]* t_live_sys_admin$' <<<"$output"
}

@test "unit: seccomp_compile (operators, chains, rule order, trampolines vs references)" {
	run_unit seccomp_compile
}

@test "unit: devices (rules, device program vs rules, v1 and v2 groups for real, v1 = v2 = model)" {
	require_root
	require_cgroup_v1 devices
	awk '$9 == "cgroup2" { f = 1 } END { exit !f }' /proc/self/mountinfo || skip "no cgroup2 mount"
	run_unit devices
	grep -q '^ok [0-9]* t_v1$' <<<"$output"
	grep -q '^ok [0-9]* t_v2$' <<<"$output"
	grep -q '^ok [0-9]* t_v1_v2_model$' <<<"$output"
}

@test "unit: tty (pty without paths, controlling tty, raw/restore, winsize, console socket, relay)" {
	run_unit tty
	grep -q '^ok [0-9]* t_relay_bulk$' <<<"$output"
}

# runc (Debian's 1.1.5, libseccomp 2.5.4) gets our docker policy as OCI JSON;
# the filter runc+libseccomp loaded into the container's process is fetched
# with PTRACE_SECCOMP_GET_FILTER and run beside ours on every syscall number
# with the argument values the profile tests. Allowed differences: syscalls
# libseccomp 2.5.4 does not know, and nr -1 (ENOSYS here, EPERM there).
@test "unit: seccomp verdicts match runc's filter for the same policy" {
	require_root
	require_cmd runc jq
	local bin="$UNIT_DIR/seccomp_test" b id
	[ -x "$bin" ] || false
	ldd "$bin" >/dev/null 2>&1 && skip "unit binaries are dynamic in this build"
	b=$(mktemp -d /tmp/ctrbox-unit-runc-XXXXXX)
	id=ctrbox-test-secdev-$$
	defer "rm -rf '$b'"
	mkdir "$b/rootfs" "$b/state"
	cp "$bin" "$b/rootfs/probe"
	"$bin" --oci-json >"$b/seccomp.json"
	(cd "$b" && runc spec)
	jq --slurpfile sc "$b/seccomp.json" '.process.args = ["/probe", "--pause"] |
		.process.terminal = false | .linux.seccomp = $sc[0]' "$b/config.json" >"$b/c.json"
	mv "$b/c.json" "$b/config.json"
	defer "runc --root '$b/state' delete -f $id >/dev/null 2>&1"
	runc --root "$b/state" run -d --bundle "$b" "$id" </dev/null >/dev/null
	pid=$(runc --root "$b/state" state "$id" | jq .pid)
	grep -q '^Seccomp:.2' "/proc/$pid/status"
	run "$bin" --diff "$pid"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q '# [0-9]* expected differences, 0 unexpected' <<<"$output"
}

# The pure cases (tables, compiler through the interpreter, device program
# vs rules) of an aarch64 build, under qemu-user: the kernel-facing ones need
# the aarch64 VM.
@test "unit: seccomp and devices pure cases on aarch64 (qemu-user)" {
	require_cmd aarch64-linux-musl-gcc qemu-aarch64-static
	local top b
	top=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	b=$(mktemp -d /tmp/ctrbox-unit-arm64-XXXXXX)
	defer "rm -rf '$b'"
	make -s -C "$top" -j2 CC=aarch64-linux-musl-gcc BUILD="$b" unit >/dev/null
	run qemu-aarch64-static "$b/unit/seccomp_test" t_names t_default_x86_64 t_default_aarch64
	echo "$output"
	[ "$status" -eq 0 ]
	run qemu-aarch64-static "$b/unit/seccomp_compile_test"
	echo "$output"
	[ "$status" -eq 0 ]
	run qemu-aarch64-static "$b/unit/devices_test" t_parse_format t_parse_fuzz t_default \
		t_bpf_vs_rules
	echo "$output"
	[ "$status" -eq 0 ]
}
