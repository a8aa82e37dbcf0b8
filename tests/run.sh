#!/bin/sh
# tests/run.sh CTRBOX: every bats file, then the VM rig when it can run here,
# the skipped tests with their reasons, and one closing line
# "tests: N passed, N failed, N skipped".
# TESTS="tests/foo.bats ..." narrows the bats run; VM=0 skips the rig;
# CTRBOX_AARCH64 (default build-aarch64/ctrbox) is the aarch64 rig's binary.
ctrbox=$1
top=$(cd "$(dirname "$0")/.." && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

CTRBOX=$ctrbox bats --tap ${TESTS:-"$top"/tests/*.bats} 2>&1 | tee "$log"
if [ "${VM:-1}" != 0 ]; then
	if sh "$top/tests/vm/available.sh"; then
		sh "$top/tests/vm/run.sh" "$ctrbox" 2>&1 | tee -a "$log"
	else
		echo "# VM rig skipped: qemu-system-x86_64 or /boot/vmlinuz-* missing" | tee -a "$log"
	fi
	# The aarch64 rig, on the aarch64 build (CTRBOX_AARCH64, as make test sets).
	a64=${CTRBOX_AARCH64:-$top/build-aarch64/ctrbox}
	if [ -f "$a64" ] && sh "$top/tests/vm/available.sh" aarch64; then
		VM_ARCH=aarch64 sh "$top/tests/vm/run.sh" "$a64" 2>&1 | tee -a "$log"
	else
		echo "# VM rig (aarch64) skipped: no $a64, or no qemu-system-aarch64, qemu-aarch64-static, aarch64-linux-musl-gcc, arm64 kernel" | tee -a "$log"
	fi
fi
passed=$(grep -E '^ok ' "$log" | grep -vc '# skip')
skipped=$(grep -E '^ok ' "$log" | grep -c '# skip')
failed=$(grep -cE '^not ok ' "$log")
# The skips with their reasons, just before the closing line.
if [ "$skipped" -gt 0 ]; then
	echo "# skipped ($skipped):"
	grep -E '^ok .*# skip' "$log" | sed -E 's/^ok [0-9]+ (- )?/#   /; s/ # skip$/: (no reason given)/; s/ # skip ?/: /'
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
