/* applet-nsenter.c: nsenter's option parsing (parse_args), in
 * process; an input is argv[1..] separated by NUL bytes. */
// fuzz-applet: applets/nsenter.c
#include "applet.h"
#include "../../applets/nsenter.c"

#define FUZZ_APPLET "nsenter"
#define FUZZ_PARSE(o, argc, argv) parse_args(o, argc, argv)
#include "applet-harness.h"
