#!/usr/bin/env bats
# The VM rig itself (tests/vm/run.sh): failing, hanging and leaky scenarios
# make it fail, passing and skipping ones do not, and a boot that overruns is
# killed. The scenarios are in tests/vm/selftest/; each run boots qemu, so
# the rig's own TAP stays inside bats' captured output.
load helpers

teardown() { run_deferred; }

setup() {
	sh "$BATS_TEST_DIRNAME/vm/available.sh" || skip "needs qemu-system-x86_64 and /boot/vmlinuz-*"
	rig="$BATS_TEST_DIRNAME/vm/run.sh"
	st="$BATS_TEST_DIRNAME/vm/selftest"
	export VM_DIR="$BATS_TEST_TMPDIR/vm"
}

@test "vm rig: failing, hanging and leaky scenarios fail the run; passing and skipping ones pass" {
	VM_VARIANTS=2 VM_SCENARIO_TIMEOUT=3 run sh "$rig" "$CTRBOX" \
		"$st/rig-fail.sh" "$st/rig-hang.sh" "$st/rig-leftover.sh" "$st/rig-pass.sh" "$st/rig-skip.sh"
	[ "$status" -eq 1 ]
	[ "$(printf '%s\n' "${lines[@]}" | grep -E '^(not )?ok ')" = "not ok 1 - v2 rig-fail (exit 3)
not ok 2 - v2 rig-hang (timeout)
not ok 3 - v2 rig-leftover (leftovers)
ok 4 - v2 rig-pass
ok 5 - v2 rig-skip # skip skipping on purpose" ]
	[[ "$output" == *"#   deliberate failure"* ]]
	[[ "$output" == *"#   rig: timed out after 2 s"* ]]
	[[ "$output" == *"#   rig: left behind processes: "* ]]
	[[ "$output" == *"#   rig: left behind (mounts, cgroups):"*"/tmp/rig-leftover/m"* ]]
	[[ "$output" == *"#   +/sys/fs/cgroup/rig-leftover"* ]]
	[ "${lines[-1]}" = "1..5" ]
	grep -q '^ctrbox-vm: done v2: 5 scenarios, 1 passed, 3 failed, 1 skipped' "$VM_DIR/v2.log"
}

@test "vm rig: passing scenarios pass in both variants, numbered as one TAP stream" {
	run sh "$rig" "$CTRBOX" "$st/rig-pass.sh" "$st/rig-skip.sh"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | grep -E '^(not )?ok ')" = "ok 1 - v2 rig-pass
ok 2 - v2 rig-skip # skip skipping on purpose
ok 3 - v1 rig-pass
ok 4 - v1 rig-skip # skip skipping on purpose" ]
	[[ "$output" == *"# v2: boot to poweroff "* ]]
	[[ "$output" == *"# v1: boot to poweroff "* ]]
}

@test "vm rig: a boot that overruns VM_TIMEOUT is killed, retried once, and fails" {
	VM_VARIANTS=2 VM_TIMEOUT=1 run sh "$rig" "$CTRBOX" "$st/rig-hang.sh"
	[ "$status" -eq 1 ]
	[[ "$output" == *"# v2: no result line (timeout after 1 s), retrying"* ]]
	[[ "$output" == *"not ok 1 - v2 boot: timeout after 1 s (log: $VM_DIR/v2.failed-2.log)"* ]]
	[ -f "$VM_DIR/v2.failed-1.log" ]
	[ -f "$VM_DIR/v2.failed-2.log" ]
	# qemu was killed by PID: none runs on this rig's initramfs any more.
	! pgrep -f "$VM_DIR/initramfs" >/dev/null
}

@test "vm rig: a kernel panic fails the run" {
	VM_VARIANTS=2 VM_RETRIES=0 run sh "$rig" "$CTRBOX" "$st/rig-panic.sh"
	[ "$status" -eq 1 ]
	[[ "$output" == *"not ok 1 - v2 boot: kernel panic (log: $VM_DIR/v2.failed-1.log)"* ]]
	[[ "$output" != *retrying* ]]
	grep -q 'Kernel panic - not syncing' "$VM_DIR/v2.failed-1.log"
}

@test "vm rig: a rig that cannot run (missing scenario, helper that does not compile) says not ok" {
	run sh "$rig" "$CTRBOX" "$BATS_TEST_TMPDIR/nope.sh"
	[ "$status" -eq 2 ]
	[ "$output" = "not ok 1 - vm rig: no such scenario: $BATS_TEST_TMPDIR/nope.sh" ]
	mkdir "$BATS_TEST_TMPDIR/s"
	printf 'exit 0\n' >"$BATS_TEST_TMPDIR/s/x.sh"
	printf 'int main(void) { int unused; return 0; }\n' >"$BATS_TEST_TMPDIR/s/x.c"
	run sh "$rig" "$CTRBOX" "$BATS_TEST_TMPDIR/s/x.sh"
	[ "$status" -eq 2 ]
	[ "${lines[-1]}" = "not ok 1 - vm rig: cannot compile $BATS_TEST_TMPDIR/s/x.c" ]
}
