/* applet.h: fuzzing an applet's option parsing, in process.
 *
 * The harness #includes the applet's source and calls its parse function
 * through fuzz_call(). The applet reports errors and --help by exit(): run.sh
 * links APPLET harnesses with -Wl,--wrap=exit, and __wrap_exit() below jumps
 * back to fuzz_call() instead, so an input that the applet refuses is a normal
 * return, not the end of the fuzzer. Its messages go to stderr (run.sh passes
 * -close_fd_mask=3). Leaks on those jumps are the process exit's to free in
 * the real program: leak checking is off for these harnesses. */
#ifndef CTR_FUZZ_APPLET_H
#define CTR_FUZZ_APPLET_H

#include <getopt.h>
#include <setjmp.h>
#include "fuzz.h"

static jmp_buf fuzz_jmp;
static int fuzz_armed;

void __real_exit(int status);
void __wrap_exit(int status);
void __wrap_exit(int status)
{
	if (fuzz_armed)
		longjmp(fuzz_jmp, 1);
	__real_exit(status);
}

int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void)
{
	return 1;
}

/* Split the input on NUL bytes into argv[1..] (argv[0] = name), at most 64
 * words; the strings live in *buf (free it and the vector). */
static inline char **fuzz_argv(const char *name, const uint8_t *data, size_t size,
			       int *argc, char **buf)
{
	char **argv = calloc(66, sizeof(char *));
	char *s = fuzz_str(data, size), *p = s, *end = s + size;
	int n = 0;

	if (!argv)
		abort();
	argv[n++] = (char *)name;
	while (p <= end && n < 65) {
		argv[n++] = p;
		p += strlen(p) + 1;
	}
	argv[n] = NULL;
	*argc = n;
	*buf = s;
	return argv;
}

/* Run fn(arg) with exit() caught; getopt reset first (glibc: optind = 0). */
static inline int fuzz_call(void (*fn)(void *arg), void *arg)
{
	optind = 0;
	opterr = 0;
	fuzz_armed = 1;
	if (setjmp(fuzz_jmp)) {
		fuzz_armed = 0;
		return -1;
	}
	fn(arg);
	fuzz_armed = 0;
	return 0;
}

#endif
