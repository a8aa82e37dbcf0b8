/* applet-harness.h: the whole libFuzzer harness of an applet's option
 * parsing; an input is argv[1..] separated by NUL bytes. A harness
 * #includes applet.h, then the applet's source, defines what differs and
 * #includes this last:
 *   FUZZ_APPLET                its name, argv[0] ("cgcreate")
 *   FUZZ_OPTS                  its options type (default: struct opts)
 *   FUZZ_PARSE(o, argc, argv)  the parse (default: parse_args(argc, argv, o))
 *   FUZZ_RESET(o)              optional: more set-up before each input
 *   FUZZ_FREE(o)               optional: what the parse allocated (in the
 *                              applet the process exit frees it) */
#ifndef CTR_FUZZ_APPLET_HARNESS_H
#define CTR_FUZZ_APPLET_HARNESS_H

#ifndef FUZZ_OPTS
#define FUZZ_OPTS struct opts
#endif
#ifndef FUZZ_PARSE
#define FUZZ_PARSE(o, argc, argv) parse_args(argc, argv, o)
#endif
#ifndef FUZZ_RESET
#define FUZZ_RESET(o) ((void)(o))
#endif
#ifndef FUZZ_FREE
#define FUZZ_FREE(o) ((void)(o))
#endif

static int fuzz_argc;
static char **fuzz_args;

static void go(void *arg)
{
	FUZZ_OPTS *o = arg;

	FUZZ_PARSE(o, fuzz_argc, fuzz_args);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FUZZ_OPTS o;
	char *buf;

	memset(&o, 0, sizeof(o));
	FUZZ_RESET(&o);
	fuzz_args = fuzz_argv(FUZZ_APPLET, data, size, &fuzz_argc, &buf);
	fuzz_call(go, &o);
	FUZZ_FREE(&o);
	free(fuzz_args);
	free(buf);
	return 0;
}

#endif
