#!/usr/bin/env bats
# fuzz.bats: every libFuzzer harness in tests/fuzz/ builds and runs briefly
# (FUZZ_SECONDS, default 5) over its seed corpus without a crash, a leak or a
# sanitizer report. `make fuzz` runs them longer. Needs clang and libFuzzer
# (clang, libclang-rt-14-dev: tests/install-deps.sh installs them).

load helpers

setup_file() {
	command -v clang >/dev/null || skip "needs clang (apt-get install clang libclang-rt-14-dev)"
}

@test "every harness has a seed corpus" {
	local f n
	for f in "$BATS_TEST_DIRNAME"/fuzz/*.c; do
		n=$(basename "$f" .c)
		[ -n "$(ls -A "$BATS_TEST_DIRNAME/fuzz/corpus/$n" 2>/dev/null)" ] ||
			{ echo "no seeds for $n"; false; }
	done
}

@test "libFuzzer harnesses: each runs ${FUZZ_SECONDS:-5}s without a finding" {
	run sh "$BATS_TEST_DIRNAME/fuzz/run.sh" "${FUZZ_SECONDS:-5}"
	echo "$output"
	[ "$status" -ne 2 ] || skip "clang cannot link libFuzzer: $output"
	[ "$status" -eq 0 ]
	# every harness ran and reported its count
	[ "$(grep -c ' ok, [0-9]* runs' <<<"$output")" -eq "$(ls "$BATS_TEST_DIRNAME"/fuzz/*.c | wc -l)" ]
}

@test "a harness finds a planted bug: the framework fails on a crash" {
	local d=$BATS_TEST_TMPDIR
	mkdir -p "$d/h/corpus/planted"
	printf '%s\n' '#include "fuzz.h"' 'char planted[4];' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
		'{ if (n >= 2 && d[0] == 0x78) memcpy(planted, d, n); return 0; }' >"$d/h/planted.c"
	printf 'xyzzy-overflow' >"$d/h/corpus/planted/seed"
	FUZZ_SRC=$d/h run sh "$BATS_TEST_DIRNAME/fuzz/run.sh" 5 planted
	[ "$status" -eq 1 ]
	[[ "$output" == *"planted FAILED"* ]]
	[[ "$output" == *"global-buffer-overflow"* ]]
	local out=${FUZZ_OUT:-$BATS_TEST_DIRNAME/../build-fuzz}
	rm -rf "$out/planted" "$out/planted.log" "$out/corpus/planted" "$out/"crash-planted-*
}
