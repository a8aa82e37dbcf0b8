/* devices.c: device access rules for a container's cgroup, on cgroup v1
 * (devices.deny / devices.allow) and on cgroup v2 (a
 * BPF_PROG_TYPE_CGROUP_DEVICE program written here, loaded and attached with
 * bpf(2); no libbpf). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ctr/devices.h"

#define RWM (CTR_DEV_READ | CTR_DEV_WRITE | CTR_DEV_MKNOD)
#define W CTR_DEV_WILDCARD

const struct ctr_dev_rule *ctr_devices_docker_default(size_t *n)
{
	/* runc libcontainer/specconv AllowedDevices, which moby's default
	 * container gets after its implicit "deny all". */
	static const struct ctr_dev_rule def[] = {
		{ 'c', W, W, CTR_DEV_MKNOD, 1 },
		{ 'b', W, W, CTR_DEV_MKNOD, 1 },
		{ 'c', 1, 3, RWM, 1 },     /* null */
		{ 'c', 1, 8, RWM, 1 },     /* random */
		{ 'c', 1, 7, RWM, 1 },     /* full */
		{ 'c', 5, 0, RWM, 1 },     /* tty */
		{ 'c', 1, 5, RWM, 1 },     /* zero */
		{ 'c', 1, 9, RWM, 1 },     /* urandom */
		{ 'c', 5, 1, RWM, 1 },     /* console */
		{ 'c', 136, W, RWM, 1 },   /* pts */
		{ 'c', 5, 2, RWM, 1 },     /* ptmx */
	};

	*n = sizeof(def) / sizeof(def[0]);
	return def;
}

static int parse_num(const char **s, int64_t *v)
{
	char *end;
	unsigned long x;

	if (**s == '*') {
		(*s)++;
		*v = W;
		return 0;
	}
	if (**s < '0' || **s > '9')
		return -1;
	errno = 0;
	x = strtoul(*s, &end, 10);
	if (errno || x > 0xffffffffUL)
		return -1;
	*s = end;
	*v = (int64_t)x;
	return 0;
}

int ctr_devices_parse(const char *s, struct ctr_dev_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->allow = 1;
	if (*s != 'a' && *s != 'b' && *s != 'c')
		goto bad;
	r->type = *s++;
	r->major = r->minor = W;
	r->access = RWM;
	if (!*s && r->type == 'a')
		return 0;
	if (*s++ != ' ' || parse_num(&s, &r->major) < 0 || *s++ != ':' ||
	    parse_num(&s, &r->minor) < 0)
		goto bad;
	if (!*s)
		return 0;
	if (*s++ != ' ' || !*s)
		goto bad;
	for (r->access = 0; *s; s++) {
		if (*s == 'r')
			r->access |= CTR_DEV_READ;
		else if (*s == 'w')
			r->access |= CTR_DEV_WRITE;
		else if (*s == 'm')
			r->access |= CTR_DEV_MKNOD;
		else
			goto bad;
	}
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

static char *fmt_num(char *p, int64_t v)
{
	char d[24], *q = d + sizeof(d);
	uint64_t u = (uint64_t)v;

	if (v == W) {
		*p++ = '*';
		return p;
	}
	do
		*--q = (char)('0' + u % 10);
	while (u /= 10);
	memcpy(p, q, (size_t)(d + sizeof(d) - q));
	return p + (d + sizeof(d) - q);
}

int ctr_devices_format(const struct ctr_dev_rule *r, char *buf, size_t n)
{
	char tmp[64], *p = tmp;

	*p++ = r->type;
	*p++ = ' ';
	p = fmt_num(p, r->major);
	*p++ = ':';
	p = fmt_num(p, r->minor);
	*p++ = ' ';
	if (r->access & CTR_DEV_READ)
		*p++ = 'r';
	if (r->access & CTR_DEV_WRITE)
		*p++ = 'w';
	if (r->access & CTR_DEV_MKNOD)
		*p++ = 'm';
	*p = '\0';
	if ((size_t)(p - tmp) >= n) {
		errno = ENOSPC;
		return -1;
	}
	memcpy(buf, tmp, (size_t)(p - tmp) + 1);
	return (int)(p - tmp);
}

/* The rules reduced the way cgroup v1 applies them, one write at a time
 * (security/device_cgroup.c), which runc emulates for v2: "a" sets the
 * default and forgets the exceptions; a rule of the default's kind removes
 * its access bits from the exception with the same type:major:minor; one of
 * the other kind adds them to it (or makes it). What is left is a default
 * and exceptions of the other kind. */
#define MAXEX 512
struct devstate {
	int allow_all;
	size_t n;
	struct ctr_dev_rule ex[MAXEX];
};

static int same_key(const struct ctr_dev_rule *a, const struct ctr_dev_rule *b)
{
	return a->type == b->type && a->major == b->major && a->minor == b->minor;
}

static int emulate(const struct ctr_dev_rule *rules, size_t n, struct devstate *st)
{
	size_t i, j;

	st->allow_all = 0;      /* apply_v1 starts with "a" in devices.deny */
	st->n = 0;
	for (i = 0; i < n; i++) {
		const struct ctr_dev_rule *r = &rules[i];

		if (r->type == 'a') {
			st->allow_all = r->allow;
			st->n = 0;
			continue;
		}
		if (r->type != 'b' && r->type != 'c')
			goto inval;
		for (j = 0; j < st->n && !same_key(&st->ex[j], r); j++)
			;
		if (!!r->allow == st->allow_all) {
			if (j < st->n && !(st->ex[j].access &= (uint8_t)~r->access))
				st->ex[j] = st->ex[--st->n];
		} else if (j < st->n) {
			st->ex[j].access |= r->access;
		} else {
			if (st->n == MAXEX) {
				errno = E2BIG;
				return -1;
			}
			st->ex[st->n] = *r;
			st->ex[st->n++].allow = (uint8_t)!st->allow_all;
		}
	}
	return 0;
inval:
	errno = EINVAL;
	return -1;
}

/* Default deny: an exception must cover all the access asked for; default
 * allow: an exception refuses as soon as it covers part of it. */
static int matches(const struct ctr_dev_rule *r, char type, unsigned major, unsigned minor,
		   unsigned access)
{
	return r->type == type &&
	       (r->major == W || r->major == (int64_t)major) &&
	       (r->minor == W || r->minor == (int64_t)minor) &&
	       (r->allow ? (access & ~(unsigned)r->access) == 0 : (access & r->access) != 0);
}

int ctr_devices_allowed(const struct ctr_dev_rule *rules, size_t n, char type,
			unsigned major, unsigned minor, unsigned access)
{
	struct devstate *st = malloc(sizeof(*st));
	size_t i;
	int ok;

	if (!st || emulate(rules, n, st) < 0) {
		free(st);
		return 0;
	}
	ok = st->allow_all;
	for (i = 0; i < st->n; i++)
		if (matches(&st->ex[i], type, major, minor, access))
			ok = st->ex[i].allow;
	free(st);
	return ok;
}

int ctr_devices_apply_v1(const char *dir, const struct ctr_dev_rule *rules, size_t n,
			 struct ctr_err *e)
{
	char line[64];
	int dfd, afd = -1, nfd = -1, rc = -1;
	size_t i;

	dfd = openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return ctr_err_sys(e, "devices cgroup", "%s", dir);
	afd = openat(dfd, "devices.allow", O_WRONLY | O_CLOEXEC);
	if (afd < 0) {
		ctr_err_sys(e, "devices cgroup", "%s/devices.allow", dir);
		goto out;
	}
	nfd = openat(dfd, "devices.deny", O_WRONLY | O_CLOEXEC);
	if (nfd < 0) {
		ctr_err_sys(e, "devices cgroup", "%s/devices.deny", dir);
		goto out;
	}
	/* each line is one write(2): the kernel parses one rule per write */
	if (write(nfd, "a", 1) != 1) {
		ctr_err_sys(e, "devices cgroup", "%s/devices.deny: a", dir);
		goto out;
	}
	for (i = 0; i < n; i++) {
		int len = ctr_devices_format(&rules[i], line, sizeof(line));
		int fd = rules[i].allow ? afd : nfd;

		if (len < 0 || write(fd, line, (size_t)len) != len) {
			ctr_err_sys(e, "devices cgroup", "%s/%s: %s", dir,
				    rules[i].allow ? "devices.allow" : "devices.deny", line);
			goto out;
		}
	}
	rc = 0;
out:
	if (afd >= 0)
		close(afd);
	if (nfd >= 0)
		close(nfd);
	close(dfd);
	return rc;
}

/* ---- cgroup v2: the device program ---- */

/* struct bpf_insn: code, dst:4 src:4, off (s16), imm (s32) */
struct insn {
	uint8_t code;
	uint8_t regs;
	int16_t off;
	int32_t imm;
};

#define LDX_W 0x61      /* BPF_LDX|BPF_MEM|BPF_W */
#define MOV32_X 0xbc    /* BPF_ALU|BPF_MOV|BPF_X */
#define MOV32_K 0xb4
#define AND32_K 0x54
#define RSH32_K 0x74
#define JNE_K 0x56      /* BPF_JMP32|BPF_JNE|BPF_K: 32-bit compare (5.1) */
#define JEQ_K 0x16      /* BPF_JMP32|BPF_JEQ|BPF_K */
#define EXIT 0x95

/* bpf_cgroup_dev_ctx: u32 access_type (access << 16 | type), major, minor */
#define DEVCG_BLOCK 1
#define DEVCG_CHAR 2
/* access bits of the kernel: MKNOD 1, READ 2, WRITE 4 */
static unsigned kaccess(unsigned a)
{
	return (a & CTR_DEV_MKNOD ? 1u : 0) | (a & CTR_DEV_READ ? 2u : 0) |
	       (a & CTR_DEV_WRITE ? 4u : 0);
}

struct out {
	uint64_t *buf;
	size_t pos, max;
};

static void op(struct out *o, uint8_t code, int dst, int src, int off, int32_t imm)
{
	struct insn in = { code, (uint8_t)(dst | src << 4), (int16_t)off, imm };

	if (o->pos < o->max)
		memcpy(&o->buf[o->pos], &in, sizeof(in));
	o->pos++;
}

int ctr_devices_bpf_build(const struct ctr_dev_rule *rules, size_t n, uint64_t *insns,
			  size_t max)
{
	struct out o = { insns, 0, max };
	struct devstate *st = malloc(sizeof(*st));
	size_t i;

	if (!st)
		return -1;
	if (emulate(rules, n, st) < 0) {
		free(st);
		return -1;
	}
	/* r2 = access, r3 = type, r4 = major, r5 = minor */
	op(&o, LDX_W, 2, 1, 0, 0);
	op(&o, MOV32_X, 3, 2, 0, 0);
	op(&o, AND32_K, 3, 0, 0, 0xffff);
	op(&o, RSH32_K, 2, 0, 0, 16);
	op(&o, LDX_W, 4, 1, 4, 0);
	op(&o, LDX_W, 5, 1, 8, 0);
	/* each exception: if it matches, the opposite of the default */
	for (i = 0; i < st->n; i++) {
		const struct ctr_dev_rule *r = &st->ex[i];
		int acc = r->allow ? (r->access & RWM) != RWM : 1;
		/* insns after each test up to the end of this block */
		int left = 1 + (acc ? 3 : 0) + (r->major != W) + (r->minor != W) + 2;

		op(&o, JNE_K, 3, 0, --left, r->type == 'b' ? DEVCG_BLOCK : DEVCG_CHAR);
		if (acc) {
			/* allow: no access outside the rule's; deny: some inside */
			left -= 3;
			op(&o, MOV32_X, 1, 2, 0, 0);
			op(&o, AND32_K, 1, 0, 0, (int32_t)(r->allow ? ~kaccess(r->access)
								      : kaccess(r->access)));
			op(&o, r->allow ? JNE_K : JEQ_K, 1, 0, left, 0);
		}
		if (r->major != W)
			op(&o, JNE_K, 4, 0, --left, (int32_t)(uint32_t)r->major);
		if (r->minor != W)
			op(&o, JNE_K, 5, 0, --left, (int32_t)(uint32_t)r->minor);
		op(&o, MOV32_K, 0, 0, 0, r->allow);
		op(&o, EXIT, 0, 0, 0, 0);
	}
	op(&o, MOV32_K, 0, 0, 0, st->allow_all);
	op(&o, EXIT, 0, 0, 0, 0);
	free(st);
	if (o.pos > max) {
		errno = E2BIG;
		return -1;
	}
	return (int)o.pos;
}

/* union bpf_attr, the members used here */
#define BPF_PROG_LOAD 5
#define BPF_PROG_ATTACH 8
#define BPF_PROG_DETACH 9
#define BPF_PROG_TYPE_CGROUP_DEVICE 15
#define BPF_CGROUP_DEVICE 6
#define BPF_F_ALLOW_MULTI 2

struct bpf_load_attr {
	uint32_t prog_type, insn_cnt;
	uint64_t insns, license;
	uint32_t log_level, log_size;
	uint64_t log_buf;
	uint32_t kern_version, prog_flags;
	char prog_name[16];
	uint32_t prog_ifindex, expected_attach_type;
};
struct bpf_attach_attr {
	uint32_t target_fd, attach_bpf_fd, attach_type, attach_flags, replace_bpf_fd;
};

static long sys_bpf(int cmd, void *attr, unsigned size)
{
	return syscall(SYS_bpf, cmd, attr, size);
}

int ctr_devices_apply_v2(int cgroup_fd, const struct ctr_dev_rule *rules, size_t n,
			 struct ctr_err *e)
{
	uint64_t *insns = malloc(CTR_DEVICES_MAXINSNS * sizeof(*insns));
	char log[256];
	struct bpf_load_attr la;
	struct bpf_attach_attr aa;
	int len, fd;

	len = insns ? ctr_devices_bpf_build(rules, n, insns, CTR_DEVICES_MAXINSNS) : -1;
	if (len < 0) {
		free(insns);
		return ctr_err_sys(e, "device program", "%zu rules", n);
	}
	memset(&la, 0, sizeof(la));
	la.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	la.insn_cnt = (uint32_t)len;
	la.insns = (uint64_t)(uintptr_t)insns;
	la.license = (uint64_t)(uintptr_t)"GPL";
	strcpy(la.prog_name, "ctrbox_devices");
	log[0] = '\0';
	fd = (int)sys_bpf(BPF_PROG_LOAD, &la, sizeof(la));
	if (fd < 0 && errno == EACCES) {
		/* rejected by the verifier: load again for its log */
		la.log_level = 1;
		la.log_size = sizeof(log);
		la.log_buf = (uint64_t)(uintptr_t)log;
		fd = (int)sys_bpf(BPF_PROG_LOAD, &la, sizeof(la));
		if (fd >= 0) {
			close(fd);
			fd = -1;
			errno = EACCES;
		}
	}
	free(insns);
	if (fd < 0)
		return ctr_err_sys(e, "bpf(BPF_PROG_LOAD)", "%d insns%s%.200s", len,
				   log[0] ? ": " : "", log);
	memset(&aa, 0, sizeof(aa));
	aa.target_fd = (uint32_t)cgroup_fd;
	aa.attach_bpf_fd = (uint32_t)fd;
	aa.attach_type = BPF_CGROUP_DEVICE;
	aa.attach_flags = BPF_F_ALLOW_MULTI;
	if (sys_bpf(BPF_PROG_ATTACH, &aa, sizeof(aa)) < 0) {
		ctr_err_sys(e, "bpf(BPF_PROG_ATTACH)", "cgroup fd %d", cgroup_fd);
		close(fd);
		return -1;
	}
	return fd;
}

int ctr_devices_detach_v2(int cgroup_fd, int prog_fd)
{
	struct bpf_attach_attr aa;

	memset(&aa, 0, sizeof(aa));
	aa.target_fd = (uint32_t)cgroup_fd;
	aa.attach_bpf_fd = (uint32_t)prog_fd;
	aa.attach_type = BPF_CGROUP_DEVICE;
	return sys_bpf(BPF_PROG_DETACH, &aa, sizeof(aa)) < 0 ? -1 : 0;
}
