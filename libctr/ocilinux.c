/* ocilinux.c: config.json's "linux" object into a struct ctr_spec:
 * namespaces, id maps, devices, cgroupsPath and resources, sysctl,
 * rootfsPropagation, masked and read-only paths (see include/ctr/oci.h).
 * Resources keep cgroup v1 names and units, as the spec's fields are
 * defined; the cgroup library translates for a cgroup2 hierarchy. */
#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctr/compat.h"
#include "ctr/cgroup.h"
#include "oci_int.h"

/* "NAME=VALUE" into s->cgroup.settings. */
static int setting(struct ctr_spec *s, const char *name, const char *val, struct ctr_err *e)
{
	size_t len = strlen(name) + strlen(val) + 2;
	char *kv = malloc(len);

	if (ctr_spec_own(s, kv, e) < 0)
		return -1;
	snprintf(kv, len, "%s=%s", name, val);
	return ctr_spec_add_str(s, &s->cgroup.settings, kv, e);
}

static int setting_u(struct ctr_spec *s, const char *name, uint64_t v, struct ctr_err *e)
{
	char val[24];

	snprintf(val, sizeof(val), "%llu", (unsigned long long)v);
	return setting(s, name, val, e);
}

static int namespaces(struct ctr_spec *s, const struct ctr_json *a, struct ctr_err *e)
{
	static const struct { const char *name; int type; } types[] = {
		{ "pid", CLONE_NEWPID }, { "network", CLONE_NEWNET }, { "mount", CLONE_NEWNS },
		{ "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS }, { "user", CLONE_NEWUSER },
		{ "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
	};
	const struct ctr_json *k;
	const char *type, *path;
	size_t i;

	for (k = a ? a->v.kid : NULL; k; k = k->next) {
		type = path = NULL;
		if (ctr_oci_get_str(k, "type", "linux.namespaces", &type, e) < 0 ||
		    ctr_oci_get_str(k, "path", "linux.namespaces", &path, e) < 0)
			return -1;
		for (i = 0; type && i < sizeof(types) / sizeof(types[0]); i++)
			if (strcmp(type, types[i].name) == 0)
				break;
		if (!type || i == sizeof(types) / sizeof(types[0]))
			return ctr_oci_bad(e, "linux.namespaces.type", "unknown: %s",
					   type ? type : "(none)");
		if (ctr_spec_get_ns(s, types[i].type))
			return ctr_oci_bad(e, "linux.namespaces", "%s listed twice", type);
		if (ctr_spec_set_ns(s, types[i].type, path && *path ? path : NULL, e) < 0)
			return -1;
	}
	return 0;
}

static int idmap(struct ctr_idmap *m, const struct ctr_json *a, const char *field,
		 struct ctr_err *e)
{
	const struct ctr_json *k;
	struct ctr_idmap_range r;

	for (k = a->v.kid; k; k = k->next) {
		r.inner = r.outer = r.count = 0;
		if (ctr_oci_get_u32(k, "containerID", field, &r.inner, e) < 0 ||
		    ctr_oci_get_u32(k, "hostID", field, &r.outer, e) < 0 ||
		    ctr_oci_get_u32(k, "size", field, &r.count, e) < 0)
			return -1;
		if (!r.count)
			return ctr_oci_bad(e, field, "size must not be 0%s", "");
		if (ctr_idmap_add(m, &r) < 0)
			return ctr_oci_bad(e, field, "too many ranges%s", "");
	}
	return 0;
}

static int devices(struct ctr_spec *s, const struct ctr_json *a, struct ctr_err *e)
{
	const struct ctr_json *k;
	struct ctr_spec_device d;
	const char *type;

	for (k = a ? a->v.kid : NULL; k; k = k->next) {
		memset(&d, 0, sizeof(d));
		type = NULL;
		if (ctr_oci_get_str(k, "path", "linux.devices", &d.path, e) < 0 ||
		    ctr_oci_get_str(k, "type", "linux.devices", &type, e) < 0 ||
		    ctr_oci_get_i64(k, "major", "linux.devices", 0, 0xfff, &d.major, NULL, e) < 0 ||
		    ctr_oci_get_i64(k, "minor", "linux.devices", 0, 0xfffff, &d.minor, NULL, e) < 0 ||
		    ctr_oci_get_u32(k, "fileMode", "linux.devices", &d.mode, e) < 0 ||
		    ctr_oci_get_u32(k, "uid", "linux.devices", &d.uid, e) < 0 ||
		    ctr_oci_get_u32(k, "gid", "linux.devices", &d.gid, e) < 0)
			return -1;
		if (!d.path || d.path[0] != '/')
			return ctr_oci_bad(e, "linux.devices.path", "must be absolute: %s",
					   d.path ? d.path : "(none)");
		if (!type || strlen(type) != 1 || !strchr("cbup", type[0]))
			return ctr_oci_bad(e, "linux.devices.type", "must be c, b, u or p: %s",
					   type ? type : "(none)");
		d.type = type[0] == 'u' ? 'c' : type[0];
		d.mode &= 07777;
		if (ctr_spec_add_device(s, &d, e) < 0)
			return -1;
	}
	return 0;
}

static int devrules(struct ctr_spec *s, const struct ctr_json *a, struct ctr_err *e)
{
	const struct ctr_json *k;
	struct ctr_spec_devrule r;
	const char *type, *access;

	for (k = a->v.kid; k; k = k->next) {
		memset(&r, 0, sizeof(r));
		r.major = r.minor = -1;
		type = access = NULL;
		if (ctr_oci_get_bool(k, "allow", "linux.resources.devices", &r.allow, e) < 0 ||
		    ctr_oci_get_str(k, "type", "linux.resources.devices", &type, e) < 0 ||
		    ctr_oci_get_str(k, "access", "linux.resources.devices", &access, e) < 0 ||
		    ctr_oci_get_i64(k, "major", "linux.resources.devices", -1, 0xfff,
				    &r.major, NULL, e) < 0 ||
		    ctr_oci_get_i64(k, "minor", "linux.resources.devices", -1, 0xfffff,
				    &r.minor, NULL, e) < 0)
			return -1;
		if (!type || !*type)
			type = "a";
		if (strlen(type) != 1 || !strchr("acbu", type[0]))
			return ctr_oci_bad(e, "linux.resources.devices.type",
					   "must be a, c, b: %s", type);
		r.type = type[0] == 'u' ? 'c' : type[0];
		if (!access || !*access)
			access = "rwm";
		if (strlen(access) > 3 || strspn(access, "rwm") != strlen(access))
			return ctr_oci_bad(e, "linux.resources.devices.access",
					   "must be of r, w, m: %s", access);
		strcpy(r.access, access);
		if (ctr_spec_add_devrule(s, &r, e) < 0)
			return -1;
	}
	return 0;
}

/* blockIO lists: {major, minor, rate|weight} -> "MAJ:MIN N" settings. */
static int blkio_list(struct ctr_spec *s, const struct ctr_json *bio, const char *key,
		      const char *knob, const char *valkey, struct ctr_err *e)
{
	char field[64], val[64];
	const struct ctr_json *a, *k;
	int bad = 0;
	int64_t maj, min;
	uint64_t v;

	snprintf(field, sizeof(field), "linux.resources.blockIO.%s", key);
	a = ctr_oci_member(bio, key, CTR_JSON_ARRAY, "linux.resources.blockIO", &bad, e);
	if (bad)
		return -1;
	for (k = a ? a->v.kid : NULL; k; k = k->next) {
		maj = min = 0;
		v = 0;
		if (ctr_oci_get_i64(k, "major", field, 0, 0xfff, &maj, NULL, e) < 0 ||
		    ctr_oci_get_i64(k, "minor", field, 0, 0xfffff, &min, NULL, e) < 0 ||
		    ctr_oci_get_u64(k, valkey, field, UINT64_MAX, &v, NULL, e) < 0)
			return -1;
		snprintf(val, sizeof(val), "%lld:%lld %llu", (long long)maj, (long long)min,
			 (unsigned long long)v);
		if (setting(s, knob, val, e) < 0)
			return -1;
	}
	return 0;
}

/* The scalar members of resources.cpu, .memory, .pids, .blockIO: a field of
 * struct ctr_spec_cgroup, or a knob written as a setting. */
enum { RF_I64, RF_U64, RF_STR, RF_KNOB, RF_KNOB_NZ, RF_KNOB_I, RF_OOM, RF_OLD };
enum { LIM_ANY, LIM_1, LIM_100, LIM_1000 };
struct rfield {
	const char *key, *knob;
	unsigned char kind, off, lim;
};
#define CG(f) offsetof(struct ctr_spec_cgroup, f)
static const struct rfield cpu_f[] = {
	{ "shares", NULL, RF_U64, CG(cpu_shares), 0 },
	{ "quota", NULL, RF_I64, CG(cpu_quota), 0 },
	{ "period", NULL, RF_U64, CG(cpu_period), 0 },
	{ "cpus", NULL, RF_STR, CG(cpuset_cpus), 0 },
	{ "mems", NULL, RF_STR, CG(cpuset_mems), 0 },
	{ "realtimeRuntime", "cpu.rt_runtime_us", RF_KNOB_I, 0, 0 },
	{ "realtimePeriod", "cpu.rt_period_us", RF_KNOB_NZ, 0, 0 },
	{ "burst", "cpu.cfs_burst_us", RF_KNOB, 0, 0 },
	{ "idle", "cpu.idle", RF_KNOB, 0, LIM_1 },
	{ NULL, NULL, 0, 0, 0 }
}, memory_f[] = {
	{ "limit", NULL, RF_I64, CG(memory), 0 },
	{ "reservation", NULL, RF_I64, CG(memory_reservation), 0 },
	{ "swap", NULL, RF_I64, CG(memory_swap), 0 },
	{ "swappiness", "memory.swappiness", RF_KNOB, 0, LIM_100 },
	{ "disableOOMKiller", "memory.oom_control", RF_OOM, 0, 0 },
	/* kernel memory limits: deprecated, ignored by runc >= 1.1 */
	{ "kernel", NULL, RF_OLD, 0, 0 },
	{ "kernelTCP", NULL, RF_OLD, 0, 0 },
	{ NULL, NULL, 0, 0, 0 }
}, pids_f[] = {
	{ "limit", NULL, RF_I64, CG(pids_limit), 0 },
	{ NULL, NULL, 0, 0, 0 }
}, blkio_f[] = {
	{ "weight", "blkio.weight", RF_KNOB, 0, LIM_1000 },
	{ "leafWeight", "blkio.leaf_weight", RF_KNOB, 0, LIM_1000 },
	{ NULL, NULL, 0, 0, 0 }
};

static int rfields(struct ctr_oci *o, const struct ctr_json *obj, const char *prefix,
		   const struct rfield *f, struct ctr_err *e)
{
	static const uint64_t lims[] = { UINT64_MAX, 1, 100, 1000 };
	char *base = (char *)&o->spec.cgroup, val[24];
	int64_t v;
	uint64_t u;
	int set, b;

	for (; f->key; f++) {
		set = b = 0;
		switch (f->kind) {
		case RF_STR:
			if (ctr_oci_get_str(obj, f->key, prefix, (const char **)(base + f->off), e) < 0)
				return -1;
			if (*(const char **)(base + f->off) && !**(const char **)(base + f->off))
				*(const char **)(base + f->off) = NULL;
			continue;
		case RF_OOM:
			if (ctr_oci_get_bool(obj, f->key, prefix, &b, e) < 0 ||
			    (b && setting(&o->spec, f->knob, "1", e) < 0))
				return -1;
			continue;
		case RF_I64:
		case RF_KNOB_I:
		case RF_OLD:
			if (ctr_oci_get_i64(obj, f->key, prefix, f->kind == RF_I64 && f->off ==
					    CG(pids_limit) ? INT64_MIN : -1, INT64_MAX, &v, &set, e) < 0)
				return -1;
			if (!set)
				continue;
			if (f->kind == RF_OLD)
				ctr_oci_warn(o, "linux.resources.memory.%s ignored (deprecated)", f->key);
			else if (f->kind == RF_I64)
				*(int64_t *)(base + f->off) = v < -1 ? -1 : v;
			else if (v) {
				snprintf(val, sizeof(val), "%lld", (long long)v);
				if (setting(&o->spec, f->knob, val, e) < 0)
					return -1;
			}
			continue;
		default:
			if (ctr_oci_get_u64(obj, f->key, prefix, lims[f->lim], &u, &set, e) < 0)
				return -1;
			if (!set)
				continue;
			if (f->kind == RF_U64)
				*(uint64_t *)(base + f->off) = u;
			else if ((u || f->kind == RF_KNOB) && setting_u(&o->spec, f->knob, u, e) < 0)
				return -1;
		}
	}
	return 0;
}

static int blockio(struct ctr_oci *o, const struct ctr_json *b, struct ctr_err *e)
{
	struct ctr_spec *s = &o->spec;

	return rfields(o, b, "linux.resources.blockIO", blkio_f, e) < 0 ||
	       blkio_list(s, b, "weightDevice", "blkio.weight_device", "weight", e) < 0 ||
	       blkio_list(s, b, "throttleReadBpsDevice", "blkio.throttle.read_bps_device",
			  "rate", e) < 0 ||
	       blkio_list(s, b, "throttleWriteBpsDevice", "blkio.throttle.write_bps_device",
			  "rate", e) < 0 ||
	       blkio_list(s, b, "throttleReadIOPSDevice", "blkio.throttle.read_iops_device",
			  "rate", e) < 0 ||
	       blkio_list(s, b, "throttleWriteIOPSDevice", "blkio.throttle.write_iops_device",
			  "rate", e) < 0 ? -1 : 0;
}

static int resources(struct ctr_oci *o, const struct ctr_json *r, struct ctr_err *e)
{
	struct ctr_spec *s = &o->spec;
	const struct ctr_json *n, *k;
	char knob[96], val[256];
	int bad = 0;

	if (ctr_oci_refuse(r, "rdma", "linux.resources", e) < 0)
		return -1;
	static const struct { const char *key, *prefix; const struct rfield *f; } objs[] = {
		{ "cpu", "linux.resources.cpu", cpu_f },
		{ "memory", "linux.resources.memory", memory_f },
		{ "pids", "linux.resources.pids", pids_f },
	};
	size_t i;

	for (i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		n = ctr_oci_member(r, objs[i].key, CTR_JSON_OBJECT, "linux.resources", &bad, e);
		if (bad || (n && rfields(o, n, objs[i].prefix, objs[i].f, e) < 0))
			return -1;
	}
	n = ctr_oci_member(r, "blockIO", CTR_JSON_OBJECT, "linux.resources", &bad, e);
	if (bad || (n && blockio(o, n, e) < 0))
		return -1;
	n = ctr_oci_member(r, "hugepageLimits", CTR_JSON_ARRAY, "linux.resources",
			   &bad, e);
	if (bad)
		return -1;
	for (k = n ? n->v.kid : NULL; k; k = k->next) {
		const char *size = NULL;
		uint64_t lim = 0;
		if (ctr_oci_get_str(k, "pageSize", "linux.resources.hugepageLimits",
				    &size, e) < 0 ||
		    ctr_oci_get_u64(k, "limit", "linux.resources.hugepageLimits", UINT64_MAX,
				    &lim, NULL, e) < 0)
			return -1;
		if (!size || !*size || strchr(size, '/') || strlen(size) > 16)
			return ctr_oci_bad(e, "linux.resources.hugepageLimits.pageSize",
					   "bad size: %s", size ? size : "(none)");
		snprintf(knob, sizeof(knob), "hugetlb.%s.limit_in_bytes", size);
		if (setting_u(s, knob, lim, e) < 0)
			return -1;
	}
	n = ctr_oci_member(r, "network", CTR_JSON_OBJECT, "linux.resources", &bad, e);
	if (bad)
		return -1;
	if (n) {
		uint32_t classid = 0;
		const struct ctr_json *pr;
		if (ctr_oci_get_u32(n, "classID", "linux.resources.network", &classid, e) < 0 ||
		    (ctr_json_get(n, "classID") && setting_u(s, "net_cls.classid", classid, e) < 0))
			return -1;
		pr = ctr_oci_member(n, "priorities", CTR_JSON_ARRAY, "linux.resources.network", &bad, e);
		if (bad)
			return -1;
		for (k = pr ? pr->v.kid : NULL; k; k = k->next) {
			const char *ifname = NULL;
			uint32_t prio = 0;
			if (ctr_oci_get_str(k, "name", "linux.resources.network.priorities",
					    &ifname, e) < 0 ||
			    ctr_oci_get_u32(k, "priority", "linux.resources.network.priorities",
					    &prio, e) < 0)
				return -1;
			snprintf(val, sizeof(val), "%s %u", ifname ? ifname : "", prio);
			if (setting(s, "net_prio.ifpriomap", val, e) < 0)
				return -1;
		}
	}
	n = ctr_oci_member(r, "unified", CTR_JSON_OBJECT, "linux.resources", &bad, e);
	if (bad)
		return -1;
	for (k = n ? n->v.kid : NULL; k; k = k->next) {
		if (k->type != CTR_JSON_STRING || strchr(k->key, '/'))
			return ctr_oci_bad(e, "linux.resources.unified", "bad entry: %s", k->key);
		if (setting(s, k->key, k->v.s, e) < 0)
			return -1;
	}
	n = ctr_oci_member(r, "devices", CTR_JSON_ARRAY, "linux.resources", &bad, e);
	if (bad || (n && devrules(s, n, e) < 0))
		return -1;
	return 0;
}

/* runc (specconv AllowedDevices, createDevices) appends to the spec's device
 * rules the devices every container has, and each of linux.devices: podman
 * sends "deny all" alone and counts on it. */
static int default_devrules(struct ctr_spec *s, struct ctr_err *e)
{
	static const struct ctr_spec_devrule allowed[] = {
		{ 1, 'c', -1, -1, "m" }, { 1, 'b', -1, -1, "m" },
		{ 1, 'c', 1, 3, "rwm" }, { 1, 'c', 1, 8, "rwm" }, { 1, 'c', 1, 7, "rwm" },
		{ 1, 'c', 5, 0, "rwm" }, { 1, 'c', 1, 5, "rwm" }, { 1, 'c', 1, 9, "rwm" },
		{ 1, 'c', 136, -1, "rwm" }, { 1, 'c', 5, 2, "rwm" }, { 1, 'c', 10, 200, "rwm" },
	};
	struct ctr_spec_devrule r = { 1, 'c', 0, 0, "rwm" };
	size_t i;

	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (ctr_spec_add_devrule(s, &allowed[i], e) < 0)
			return -1;
	for (i = 0; i < s->ndevices; i++) {
		if (s->devices[i].type == 'p')
			continue;
		r.type = s->devices[i].type;
		r.major = s->devices[i].major;
		r.minor = s->devices[i].minor;
		if (ctr_spec_add_devrule(s, &r, e) < 0)
			return -1;
	}
	return 0;
}

int ctr_oci_linux(struct ctr_oci *o, const struct ctr_json *l, struct ctr_err *e)
{
	static const char *const refused[] = {
		"intelRdt", "personality", "timeOffsets", "memoryPolicy", "netDevices",
	};
	struct ctr_spec *s = &o->spec;
	const struct ctr_json *n, *k;
	const char *str = NULL;
	size_t i;
	int bad = 0;

	if (!l)
		return ctr_oci_bad(e, "linux", "missing (a Linux container needs it)%s", "");
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (ctr_oci_refuse(l, refused[i], "linux", e) < 0)
			return -1;
	n = ctr_oci_member(l, "namespaces", CTR_JSON_ARRAY, "linux", &bad, e);
	if (bad || namespaces(s, n, e) < 0)
		return -1;
	n = ctr_oci_member(l, "uidMappings", CTR_JSON_ARRAY, "linux", &bad, e);
	if (bad || (n && idmap(&o->uid_map, n, "linux.uidMappings", e) < 0))
		return -1;
	n = ctr_oci_member(l, "gidMappings", CTR_JSON_ARRAY, "linux", &bad, e);
	if (bad || (n && idmap(&o->gid_map, n, "linux.gidMappings", e) < 0))
		return -1;
	if (o->uid_map.n)
		s->uid_map = &o->uid_map;
	if (o->gid_map.n)
		s->gid_map = &o->gid_map;
	n = ctr_oci_member(l, "devices", CTR_JSON_ARRAY, "linux", &bad, e);
	if (bad || devices(s, n, e) < 0)
		return -1;
	if (ctr_oci_get_str(l, "cgroupsPath", "linux", &str, e) < 0)
		return -1;
	if (str && *str) {
		/* systemd's "slice:prefix:name" needs --systemd-cgroup */
		if (strchr(str, ':') && !strchr(str, '/'))
			return ctr_err_set(e, ENOTSUP, "config.json",
					   "linux.cgroupsPath: systemd form %s not supported by "
					   "ctrbox (no --systemd-cgroup)", str);
		if (*str != '/') {
			/* relative: under this process's own group, as runc */
			char own[1024], *full = malloc(sizeof(own) + strlen(str));

			if (ctr_spec_own(s, full, e) < 0 || ctr_cgroup_own(own, sizeof(own), e) < 0)
				return -1;
			sprintf(full, "%s/%s", own, str);
			str = full;
		}
		while (*str == '/')
			str++;
		s->cgroup.path = *str ? str : NULL;
	}
	n = ctr_oci_member(l, "resources", CTR_JSON_OBJECT, "linux", &bad, e);
	if (bad || (n && resources(o, n, e) < 0))
		return -1;
	if (s->cgroup.devices_set && default_devrules(s, e) < 0)
		return -1;
	n = ctr_oci_member(l, "sysctl", CTR_JSON_OBJECT, "linux", &bad, e);
	if (bad)
		return -1;
	for (k = n ? n->v.kid : NULL; k; k = k->next) {
		size_t len = strlen(k->key) + (k->type == CTR_JSON_STRING ? k->len : 0) + 2;
		char *kv;
		if (k->type != CTR_JSON_STRING || !*k->key || strchr(k->key, '='))
			return ctr_oci_bad(e, "linux.sysctl", "bad entry: %s", k->key);
		kv = malloc(len);
		if (ctr_spec_own(s, kv, e) < 0)
			return -1;
		snprintf(kv, len, "%s=%s", k->key, k->v.s);
		if (ctr_spec_add_str(s, &s->sysctls, kv, e) < 0)
			return -1;
	}
	str = NULL;
	if (ctr_oci_get_str(l, "rootfsPropagation", "linux", &str, e) < 0)
		return -1;
	if (str && *str && !(s->rootfs_propagation = ctr_oci_propagation(str)))
		return ctr_oci_bad(e, "linux.rootfsPropagation", "unknown: %s", str);
	if (ctr_oci_get_strv(s, l, "maskedPaths", "linux", &s->masked_paths, e) < 0 ||
	    ctr_oci_get_strv(s, l, "readonlyPaths", "linux",
			     &s->readonly_paths, e) < 0)
		return -1;
	str = NULL;
	if (ctr_oci_get_str(l, "mountLabel", "linux", &str, e) < 0)
		return -1;
	if (str && *str)
		ctr_oci_warn(o, "linux.mountLabel %s ignored: no SELinux", str);
	o->seccomp = ctr_oci_member(l, "seccomp", CTR_JSON_OBJECT, "linux", &bad, e);
	return bad ? -1 : 0;
}
