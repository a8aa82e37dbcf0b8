/* applet-cgset.c: cgset's option parsing (parse_args), in
 * process; an input is argv[1..] separated by NUL bytes. */
// fuzz-applet: applets/cgset.c
#include "applet.h"
#include "../../applets/cgset.c"

#define FUZZ_APPLET "cgset"
#include "applet-harness.h"
