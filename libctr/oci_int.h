/* oci_int.h: what oci.c and ocilinux.c share (not installed). */
#ifndef CTR_OCI_INT_H
#define CTR_OCI_INT_H

#include "ctr/oci.h"

/* "config.json: FIELD: <fmt with arg>", EINVAL; returns -1. */
int ctr_oci_bad(struct ctr_err *e, const char *field, const char *fmt, const char *arg);
/* The same, the field named PREFIX.KEY: the typed getters below take the
 * prefix ("linux.resources.cpu") and the member's key. */
int ctr_oci_bad_key(struct ctr_err *e, const char *prefix, const char *key, const char *fmt,
		    const char *arg);
void ctr_oci_warn(struct ctr_oci *o, const char *msg, const char *arg);
/* Typed member access; absent or null leaves *out. -1 with e when the
 * member has another type or is out of range. */
const struct ctr_json *ctr_oci_member(const struct ctr_json *obj, const char *key, int type,
				      const char *field, int *bad, struct ctr_err *e);
int ctr_oci_get_str(const struct ctr_json *obj, const char *key, const char *field,
		    const char **out, struct ctr_err *e);
int ctr_oci_get_bool(const struct ctr_json *obj, const char *key, const char *field,
		     int *out, struct ctr_err *e);
int ctr_oci_get_i64(const struct ctr_json *obj, const char *key, const char *field,
		    int64_t min, int64_t max, int64_t *out, int *set, struct ctr_err *e);
int ctr_oci_get_u64(const struct ctr_json *obj, const char *key, const char *field,
		    uint64_t max, uint64_t *out, int *set, struct ctr_err *e);
int ctr_oci_get_u32(const struct ctr_json *obj, const char *key, const char *field,
		    uint32_t *out, struct ctr_err *e);
int ctr_oci_get_strv(struct ctr_spec *s, const struct ctr_json *obj, const char *key,
		     const char *field, char ***out, struct ctr_err *e);
/* ENOTSUP naming field when obj has a non-empty member key. */
int ctr_oci_refuse(const struct ctr_json *obj, const char *key, const char *field,
		   struct ctr_err *e);

/* mounts[] into o->spec (ocimount.c). */
int ctr_oci_mounts(struct ctr_oci *o, const struct ctr_json *a, struct ctr_err *e);

#endif
