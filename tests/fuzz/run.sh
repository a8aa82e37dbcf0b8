#!/bin/sh
# tests/fuzz/run.sh [SECONDS] [NAME...]: build every libFuzzer harness
# tests/fuzz/NAME.c (or those named) with clang and ASan+UBSan against libctr,
# then run each for SECONDS (default $FUZZ_SECONDS, else 30) over its corpus
# tests/fuzz/corpus/NAME/. New inputs go to build-fuzz/corpus/NAME/ ($FUZZ_OUT), crashes
# to build-fuzz/crash-NAME-*; a crash, a leak or a sanitizer report fails it:
# copy the input into tests/fuzz/corpus/NAME/ as a regression seed once fixed.
# Exit 2 when clang or libFuzzer is missing (tests/install-deps.sh installs
# clang and libclang-rt-14-dev).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-${FUZZ_SECONDS:-30}}
[ $# -gt 0 ] && shift
out=${FUZZ_OUT:-$top/build-fuzz}	# the build, corpora grown, logs, crashes
src=${FUZZ_SRC:-$top/tests/fuzz}	# harnesses and corpus/ (tests use another)
CC=${FUZZ_CC:-clang}
command -v "$CC" >/dev/null 2>&1 || { echo "fuzz: $CC not found" >&2; exit 2; }
FLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
CFLAGS="-std=gnu11 -Wall -Wextra -Werror -Wno-unused-function -D_GNU_SOURCE -I$top/include -I$top/applets -I$top/tests/fuzz -DCTRBOX_VERSION=\"fuzz\""
mkdir -p "$out/lib" "$out/corpus" || exit 1

# libctr once, instrumented for coverage (fuzzer-no-link).
objs=
for c in "$top"/libctr/*.c "$top"/applets/common.c; do
	o=$out/lib/$(basename "$c" .c).o
	if [ ! -f "$o" ] || [ "$c" -nt "$o" ] || [ -n "$(find "$top/include" "$top/applets/common.h" -newer "$o" 2>/dev/null | head -1)" ]; then
		$CC $FLAGS -fsanitize=fuzzer-no-link $CFLAGS -c -o "$o" "$c" || exit 1
	fi
	case $c in */common.c) common=$o ;; *) objs="$objs $o" ;; esac
done
# A test link: is libFuzzer there?
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){(void)d;(void)n;return 0;}\n' >"$out/probe.c"
$CC -fsanitize=fuzzer -o "$out/probe" "$out/probe.c" 2>/dev/null ||
	{ echo "fuzz: clang cannot link -fsanitize=fuzzer (libclang-rt-*-dev missing?)" >&2; exit 2; }

names=${*:-$(cd "$src" && ls *.c | sed 's/\.c$//')}
fail=0
for n in $names; do
	c=$src/$n.c
	extra=
	if grep -q '^// fuzz-applet:' "$c"; then
		extra="$common -Wl,--wrap=exit"
	fi
	$CC $FLAGS -fsanitize=fuzzer $CFLAGS -o "$out/$n" "$c" $objs $extra || { fail=1; continue; }
	mkdir -p "$out/corpus/$n" "$src/corpus/$n"
	log=$out/$n.log
	# -close_fd_mask=3: the applets' own messages are noise here.
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
	"$out/$n" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -close_fd_mask=3 \
		-max_len=4096 -artifact_prefix="$out/crash-$n-" -print_final_stats=1 \
		"$out/corpus/$n" "$src/corpus/$n" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	if [ $rc -ne 0 ]; then
		echo "fuzz: $n FAILED (exit $rc, log $log)"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -5
		fail=1
	else
		echo "fuzz: $n ok, ${execs:-?} runs in ${secs}s"
	fi
done
exit $fail
