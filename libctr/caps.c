/* caps.c: capability sets through capget(2)/capset(2) and prctl(2). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ctr/caps.h"
#include "ctr/compat.h"
#include "ctr/proc.h"

/* The capget/capset ABI (linux/capability.h), version 3: two 32-bit words
 * per set. */
struct cap_header {
	uint32_t version;
	int pid;
};
struct cap_data {
	uint32_t effective, permitted, inheritable;
};

static const char *const cap_names[] = {
	"chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill",
	"setgid", "setuid", "setpcap", "linux_immutable", "net_bind_service",
	"net_broadcast", "net_admin", "net_raw", "ipc_lock", "ipc_owner",
	"sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct",
	"sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time",
	"sys_tty_config", "mknod", "lease", "audit_write", "audit_control",
	"setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm",
	"block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore",
};
#define NCAPNAMES ((int)(sizeof(cap_names) / sizeof(cap_names[0])))

int ctr_caps_last(void)
{
	static int last = -1;
	char buf[16];

	if (last < 0) {
		if (ctr_read_file_at(AT_FDCWD, "/proc/sys/kernel/cap_last_cap", buf,
				     sizeof(buf)) > 0)
			last = atoi(buf);
		if (last <= 0 || last > 63)
			last = NCAPNAMES - 1;
	}
	return last;
}

int ctr_caps_by_name(const char *name)
{
	int i;

	if (strncasecmp(name, "CAP_", 4) == 0)
		name += 4;
	for (i = 0; i < NCAPNAMES; i++)
		if (strcasecmp(name, cap_names[i]) == 0)
			return i;
	return -1;
}

const char *ctr_caps_name(int cap)
{
	static char buf[32];
	char *p;

	if (cap < 0 || cap >= NCAPNAMES)
		return NULL;
	strcpy(buf, "CAP_");
	strcat(buf, cap_names[cap]);
	for (p = buf; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return buf;
}

int ctr_caps_get(struct ctr_caps *c)
{
	struct cap_header h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct cap_data d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return -1;
	c->effective = d[0].effective | (uint64_t)d[1].effective << 32;
	c->permitted = d[0].permitted | (uint64_t)d[1].permitted << 32;
	c->inheritable = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	return 0;
}

int ctr_caps_set(const struct ctr_caps *c)
{
	struct cap_header h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct cap_data d[2];

	d[0].effective = (uint32_t)c->effective;
	d[1].effective = (uint32_t)(c->effective >> 32);
	d[0].permitted = (uint32_t)c->permitted;
	d[1].permitted = (uint32_t)(c->permitted >> 32);
	d[0].inheritable = (uint32_t)c->inheritable;
	d[1].inheritable = (uint32_t)(c->inheritable >> 32);
	return (int)syscall(SYS_capset, &h, d);
}

int ctr_caps_permitted_to_ambient(struct ctr_err *e)
{
	struct ctr_caps c;
	int cap, last = ctr_caps_last();

	if (ctr_caps_get(&c) < 0)
		return ctr_err_sys(e, "capget", NULL);
	/* A capability can be raised in the ambient set only if it is both
	 * permitted and inheritable; execve(2) then adds the ambient set to the
	 * new permitted and effective sets even for a non-root uid. */
	c.inheritable = c.permitted;
	if (ctr_caps_set(&c) < 0)
		return ctr_err_sys(e, "capset", NULL);
	for (cap = 0; cap <= last; cap++) {
		if (!(c.permitted & (1ULL << cap)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return ctr_err_sys(e, "cannot raise ambient capability", "%d", cap);
	}
	return 0;
}

int ctr_caps_bounding_drop(uint64_t drop, struct ctr_err *e)
{
	int cap, last = ctr_caps_last();

	for (cap = 0; cap <= last; cap++) {
		if (!(drop & (1ULL << cap)))
			continue;
		/* EINVAL: the kernel does not know this capability. */
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return ctr_err_sys(e, "cannot drop capability from bounding set", "%d",
					   cap);
	}
	return 0;
}

int ctr_caps_drop(uint64_t drop, struct ctr_err *e)
{
	struct ctr_caps c;

	if (ctr_caps_bounding_drop(drop, e) < 0)
		return -1;
	if (ctr_caps_get(&c) < 0)
		return ctr_err_sys(e, "capget", NULL);
	c.effective &= ~drop;
	c.permitted &= ~drop;
	c.inheritable &= ~drop;
	if (ctr_caps_set(&c) < 0)
		return ctr_err_sys(e, "capset", NULL);
	return 0;
}

