/* OCI runtime spec config.json -> struct ctr_spec (include/ctr/spec.h).
 *
 * What runc reads is read (runtime-spec 1.0-1.2, Linux): ociVersion,
 * process, root, hostname, domainname, mounts, hooks, annotations, and
 * linux: namespaces (new or joined by path), uid/gid mappings, devices,
 * cgroupsPath, resources (cpu, memory, pids, blockIO, hugepageLimits,
 * network, unified, devices), sysctl, seccomp, rootfsPropagation,
 * maskedPaths, readonlyPaths. A field that changes what the container is
 * and that ctrbox cannot honour (intelRdt, personality, idmapped mounts,
 * ioPriority, a systemd cgroupsPath "slice:prefix:name"...) is refused,
 * naming it; a label with nothing to apply it to (mountLabel,
 * process.selinuxLabel and apparmorProfile on a host without those LSMs)
 * is ignored with a warning, as runc does.
 *
 * The spec's strings point into the parsed document: keep the struct
 * ctr_oci alive while the spec is used, then ctr_oci_free(). */
#ifndef CTR_OCI_H
#define CTR_OCI_H

#include <limits.h>
#include "ctr/err.h"
#include "ctr/idmap.h"
#include "ctr/json.h"
#include "ctr/spec.h"

#define CTR_OCI_MAX_WARN 4

struct ctr_oci {
	struct ctr_json *doc;            /* the parsed config.json */
	struct ctr_spec spec;
	const char *oci_version;
	const struct ctr_json *annotations; /* an object, or NULL */
	const struct ctr_json *seccomp;  /* linux.seccomp, or NULL (see below) */
	char root[PATH_MAX];             /* root.path made absolute (bundle) */
	struct ctr_idmap uid_map, gid_map;
	int nwarn;
	char warn[CTR_OCI_MAX_WARN][160];
};

/* Read <bundle>/config.json (bundle: a directory; NULL or "" = ".") and fill
 * o->spec from it. linux.seccomp is left in o->seccomp for the caller to
 * compile (ctr_oci_seccomp), and o->spec.seccomp is CTR_SECCOMP_NONE.
 * -1 with e naming the field ("config.json: linux.resources.cpu.quota: ...").
 * On failure o holds nothing to free. */
int ctr_oci_load(struct ctr_oci *o, const char *bundle, struct ctr_err *e);
/* The same from a parsed document (o takes it over). */
int ctr_oci_from_json(struct ctr_oci *o, struct ctr_json *doc, const char *bundle,
		      struct ctr_err *e);
void ctr_oci_free(struct ctr_oci *o);

/* A "process" object (config.json's, or `exec --process FILE`'s) into
 * s->process. Used by ctr_oci_load. */
int ctr_oci_process(struct ctr_oci *o, struct ctr_spec *s, const struct ctr_json *p,
		    struct ctr_err *e);

/* Mount options as runc reads them: flags, cleared flags, propagation, the
 * rest joined into data (malloc'd into *data, owned by s when s != NULL). */
int ctr_oci_mount_options(struct ctr_spec *s, const struct ctr_json *opts,
			  struct ctr_spec_mount *m, struct ctr_err *e);
/* linux.* (everything but seccomp) into o->spec; ocilinux.c. */
int ctr_oci_linux(struct ctr_oci *o, const struct ctr_json *linux_, struct ctr_err *e);
/* A propagation name ("rslave") as MS_* flags; 0 if unknown. */
unsigned long ctr_oci_propagation(const char *name);

/* Compile o->seccomp (linux.seccomp) into o->spec (CTR_SECCOMP_FILTER,
 * seccomp_prog a struct ctr_seccomp_prog owned by the spec); ociseccomp.c. */
int ctr_oci_seccomp_attach(struct ctr_oci *o, struct ctr_err *e);

/* `spec`: a default config.json (runc's: busybox-like sh, terminal) to fd,
 * indented; `features`: what this runtime supports, runc's shape. ocifeat.c.
 * -1 with errno on a failed write. */
int ctr_oci_write_default(int fd, struct ctr_err *e);
int ctr_oci_write_features(int fd);
/* The i-th name of the mount options understood, NULL past the end. */
const char *ctr_oci_mount_option(size_t i);

#endif
