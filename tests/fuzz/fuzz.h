/* fuzz.h: what every libFuzzer harness in tests/fuzz/ shares.
 *
 * A harness is one file tests/fuzz/NAME.c defining LLVMFuzzerTestOneInput;
 * tests/fuzz/run.sh builds each with clang -fsanitize=fuzzer,address,undefined
 * against libctr, and runs it over tests/fuzz/corpus/NAME/ (seeds and
 * regression inputs; create the directory with one seed or more).
 * A harness that includes an applet (APPLET harness: it names the applet's
 * source in a line "// fuzz-applet: applets/X.c" so that run.sh links
 * applets/common.c and wraps exit()) uses fuzz_argv() and fuzz_call(). */
#ifndef CTR_FUZZ_H
#define CTR_FUZZ_H

#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A NUL-terminated copy of the input (free it). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
