/* ctrrun_exec.c: `ctrrun exec`: join a running container. */
#include "common.h"
#include "ctrrun.h"

int ctrrun_exec(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ctr_errx("exec: not implemented yet");
}
