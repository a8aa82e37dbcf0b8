/* ocimount.c: config.json's "mounts" into the spec, with runc's table of
 * mount options (libcontainer/specconv parseMountOptions) and propagation
 * names; see include/ctr/oci.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include "oci_int.h"

/* ---- mounts ------------------------------------------------------------- */

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

/* runc's table (libcontainer/specconv parseMountOptions): set or clear. */
static const struct { const char *name; unsigned long flag; int clear; } mount_flags[] = {
	{ "acl", MS_POSIXACL, 0 }, { "async", MS_SYNCHRONOUS, 1 },
	{ "atime", MS_NOATIME, 1 }, { "bind", MS_BIND, 0 }, { "defaults", 0, 0 },
	{ "dev", MS_NODEV, 1 }, { "diratime", MS_NODIRATIME, 1 },
	{ "dirsync", MS_DIRSYNC, 0 }, { "exec", MS_NOEXEC, 1 },
	{ "iversion", MS_I_VERSION, 0 }, { "lazytime", MS_LAZYTIME, 0 },
	{ "loud", MS_SILENT, 1 }, { "mand", MS_MANDLOCK, 0 }, { "noacl", MS_POSIXACL, 1 },
	{ "noatime", MS_NOATIME, 0 }, { "nodev", MS_NODEV, 0 },
	{ "nodiratime", MS_NODIRATIME, 0 }, { "noexec", MS_NOEXEC, 0 },
	{ "noiversion", MS_I_VERSION, 1 }, { "nolazytime", MS_LAZYTIME, 1 },
	{ "nomand", MS_MANDLOCK, 1 }, { "norelatime", MS_RELATIME, 1 },
	{ "nostrictatime", MS_STRICTATIME, 1 }, { "nosuid", MS_NOSUID, 0 },
	{ "nosymfollow", MS_NOSYMFOLLOW, 0 }, { "rbind", MS_BIND | MS_REC, 0 },
	{ "relatime", MS_RELATIME, 0 }, { "remount", MS_REMOUNT, 0 },
	{ "ro", MS_RDONLY, 0 }, { "rw", MS_RDONLY, 1 }, { "silent", MS_SILENT, 0 },
	{ "strictatime", MS_STRICTATIME, 0 }, { "suid", MS_NOSUID, 1 },
	{ "symfollow", MS_NOSYMFOLLOW, 1 }, { "sync", MS_SYNCHRONOUS, 0 },
};

static const struct { const char *name; unsigned long flags; } propagations[] = {
	{ "private", MS_PRIVATE }, { "rprivate", MS_PRIVATE | MS_REC },
	{ "shared", MS_SHARED }, { "rshared", MS_SHARED | MS_REC },
	{ "slave", MS_SLAVE }, { "rslave", MS_SLAVE | MS_REC },
	{ "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
};

unsigned long ctr_oci_propagation(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(propagations) / sizeof(propagations[0]); i++)
		if (strcmp(name, propagations[i].name) == 0)
			return propagations[i].flags;
	return 0;
}

int ctr_oci_mount_options(struct ctr_spec *s, const struct ctr_json *opts,
			  struct ctr_spec_mount *m, struct ctr_err *e)
{
	const struct ctr_json *k;
	size_t i, dlen = 0, cap = 1;
	char *data;

	for (k = opts ? opts->v.kid : NULL; k; k = k->next)
		if (k->type == CTR_JSON_STRING)
			cap += k->len + 1;
	data = calloc(1, cap);
	if (!data || (s && ctr_spec_own(s, data, e) < 0))
		return ctr_err_set(e, ENOMEM, "config.json", "mounts");
	for (k = opts ? opts->v.kid : NULL; k; k = k->next) {
		const char *o = k->v.s;
		unsigned long p;

		if (k->type != CTR_JSON_STRING)
			return ctr_oci_bad(e, "mounts.options", "must be an array of strings%s", "");
		for (i = 0; i < sizeof(mount_flags) / sizeof(mount_flags[0]); i++)
			if (strcmp(o, mount_flags[i].name) == 0)
				break;
		if (i < sizeof(mount_flags) / sizeof(mount_flags[0])) {
			if (mount_flags[i].clear) {
				m->flags &= ~mount_flags[i].flag;
				m->clear |= mount_flags[i].flag;
			} else {
				m->flags |= mount_flags[i].flag;
				m->clear &= ~mount_flags[i].flag;
			}
			continue;
		}
		if ((p = ctr_oci_propagation(o))) {
			m->propagation = p;
			continue;
		}
		/* mount_setattr's recursive flags, idmapped mounts, crun's
		 * and runc's copy-up of a tmpfs: not done here. */
		if (strcmp(o, "idmap") == 0 || strcmp(o, "ridmap") == 0 ||
		    strcmp(o, "tmpcopyup") == 0 || strcmp(o, "copy-symlink") == 0 ||
		    ((o[0] == 'r') && (strcmp(o + 1, "ro") == 0 || strcmp(o + 1, "rw") == 0 ||
		     strncmp(o + 1, "no", 2) == 0 || strcmp(o + 1, "atime") == 0 ||
		     strcmp(o + 1, "relatime") == 0 || strcmp(o + 1, "strictatime") == 0 ||
		     strcmp(o + 1, "diratime") == 0 || strcmp(o + 1, "suid") == 0 ||
		     strcmp(o + 1, "dev") == 0 || strcmp(o + 1, "exec") == 0 ||
		     strcmp(o + 1, "symfollow") == 0)))
			return ctr_err_set(e, ENOTSUP, "config.json",
					   "mounts %s: option %s not supported by ctrbox", m->dest, o);
		if (dlen)
			data[dlen++] = ',';
		memcpy(data + dlen, o, k->len);
		dlen += k->len;
	}
	m->data = dlen ? data : NULL;
	return 0;
}

int ctr_oci_mounts(struct ctr_oci *o, const struct ctr_json *a, struct ctr_err *e)
{
	const struct ctr_json *k, *opts;
	struct ctr_spec_mount m;
	int bad = 0;

	for (k = a ? a->v.kid : NULL; k; k = k->next) {
		memset(&m, 0, sizeof(m));
		if (k->type != CTR_JSON_OBJECT)
			return ctr_oci_bad(e, "mounts", "must be an array of objects%s", "");
		if (ctr_oci_get_str(k, "destination", "mounts", &m.dest, e) < 0 ||
		    ctr_oci_get_str(k, "type", "mounts", &m.type, e) < 0 ||
		    ctr_oci_get_str(k, "source", "mounts", &m.source, e) < 0)
			return -1;
		if (!m.dest || m.dest[0] != '/')
			return ctr_oci_bad(e, "mounts.destination", "must be an absolute path: %s",
					   m.dest ? m.dest : "(none)");
		if (ctr_oci_refuse(k, "uidMappings", "mounts", e) < 0 ||
		    ctr_oci_refuse(k, "gidMappings", "mounts", e) < 0)
			return -1;
		opts = ctr_oci_member(k, "options", CTR_JSON_ARRAY, "mounts", &bad, e);
		if (bad || ctr_oci_mount_options(&o->spec, opts, &m, e) < 0)
			return -1;
		/* A bind is "bind" by type or by option (runc takes either);
		 * without "rbind" it is not recursive. */
		if ((m.type && strcmp(m.type, "bind") == 0) || (m.flags & MS_BIND)) {
			m.type = "bind";
			m.flags |= MS_BIND;
			m.bind_nonrec = !(m.flags & MS_REC);
			m.flags &= ~(unsigned long)MS_REC;
			if (!m.source)
				return ctr_oci_bad(e, "mounts.source", "a bind needs a source: %s",
						   m.dest);
		} else if (!m.type || !*m.type) {
			return ctr_oci_bad(e, "mounts.type", "missing for %s", m.dest);
		}
		if (!m.source)
			m.source = m.type;
		if (ctr_spec_add_mount(&o->spec, &m, e) < 0)
			return -1;
	}
	return 0;
}

const char *ctr_oci_mount_option(size_t i)
{
	size_t nf = sizeof(mount_flags) / sizeof(mount_flags[0]);

	if (i < nf)
		return mount_flags[i].name;
	i -= nf;
	return i < sizeof(propagations) / sizeof(propagations[0]) ? propagations[i].name : NULL;
}
