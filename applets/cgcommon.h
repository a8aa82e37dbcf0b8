/* cgcommon.h: the option frame the cg* applets (cgcreate, cgset, cgget,
 * cgexec, cgdelete) share, so that they take options as libcgroup 3.x's
 * tools do: GNU getopt permutation (options after the group names, except
 * cgexec, which stops at its command), wrong input reported with libcgroup's
 * "Wrong input parameters" line and status 129 (its EXIT_BADARGS), -b
 * accepted, libcgroup options ctrbox lacks refused by name, -r NAME=VALUE
 * parsed once, and the layout and group specs read or the applet dies. */
#ifndef CTR_APPLET_CGCOMMON_H
#define CTR_APPLET_CGCOMMON_H

#include "common.h"
#include "ctr/cgroup.h"

/* libcgroup 3.x's EXIT_BADARGS (2.0.2 exits 255 or 1 there). */
#define CG_EXIT_BADARGS 129
#define CG_MAX 64

struct cg_list {
	char *v[CG_MAX];
	int n;
};

struct cg_settings {
	char *name[CG_MAX];
	char *value[CG_MAX];
	int n;
};

/* One applet's options: optstring (":..." permutes, "+:..." stops at the
 * first non-option), the long options, the --help text, and the short
 * options of libcgroup's that ctrbox refuses, each with why. */
struct cg_optdef {
	const char *optstring;
	const struct option *longopts;
	const char *help;
	const char *unsupported;      /* e.g. "c" */
	const char *unsupported_why;  /* e.g. "systemd scopes" */
};

/* Usage errors from now on end with libcgroup's line and exit 129. */
void cg_setup(void);
/* The next option for the applet (-1 at the end): -h/--help, -V/--version
 * and -b (libcgroup: ignore the systemd delegated slice; ctrbox never
 * prefixes one, so nothing to do) are handled here, as are bad and
 * unsupported options. */
int cg_getopt(int argc, char *argv[], const struct cg_optdef *d);
/* Append arg to a bounded list ("too many -g options"). */
void cg_add(struct cg_list *l, char *arg, const char *what);
/* Parse -r NAME=VALUE as libcgroup does: no '=', no NAME or no VALUE is
 * "wrong parameter of option -r" (wrong input, 129). */
void cg_add_setting(struct cg_settings *s, char *arg);
/* The cgroup layout, or die. */
void cg_layout(struct ctr_cg_layout *l);
/* Parse CTRL[,CTRL...]:PATH, or die with the reason. */
void cg_spec(const struct ctr_cg_layout *l, const char *arg, struct ctr_cg_spec *s);

#endif
