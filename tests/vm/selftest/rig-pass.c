/* C helper of rig-pass.sh: the rig compiles it static into $SCENARIO_BIN. */
#include <stdio.h>

int main(int argc, char *argv[])
{
	if (argc != 2)
		return 2;
	printf("helper ran on cgroup v%s\n", argv[1]);
	return 0;
}
