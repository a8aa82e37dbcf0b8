/* The handout's chroot escape, built by the VM rig as $SCENARIO_BIN/pivot-escape
 * for the pivot-* scenarios. */
#include "../../escape.c"
