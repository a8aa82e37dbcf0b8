/* tty.c: ptys for containers (stub; implementation follows). */
#include "ctr/tty.h"
