/* applet-lsns.c: lsns's option parsing (parse_args), in
 * process; an input is argv[1..] separated by NUL bytes. */
// fuzz-applet: applets/lsns.c
#include "applet.h"
#include "../../applets/lsns.c"

static int fuzz_argc;
static char **fuzz_args;

static void go(void *arg)
{
	struct options *o = arg;

	parse_args(o, fuzz_argc, fuzz_args);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct options o;
	char *buf;

	memset(&o, 0, sizeof(o));
	fuzz_args = fuzz_argv("lsns", data, size, &fuzz_argc, &buf);
	fuzz_call(go, &o);
	ctr_filter_free(o.filter);	/* -Q's parse: freed by the process exit in lsns */
	free(fuzz_args);
	free(buf);
	return 0;
}
