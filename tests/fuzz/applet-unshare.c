/* applet-unshare.c: unshare's option parsing (parse_args and its checks), in
 * process; an input is argv[1..] separated by NUL bytes. */
// fuzz-applet: applets/unshare.c
#include "applet.h"
#include "../../applets/unshare.c"

#define FUZZ_APPLET "unshare"
#define FUZZ_PARSE(o, argc, argv) (parse_args(argc, argv, o), check_args(o))
#define FUZZ_RESET(o) (memset(&usermap, 0, sizeof(usermap)), memset(&groupmap, 0, sizeof(groupmap)))
#include "applet-harness.h"
