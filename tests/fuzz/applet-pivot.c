/* applet-pivot.c: pivot's option parsing (parse_args), in
 * process; an input is argv[1..] separated by NUL bytes. */
// fuzz-applet: applets/pivot.c
#include "applet.h"
#include "../../applets/pivot.c"

static int fuzz_argc;
static char **fuzz_args;

static void go(void *arg)
{
	struct options *o = arg;

	parse_args(fuzz_argc, fuzz_args, o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct options o;
	char *buf;

	memset(&o, 0, sizeof(o));
	fuzz_args = fuzz_argv("pivot", data, size, &fuzz_argc, &buf);
	fuzz_call(go, &o);
	free(o.binds);	/* parse_args' calloc: the exit path leaves it to the process exit */
	free(fuzz_args);
	free(buf);
	return 0;
}
