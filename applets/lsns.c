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
 * util-linux rejects silently ("NS,,TYPE", "") gets a message here; with -J a
 * multi-mount NSFS cell is one string with "\n" between the paths; an extra
 * positional argument is an error instead of being ignored; the filter
 * language is libsmartcols' but its error messages are our own. */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include "common.h"
#include "ctr/filter.h"
#include "ctr/ns.h"
#include "ctr/nsscan.h"
#include "ctr/table.h"

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

enum { COL_NS, COL_TYPE, COL_PATH, COL_NPROCS, COL_PID, COL_PPID, COL_COMMAND, COL_UID,
       COL_USER, COL_NETNSID, COL_NSFS, COL_PNS, COL_ONS, NINFOS };

static const struct colinfo {
	const char *name;
	double whint;
	unsigned flags;
	const char *help;
} infos[NINFOS] = {
	[COL_NS]      = { "NS",      10, CTR_TCOL_RIGHT | CTR_TCOL_NUMBER, "namespace identifier (inode number)" },
	[COL_TYPE]    = { "TYPE",     5, 0, "kind of namespace" },
	[COL_PATH]    = { "PATH",     0, 0, "path to the namespace" },
	[COL_NPROCS]  = { "NPROCS",   5, CTR_TCOL_RIGHT | CTR_TCOL_NUMBER, "number of processes in the namespace" },
	[COL_PID]     = { "PID",      5, CTR_TCOL_RIGHT | CTR_TCOL_NUMBER, "lowest PID in the namespace" },
	[COL_PPID]    = { "PPID",     5, CTR_TCOL_RIGHT | CTR_TCOL_NUMBER, "PPID of the PID" },
	[COL_COMMAND] = { "COMMAND",  0, CTR_TCOL_TRUNC, "command line of the PID" },
	[COL_UID]     = { "UID",      0, CTR_TCOL_RIGHT | CTR_TCOL_NUMBER, "UID of the PID" },
	[COL_USER]    = { "USER",     0, 0, "username of the PID" },
	[COL_NETNSID] = { "NETNSID",  0, CTR_TCOL_RIGHT, "namespace ID as used by network subsystem" },
	[COL_NSFS]    = { "NSFS",     0, CTR_TCOL_WRAP, "nsfs mountpoint (usually used network subsystem)" },
	[COL_PNS]     = { "PNS",     10, CTR_TCOL_RIGHT | CTR_TCOL_NUMBER, "parent namespace identifier (inode number)" },
	[COL_ONS]     = { "ONS",     10, CTR_TCOL_RIGHT | CTR_TCOL_NUMBER, "owner namespace identifier (inode number)" },
};

#define MAXCOLS (NINFOS * 2)

enum { TREE_NONE, TREE_PROCESS, TREE_OWNER, TREE_PARENT };

struct options {
	int json, raw, list, notrunc, noheadings, nowrap, persist, list_columns;
	int tree;
	unsigned types;
	int net;                  /* -t net given: NETNSID and NSFS by default */
	int pid;                  /* -p; 0: none */
	int have_ns;
	unsigned long long ns;    /* positional <namespace> */
	const char *outarg;
	int columns[MAXCOLS];
	size_t ncolumns;
	struct ctr_filter *filter;
};

struct lsns {
	struct options *o;
	struct ctr_nsscan scan;
	struct ctr_table tab;
	int ids[MAXCOLS + NINFOS];        /* table column -> COL_* */
	size_t ncols;                     /* visible + hidden (filter) columns */
	int filter_cols[NINFOS];          /* filter column i -> table column */
	int *proc_line, *ns_line, *ns_busy;
	char *vals[MAXCOLS + NINFOS];     /* the row being built */
	uid_t last_uid;
	char last_user[256];
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

static int column_id(const char *name, size_t len)
{
	int i;

	for (i = 0; i < NINFOS; i++)
		if (strncasecmp(name, infos[i].name, len) == 0 && !infos[i].name[len])
			return i;
	return -1;
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

/* ---- output helpers ---- */

static int utf8_locale(void)
{
	const char *v = getenv("LC_ALL");

	if (!v || !*v)
		v = getenv("LC_CTYPE");
	if (!v || !*v)
		v = getenv("LANG");
	return v && (strcasestr(v, "UTF-8") || strcasestr(v, "utf8"));
}

static size_t term_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	long w = 0;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		w = ws.ws_col;
	if (w <= 0 && cols)
		w = strtol(cols, NULL, 10);
	return w > 0 ? (size_t)w : 80;
}

static void setup_table(struct ctr_table *t, struct options *o, const char *name)
{
	t->name = name;
	t->raw = o->raw;
	t->json = o->json;
	t->noheadings = o->noheadings;
	t->utf8 = utf8_locale();
	t->is_term = !o->raw && !o->json && isatty(STDOUT_FILENO);
	if (t->is_term)
		t->termwidth = term_width();
	if (t->utf8)
		setlocale(LC_CTYPE, "");  /* glibc's wcwidth() needs it */
}

static void write_out(struct ctr_table *t)
{
	struct ctr_buf out = { 0 };
	size_t off = 0;

	if (ctr_table_render(t, &out) < 0)
		ctr_errx("out of memory");
	while (off < out.len) {
		ssize_t n = write(STDOUT_FILENO, out.p + off, out.len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			ctr_errn("write error");
		off += (size_t)n;
	}
	ctr_buf_free(&out);
}

/* -H: the columns, their JSON types and descriptions */
static void list_columns(struct options *o)
{
	struct ctr_tcol cols[3] = {
		{ "HOLDER", 0, CTR_TCOL_RIGHT, 0, 0, 0, 0 },
		{ "TYPE", 0, 0, 0, 0, 0, 0 },
		{ "DESCRIPTION", 0, 0, 0, 0, 0, 0 },
	};
	struct ctr_table t = { 0 };
	int i, l;

	setup_table(&t, o, "lsns-columns");
	t.noheadings = 1;
	t.cols = cols;
	t.ncols = 3;
	for (i = 0; i < NINFOS; i++) {
		l = ctr_table_new_line(&t, -1);
		if (l < 0)
			break;
		ctr_table_set(&t, l, 0, infos[i].name);
		ctr_table_set(&t, l, 1, infos[i].flags & CTR_TCOL_NUMBER ? "<integer>" : "<string>");
		ctr_table_set(&t, l, 2, infos[i].help);
	}
	write_out(&t);
	ctr_table_free(&t);
	exit(0);
}

/* ---- rows ---- */

static char *xstrdup(const char *s)
{
	char *r = strdup(s);

	if (!r)
		ctr_errx("out of memory");
	return r;
}

static char *fmt_u(unsigned long long v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%llu", v);
	return xstrdup(buf);
}

/* The NSFS cell: every nsfs mount of this namespace. */
static char *nsfs_cell(struct lsns *ls, const struct ctr_nsinfo *n)
{
	char root[64];
	struct ctr_buf b = { 0 };
	size_t i, j;

	snprintf(root, sizeof(root), "%s:[%llu]", ctr_ns_types[n->type].name,
		 (unsigned long long)n->ino);
	for (i = 0; i < ls->scan.nmounts; i++) {
		if (strcmp(ls->scan.mounts[i].root, root) != 0)
			continue;
		for (j = 0; j < i; j++)     /* a path already listed */
			if (strcmp(ls->scan.mounts[j].root, root) == 0 &&
			    strcmp(ls->scan.mounts[j].target, ls->scan.mounts[i].target) == 0)
				break;
		if (j < i)
			continue;
		if (b.len)
			ctr_buf_add(&b, ls->o->nowrap ? "," : "\n", 1);
		ctr_buf_puts(&b, ls->scan.mounts[i].target);
	}
	if (b.oom)
		ctr_errx("out of memory");
	return b.p;
}

static char *cell(struct lsns *ls, const struct ctr_nsinfo *n, int proc, int id)
{
	const struct ctr_nsproc *p = proc >= 0 ? &ls->scan.procs[proc] : NULL;
	int have_stat = p && p->stat_state > 0;
	char buf[8192];
	uid_t uid;

	switch (id) {
	case COL_NS:
		return fmt_u(n->ino);
	case COL_TYPE:
		return xstrdup(ctr_ns_types[n->type].name);
	case COL_PATH:
		if (!p)
			return NULL;
		snprintf(buf, sizeof(buf), "/proc/%d/ns/%s", (int)p->pid, ctr_ns_types[n->type].name);
		return xstrdup(buf);
	case COL_NPROCS:
		return fmt_u((unsigned long long)n->nprocs);
	case COL_PID:
		return p ? fmt_u((unsigned long long)p->pid) : NULL;
	case COL_PPID:
		return have_stat ? fmt_u((unsigned long long)p->ppid) : NULL;
	case COL_COMMAND:
		if (!p || ctr_nsscan_command(&ls->scan, p->pid, buf, sizeof(buf)) < 0)
			return NULL;
		return xstrdup(buf);
	case COL_UID:
	case COL_USER:
		if (p && !have_stat)
			return NULL;
		uid = p ? p->uid : n->owner_uid;
		if (id == COL_UID)
			return fmt_u(uid);
		if (uid != ls->last_uid || !ls->last_user[0]) {
			ctr_nsscan_user(&ls->scan, uid, ls->last_user, sizeof(ls->last_user));
			ls->last_uid = uid;
		}
		return xstrdup(ls->last_user);
	case COL_NETNSID:
		if (!p || ctr_ns_types[n->type].flag != CLONE_NEWNET)
			return NULL;
		if (n->netnsid == CTR_NETNSID_UNASSIGNED)
			return xstrdup("unassigned");
		return n->netnsid >= 0 ? fmt_u((unsigned long long)n->netnsid) : NULL;
	case COL_NSFS:
		return nsfs_cell(ls, n);
	case COL_PNS:
		return fmt_u(n->pns);
	case COL_ONS:
		return fmt_u(n->ons);
	}
	return NULL;
}

static const char *filter_get(int col, void *arg)
{
	struct lsns *ls = arg;

	return ls->vals[col];
}

/* The parent (pid and user namespaces only) and owner namespaces, when shown. */
static struct ctr_nsinfo *rel_parent(struct lsns *ls, const struct ctr_nsinfo *n)
{
	int f = ctr_ns_types[n->type].flag;

	if ((f == CLONE_NEWPID || f == CLONE_NEWUSER) && n->pns && n->pns != n->ino)
		return ctr_nsscan_find(&ls->scan, n->pns);
	return NULL;
}

static struct ctr_nsinfo *rel_owner(struct lsns *ls, const struct ctr_nsinfo *n)
{
	return n->ons && n->ons != n->ino ? ctr_nsscan_find(&ls->scan, n->ons) : NULL;
}

/* util-linux's add_scols_line: the row of namespace n seen through process
 * proc, under the line of its parent process or parent/owner namespace. */
static void add_line(struct lsns *ls, struct ctr_nsinfo *n, int proc)
{
	int tree = ls->o->tree, parent = -1, line, ni = (int)(n - ls->scan.ns);
	size_t c;

	if (proc >= 0)
		ctr_nsscan_proc_stat(&ls->scan, proc);
	if (tree == TREE_PROCESS && proc >= 0 && ls->scan.procs[proc].parent >= 0)
		parent = ls->proc_line[ls->scan.procs[proc].parent];
	else if (tree == TREE_PARENT || tree == TREE_OWNER) {
		struct ctr_nsinfo *r = tree == TREE_PARENT ? rel_parent(ls, n) : rel_owner(ls, n);

		if (r)
			parent = ls->ns_line[r - ls->scan.ns];
	}
	for (c = 0; c < ls->ncols; c++) {
		free(ls->vals[c]);
		ls->vals[c] = cell(ls, n, proc, ls->ids[c]);
	}
	if (ls->o->filter && !ctr_filter_eval(ls->o->filter, filter_get, ls))
		return;
	line = ctr_table_new_line(&ls->tab, parent);
	if (line < 0)
		ctr_errx("out of memory");
	for (c = 0; c < ls->ncols; c++) {
		ls->tab.lines[line].cells[c] = ls->vals[c];
		ls->vals[c] = NULL;
	}
	if (tree == TREE_PARENT || tree == TREE_OWNER)
		ls->ns_line[ni] = line;
	else if (proc >= 0)
		ls->proc_line[proc] = line;
}

/* Owners (or parents) first, so that the tree can hang namespaces on them. */
static void show_namespace(struct lsns *ls, struct ctr_nsinfo *n, int depth)
{
	int tree = ls->o->tree, ni = (int)(n - ls->scan.ns);

	if (ls->ns_busy[ni] || depth > 64)
		return;
	ls->ns_busy[ni] = 1;
	if (tree == TREE_OWNER || tree == TREE_PARENT) {
		struct ctr_nsinfo *r = tree == TREE_PARENT ? rel_parent(ls, n) : NULL;

		if (!r)
			r = rel_owner(ls, n);
		if (r && ls->ns_line[r - ls->scan.ns] < 0)
			show_namespace(ls, r, depth + 1);
	}
	add_line(ls, n, n->proc);
	ls->ns_busy[ni] = 0;
}

static int has_process(struct lsns *ls, const struct ctr_nsinfo *n, pid_t pid)
{
	size_t i;

	for (i = 0; i < ls->scan.nprocs; i++)
		if (ls->scan.procs[i].pid == pid)
			return ls->scan.procs[i].ns[n->type] == n->ino;
	return 0;
}

static void show_namespaces(struct lsns *ls)
{
	size_t i;

	for (i = 0; i < ls->scan.nns; i++) {
		struct ctr_nsinfo *n = &ls->scan.ns[i];

		if (ls->o->pid && !has_process(ls, n, ls->o->pid))
			continue;
		if (ls->o->persist && n->nprocs)
			continue;
		if (ls->ns_line[i] < 0)
			show_namespace(ls, n, 0);
	}
}

/* The parent process first when it is in the same namespace. */
static void show_process(struct lsns *ls, struct ctr_nsinfo *n, int proc, int depth)
{
	struct ctr_nsproc *p = &ls->scan.procs[proc];

	ctr_nsscan_proc_stat(&ls->scan, proc);
	if (ls->o->tree == TREE_PROCESS && p->parent >= 0 && ls->proc_line[p->parent] < 0 &&
	    ls->scan.procs[p->parent].ns[n->type] == p->ns[n->type] && depth < 4096)
		show_process(ls, n, p->parent, depth + 1);
	if (ls->proc_line[proc] < 0)
		add_line(ls, n, proc);
}

static void show_namespace_processes(struct lsns *ls, struct ctr_nsinfo *n)
{
	size_t i;

	for (i = 0; i < ls->scan.nprocs; i++)
		if (ls->scan.procs[i].ns[n->type] == n->ino && ls->proc_line[i] < 0)
			show_process(ls, n, (int)i, 0);
}

/* ---- columns and filter ---- */

static int table_has(struct lsns *ls, int id)
{
	size_t i;

	for (i = 0; i < ls->ncols; i++)
		if (ls->ids[i] == id)
			return 1;
	return 0;
}

static void setup_columns(struct lsns *ls, struct ctr_tcol *cols)
{
	struct options *o = ls->o;
	size_t i, k;
	int bad = 0;

	for (i = 0; i < o->ncolumns; i++)
		ls->ids[ls->ncols++] = o->columns[i];
	/* columns the filter needs but the output does not show: hidden */
	for (k = 0; o->filter && k < ctr_filter_ncolumns(o->filter); k++) {
		const char *name = ctr_filter_column(o->filter, k);
		int id = column_id(name, strlen(name));
		char err[256];

		if (id < 0) {
			ctr_warnx("unknown column: %s", name);
			bad = 1;
			continue;
		}
		for (i = 0; i < ls->ncols && ls->ids[i] != id; i++)
			;
		if (i == ls->ncols)
			ls->ids[ls->ncols++] = id;
		ls->filter_cols[k] = (int)i;
		if (ctr_filter_bind(o->filter, k,
				    infos[id].flags & CTR_TCOL_NUMBER ? CTR_FILTER_NUMBER : CTR_FILTER_STRING,
				    (int)i, err, sizeof(err)) < 0) {
			ctr_warnx("%s", err);
			bad = 1;
		}
	}
	if (bad)
		ctr_errx("failed to initialize filter");
	for (i = 0; i < ls->ncols; i++) {
		const struct colinfo *ci = &infos[ls->ids[i]];
		unsigned fl = ci->flags;

		if (o->notrunc)
			fl &= ~CTR_TCOL_TRUNC;
		if (o->tree == TREE_PROCESS && ls->ids[i] == COL_COMMAND)
			fl |= CTR_TCOL_TREE;
		if (o->nowrap)
			fl &= ~CTR_TCOL_WRAP;
		if ((o->tree == TREE_OWNER || o->tree == TREE_PARENT) && ls->ids[i] == COL_NS) {
			fl |= CTR_TCOL_TREE;
			fl &= ~CTR_TCOL_RIGHT;
		}
		if (i >= o->ncolumns)
			fl |= CTR_TCOL_HIDDEN;
		cols[i].name = ci->name;
		cols[i].whint = ci->whint;
		cols[i].flags = fl;
	}
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
