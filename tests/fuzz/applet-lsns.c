/* applet-lsns.c: lsns's option parsing (parse_args), in
 * process; an input is argv[1..] separated by NUL bytes. */
// fuzz-applet: applets/lsns.c
#include "applet.h"
#include "../../applets/lsns.c"

#define FUZZ_APPLET "lsns"
#define FUZZ_OPTS struct options
#define FUZZ_PARSE(o, argc, argv) parse_args(o, argc, argv)
/* -Q's parse: freed by the process exit in lsns */
#define FUZZ_FREE(o) ctr_filter_free((o)->filter)
#include "applet-harness.h"
