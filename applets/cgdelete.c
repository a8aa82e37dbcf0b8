/* cgdelete: placeholder until the applet lands. */
#include "common.h"

int cgdelete_main(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	ctr_errx("not implemented yet");
}
