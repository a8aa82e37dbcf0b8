/* cgroup_knob.c: knob names and values: form checks before anything is
 * written, and reads and writes translated between v1 and v2 names. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ctr/str.h"
#include "ctr/cgroup.h"
#include "ctr/opt.h"
#include "ctr/proc.h"
#include "cgroup_int.h"

/* ---- knob names and values ----------------------------------------------- */

/* Knobs whose name or value changes between v1 and v2. */
enum {
	K_PLAIN, K_QUOTA, K_PERIOD, K_CPUMAX, K_SHARES, K_WEIGHT, K_MEMLIMIT, K_MEMMAX,
	K_PIDS, K_LIST, K_ACCT,
};

static const struct {
	const char *name;
	int kind;
} knobs[] = {
	{ "cpu.cfs_quota_us", K_QUOTA }, { "cpu.cfs_period_us", K_PERIOD },
	{ "cpu.max", K_CPUMAX }, { "cpu.shares", K_SHARES }, { "cpu.weight", K_WEIGHT },
	{ "memory.limit_in_bytes", K_MEMLIMIT }, { "memory.max", K_MEMMAX },
	{ "pids.max", K_PIDS }, { "cpuset.cpus", K_LIST }, { "cpuset.mems", K_LIST },
	{ "cpuacct.usage", K_ACCT },
};

static int knob_kind(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		if (strcmp(knobs[i].name, name) == 0)
			return knobs[i].kind;
	return K_PLAIN;
}

int ctr_cgroup_knob_ctrl(const char *name, char *out, size_t size)
{
	size_t n = strcspn(name, ".");

	if (n == 0 || !name[n] || !name[n + 1] || n >= size || strchr(name, '/') ||
	    strcmp(name + n, ".") == 0) {
		errno = EINVAL;
		return -1;
	}
	memcpy(out, name, n);
	out[n] = '\0';
	return 0;
}

/* v1 cpu.cfs_quota_us: the kernel reads any negative quota as no limit. */
static int quota_unlimited(const char *v)
{
	long long x;

	return strcmp(v, "max") == 0 ||
	       (v[0] == '-' && ctr_opt_llong(v, -0x7fffffffffffffffLL, -1, &x) == 0);
}

static int is_max(const char *v)
{
	return strcmp(v, "max") == 0 || strcmp(v, "-1") == 0;
}

/* A byte count as memparse() takes it: digits and one K/M/G/T/P/E suffix. */
static int is_bytes(const char *v)
{
	const char *p = v;

	if (!*p)
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == v)
		return 0;
	if (*p && strchr("kKmMgGtTpPeE", *p))
		p++;
	return *p == '\0';
}

static int is_uint(const char *v)
{
	unsigned long long x;

	return ctr_opt_ullong(v, 0, ~0ULL, &x) == 0 && (v[0] != '0' || !v[1] || v[1] != 'x');
}

/* "0-3,5,7-8": what cpuset.cpus and cpuset.mems take ("" empties). */
static int is_cpulist(const char *v)
{
	const char *p = v;

	while (*p) {
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p == '-') {
			p++;
			if (*p < '0' || *p > '9')
				return 0;
			while (*p >= '0' && *p <= '9')
				p++;
		}
		if (*p == ',' && p[1])
			p++;
		else if (*p)
			return 0;
	}
	return 1;
}

int ctr_cgroup_split_setting(char *arg, char **name, char **value)
{
	char *eq = strchr(arg, '=');

	if (!eq || eq == arg) {
		errno = EINVAL;
		return -1;
	}
	*eq = '\0';
	*name = arg;
	*value = eq + 1;
	return 0;
}

/* "QUOTA [PERIOD]" of cpu.max, QUOTA max or -1. */
static int is_cpumax(const char *v)
{
	char q[32];
	size_t n = strcspn(v, " ");
	long long x;

	if (n == 0 || n >= sizeof(q))
		return 0;
	memcpy(q, v, n);
	q[n] = '\0';
	if (!is_max(q) && ctr_opt_llong(q, 0, 0x7fffffffffffffffLL, &x) < 0)
		return 0;
	return !v[n] || is_uint(v + n + 1);
}

int ctr_cgroup_check(const char *name, const char *value, struct ctr_err *e)
{
	char ctrl[64];
	long long x;
	int ok = 1;

	if (ctr_cgroup_knob_ctrl(name, ctrl, sizeof(ctrl)) < 0)
		return ctr_err_set(e, 0, "invalid parameter name", "'%s'", name);
	if (strchr(value, '\n'))
		return ctr_err_set(e, 0, "invalid value", "%s: a newline in '%s'", name, value);
	switch (knob_kind(name)) {
	case K_QUOTA:
		ok = quota_unlimited(value) ||
		     ctr_opt_llong(value, 0, 0x7fffffffffffffffLL, &x) == 0;
		break;
	case K_PERIOD:
	case K_SHARES:
	case K_ACCT:
		ok = is_uint(value);
		break;
	case K_WEIGHT:
		ok = ctr_opt_llong(value, 1, 10000, &x) == 0;
		break;
	case K_CPUMAX:
		ok = is_cpumax(value);
		break;
	case K_MEMLIMIT:
	case K_MEMMAX:
		ok = is_max(value) || is_bytes(value);
		break;
	case K_PIDS:
		ok = is_max(value) || is_uint(value);
		break;
	case K_LIST:
		ok = is_cpulist(value);
		break;
	}
	if (!ok)
		return ctr_err_set(e, 0, "invalid value", "%s=%s", name, value);
	return 0;
}


/* ---- reading and writing knobs ------------------------------------------- */

int cg_read_knob(const char *dir, const char *file, char *buf, size_t size,
		     struct ctr_err *e)
{
	char path[CG_PATHSZ];

	if (cg_path_join(path, sizeof(path), dir, file) < 0 ||
	    cg_read(path, buf, size) < 0)
		return ctr_err_sys(e, "cannot read", "%s/%s", dir, file);
	cg_chomp(buf);
	return 0;
}

/* Write value to dir/file, saving the old contents in u first. asked is
 * NAME=VALUE as the user gave it, for the message when it was translated. */
static int write_knob(const char *dir, const char *file, const char *value, const char *asked,
		      struct ctr_cg_undo *u, struct ctr_err *e)
{
	char path[CG_PATHSZ], old[4096];

	if (cg_path_join(path, sizeof(path), dir, file) < 0)
		return ctr_err_set(e, ENAMETOOLONG, "cannot write", "%s", dir);
	if (u) {
		if (cg_read(path, old, sizeof(old)) < 0)
			return ctr_err_sys(e, "cannot write", "'%s' to %s%s", value, path, asked);
		cg_chomp(old);
		if (cg_undo_push(u, U_WRITE, path, old) < 0)
			return ctr_err_sys(e, "cannot write", "%s", path);
	}
	if (ctr_write_str(path, value) < 0)
		return ctr_err_sys(e, "cannot write", "'%s' to %s%s", value, path, asked);
	return 0;
}

/* Where a knob of a group lives: its hierarchy and the group's directory. */
static int knob_dir(const struct ctr_cg_layout *l, const char *group, const char *name,
		    char *dir, size_t size, struct ctr_err *e)
{
	char ctrl[64];
	int h;

	if (ctr_cgroup_knob_ctrl(name, ctrl, sizeof(ctrl)) < 0)
		return ctr_err_set(e, 0, "invalid parameter name", "'%s'", name);
	/* cgroup.* are v2's core files (cgroup.subtree_control,
	 * cgroup.max.descendants...), as libcgroup 3.x addresses them; on v1
	 * every hierarchy has its own, so a controller must name one. */
	if (strcmp(ctrl, "cgroup") == 0)
		h = l->v2 >= 0 ? l->v2 :
		    ctr_err_set(e, 0, "no cgroup2 mount", "%s: name a v1 controller's file instead",
				name);
	else
		h = ctr_cgroup_find(l, ctrl, e);
	if (h < 0)
		return -1;
	if (ctr_cgroup_dir(l, h, group, dir, size) < 0)
		return ctr_err_sys(e, "invalid group path", "%s", group);
	if (!cg_is_dir(dir))
		return ctr_err_set(e, ENOENT, "cannot find group", "%s", dir);
	return h;
}

/* Split cpu.max "QUOTA PERIOD" in place. */
static void split_cpumax(char *buf, char **quota, char **period)
{
	char *sp = strchr(buf, ' ');

	*quota = buf;
	*period = (char *)"100000";
	if (sp) {
		*sp = '\0';
		*period = sp + 1;
	}
}

/* Numbers are decimal, as libcgroup's and util-linux's users read them:
 * the kernel parses most of these files with base 0 ("010" is 8 there),
 * so each run of digits loses its leading zeros before it is written. */
static void decimal(const char *v, char *out, size_t size)
{
	size_t n = 0;

	while (*v && n + 1 < size) {
		if (*v == '0' && v[1] >= '0' && v[1] <= '9' &&
		    (n == 0 || out[n - 1] < '0' || out[n - 1] > '9')) {
			v++;
			continue;
		}
		out[n++] = *v++;
	}
	out[n] = '\0';
}

/* blkio.* as runc writes them. v1: a weight file CFQ lacks is BFQ's
 * (blkio.bfq.weight). v2: weights to io.bfq.weight, else io.weight (scaled
 * from 10..1000 to 1..10000); blkio.throttle.read_bps_device "MAJ:MIN N"
 * to io.max "MAJ:MIN rbps=N" (write_iops_device: wiops...). */
static int blkio_set(const char *dir, const char *name, const char *v, int v2,
		     const char *asked, struct ctr_cg_undo *u, struct ctr_err *e)
{
	const char *k = name + 6, *sp = strrchr(v, ' '), *t = strchr(k, '_');
	char f[40], val[320], path[CG_PATHSZ];
	unsigned long long w;
	int n = sp ? (int)(sp - v) : 0;

	if (!strcmp(k, "weight") || !strcmp(k, "weight_device")) {
		snprintf(f, sizeof(f), v2 ? "io.bfq.weight" : "blkio.%s", k);
		if (cg_path_join(path, sizeof(path), dir, f) == 0 && access(path, F_OK) < 0) {
			snprintf(f, sizeof(f), v2 ? "io.weight" : "blkio.bfq.%s", k);
			w = strtoull(sp ? sp + 1 : v, NULL, 10);
			snprintf(val, sizeof(val), "%.*s%llu", sp ? n + 1 : 0, v,
				 w < 10 ? 1 : 1 + (w - 10) * 9999 / 990);
			if (v2)
				v = val;
		}
		return write_knob(dir, f, v, asked, u, e);
	}
	if (!v2)
		return write_knob(dir, name, v, "", u, e);
	if (strncmp(k, "throttle.", 9) || !t || strlen(t) < 8 || !sp)
		return ctr_err_set(e, EOPNOTSUPP, "cannot write", "%s=%s: no cgroup v2 form", name, v);
	snprintf(val, sizeof(val), "%.*s %c%.*s=%s", n, v, k[9], (int)strlen(t) - 8, t + 1, sp + 1);
	return write_knob(dir, "io.max", val, asked, u, e);
}

int ctr_cgroup_set(const struct ctr_cg_layout *l, const char *group, const char *name,
		   const char *value, struct ctr_cg_undo *u, struct ctr_err *e)
{
	char dir[CG_PATHSZ], cur[256], val[320], asked[300], dec[256], *q, *p;
	const char *v = value;
	int h, kind = knob_kind(name), v2;

	if (ctr_cgroup_check(name, value, e) < 0)
		return -1;
	if (kind != K_PLAIN) {
		decimal(value, dec, sizeof(dec));
		v = dec;
	}
	h = knob_dir(l, group, name, dir, sizeof(dir), e);
	if (h < 0)
		return -1;
	v2 = l->h[h].version == 2;
	snprintf(asked, sizeof(asked), " (for %s=%s)", name, value);
	if (!strncmp(name, "blkio.", 6))
		return blkio_set(dir, name, v, v2, asked, u, e);
	h = (int)strlen(name) - 14;
	/* hugetlb.SIZE.limit_in_bytes is v2's hugetlb.SIZE.max */
	if (v2 && !strncmp(name, "hugetlb.", 8) && h > 8 && !strcmp(name + h, "limit_in_bytes")) {
		snprintf(val, sizeof(val), "%.*smax", h, name);
		return write_knob(dir, val, v, asked, u, e);
	}
	switch (kind) {
	case K_QUOTA:
	case K_PERIOD:
		if (!v2)
			return write_knob(dir, name, kind == K_QUOTA && quota_unlimited(v) ? "-1" : v,
					  "", u, e);
		if (cg_read_knob(dir, "cpu.max", cur, sizeof(cur), e) < 0)
			return -1;
		split_cpumax(cur, &q, &p);
		if (kind == K_QUOTA)
			snprintf(val, sizeof(val), "%s %s", quota_unlimited(v) ? "max" : v, p);
		else
			snprintf(val, sizeof(val), "%s %s", q, v);
		return write_knob(dir, "cpu.max", val, asked, u, e);
	case K_CPUMAX:
		if (v2) {
			if (strncmp(v, "-1", 2) == 0 && (!v[2] || v[2] == ' ')) {
				snprintf(val, sizeof(val), "max%s", v + 2);
				v = val;
			}
			return write_knob(dir, name, v, "", u, e);
		}
		snprintf(cur, sizeof(cur), "%s", v);
		split_cpumax(cur, &q, &p);
		/* v1: the period first, then the quota that is relative to it. */
		if (strchr(v, ' ') && write_knob(dir, "cpu.cfs_period_us", p, asked, u, e) < 0)
			return -1;
		return write_knob(dir, "cpu.cfs_quota_us", is_max(q) ? "-1" : q, asked, u, e);
	case K_SHARES:
		if (!v2)
			return write_knob(dir, name, v, "", u, e);
		snprintf(val, sizeof(val), "%llu", (unsigned long long)
			 ctr_cgroup_shares_to_weight(strtoull(v, NULL, 10)));
		return write_knob(dir, "cpu.weight", val, asked, u, e);
	case K_WEIGHT:
		if (v2)
			return write_knob(dir, name, v, "", u, e);
		snprintf(val, sizeof(val), "%llu", (unsigned long long)
			 ctr_cgroup_weight_to_shares(strtoull(v, NULL, 10)));
		return write_knob(dir, "cpu.shares", val, asked, u, e);
	case K_MEMLIMIT:
	case K_MEMMAX:
		if (v2)
			return write_knob(dir, "memory.max", is_max(v) ? "max" : v,
					  kind == K_MEMMAX ? "" : asked, u, e);
		return write_knob(dir, "memory.limit_in_bytes", is_max(v) ? "-1" : v,
				  kind == K_MEMLIMIT ? "" : asked, u, e);
	case K_PIDS:
		return write_knob(dir, name, is_max(v) ? "max" : v, "", u, e);
	case K_ACCT:
		if (v2)
			return ctr_err_set(e, EOPNOTSUPP, "cannot write", "%s=%s: cgroup v2 "
					   "cannot reset the usage in cpu.stat", name, v);
		return write_knob(dir, name, v, "", u, e);
	default:
		return write_knob(dir, name, v, "", u, e);
	}
}

/* v1 memory.limit_in_bytes shows "no limit" as PAGE_COUNTER_MAX pages. */
static int v1_unlimited(const char *v)
{
	unsigned long long x;

	return ctr_opt_ullong(v, 0, ~0ULL, &x) == 0 && x >= 0x7ffffffffffff000ULL;
}

/* v1 cpuacct.usage (ns) on v2: cpu.stat's "usage_usec N". */
static int v2_usage_ns(const char *dir, char *buf, size_t size, struct ctr_err *e)
{
	char st[1024], *p;

	if (cg_read_knob(dir, "cpu.stat", st, sizeof(st), e) < 0)
		return -1;
	p = ctr_strstr(st, "usage_usec ");
	if (!p)
		return ctr_err_set(e, ENOENT, "cannot read", "%s/cpu.stat: no usage_usec", dir);
	snprintf(buf, size, "%llu", strtoull(p + 11, NULL, 10) * 1000ULL);
	return 0;
}

int ctr_cgroup_get(const struct ctr_cg_layout *l, const char *group, const char *name,
		   char *buf, size_t size, struct ctr_err *e)
{
	char dir[CG_PATHSZ], cur[256], per[64], *q, *p;
	int h, kind = knob_kind(name), v2;

	h = knob_dir(l, group, name, dir, sizeof(dir), e);
	if (h < 0)
		return -1;
	v2 = l->h[h].version == 2;
	switch (kind) {
	case K_QUOTA:
	case K_PERIOD:
		if (!v2)
			break;
		if (cg_read_knob(dir, "cpu.max", cur, sizeof(cur), e) < 0)
			return -1;
		split_cpumax(cur, &q, &p);
		if (kind == K_QUOTA)
			snprintf(buf, size, "%s", strcmp(q, "max") == 0 ? "-1" : q);
		else
			snprintf(buf, size, "%s", p);
		return 0;
	case K_CPUMAX:
		if (v2)
			break;
		if (cg_read_knob(dir, "cpu.cfs_quota_us", cur, sizeof(cur), e) < 0 ||
		    cg_read_knob(dir, "cpu.cfs_period_us", per, sizeof(per), e) < 0)
			return -1;
		snprintf(buf, size, "%s %s", strcmp(cur, "-1") == 0 ? "max" : cur, per);
		return 0;
	case K_SHARES:
		if (!v2)
			break;
		if (cg_read_knob(dir, "cpu.weight", cur, sizeof(cur), e) < 0)
			return -1;
		snprintf(buf, size, "%llu", (unsigned long long)
			 ctr_cgroup_weight_to_shares(strtoull(cur, NULL, 10)));
		return 0;
	case K_WEIGHT:
		if (v2)
			break;
		if (cg_read_knob(dir, "cpu.shares", cur, sizeof(cur), e) < 0)
			return -1;
		snprintf(buf, size, "%llu", (unsigned long long)
			 ctr_cgroup_shares_to_weight(strtoull(cur, NULL, 10)));
		return 0;
	case K_MEMLIMIT:
		if (!v2)
			break;
		if (cg_read_knob(dir, "memory.max", cur, sizeof(cur), e) < 0)
			return -1;
		snprintf(buf, size, "%s", strcmp(cur, "max") == 0 ? "-1" : cur);
		return 0;
	case K_MEMMAX:
		if (v2)
			break;
		if (cg_read_knob(dir, "memory.limit_in_bytes", cur, sizeof(cur), e) < 0)
			return -1;
		snprintf(buf, size, "%s", v1_unlimited(cur) ? "max" : cur);
		return 0;
	case K_ACCT:
		if (v2)
			return v2_usage_ns(dir, buf, size, e);
		break;
	}
	return cg_read_knob(dir, name, buf, size, e);
}

