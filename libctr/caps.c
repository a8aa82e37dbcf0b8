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

/* The names by number, one after another (no table of pointers). */
static const char cap_names[] =
	"chown\0dac_override\0dac_read_search\0fowner\0fsetid\0kill\0setgid\0setuid\0"
	"setpcap\0linux_immutable\0net_bind_service\0net_broadcast\0net_admin\0net_raw\0"
	"ipc_lock\0ipc_owner\0sys_module\0sys_rawio\0sys_chroot\0sys_ptrace\0sys_pacct\0"
	"sys_admin\0sys_boot\0sys_nice\0sys_resource\0sys_time\0sys_tty_config\0mknod\0"
	"lease\0audit_write\0audit_control\0setfcap\0mac_override\0mac_admin\0syslog\0"
	"wake_alarm\0block_suspend\0audit_read\0perfmon\0bpf\0checkpoint_restore\0";
#define NCAPNAMES 41

/* The name of cap < NCAPNAMES. */
static const char *cap_name(int cap)
{
	const char *p = cap_names;

	while (cap--)
		p += strlen(p) + 1;
	return p;
}

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
		if (strcasecmp(name, cap_name(i)) == 0)
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
	strcat(buf, cap_name(cap));
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

