/* applet-unshare.c: unshare's option parsing (parse_args and its checks), in
 * process; an input is argv[1..] separated by NUL bytes. */
// fuzz-applet: applets/unshare.c
#include "applet.h"
#include "../../applets/unshare.c"

static int fuzz_argc;
static char **fuzz_args;

static void go(void *arg)
{
	struct opts *o = arg;

	parse_args(fuzz_argc, fuzz_args, o);
	check_args(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct opts o;
	char *buf;

	memset(&o, 0, sizeof(o));
	memset(&usermap, 0, sizeof(usermap));
	memset(&groupmap, 0, sizeof(groupmap));
	fuzz_args = fuzz_argv("unshare", data, size, &fuzz_argc, &buf);
	fuzz_call(go, &o);
	free(fuzz_args);
	free(buf);
	return 0;
}
