/* applet-pivot.c: pivot's option parsing (parse_args), in
 * process; an input is argv[1..] separated by NUL bytes. */
// fuzz-applet: applets/pivot.c
#include "applet.h"
#include "../../applets/pivot.c"

#define FUZZ_APPLET "pivot"
#define FUZZ_OPTS struct options
/* parse_args' calloc: freed by the process exit in pivot */
#define FUZZ_FREE(o) free((o)->binds)
#include "applet-harness.h"
