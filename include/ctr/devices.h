/* Device access control for a container's cgroup: rules as the OCI spec's
 * linux.resources.devices and cgroup v1's devices.allow lines (type a/c/b,
 * major, minor, each may be a wildcard, access r/w/m, allow or deny), docker's
 * default allowlist, applied either as cgroup v1 devices.deny/devices.allow
 * writes or, on cgroup v2, as a BPF_PROG_TYPE_CGROUP_DEVICE program written
 * here and attached with bpf(2).
 *
 * Semantics: cgroup v1's, on both versions (runc emulates v1 for v2 the
 * same way): everything is denied ("a" in devices.deny), then each rule is
 * applied in order as one write to devices.allow or devices.deny. "a" sets
 * the default (allow or deny all) and drops the exceptions; a rule of the
 * default's kind takes its access bits away from the exception with the same
 * type:major:minor; a rule of the other kind adds its bits to that exception
 * (or makes one). Under a deny default a request is allowed when one
 * exception covers all of its access (and type, major, minor); under an allow
 * default it is refused when an exception covers part of it. */
#ifndef CTR_DEVICES_H
#define CTR_DEVICES_H

#include <stddef.h>
#include <stdint.h>
#include "ctr/err.h"

#define CTR_DEV_WILDCARD (-1)

enum { CTR_DEV_READ = 1, CTR_DEV_WRITE = 2, CTR_DEV_MKNOD = 4 };

struct ctr_dev_rule {
	char type;          /* 'a' all, 'c' char, 'b' block */
	int64_t major;      /* CTR_DEV_WILDCARD or a number */
	int64_t minor;
	uint8_t access;     /* CTR_DEV_READ|WRITE|MKNOD */
	uint8_t allow;      /* 1 allow, 0 deny */
};

/* Docker's default device rules (runc's AllowedDevices, as moby applies
 * them): mknod of any c/b, then rwm on null 1:3, zero 1:5, full 1:7,
 * random 1:8, urandom 1:9, tty 5:0, console 5:1, ptmx 5:2, pts 136:*.
 * Returns the table and its length through n (static storage). */
const struct ctr_dev_rule *ctr_devices_docker_default(size_t *n);

/* "c 1:3 rwm" <-> rule (the cgroup v1 line; "a" alone means a *:* rwm).
 * parse: -1 EINVAL on bad text; allow is set to 1. format: the length, or
 * -1 if buf is too small. */
int ctr_devices_parse(const char *s, struct ctr_dev_rule *r);
int ctr_devices_format(const struct ctr_dev_rule *r, char *buf, size_t n);

/* Would rules let a process open/mknod the device (type 'c' or 'b')?
 * 1 yes, 0 no (also for rules that cannot be applied): the decision the
 * kernel makes with what apply installs. */
int ctr_devices_allowed(const struct ctr_dev_rule *rules, size_t n, char type,
			unsigned major, unsigned minor, unsigned access);

/* cgroup v1: write "a" to devices.deny of the devices cgroup directory dir
 * (absolute path of a group, never a hierarchy's root), then each rule to
 * devices.allow or devices.deny in order. */
int ctr_devices_apply_v1(const char *dir, const struct ctr_dev_rule *rules, size_t n,
			 struct ctr_err *e);

/* cgroup v2: build the device program (eBPF; at most CTR_DEVICES_MAXINSNS
 * 8-byte instructions) into insns, return its length or -1 (E2BIG: too
 * many rules or exceptions, EINVAL: a bad type). */
#define CTR_DEVICES_MAXINSNS 4096
int ctr_devices_bpf_build(const struct ctr_dev_rule *rules, size_t n, uint64_t *insns,
			  size_t max);
/* Load the program (BPF_PROG_LOAD) and attach it to the cgroup v2 directory
 * open as cgroup_fd (BPF_PROG_ATTACH, BPF_F_ALLOW_MULTI as runc). Returns the
 * program fd (keep it to detach; closing it does not detach), or -1. The
 * kernel's verifier log, if any, goes to e->detail. */
int ctr_devices_apply_v2(int cgroup_fd, const struct ctr_dev_rule *rules, size_t n,
			 struct ctr_err *e);
/* Detach prog_fd from cgroup_fd (BPF_PROG_DETACH). */
int ctr_devices_detach_v2(int cgroup_fd, int prog_fd);

#endif
