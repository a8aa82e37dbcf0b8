/* applet-nsenter.c: nsenter's option parsing (parse_args), in
 * process; an input is argv[1..] separated by NUL bytes. */
// fuzz-applet: applets/nsenter.c
#include "applet.h"
#include "../../applets/nsenter.c"

static int fuzz_argc;
static char **fuzz_args;

static void go(void *arg)
{
	struct opts *o = arg;

	parse_args(o, fuzz_argc, fuzz_args);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct opts o;
	char *buf;

	memset(&o, 0, sizeof(o));
	fuzz_args = fuzz_argv("nsenter", data, size, &fuzz_argc, &buf);
	fuzz_call(go, &o);
	free(fuzz_args);
	free(buf);
	return 0;
}
