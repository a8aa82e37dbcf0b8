/* applet-cgcreate.c: cgcreate's option parsing (parse_args), in
 * process; an input is argv[1..] separated by NUL bytes. */
// fuzz-applet: applets/cgcreate.c
#include "applet.h"
#include "../../applets/cgcreate.c"

#define FUZZ_APPLET "cgcreate"
#include "applet-harness.h"
