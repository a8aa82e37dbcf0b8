/* cgcommon.c: the option frame of the cg* applets (see cgcommon.h). */
#include <string.h>
#include "cgcommon.h"

void cg_setup(void)
{
	/* libcgroup prints "Wrong input parameters, try cgset --help' for
	 * more information." (one quote missing): ctrbox balances them. */
	ctr_usage_hint = "Wrong input parameters, try '%s --help' for more information.\n";
	ctr_usage_status = CG_EXIT_BADARGS;
}

int cg_getopt(int argc, char *argv[], const struct cg_optdef *d)
{
	int c;

	opterr = 0;
	for (;;) {
		c = getopt_long(argc, argv, d->optstring, d->longopts, NULL);
		switch (c) {
		case 'b':
			continue;
		case 'h':
			ctr_print_help(d->help);
		case 'V':
			ctr_print_version();
		case '?':
		case ':':
			ctr_bad_option(c, argv, d->longopts);
		}
		if (c > 0 && c < 256 && d->unsupported && strchr(d->unsupported, c))
			ctr_usage_error("option -%c (%s) is not supported", c, d->unsupported_why);
		return c;
	}
}

void cg_add(struct cg_list *l, char *arg, const char *what)
{
	if (l->n == CG_MAX)
		ctr_usage_error("too many %s (at most %d)", what, CG_MAX);
	l->v[l->n++] = arg;
}

void cg_add_setting(struct cg_settings *s, char *arg)
{
	char *name, *value;

	if (ctr_cgroup_split_setting(arg, &name, &value) < 0)
		ctr_usage_error("wrong parameter of option -r: %s", arg);
	value[-1] = '=';   /* for the messages below; put back after */
	/* An empty value (cpuset.cpus=) is refused as libcgroup refuses it,
	 * rather than written: nothing is reported done that was not. */
	if (!*value)
		ctr_usage_error("wrong parameter of option -r: %s", arg);
	if (s->n == CG_MAX)
		ctr_usage_error("too many -r options (at most %d)", CG_MAX);
	value[-1] = '\0';
	s->name[s->n] = name;
	s->value[s->n++] = value;
}

void cg_layout(struct ctr_cg_layout *l)
{
	struct ctr_err e;

	if (ctr_cgroup_layout(l, &e) < 0)
		ctr_die(&e);
}

void cg_spec(const struct ctr_cg_layout *l, const char *arg, struct ctr_cg_spec *s)
{
	struct ctr_err e;

	if (ctr_cgroup_spec(l, arg, s, &e) == 0)
		return;
	/* A malformed CTRL:PATH is wrong input (libcgroup: "cgroup controller
	 * and path parsing failed", 129); an unknown controller is not. */
	if (strncmp(e.what, "invalid group", 13) == 0)
		ctr_usage_error("%s: %s%s%s", e.what, e.detail, e.err ? ": " : "",
				e.err ? strerror(e.err) : "");
	ctr_die(&e);
}
