/* oci.c: config.json's top level, process, root, mounts and hooks into a
 * struct ctr_spec (see include/ctr/oci.h; linux.* is in ocilinux.c).
 *
 * As the runtime spec says, unknown members are ignored; members we know
 * and cannot honour are refused. JSON null counts as absent (Go's reading).
 * Field names in errors are the spec's dotted paths. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>
#include "ctr/caps.h"
#include "ctr/compat.h"
#include "ctr/str.h"
#include "oci_int.h"

int ctr_oci_bad(struct ctr_err *e, const char *field, const char *fmt, const char *arg)
{
	char why[256];

	snprintf(why, sizeof(why), fmt, arg);
	return ctr_err_set(e, EINVAL, "config.json", "%s: %s", field, why);
}

/* The same naming FIELD as PREFIX.KEY (KEY alone without a prefix). */
int ctr_oci_bad_key(struct ctr_err *e, const char *prefix, const char *key, const char *fmt,
		    const char *arg)
{
	char field[128];

	snprintf(field, sizeof(field), "%s%s%s", prefix, *prefix ? "." : "", key);
	return ctr_oci_bad(e, field, fmt, arg);
}

void ctr_oci_warn(struct ctr_oci *o, const char *msg, const char *arg)
{
	if (o->nwarn < CTR_OCI_MAX_WARN)
		snprintf(o->warn[o->nwarn++], sizeof(o->warn[0]), msg, arg);
}

/* A member of the type wanted, NULL if absent or null; *bad set (and e
 * filled) when of another type. */
const struct ctr_json *ctr_oci_member(const struct ctr_json *obj, const char *key, int type,
				      const char *field, int *bad, struct ctr_err *e)
{
	const struct ctr_json *n = ctr_json_get(obj, key);
	static const char *const want[] = { "null", "boolean", "boolean", "a number",
					    "a string", "an array", "an object" };

	if (!n || n->type == CTR_JSON_NULL)
		return NULL;
	if (n->type == type || (type == CTR_JSON_TRUE && n->type == CTR_JSON_FALSE))
		return n;
	*bad = 1;
	ctr_oci_bad_key(e, field, key, "must be %s", want[type]);
	return NULL;
}

int ctr_oci_get_str(const struct ctr_json *obj, const char *key, const char *field,
		    const char **out, struct ctr_err *e)
{
	int bad = 0;
	const struct ctr_json *n = ctr_oci_member(obj, key, CTR_JSON_STRING, field, &bad, e);

	if (bad)
		return -1;
	if (n)
		*out = n->v.s;
	return 0;
}

int ctr_oci_get_bool(const struct ctr_json *obj, const char *key, const char *field,
		     int *out, struct ctr_err *e)
{
	int bad = 0;
	const struct ctr_json *n = ctr_oci_member(obj, key, CTR_JSON_TRUE, field, &bad, e);

	if (bad)
		return -1;
	if (n)
		*out = n->type == CTR_JSON_TRUE;
	return 0;
}

/* Integers: *set = 1 when present. Range [min, max] for signed. */
int ctr_oci_get_i64(const struct ctr_json *obj, const char *key, const char *field,
		    int64_t min, int64_t max, int64_t *out, int *set, struct ctr_err *e)
{
	int bad = 0;
	const struct ctr_json *n = ctr_oci_member(obj, key, CTR_JSON_NUMBER, field, &bad, e);
	int64_t v;

	if (bad)
		return -1;
	if (!n)
		return 0;
	if (ctr_json_i64(n, &v) < 0 || v < min || v > max)
		return ctr_oci_bad_key(e, field, key, errno == EINVAL ? "not an integer: %s" :
				       "out of range: %s", n->v.s);
	*out = v;
	if (set)
		*set = 1;
	return 0;
}

int ctr_oci_get_u64(const struct ctr_json *obj, const char *key, const char *field,
		    uint64_t max, uint64_t *out, int *set, struct ctr_err *e)
{
	int bad = 0;
	const struct ctr_json *n = ctr_oci_member(obj, key, CTR_JSON_NUMBER, field, &bad, e);
	uint64_t v;

	if (bad)
		return -1;
	if (!n)
		return 0;
	if (ctr_json_u64(n, &v) < 0 || v > max)
		return ctr_oci_bad_key(e, field, key, errno == EINVAL ? "not an integer: %s" :
				       "out of range: %s", n->v.s);
	*out = v;
	if (set)
		*set = 1;
	return 0;
}

int ctr_oci_get_u32(const struct ctr_json *obj, const char *key, const char *field,
		    uint32_t *out, struct ctr_err *e)
{
	uint64_t v = *out;

	if (ctr_oci_get_u64(obj, key, field, UINT32_MAX, &v, NULL, e) < 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* An array of strings as a NULL-terminated list owned by s; *out stays
 * when absent. */
int ctr_oci_get_strv(struct ctr_spec *s, const struct ctr_json *obj, const char *key,
		     const char *field, char ***out, struct ctr_err *e)
{
	int bad = 0;
	const struct ctr_json *a = ctr_oci_member(obj, key, CTR_JSON_ARRAY, field, &bad, e), *k;
	char **v;
	size_t i = 0;

	if (bad)
		return -1;
	if (!a)
		return 0;
	v = calloc(a->len + 1, sizeof(*v));
	if (ctr_spec_own(s, v, e) < 0)
		return -1;
	for (k = a->v.kid; k; k = k->next) {
		if (k->type != CTR_JSON_STRING)
			return ctr_oci_bad_key(e, field, key, "must be an array of strings%s", "");
		v[i++] = (char *)k->v.s;
	}
	*out = v;
	return 0;
}

/* Refuse a member we know and cannot honour, when present and not empty. */
int ctr_oci_refuse(const struct ctr_json *obj, const char *key, const char *field,
		   struct ctr_err *e)
{
	const struct ctr_json *n = ctr_json_get(obj, key);

	if (!n || n->type == CTR_JSON_NULL ||
	    ((n->type == CTR_JSON_OBJECT || n->type == CTR_JSON_ARRAY) && !n->len) ||
	    (n->type == CTR_JSON_STRING && !n->len))
		return 0;
	return ctr_err_set(e, ENOTSUP, "config.json", "%s%s%s: not supported by ctrbox", field,
			   *field ? "." : "", key);
}

/* ---- process ------------------------------------------------------------ */

/* RLIMIT_* names by resource number (0 CPU ... 15 RTTIME, Linux's order) */
static const char rlimit_names[] =
	"RLIMIT_CPU\0RLIMIT_FSIZE\0RLIMIT_DATA\0RLIMIT_STACK\0RLIMIT_CORE\0RLIMIT_RSS\0"
	"RLIMIT_NPROC\0RLIMIT_NOFILE\0RLIMIT_MEMLOCK\0RLIMIT_AS\0RLIMIT_LOCKS\0"
	"RLIMIT_SIGPENDING\0RLIMIT_MSGQUEUE\0RLIMIT_NICE\0RLIMIT_RTPRIO\0RLIMIT_RTTIME\0";
_Static_assert(RLIMIT_NOFILE == 7 && RLIMIT_AS == 9 && RLIMIT_RTTIME == 15, "RLIMIT order");

static int caps_set(struct ctr_oci *o, const struct ctr_json *caps, const char *key,
		    uint64_t *out, struct ctr_err *e)
{
	char field[64];
	int bad = 0, c;
	const struct ctr_json *a, *k;

	snprintf(field, sizeof(field), "process.capabilities.%s", key);
	a = ctr_oci_member(caps, key, CTR_JSON_ARRAY, "process.capabilities", &bad, e);
	if (bad)
		return -1;
	*out = 0;
	for (k = a ? a->v.kid : NULL; k; k = k->next) {
		if (k->type != CTR_JSON_STRING)
			return ctr_oci_bad(e, field, "must be an array of strings%s", "");
		c = ctr_caps_by_name(k->v.s);
		if (c < 0 || c > ctr_caps_last()) {
			/* runc: "unknown capability", a warning */
			ctr_oci_warn(o, "unknown capability %s ignored", k->v.s);
			continue;
		}
		*out |= 1ULL << c;
	}
	return 0;
}

static int rlimits(struct ctr_spec *s, const struct ctr_json *p, struct ctr_err *e)
{
	int bad = 0;
	const struct ctr_json *a = ctr_oci_member(p, "rlimits", CTR_JSON_ARRAY, "process", &bad, e), *k;
	struct ctr_spec_rlimit r;
	const char *type;

	if (bad)
		return -1;
	for (k = a ? a->v.kid : NULL; k; k = k->next) {
		type = NULL;
		if (k->type != CTR_JSON_OBJECT ||
		    ctr_oci_get_str(k, "type", "process.rlimits", &type, e) < 0 || !type)
			return bad ? -1 : ctr_oci_bad(e, "process.rlimits", "entry without a type%s", "");
		if ((r.resource = ctr_str_lookup(rlimit_names, type, 0)) < 0)
			return ctr_oci_bad(e, "process.rlimits.type", "unknown: %s", type);
		r.soft = r.hard = 0;
		if (ctr_oci_get_u64(k, "soft", "process.rlimits", UINT64_MAX, &r.soft, NULL, e) < 0 ||
		    ctr_oci_get_u64(k, "hard", "process.rlimits", UINT64_MAX, &r.hard, NULL, e) < 0 ||
		    ctr_spec_add_rlimit(s, &r, e) < 0)
			return -1;
	}
	return 0;
}

int ctr_oci_process(struct ctr_oci *o, struct ctr_spec *s, const struct ctr_json *p,
		    struct ctr_err *e)
{
	struct ctr_spec_process *pr = &s->process;
	const struct ctr_json *user, *caps, *cs, *g;
	const char *label = NULL;
	int bad = 0, set = 0;
	int64_t v;
	uint32_t *gids;

	if (ctr_oci_get_bool(p, "terminal", "process", &pr->terminal, e) < 0 ||
	    ctr_oci_get_strv(s, p, "args", "process", &pr->args, e) < 0 ||
	    ctr_oci_get_strv(s, p, "env", "process", &pr->env, e) < 0 ||
	    ctr_oci_get_str(p, "cwd", "process", &pr->cwd, e) < 0 ||
	    ctr_oci_get_bool(p, "noNewPrivileges", "process",
			     &pr->no_new_privs, e) < 0 ||
	    ctr_oci_get_i64(p, "oomScoreAdj", "process", -1000, 1000, &v, &set, e) < 0)
		return -1;
	if (set) {
		pr->oom_score_adj = (int)v;
		pr->has_oom_score_adj = 1;
	}
	if (!pr->args || !pr->args[0])
		return ctr_oci_bad(e, "process.args", "must name the program to run%s", "");
	if (!pr->cwd || pr->cwd[0] != '/')
		return ctr_oci_bad(e, "process.cwd", "must be an absolute path%s", "");
	if (ctr_oci_refuse(p, "commandLine", "process", e) < 0 ||
	    ctr_oci_refuse(p, "ioPriority", "process", e) < 0 ||
	    ctr_oci_refuse(p, "scheduler", "process", e) < 0 ||
	    ctr_oci_refuse(p, "execCPUAffinity", "process", e) < 0)
		return -1;
	cs = ctr_oci_member(p, "consoleSize", CTR_JSON_OBJECT, "process", &bad, e);
	if (bad)
		return -1;
	if (cs) {
		uint32_t h = 0, w = 0;
		if (ctr_oci_get_u32(cs, "height", "process.consoleSize", &h, e) < 0 ||
		    ctr_oci_get_u32(cs, "width", "process.consoleSize", &w, e) < 0)
			return -1;
		pr->console_rows = (unsigned short)(h > 65535 ? 65535 : h);
		pr->console_cols = (unsigned short)(w > 65535 ? 65535 : w);
	}
	user = ctr_oci_member(p, "user", CTR_JSON_OBJECT, "process", &bad, e);
	if (bad)
		return -1;
	if (user) {
		uint64_t um = 0;
		set = 0;
		if (ctr_oci_get_u32(user, "uid", "process.user", &pr->uid, e) < 0 ||
		    ctr_oci_get_u32(user, "gid", "process.user", &pr->gid, e) < 0 ||
		    ctr_oci_get_u64(user, "umask", "process.user", 0777, &um, &set, e) < 0)
			return -1;
		if (set)
			pr->umask = (int)um;
		g = ctr_oci_member(user, "additionalGids", CTR_JSON_ARRAY, "process.user", &bad, e);
		if (bad)
			return -1;
		if (g && g->len) {
			const struct ctr_json *k;
			size_t i = 0;
			gids = calloc(g->len, sizeof(*gids));
			if (ctr_spec_own(s, gids, e) < 0)
				return -1;
			for (k = g->v.kid; k; k = k->next) {
				uint64_t id;
				if (ctr_json_u64(k, &id) < 0 || id > UINT32_MAX - 1)
					return ctr_oci_bad(e, "process.user.additionalGids",
							   "not a group id%s", "");
				gids[i++] = (uint32_t)id;
			}
			pr->additional_gids = gids;
			pr->nadditional_gids = i;
		}
	}
	caps = ctr_oci_member(p, "capabilities", CTR_JSON_OBJECT, "process", &bad, e);
	if (bad || caps_set(o, caps, "bounding", &pr->caps.bounding, e) < 0 ||
	    caps_set(o, caps, "effective", &pr->caps.effective, e) < 0 ||
	    caps_set(o, caps, "permitted", &pr->caps.permitted, e) < 0 ||
	    caps_set(o, caps, "inheritable", &pr->caps.inheritable, e) < 0 ||
	    caps_set(o, caps, "ambient", &pr->caps.ambient, e) < 0)
		return -1;
	/* The kernel raises an ambient cap only if it is permitted and
	 * inheritable; runc's default spec lists ambient caps alone and runc
	 * goes on without them: so do we, with a warning. */
	if (pr->caps.ambient & ~(pr->caps.permitted & pr->caps.inheritable)) {
		pr->caps.ambient &= pr->caps.permitted & pr->caps.inheritable;
		ctr_oci_warn(o, "process.capabilities.ambient: %s", "capabilities not both "
			     "permitted and inheritable are not raised");
	}
	if (rlimits(s, p, e) < 0)
		return -1;
	/* No AppArmor nor SELinux on the hosts ctrbox serves: a label has
	 * nothing to apply to (runc ignores an AppArmor profile then too). */
	if (ctr_oci_get_str(p, "apparmorProfile", "process", &label, e) < 0)
		return -1;
	if (label && *label) {
		if (access("/sys/kernel/security/apparmor", F_OK) == 0)
			return ctr_err_set(e, ENOTSUP, "config.json",
					   "process.apparmorProfile: AppArmor is not supported by ctrbox");
		ctr_oci_warn(o, "apparmorProfile %s ignored: AppArmor is not enabled", label);
	}
	label = NULL;
	if (ctr_oci_get_str(p, "selinuxLabel", "process", &label, e) < 0)
		return -1;
	if (label && *label) {
		if (access("/sys/fs/selinux/enforce", F_OK) == 0)
			return ctr_err_set(e, ENOTSUP, "config.json",
					   "process.selinuxLabel: SELinux is not supported by ctrbox");
		ctr_oci_warn(o, "selinuxLabel %s ignored: SELinux is not enabled", label);
	}
	return 0;
}

/* ---- hooks -------------------------------------------------------------- */

static int hooks(struct ctr_oci *o, const struct ctr_json *h, struct ctr_err *e)
{
	static const char *const names[CTR_HOOK_NPOINTS] = {
		"prestart", "createRuntime", "createContainer", "startContainer",
		"poststart", "poststop",
	};
	const struct ctr_json *a, *k;
	struct ctr_spec_hook hk;
	char field[48];
	int i, bad = 0;
	int64_t t;

	for (i = 0; i < CTR_HOOK_NPOINTS; i++) {
		snprintf(field, sizeof(field), "hooks.%s", names[i]);
		a = ctr_oci_member(h, names[i], CTR_JSON_ARRAY, "hooks", &bad, e);
		if (bad)
			return -1;
		for (k = a ? a->v.kid : NULL; k; k = k->next) {
			memset(&hk, 0, sizeof(hk));
			t = 0;
			if (ctr_oci_get_str(k, "path", field, &hk.path, e) < 0 ||
			    ctr_oci_get_strv(&o->spec, k, "args", field, &hk.args, e) < 0 ||
			    ctr_oci_get_strv(&o->spec, k, "env", field, &hk.env, e) < 0 ||
			    ctr_oci_get_i64(k, "timeout", field, 1, INT32_MAX, &t, NULL, e) < 0)
				return -1;
			if (!hk.path || hk.path[0] != '/')
				return ctr_oci_bad(e, field, "path must be absolute: %s",
						   hk.path ? hk.path : "(none)");
			hk.timeout = (int)t;
			if (ctr_spec_add_hook(&o->spec, i, &hk, e) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- the document ------------------------------------------------------- */

int ctr_oci_from_json(struct ctr_oci *o, struct ctr_json *doc, const char *bundle,
		      struct ctr_err *e)
{
	const struct ctr_json *p, *r, *h, *l, *a;
	const char *path = NULL;
	int bad = 0;

	memset(o, 0, sizeof(*o));
	ctr_spec_init(&o->spec);
	o->doc = doc;
	if (!bundle || !*bundle)
		bundle = ".";
	if (doc->type != CTR_JSON_OBJECT) {
		ctr_oci_bad(e, "(top)", "must be an object%s", "");
		goto fail;
	}
	if (ctr_oci_get_str(doc, "ociVersion", "", &o->oci_version, e) < 0)
		goto fail;
	if (!o->oci_version || strncmp(o->oci_version, "1.", 2) != 0) {
		ctr_oci_bad(e, "ociVersion", "1.x needed, not %s",
			    o->oci_version ? o->oci_version : "(none)");
		goto fail;
	}
	p = ctr_oci_member(doc, "process", CTR_JSON_OBJECT, "", &bad, e);
	if (bad)
		goto fail;
	if (!p) {
		ctr_oci_bad(e, "process", "missing%s", "");
		goto fail;
	}
	if (ctr_oci_process(o, &o->spec, p, e) < 0)
		goto fail;
	r = ctr_oci_member(doc, "root", CTR_JSON_OBJECT, "", &bad, e);
	if (bad || ctr_oci_get_str(r, "path", "root", &path, e) < 0 ||
	    ctr_oci_get_bool(r, "readonly", "root", &o->spec.root.readonly, e) < 0)
		goto fail;
	if (!path || !*path) {
		ctr_oci_bad(e, "root.path", "missing%s", "");
		goto fail;
	}
	if ((size_t)snprintf(o->root, sizeof(o->root), "%s%s%s", path[0] == '/' ? "" : bundle,
			     path[0] == '/' ? "" : "/", path) >= sizeof(o->root)) {
		ctr_oci_bad(e, "root.path", "too long: %s", path);
		goto fail;
	}
	o->spec.root.path = o->root;
	if (ctr_oci_get_str(doc, "hostname", "", &o->spec.hostname, e) < 0 ||
	    ctr_oci_get_str(doc, "domainname", "", &o->spec.domainname, e) < 0)
		goto fail;
	if (o->spec.hostname && !*o->spec.hostname)
		o->spec.hostname = NULL;
	if (o->spec.domainname && !*o->spec.domainname)
		o->spec.domainname = NULL;
	a = ctr_oci_member(doc, "mounts", CTR_JSON_ARRAY, "", &bad, e);
	if (bad || ctr_oci_mounts(o, a, e) < 0)
		goto fail;
	h = ctr_oci_member(doc, "hooks", CTR_JSON_OBJECT, "", &bad, e);
	if (bad || (h && hooks(o, h, e) < 0))
		goto fail;
	o->annotations = ctr_oci_member(doc, "annotations", CTR_JSON_OBJECT, "",
					&bad, e);
	if (bad)
		goto fail;
	/* Everything a runtime on Linux must provide (config-linux.md). */
	o->spec.default_devices = 1;
	l = ctr_oci_member(doc, "linux", CTR_JSON_OBJECT, "", &bad, e);
	if (bad || ctr_oci_linux(o, l, e) < 0)
		goto fail;
	if (ctr_spec_validate(&o->spec, e) < 0)
		goto fail;
	return 0;
fail:
	ctr_oci_free(o);
	return -1;
}

int ctr_oci_load(struct ctr_oci *o, const char *bundle, struct ctr_err *e)
{
	struct ctr_json *doc;
	char path[PATH_MAX];

	if (!bundle || !*bundle)
		bundle = ".";
	if ((size_t)snprintf(path, sizeof(path), "%s/config.json", bundle) >= sizeof(path))
		return ctr_err_set(e, ENAMETOOLONG, "bundle", "%s", bundle);
	doc = ctr_json_load(AT_FDCWD, path, 0, e);
	if (!doc)
		return -1;
	return ctr_oci_from_json(o, doc, bundle, e);
}

void ctr_oci_free(struct ctr_oci *o)
{
	ctr_spec_free(&o->spec);
	ctr_json_free(o->doc);
	o->doc = NULL;
}
