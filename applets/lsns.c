/* lsns: list namespaces, util-linux compatible.
 *
 *   lsns [options] [<namespace>]
 *
 * Matches util-linux 2.42's lsns(8): the same columns (NS TYPE PATH NPROCS
 * PID PPID COMMAND UID USER NETNSID NSFS PNS ONS), the same default output
 * byte for byte (process tree in COMMAND, libsmartcols widths, no truncation
 * unless stdout is a terminal), -r raw, -J JSON with the same keys and types,
 * -T process|parent|owner trees, -P namespaces no process holds (nsfs bind
 * mounts, open fds, sockets), -Q filter expressions, -H column list.
 * Differences: USER comes from /etc/passwd only (no NSS); garbage in -o that
 * util-linux rejects silently ("NS,,TYPE", "") gets a message here; an extra
 * positional argument is an error instead of being ignored; the filter
 * language is libsmartcols' but its error messages are our own, and its
 * regular expressions a subset that refuses what it lacks (ctr/regex.h);
 * COMMAND is never cut (util-linux stops at 8191 bytes). Rows, trees and
 * columns are in lsns-out.c. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "common.h"
#include "ctr/filter.h"
#include "ctr/ns.h"
#include "ctr/nsscan.h"
#include "ctr/table.h"
#include "lsns.h"

static const char usage_text[] =
	"\n"
	"Usage:\n"
	" lsns [options] [<namespace>]\n"
	"\n"
	"List system namespaces.\n"
	"\n"
	"Options:\n"
	" -J, --json             use JSON output format\n"
	" -l, --list             use list format output\n"
	" -n, --noheadings       don't print headings\n"
	" -o, --output <list>    define which output columns to use\n"
	"     --output-all       output all columns\n"
	" -P, --persistent       namespaces without processes\n"
	" -p, --task <pid>       print process namespaces\n"
	" -Q, --filter <expr>    apply display filter\n"
	" -r, --raw              use the raw output format\n"
	" -u, --notruncate       don't truncate text in columns\n"
	" -W, --nowrap           don't use multi-line representation\n"
	" -t, --type <name>      namespace type (mnt, net, ipc, user, pid, uts, cgroup, time)\n"
	" -T, --tree[=<rel>]     use tree format (parent, owner, or process)\n"
	"\n"
	" -H, --list-columns     list the available columns\n"
	" -h, --help             display this help\n"
	" -V, --version          display version\n"
	"\n"
	"For more details see lsns(8).\n";

enum { OPT_OUTPUT_ALL = 256 };

static const struct option longopts[] = {
	{ "json",         no_argument,       NULL, 'J' },
	{ "task",         required_argument, NULL, 'p' },
	{ "help",         no_argument,       NULL, 'h' },
	{ "output",       required_argument, NULL, 'o' },
	{ "output-all",   no_argument,       NULL, OPT_OUTPUT_ALL },
	{ "persistent",   no_argument,       NULL, 'P' },
	{ "filter",       required_argument, NULL, 'Q' },
	{ "notruncate",   no_argument,       NULL, 'u' },
	{ "version",      no_argument,       NULL, 'V' },
	{ "noheadings",   no_argument,       NULL, 'n' },
	{ "nowrap",       no_argument,       NULL, 'W' },
	{ "list",         no_argument,       NULL, 'l' },
	{ "raw",          no_argument,       NULL, 'r' },
	{ "type",         required_argument, NULL, 't' },
	{ "tree",         optional_argument, NULL, 'T' },
	{ "list-columns", no_argument,       NULL, 'H' },
	{ NULL, 0, NULL, 0 }
};

/* ---- option parsing ---- */

/* util-linux's err_exclusive_options for { J r } { P p } { l T } */
static void check_exclusive(int c, int seen[3])
{
	static const char *const groups[3][2] = {
		{ "json", "raw" }, { "persistent", "task" }, { "list", "tree" }
	};
	static const char keys[3][2] = { { 'J', 'r' }, { 'P', 'p' }, { 'l', 'T' } };
	int g;

	for (g = 0; g < 3; g++) {
		if (c != keys[g][0] && c != keys[g][1])
			continue;
		if (seen[g] && seen[g] != c)
			ctr_errx("mutually exclusive arguments: --%s --%s", groups[g][0], groups[g][1]);
		seen[g] = c;
	}
}

/* strtos32_or_err / strtou64_or_err: blanks before, junk after refused. */
static void parse_num(const char *s, int is_signed, const char *what, long long *sv,
		      unsigned long long *uv)
{
	char *end;

	errno = 0;
	if (is_signed) {
		long long v = strtoll(s, &end, 10);

		if (!errno && (v < INT_MIN || v > INT_MAX))
			errno = ERANGE;
		*sv = v;
	} else {
		const char *p = s;

		while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
			p++;
		*uv = strtoull(s, &end, 10);
		if (!errno && *p == '-')
			errno = ERANGE;
	}
	/* glibc's wording of ERANGE, as util-linux prints it (musl's differs) */
	if (errno == ERANGE)
		ctr_errx("%s: '%s': Numerical result out of range", what, s);
	if (errno || end == s || *end)
		ctr_errx("%s: '%s'", what, s);
}

/* -o LIST or -o +LIST (append to the defaults), as string_add_to_idarray. */
static void parse_columns(struct options *o, const char *list)
{
	const char *p = list, *begin;

	if (*p == '+')
		p++;
	else
		o->ncolumns = 0;
	if (!*p)
		ctr_errx("no columns in '%s'", list);
	while (*p) {
		const char *end;
		int id;

		begin = p;
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		/* util-linux takes a trailing comma into the name */
		if (*end == ',' && !end[1])
			end++;
		if (end == begin)
			ctr_errx("empty column name in '%s'", list);
		if (o->ncolumns >= MAXCOLS)
			ctr_errx("too many columns specified, the limit is %d columns", MAXCOLS - 1);
		id = column_id(begin, (size_t)(end - begin));
		if (id < 0)
			ctr_errx("unknown column: %s", begin);
		o->columns[o->ncolumns++] = id;
		p = *end ? end + 1 : end;
	}
}

static void parse_args(struct options *o, int argc, char *argv[])
{
	char err[256];
	int c, seen[3] = { 0, 0, 0 };
	long long sv;
	unsigned long long uv;
	const char *positional = NULL;

	opterr = 0;
	for (;;) {
		c = getopt_long(argc, argv, "+:JlPp:o:nruhVt:T::WQ:H", longopts, NULL);
		if (c == -1) {
			/* "+" stops at the first operand: take it, go on after it */
			if (optind >= argc)
				break;
			if (positional)
				ctr_usage_error("unexpected argument '%s'", argv[optind]);
			positional = argv[optind++];
			continue;
		}
		check_exclusive(c, seen);
		switch (c) {
		case 'J':
			o->json = 1;
			break;
		case 'l':
			o->list = 1;
			break;
		case 'o':
			o->outarg = optarg;
			break;
		case OPT_OUTPUT_ALL:
			for (o->ncolumns = 0; o->ncolumns < NINFOS; o->ncolumns++)
				o->columns[o->ncolumns] = (int)o->ncolumns;
			break;
		case 'P':
			o->persist = 1;
			break;
		case 'p':
			/* as strtopid_or_err: 1..INT_MAX (util-linux 2.38 took
			 * 0 for "no filter" and printed nothing for -1) */
			parse_num(optarg, 1, "invalid PID argument", &sv, &uv);
			if (sv < 1)
				ctr_errx("invalid PID argument: '%s': Numerical result out of range",
					 optarg);
			o->pid = (int)sv;
			break;
		case 'n':
			o->noheadings = 1;
			break;
		case 'r':
			o->raw = o->nowrap = 1;
			break;
		case 'u':
			o->notrunc = 1;
			break;
		case 't': {
			const struct ctr_ns_type *t = ctr_ns_by_name(optarg);

			if (!t)
				ctr_errx("unknown namespace type: %s", optarg);
			o->types |= 1u << (t - ctr_ns_types);
			if (t->flag == CLONE_NEWNET)
				o->net = 1;
			break;
		}
		case 'W':
			o->nowrap = 1;
			break;
		case 'T':
			o->tree = TREE_OWNER;
			if (optarg) {
				const char *a = optarg + (*optarg == '=');

				if (strcmp(a, "parent") == 0)
					o->tree = TREE_PARENT;
				else if (strcmp(a, "process") == 0)
					o->tree = TREE_PROCESS;
				else if (strcmp(a, "owner") != 0)
					ctr_errx("unknown tree type: %s", a);
			}
			break;
		case 'Q':
			ctr_filter_free(o->filter);
			o->filter = ctr_filter_parse(optarg, err, sizeof(err));
			if (!o->filter)
				ctr_errx("failed to parse \"%s\": %s", optarg, err);
			break;
		case 'H':
			o->list_columns = 1;
			break;
		case 'h':
			ctr_print_help(usage_text);
		case 'V':
			ctr_print_version();
		default:
			ctr_bad_option(c, argv, longopts);
		}
	}
	if (o->list_columns)
		return;
	if (positional) {
		if (o->pid)
			ctr_errx("--task is mutually exclusive with <namespace>");
		parse_num(positional, 0, "invalid namespace argument", &sv, &uv);
		o->have_ns = 1;
		o->ns = uv;
		if (!o->tree && !o->list)
			o->tree = TREE_PROCESS;
		if (!o->ncolumns) {
			o->columns[o->ncolumns++] = COL_PID;
			o->columns[o->ncolumns++] = COL_PPID;
			o->columns[o->ncolumns++] = COL_USER;
			o->columns[o->ncolumns++] = COL_COMMAND;
		}
	}
	if (!o->ncolumns) {
		o->columns[o->ncolumns++] = COL_NS;
		o->columns[o->ncolumns++] = COL_TYPE;
		o->columns[o->ncolumns++] = COL_NPROCS;
		o->columns[o->ncolumns++] = COL_PID;
		o->columns[o->ncolumns++] = COL_USER;
		if (o->net) {
			o->columns[o->ncolumns++] = COL_NETNSID;
			o->columns[o->ncolumns++] = COL_NSFS;
		}
		o->columns[o->ncolumns++] = COL_COMMAND;
		/* as util-linux: the process tree is the default view */
		if (!o->tree && !o->list)
			o->tree = TREE_PROCESS;
	}
	if (o->outarg)
		parse_columns(o, o->outarg);
}

int lsns_main(int argc, char *argv[])
{
	static struct ctr_tcol cols[MAXCOLS + NINFOS];
	struct options o = { 0 };
	struct lsns ls = { 0 };
	struct ctr_err e = { 0 };
	size_t i;

	parse_args(&o, argc, argv);
	if (o.filter)
		ctr_filter_set_utf8(o.filter, utf8_locale());
	if (o.list_columns)
		list_columns(&o);
	ls.o = &o;
	ls.last_uid = (uid_t)-1;
	setup_columns(&ls, cols);

	ls.scan.types = o.types;
	if (table_has(&ls, COL_PNS) || table_has(&ls, COL_ONS))
		ls.scan.flags |= CTR_NSSCAN_RELATIONS;
	if (o.tree == TREE_OWNER || o.tree == TREE_PARENT)
		ls.scan.flags |= CTR_NSSCAN_RELATIONS | CTR_NSSCAN_GHOSTS;
	if (table_has(&ls, COL_NETNSID))
		ls.scan.flags |= CTR_NSSCAN_NETNSID;
	if (ctr_nsscan_run(&ls.scan, &e) < 0)
		ctr_die(&e);

	setup_table(&ls.tab, &o, "namespaces");
	ls.tab.cols = cols;
	ls.tab.ncols = ls.ncols;
	ls.proc_line = malloc((ls.scan.nprocs + 1) * sizeof(int));
	ls.ns_line = malloc((ls.scan.nns + 1) * sizeof(int));
	ls.ns_busy = calloc(ls.scan.nns + 1, sizeof(int));
	if (!ls.proc_line || !ls.ns_line || !ls.ns_busy)
		ctr_errx("out of memory");
	for (i = 0; i < ls.scan.nprocs; i++)
		ls.proc_line[i] = -1;
	for (i = 0; i < ls.scan.nns; i++)
		ls.ns_line[i] = -1;

	if (o.have_ns) {
		struct ctr_nsinfo *n = ctr_nsscan_find(&ls.scan, (ino_t)o.ns);

		if (!n)
			ctr_errx("not found namespace: %llu", o.ns);
		show_namespace_processes(&ls, n);
	} else {
		show_namespaces(&ls);
	}
	write_out(&ls.tab);

	ctr_table_free(&ls.tab);
	for (i = 0; i < ls.ncols; i++)
		free(ls.vals[i]);
	free(ls.proc_line);
	free(ls.ns_line);
	free(ls.ns_busy);
	ctr_filter_free(o.filter);
	ctr_nsscan_free(&ls.scan);
	return 0;
}
