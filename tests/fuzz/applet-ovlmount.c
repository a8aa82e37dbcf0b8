/* applet-ovlmount.c: ovlmount's option parsing (parse_args), in
 * process; an input is argv[1..] separated by NUL bytes. */
// fuzz-applet: applets/ovlmount.c
#include "applet.h"
#include "../../applets/ovlmount.c"

#define FUZZ_APPLET "ovlmount"
#define FUZZ_RESET(o) ((o)->mode = MODE_MOUNT)
#include "applet-harness.h"
