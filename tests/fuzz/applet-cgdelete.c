/* applet-cgdelete.c: cgdelete's option parsing (parse_args), in
 * process; an input is argv[1..] separated by NUL bytes. */
// fuzz-applet: applets/cgdelete.c
#include "applet.h"
#include "../../applets/cgdelete.c"

#define FUZZ_APPLET "cgdelete"
#include "applet-harness.h"
