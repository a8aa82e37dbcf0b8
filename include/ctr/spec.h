/* The container spec: one plain struct describing a container, shaped after
 * the OCI runtime spec's config.json (a subset), which the engine
 * (include/ctr/engine.h) turns into an ordered list of setup operations and
 * runs. Two front ends fill it: ctrrun from docker's flags, starting from
 * ctr_spec_docker_defaults(); the OCI runtime from config.json, starting from
 * ctr_spec_init() (all zero / unset). Both end in ctr_spec_validate().
 *
 * Memory: the spec points at strings and arrays the front end owns (argv,
 * its own heap, a JSON arena). The engine copies nothing and frees nothing,
 * except what ctr_spec_docker_defaults() and the ctr_spec_add_* helpers
 * allocate, which ctr_spec_free() releases (s->owned). String lists are
 * NULL-terminated; arrays of structs carry a count.
 *
 * Only additions after the first commit: the OCI front end codes against it. */
#ifndef CTR_SPEC_H
#define CTR_SPEC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "ctr/err.h"
#include "ctr/idmap.h"

struct ctr_seccomp_prog;

/* ---- process ------------------------------------------------------------ */

struct ctr_spec_rlimit {
	int resource;            /* RLIMIT_* */
	uint64_t soft, hard;     /* RLIM_INFINITY = unlimited */
};

struct ctr_spec_caps {
	/* bit N = capability N (capabilities(7)); docker's default is
	 * 0xa80425fb in bounding, effective and permitted. */
	uint64_t bounding, effective, permitted, inheritable, ambient;
};

struct ctr_spec_process {
	char **args;             /* argv, NULL-terminated, args[0] looked up in
				  * the container's PATH */
	char **env;              /* "NAME=VALUE", NULL-terminated */
	const char *cwd;         /* absolute, inside the root; NULL = "/" */
	/* The identity: either numbers (OCI) or, when user is set, docker's
	 * "USER[:GROUP]" (names or numbers) looked up in the image's
	 * /etc/passwd and /etc/group after the root is in place; a user name
	 * then brings its primary group and its supplementary groups. */
	uint32_t uid, gid;
	uint32_t *additional_gids;
	size_t nadditional_gids;
	const char *user;        /* NULL: use uid/gid above */
	int umask;               /* -1: 0022 */
	int terminal;            /* allocate a pty, make it the controlling tty */
	unsigned short console_rows, console_cols; /* 0: take the caller's */
	struct ctr_spec_caps caps;
	struct ctr_spec_rlimit *rlimits;
	size_t nrlimits;
	int no_new_privs;
	int oom_score_adj;
	int has_oom_score_adj;
};

/* ---- root and mounts ---------------------------------------------------- */

struct ctr_spec_root {
	/* Exactly one of path (a root directory used in place, bound onto
	 * itself: OCI) and layers (read-only lower dirs, topmost first, as
	 * overlay's lowerdir: docker). With layers the engine mounts an
	 * overlay with a fresh upper and work dir in the state directory:
	 * the layers are never written. */
	const char *path;
	char **layers;
	size_t nlayers;
	int readonly;            /* the root is mounted read-only */
};

/* One mount, in the order given (OCI "mounts"). type is the filesystem
 * ("proc", "sysfs", "tmpfs", "devpts", "mqueue", "cgroup", "cgroup2",
 * "overlay", ...) or "bind"; a bind is recursive unless flags lacks MS_REC
 * and bind_nonrec is set. dest is resolved inside the root (symlinks in the
 * image cannot lead it outside). flags: MS_* (MS_RDONLY, MS_NOSUID, ...;
 * MS_BIND for a bind); clear: MS_* flags the options turned off ("rw",
 * "suid": only matters for the read-only remount of a bind); data: the
 * filesystem's own options ("mode=755,size=65536k"). propagation: 0 or
 * MS_PRIVATE/MS_SLAVE/MS_SHARED/MS_UNBINDABLE (| MS_REC). */
struct ctr_spec_mount {
	const char *type;
	const char *source;
	const char *dest;
	unsigned long flags;
	unsigned long clear;
	unsigned long propagation;
	const char *data;
	int bind_nonrec;
	int optional;            /* skip, without error, a source that does not exist */
};

/* ---- namespaces, devices ------------------------------------------------ */

/* One namespace of the container: created new (path NULL) or joined
 * (path: "/proc/PID/ns/net", a bind-mounted ns file). A type not listed is
 * shared with the caller. */
struct ctr_spec_ns {
	int type;                /* CLONE_NEW* */
	const char *path;
};

/* A device node to create in the container's /dev (OCI linux.devices). */
struct ctr_spec_device {
	const char *path;        /* "/dev/fuse" */
	char type;               /* 'c', 'b', 'u' (= 'c'), 'p' (fifo) */
	int64_t major, minor;
	uint32_t mode;           /* permission bits; 0: 0666 */
	uint32_t uid, gid;
};

/* A device cgroup rule (OCI linux.resources.devices; docker's allowlist).
 * Evaluated in order, the last match wins, as runc's and crun's emulator.
 * major/minor -1 = any. access: any of "rwm". */
struct ctr_spec_devrule {
	int allow;
	char type;               /* 'a', 'c', 'b' */
	int64_t major, minor;
	char access[4];
};

/* ---- cgroup -------------------------------------------------------------- */

/* Resource limits. Values use the v1 units and docker's / OCI's meaning;
 * the cgroup library translates to v2 names (cpu.max, cpu.weight,
 * memory.max, memory.swap.max) where the controller lives on cgroup2.
 * 0 or NULL = not set, except where noted. */
struct ctr_spec_cgroup {
	/* Group path relative to each hierarchy's mount point ("ctrbox/ID").
	 * NULL: the engine picks "ctrbox/<id>". */
	const char *path;
	int64_t cpu_quota;       /* us per period; -1 = no limit */
	uint64_t cpu_period;     /* us */
	uint64_t cpu_shares;
	const char *cpuset_cpus;
	const char *cpuset_mems;
	int64_t memory;          /* bytes; -1 = unlimited */
	int64_t memory_swap;     /* memory + swap, bytes; -1 = unlimited */
	int64_t memory_reservation;
	int64_t pids_limit;      /* -1 = unlimited */
	/* Extra "NAME=VALUE" knob settings (v1 or v2 names, translated), after
	 * the fields above; NULL-terminated. */
	char **settings;
	struct ctr_spec_devrule *devrules;
	size_t ndevrules;
	int devices_set;         /* devrules says it all (else: no device policy) */
};

/* ---- seccomp, hooks ------------------------------------------------------ */

enum ctr_spec_seccomp_mode {
	CTR_SECCOMP_NONE = 0,    /* unconfined */
	CTR_SECCOMP_DEFAULT,     /* docker's default policy for this arch,
				  * cap-gated rules from caps.bounding */
	CTR_SECCOMP_FILTER,      /* a BPF program the front end compiled */
};

/* OCI hook points. The engine calls the front end's hook callback
 * (struct ctr_engine_opts) at each; it runs the hooks itself. */
enum ctr_spec_hook_point {
	CTR_HOOK_PRESTART = 0,       /* runtime ns, after setup, before pivot */
	CTR_HOOK_CREATE_RUNTIME,     /* runtime ns (called in the parent) */
	CTR_HOOK_CREATE_CONTAINER,   /* container ns, before pivot (child) */
	CTR_HOOK_START_CONTAINER,    /* container, after the wait, before exec */
	CTR_HOOK_POSTSTART,          /* runtime ns, after start (parent) */
	CTR_HOOK_POSTSTOP,           /* runtime ns, after the container ended */
	CTR_HOOK_NPOINTS
};

struct ctr_spec_hook {
	const char *path;
	char **args;             /* NULL-terminated, may be NULL */
	char **env;
	int timeout;             /* seconds, 0 = none */
};

/* ---- the spec ------------------------------------------------------------ */

#define CTR_SPEC_MAX_NS 8

struct ctr_spec {
	struct ctr_spec_process process;
	struct ctr_spec_root root;
	const char *hostname;
	const char *domainname;

	struct ctr_spec_mount *mounts;
	size_t nmounts;

	struct ctr_spec_ns ns[CTR_SPEC_MAX_NS];
	size_t nns;
	struct ctr_idmap *uid_map, *gid_map;   /* with a user ns; NULL: none */

	char **masked_paths;     /* NULL-terminated */
	char **readonly_paths;

	struct ctr_spec_device *devices;
	size_t ndevices;
	int default_devices;     /* null zero full random urandom tty (+ links,
				  * ptmx, console with a terminal) in /dev */

	enum ctr_spec_seccomp_mode seccomp;
	const struct ctr_seccomp_prog *seccomp_prog; /* CTR_SECCOMP_FILTER: compiled
				  * by ctr_seccomp_compile (ctr/seccomp.h) */
	unsigned seccomp_flags;	 /* SECCOMP_FILTER_FLAG_* for seccomp(2) */

	struct ctr_spec_cgroup cgroup;
	char **sysctls;          /* "net.ipv4.ip_forward=1", NULL-terminated */

	struct ctr_spec_hook *hooks[CTR_HOOK_NPOINTS];
	size_t nhooks[CTR_HOOK_NPOINTS];

	unsigned long rootfs_propagation; /* 0: MS_PRIVATE|MS_REC */
	int no_pivot;            /* MS_MOVE + chroot instead of pivot_root */
	int loopback;            /* bring lo up in a new network namespace */
	int init;                /* a tiny init as pid 1 (docker --init) */
	int privileged;          /* informational (docker --privileged): the
				  * fields above already say what it lifts */

	/* Owned allocations (ctr_spec_own), and the arena the grown arrays
	 * (ctr_spec_add_*) live in: chunks, each linked to the one before. */
	void **owned;
	size_t nowned, owned_cap;
	char *arena;
	size_t arena_used, arena_size;
};

/* Docker's default capability set (CapEff 00000000a80425fb). */
#define CTR_SPEC_DOCKER_CAPS 0x00000000a80425fbULL

/* Everything zero / unset: umask -1, no namespaces, no mounts. */
void ctr_spec_init(struct ctr_spec *s);
/* What `docker run IMAGE` gives before any flag: mnt uts ipc pid net
 * (+ cgroup where the kernel has it) namespaces, loopback, docker's mounts
 * (/proc, /dev tmpfs, /dev/pts, /dev/shm, /dev/mqueue, /sys ro,
 * /sys/fs/cgroup ro), default devices and device rules, default caps in
 * bounding/effective/permitted, masked and read-only paths, the default
 * seccomp policy, PATH in env, cwd "/". -1 with e on allocation failure. */
int ctr_spec_docker_defaults(struct ctr_spec *s, struct ctr_err *e);
/* --privileged: every capability the caller holds (ctr_spec_caps_all), no masked
 * or read-only paths, /sys and /sys/fs/cgroup writable, no seccomp, all
 * devices allowed (rules "a *:* rwm"). */
int ctr_spec_privileged(struct ctr_spec *s, struct ctr_err *e);
/* The capabilities the caller can give: its permitted set (capget). */
uint64_t ctr_spec_caps_all(void);
/* Check the spec is complete and coherent (args, root, mount dests
 * absolute, namespaces each at most once, a user ns joined is refused,
 * hostname needs a UTS ns, caps within cap_last_cap, ambient within
 * permitted and inheritable...). e names the field. */
int ctr_spec_validate(const struct ctr_spec *s, struct ctr_err *e);
/* Free what the spec owns; the front end's own memory is untouched. */
void ctr_spec_free(struct ctr_spec *s);

/* Growing helpers; what they allocate is owned by the spec. */
int ctr_spec_add_mount(struct ctr_spec *s, const struct ctr_spec_mount *m, struct ctr_err *e);
/* Append to a NULL-terminated list (env, masked_paths, sysctls...); the
 * string itself is not copied. */
int ctr_spec_add_str(struct ctr_spec *s, char ***list, const char *str, struct ctr_err *e);
/* Set NAME=VALUE in process.env, replacing an earlier NAME (docker -e). */
int ctr_spec_setenv(struct ctr_spec *s, const char *nameval, struct ctr_err *e);
/* Set (create or replace) the namespace of a type; path NULL = new;
 * type 0 removal: ctr_spec_del_ns. */
int ctr_spec_set_ns(struct ctr_spec *s, int type, const char *path, struct ctr_err *e);
void ctr_spec_del_ns(struct ctr_spec *s, int type);
/* The entry of a type, or NULL. */
const struct ctr_spec_ns *ctr_spec_get_ns(const struct ctr_spec *s, int type);
int ctr_spec_add_rlimit(struct ctr_spec *s, const struct ctr_spec_rlimit *r, struct ctr_err *e);
int ctr_spec_add_device(struct ctr_spec *s, const struct ctr_spec_device *d, struct ctr_err *e);
int ctr_spec_add_devrule(struct ctr_spec *s, const struct ctr_spec_devrule *r, struct ctr_err *e);
int ctr_spec_add_hook(struct ctr_spec *s, int point, const struct ctr_spec_hook *h,
		      struct ctr_err *e);
/* A string printed into the spec's arena (kept until ctr_spec_free); NULL
 * with e on allocation failure. */
char *ctr_spec_strf(struct ctr_spec *s, struct ctr_err *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Keep p (malloc'd) until ctr_spec_free. Frees p and fails if it cannot. */
int ctr_spec_own(struct ctr_spec *s, void *p, struct ctr_err *e);

#endif
