/* spec.c: the container spec's defaults (docker's), growing helpers and
 * validation. Docker's values: moby daemon/pkg/oci/defaults.go and
 * caps/defaults.go, daemon/oci_linux.go (see ENGINE-NOTES.md section 4). */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include "ctr/caps.h"
#include "ctr/compat.h"
#include "ctr/spec.h"

void ctr_spec_init(struct ctr_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->process.umask = -1;
}

int ctr_spec_own(struct ctr_spec *s, void *p, struct ctr_err *e)
{
	void **n;

	if (!p)
		return ctr_err_set(e, ENOMEM, "spec", NULL);
	if (s->nowned == s->owned_cap) {
		n = realloc(s->owned, (s->owned_cap * 2 + 16) * sizeof(*n));
		if (!n) {
			free(p);
			return ctr_err_set(e, ENOMEM, "spec", NULL);
		}
		s->owned = n;
		s->owned_cap = s->owned_cap * 2 + 16;
	}
	s->owned[s->nowned++] = p;
	return 0;
}

void ctr_spec_free(struct ctr_spec *s)
{
	size_t i;

	for (i = 0; i < s->nowned; i++)
		free(s->owned[i]);
	free(s->owned);
	s->owned = NULL;
	s->nowned = s->owned_cap = 0;
	while (s->arena) {
		char *prev;

		memcpy(&prev, s->arena, sizeof(prev));
		free(s->arena);
		s->arena = prev;
	}
	s->arena_used = s->arena_size = 0;
}

/* The arena: one malloc per chunk instead of one per array and per growth
 * (a container's spec is some fifty small arrays, and every fresh size
 * class of malloc touches fresh pages). Each block is ARENA_HDR bytes
 * holding its capacity, then the zeroed data. */
#define ARENA_HDR 16
#define ARENA_CHUNK 4096

static char *arena_alloc(struct ctr_spec *s, size_t bytes)
{
	size_t need = ARENA_HDR + ((bytes + 15) & ~(size_t)15);
	char *p;

	if (!s->arena || s->arena_size - s->arena_used < need) {
		size_t size = need + ARENA_HDR > ARENA_CHUNK ? need + ARENA_HDR : ARENA_CHUNK;
		char *c = calloc(1, size);

		if (!c)
			return NULL;
		memcpy(c, &s->arena, sizeof(s->arena));     /* the link */
		s->arena = c;
		s->arena_used = ARENA_HDR;
		s->arena_size = size;
	}
	p = s->arena + s->arena_used;
	memcpy(p, &bytes, sizeof(bytes));
	s->arena_used += need;
	return p + ARENA_HDR;
}

/* Grow an array held in the spec to n + 1 elements plus `extra` zeroed
 * ones (a NULL terminator). In place while its block (in the current
 * chunk) has room; else a copy with twice the room (the old block stays
 * in the arena until ctr_spec_free). An array not from the arena (a
 * front end's own) is copied. */
static void *grow(struct ctr_spec *s, void *old, size_t n, size_t size, size_t extra,
		  struct ctr_err *e)
{
	size_t want = (n + 1 + extra) * size, cap;
	char *p = old;

	if (p && s->arena && p > s->arena && p < s->arena + s->arena_used) {
		memcpy(&cap, p - ARENA_HDR, sizeof(cap));
		if (cap >= want) {
			memset(p + n * size, 0, want - n * size);
			return p;
		}
	}
	p = arena_alloc(s, want + n * size);
	if (!p) {
		ctr_err_set(e, ENOMEM, "spec", NULL);
		return NULL;
	}
	if (n)
		memcpy(p, old, n * size);
	return p;
}

char *ctr_spec_strf(struct ctr_spec *s, struct ctr_err *e, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(p = arena_alloc(s, (size_t)n + 1))) {
		ctr_err_set(e, ENOMEM, "spec", NULL);
		return NULL;
	}
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

int ctr_spec_add_mount(struct ctr_spec *s, const struct ctr_spec_mount *m, struct ctr_err *e)
{
	struct ctr_spec_mount *n = grow(s, s->mounts, s->nmounts, sizeof(*m), 0, e);

	if (!n)
		return -1;
	n[s->nmounts++] = *m;
	s->mounts = n;
	return 0;
}

static size_t list_len(char **l)
{
	size_t n = 0;

	while (l && l[n])
		n++;
	return n;
}

int ctr_spec_add_str(struct ctr_spec *s, char ***list, const char *str, struct ctr_err *e)
{
	size_t n = list_len(*list);
	char **l = grow(s, *list, n, sizeof(char *), 1, e);

	if (!l)
		return -1;
	l[n] = (char *)str;
	*list = l;
	return 0;
}

int ctr_spec_setenv(struct ctr_spec *s, const char *nameval, struct ctr_err *e)
{
	const char *eq = strchr(nameval, '=');
	size_t len = eq ? (size_t)(eq - nameval) : strlen(nameval), i;
	char **env = s->process.env;

	for (i = 0; env && env[i]; i++)
		if (strncmp(env[i], nameval, len) == 0 &&
		    (env[i][len] == '=' || env[i][len] == 0)) {
			env[i] = (char *)nameval;
			return 0;
		}
	return ctr_spec_add_str(s, &s->process.env, nameval, e);
}

int ctr_spec_set_ns(struct ctr_spec *s, int type, const char *path, struct ctr_err *e)
{
	size_t i;

	for (i = 0; i < s->nns; i++)
		if (s->ns[i].type == type) {
			s->ns[i].path = path;
			return 0;
		}
	if (s->nns == CTR_SPEC_MAX_NS)
		return ctr_err_set(e, E2BIG, "namespaces", NULL);
	s->ns[s->nns].type = type;
	s->ns[s->nns++].path = path;
	return 0;
}

void ctr_spec_del_ns(struct ctr_spec *s, int type)
{
	size_t i;

	for (i = 0; i < s->nns; i++)
		if (s->ns[i].type == type) {
			s->ns[i] = s->ns[--s->nns];
			return;
		}
}

const struct ctr_spec_ns *ctr_spec_get_ns(const struct ctr_spec *s, int type)
{
	size_t i;

	for (i = 0; i < s->nns; i++)
		if (s->ns[i].type == type)
			return &s->ns[i];
	return NULL;
}

int ctr_spec_add_rlimit(struct ctr_spec *s, const struct ctr_spec_rlimit *r, struct ctr_err *e)
{
	struct ctr_spec_rlimit *n;
	size_t i;

	for (i = 0; i < s->process.nrlimits; i++)
		if (s->process.rlimits[i].resource == r->resource) {
			s->process.rlimits[i] = *r;
			return 0;
		}
	n = grow(s, s->process.rlimits, s->process.nrlimits, sizeof(*r), 0, e);
	if (!n)
		return -1;
	n[s->process.nrlimits++] = *r;
	s->process.rlimits = n;
	return 0;
}

int ctr_spec_add_device(struct ctr_spec *s, const struct ctr_spec_device *d, struct ctr_err *e)
{
	struct ctr_spec_device *n = grow(s, s->devices, s->ndevices, sizeof(*d), 0, e);

	if (!n)
		return -1;
	n[s->ndevices++] = *d;
	s->devices = n;
	return 0;
}

int ctr_spec_add_devrule(struct ctr_spec *s, const struct ctr_spec_devrule *r, struct ctr_err *e)
{
	struct ctr_spec_cgroup *c = &s->cgroup;
	struct ctr_spec_devrule *n = grow(s, c->devrules, c->ndevrules, sizeof(*r), 0, e);

	if (!n)
		return -1;
	n[c->ndevrules++] = *r;
	c->devrules = n;
	c->devices_set = 1;
	return 0;
}

int ctr_spec_add_hook(struct ctr_spec *s, int point, const struct ctr_spec_hook *h,
		      struct ctr_err *e)
{
	struct ctr_spec_hook *n;

	if (point < 0 || point >= CTR_HOOK_NPOINTS)
		return ctr_err_set(e, EINVAL, "hook point", "%d", point);
	n = grow(s, s->hooks[point], s->nhooks[point], sizeof(*h), 0, e);
	if (!n)
		return -1;
	n[s->nhooks[point]++] = *h;
	s->hooks[point] = n;
	return 0;
}

/* ---- docker's defaults --------------------------------------------------- */

#define NOSUID_NOEXEC_NODEV (MS_NOSUID | MS_NOEXEC | MS_NODEV)

static const struct ctr_spec_mount docker_mounts[] = {
	{ "proc", "proc", "/proc", NOSUID_NOEXEC_NODEV, 0, 0, NULL, 0, 0 },
	{ "tmpfs", "tmpfs", "/dev", MS_NOSUID | MS_STRICTATIME, 0, 0,
	  "mode=755,size=65536k", 0, 0 },
	{ "devpts", "devpts", "/dev/pts", MS_NOSUID | MS_NOEXEC, 0, 0,
	  "newinstance,ptmxmode=0666,mode=0620,gid=5", 0, 0 },
	{ "sysfs", "sysfs", "/sys", NOSUID_NOEXEC_NODEV | MS_RDONLY, 0, 0, NULL, 0, 0 },
	{ "cgroup", "cgroup", "/sys/fs/cgroup", NOSUID_NOEXEC_NODEV | MS_RDONLY, 0, 0, NULL, 0, 0 },
	{ "mqueue", "mqueue", "/dev/mqueue", NOSUID_NOEXEC_NODEV, 0, 0, NULL, 0, 0 },
	{ "tmpfs", "shm", "/dev/shm", NOSUID_NOEXEC_NODEV, 0, 0, "mode=1777,size=65536k", 0, 0 },
};

static const char *const docker_masked[] = {
	"/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys",
	"/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list",
	"/proc/timer_stats", "/sys/devices/virtual/powercap", "/sys/firmware",
};

static const char *const docker_readonly[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

/* Docker's device cgroup (runc AllowedDevices + docker's additions): deny
 * all, then mknod of any char/block device (the node alone opens nothing),
 * the default nodes, tty/console/ptmx and the pts. */
static const struct ctr_spec_devrule docker_devrules[] = {
	{ 0, 'a', -1, -1, "rwm" },
	{ 1, 'c', -1, -1, "m" },
	{ 1, 'b', -1, -1, "m" },
	{ 1, 'c', 1, 3, "rwm" },   /* null */
	{ 1, 'c', 1, 5, "rwm" },   /* zero */
	{ 1, 'c', 1, 7, "rwm" },   /* full */
	{ 1, 'c', 1, 8, "rwm" },   /* random */
	{ 1, 'c', 1, 9, "rwm" },   /* urandom */
	{ 1, 'c', 5, 0, "rwm" },   /* tty */
	{ 1, 'c', 5, 1, "rwm" },   /* console */
	{ 1, 'c', 5, 2, "rwm" },   /* ptmx */
	{ 1, 'c', 136, -1, "rwm" }, /* pts */
	{ 1, 'c', 10, 200, "rwm" }, /* net/tun */
};

static int ns_available(const char *name)
{
	char path[64] = "/proc/self/ns/";
	struct stat st;

	strcat(path, name);
	return lstat(path, &st) == 0;
}

int ctr_spec_docker_defaults(struct ctr_spec *s, struct ctr_err *e)
{
	static const int nstypes[] = { CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC,
				       CLONE_NEWPID, CLONE_NEWNET };
	size_t i;

	ctr_spec_init(s);
	for (i = 0; i < sizeof(nstypes) / sizeof(nstypes[0]); i++)
		if (ctr_spec_set_ns(s, nstypes[i], NULL, e) < 0)
			return -1;
	/* Docker >= 20.10 on cgroup v2 gives a private cgroup ns; on v1 the
	 * host's. Ours is always private where the kernel has it: the
	 * container then sees its own group as "/". */
	if (ns_available("cgroup") && ctr_spec_set_ns(s, CLONE_NEWCGROUP, NULL, e) < 0)
		return -1;
	s->loopback = 1;
	for (i = 0; i < sizeof(docker_mounts) / sizeof(docker_mounts[0]); i++)
		if (ctr_spec_add_mount(s, &docker_mounts[i], e) < 0)
			return -1;
	for (i = 0; i < sizeof(docker_masked) / sizeof(docker_masked[0]); i++)
		if (ctr_spec_add_str(s, &s->masked_paths, docker_masked[i], e) < 0)
			return -1;
	for (i = 0; i < sizeof(docker_readonly) / sizeof(docker_readonly[0]); i++)
		if (ctr_spec_add_str(s, &s->readonly_paths, docker_readonly[i], e) < 0)
			return -1;
	for (i = 0; i < sizeof(docker_devrules) / sizeof(docker_devrules[0]); i++)
		if (ctr_spec_add_devrule(s, &docker_devrules[i], e) < 0)
			return -1;
	s->default_devices = 1;
	s->process.caps.bounding = CTR_SPEC_DOCKER_CAPS;
	s->process.caps.effective = CTR_SPEC_DOCKER_CAPS;
	s->process.caps.permitted = CTR_SPEC_DOCKER_CAPS;
	s->seccomp = CTR_SECCOMP_DEFAULT;
	s->process.cwd = "/";
	return ctr_spec_add_str(s, &s->process.env,
				"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
				e);
}

uint64_t ctr_spec_caps_all(void)
{
	struct ctr_caps c;

	/* "All capabilities" are the caller's permitted set: the engine's
	 * capset cannot go beyond it (HOST-NOTES: root here lacks
	 * CAP_SYS_RESOURCE); for root it is the bounding set. One capget,
	 * not a PR_CAPBSET_READ per capability. */
	return ctr_caps_get(&c) < 0 ? 0 : c.permitted;
}

int ctr_spec_privileged(struct ctr_spec *s, struct ctr_err *e)
{
	static const struct ctr_spec_devrule all = { 1, 'a', -1, -1, "rwm" };
	size_t i;

	s->process.caps.bounding = s->process.caps.effective = s->process.caps.permitted =
		ctr_spec_caps_all();
	s->masked_paths = NULL;
	s->readonly_paths = NULL;
	s->seccomp = CTR_SECCOMP_NONE;
	for (i = 0; i < s->nmounts; i++)
		if (strcmp(s->mounts[i].dest, "/sys") == 0 ||
		    strcmp(s->mounts[i].dest, "/sys/fs/cgroup") == 0) {
			struct ctr_spec_mount *m = (struct ctr_spec_mount *)&s->mounts[i];
			m->flags &= ~(unsigned long)MS_RDONLY;
		}
	s->privileged = 1;
	return ctr_spec_add_devrule(s, &all, e);
}

/* ---- validation ---------------------------------------------------------- */

int ctr_spec_validate(const struct ctr_spec *s, struct ctr_err *e)
{
	const struct ctr_spec_caps *c = &s->process.caps;
	uint64_t known;
	size_t i, j;
	int last = ctr_caps_last();

	if (!s->process.args || !s->process.args[0] || !s->process.args[0][0])
		return ctr_err_set(e, EINVAL, "spec", "process.args is empty");
	if (!!s->root.path == !!s->root.nlayers)
		return ctr_err_set(e, EINVAL, "spec", "root: give a path or layers");
	if (s->process.cwd && s->process.cwd[0] != '/')
		return ctr_err_set(e, EINVAL, "spec", "process.cwd is not absolute: %s",
				   s->process.cwd);
	for (i = 0; i < s->nmounts; i++) {
		if (!s->mounts[i].dest || s->mounts[i].dest[0] != '/')
			return ctr_err_set(e, EINVAL, "spec", "mount destination is not absolute: %s",
					   s->mounts[i].dest ? s->mounts[i].dest : "(none)");
		if (!s->mounts[i].type)
			return ctr_err_set(e, EINVAL, "spec", "mount without a type: %s",
					   s->mounts[i].dest);
	}
	for (i = 0; i < s->nns; i++) {
		for (j = 0; j < i; j++)
			if (s->ns[j].type == s->ns[i].type)
				return ctr_err_set(e, EINVAL, "spec", "namespace listed twice");
		if (s->ns[i].type == CLONE_NEWUSER && s->ns[i].path)
			return ctr_err_set(e, ENOTSUP, "spec",
					   "joining a user namespace is not supported");
	}
	if (!ctr_spec_get_ns(s, CLONE_NEWNS) || ctr_spec_get_ns(s, CLONE_NEWNS)->path)
		return ctr_err_set(e, EINVAL, "spec", "a new mount namespace is required");
	if ((s->hostname || s->domainname) &&
	    (!ctr_spec_get_ns(s, CLONE_NEWUTS) || ctr_spec_get_ns(s, CLONE_NEWUTS)->path))
		return ctr_err_set(e, EINVAL, "spec", "hostname needs a new UTS namespace");
	if (!!s->uid_map != !!s->gid_map ||
	    (s->uid_map && !ctr_spec_get_ns(s, CLONE_NEWUSER)))
		return ctr_err_set(e, EINVAL, "spec", "id maps need a user namespace and both maps");
	known = last >= 63 ? ~0ULL : (1ULL << (last + 1)) - 1;
	if ((c->bounding | c->effective | c->permitted | c->inheritable | c->ambient) & ~known)
		return ctr_err_set(e, EINVAL, "spec", "capability beyond cap_last_cap (%d)", last);
	if (c->effective & ~c->permitted)
		return ctr_err_set(e, EINVAL, "spec", "effective capabilities not permitted");
	if (c->ambient & ~(c->permitted & c->inheritable))
		return ctr_err_set(e, EINVAL, "spec",
				   "ambient capabilities must be permitted and inheritable");
	if (s->seccomp == CTR_SECCOMP_FILTER && !s->seccomp_prog)
		return ctr_err_set(e, EINVAL, "spec", "seccomp filter missing");
	for (i = 0; s->sysctls && s->sysctls[i]; i++)
		if (!strchr(s->sysctls[i], '='))
			return ctr_err_set(e, EINVAL, "spec", "sysctl without '=': %s",
					   s->sysctls[i]);
	return 0;
}
