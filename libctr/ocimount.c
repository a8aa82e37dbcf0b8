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

/* runc's table (libcontainer/specconv parseMountOptions): set or clear.
 * Names in place and 32-bit flags: the table is a third smaller. */
static const struct { char name[14]; unsigned char clear; unsigned flag; } mount_flags[] = {
	{ "acl", 0, MS_POSIXACL }, { "async", 1, MS_SYNCHRONOUS },
	{ "atime", 1, MS_NOATIME }, { "bind", 0, MS_BIND }, { "defaults", 0, 0 },
	{ "dev", 1, MS_NODEV }, { "diratime", 1, MS_NODIRATIME },
	{ "dirsync", 0, MS_DIRSYNC }, { "exec", 1, MS_NOEXEC },
	{ "iversion", 0, MS_I_VERSION }, { "lazytime", 0, MS_LAZYTIME },
	{ "loud", 1, MS_SILENT }, { "mand", 0, MS_MANDLOCK }, { "noacl", 1, MS_POSIXACL },
	{ "noatime", 0, MS_NOATIME }, { "nodev", 0, MS_NODEV },
	{ "nodiratime", 0, MS_NODIRATIME }, { "noexec", 0, MS_NOEXEC },
	{ "noiversion", 1, MS_I_VERSION }, { "nolazytime", 1, MS_LAZYTIME },
	{ "nomand", 1, MS_MANDLOCK }, { "norelatime", 1, MS_RELATIME },
	{ "nostrictatime", 1, MS_STRICTATIME }, { "nosuid", 0, MS_NOSUID },
	{ "nosymfollow", 0, MS_NOSYMFOLLOW }, { "rbind", 0, MS_BIND | MS_REC },
	{ "relatime", 0, MS_RELATIME }, { "remount", 0, MS_REMOUNT },
	{ "ro", 0, MS_RDONLY }, { "rw", 1, MS_RDONLY }, { "silent", 0, MS_SILENT },
	{ "strictatime", 0, MS_STRICTATIME }, { "suid", 1, MS_NOSUID },
	{ "symfollow", 1, MS_NOSYMFOLLOW }, { "sync", 0, MS_SYNCHRONOUS },
};

static const struct { char name[12]; unsigned flags; } propagations[] = {
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
			unsigned long f = mount_flags[i].flag;

			if (mount_flags[i].clear) {
				m->flags &= ~f;
				m->clear |= f;
			} else {
				m->flags |= f;
				m->clear &= ~f;
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
