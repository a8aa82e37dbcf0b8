/* applet-cgexec.c: cgexec's option parsing (parse_args), in
 * process; an input is argv[1..] separated by NUL bytes. */
// fuzz-applet: applets/cgexec.c
#include "applet.h"
#include "../../applets/cgexec.c"

#define FUZZ_APPLET "cgexec"
#include "applet-harness.h"
