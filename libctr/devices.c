/* devices.c: device cgroup rules (stub; implementation follows). */
#include "ctr/devices.h"
