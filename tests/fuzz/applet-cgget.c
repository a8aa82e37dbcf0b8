/* applet-cgget.c: cgget's option parsing (parse_args), in
 * process; an input is argv[1..] separated by NUL bytes. */
// fuzz-applet: applets/cgget.c
#include "applet.h"
#include "../../applets/cgget.c"

#define FUZZ_APPLET "cgget"
#include "applet-harness.h"
