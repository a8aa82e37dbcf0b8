/* Capabilities: the five sets of capabilities(7) through capget/capset and
 * prctl, without libcap. A set is a 64-bit mask, bit N = capability N. */
#ifndef CTR_CAPS_H
#define CTR_CAPS_H

#include <stdint.h>
#include "ctr/err.h"

struct ctr_caps {
	uint64_t effective, permitted, inheritable;
};

/* The highest capability number this kernel knows
 * (/proc/sys/kernel/cap_last_cap; 40 if it cannot be read). */
int ctr_caps_last(void);
/* A capability by name, "CAP_SYS_ADMIN" or "sys_admin" (any case); -1 if
 * unknown. ctr_caps_name: the "CAP_..." name of a number, or NULL. */
int ctr_caps_by_name(const char *name);
const char *ctr_caps_name(int cap);

int ctr_caps_get(struct ctr_caps *c);
int ctr_caps_set(const struct ctr_caps *c);

/* --keep-caps: make every permitted capability inheritable and ambient, so
 * that it survives execve(2) of a program run with a non-zero uid. */
int ctr_caps_permitted_to_ambient(struct ctr_err *e);
/* Remove the capabilities in drop from the bounding set (PR_CAPBSET_DROP;
 * needs CAP_SETPCAP). Irreversible for this process and its children. */
int ctr_caps_bounding_drop(uint64_t drop, struct ctr_err *e);
/* Drop the capabilities in drop from every set: the bounding set first
 * (needs CAP_SETPCAP, which must not be in drop), then effective, permitted
 * and inheritable (which clears them from the ambient set too). */
int ctr_caps_drop(uint64_t drop, struct ctr_err *e);

#endif
