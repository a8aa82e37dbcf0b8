/* lsns-out.c: lsns's rows (util-linux's fill_column), the process and
 * parent/owner trees (add_scols_line, show_namespace, show_process), the
 * columns and the filter's hidden columns, and the output. */
#include <errno.h>
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
#include "lsns.h"

const struct colinfo infos[NINFOS] = {
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

int column_id(const char *name, size_t len)
{
	int i;

	for (i = 0; i < NINFOS; i++)
		if (strncasecmp(name, infos[i].name, len) == 0 && !infos[i].name[len])
			return i;
	return -1;
}

/* ---- output helpers ---- */

int utf8_locale(void)
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

void setup_table(struct ctr_table *t, struct options *o, const char *name)
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

void write_out(struct ctr_table *t)
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
void list_columns(struct options *o)
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
		return p ? ctr_nsscan_command(&ls->scan, p->pid) : NULL;
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

void show_namespaces(struct lsns *ls)
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

void show_namespace_processes(struct lsns *ls, struct ctr_nsinfo *n)
{
	size_t i;

	for (i = 0; i < ls->scan.nprocs; i++)
		if (ls->scan.procs[i].ns[n->type] == n->ino && ls->proc_line[i] < 0)
			show_process(ls, n, (int)i, 0);
}

/* ---- columns and filter ---- */

int table_has(struct lsns *ls, int id)
{
	size_t i;

	for (i = 0; i < ls->ncols; i++)
		if (ls->ids[i] == id)
			return 1;
	return 0;
}

void setup_columns(struct lsns *ls, struct ctr_tcol *cols)
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

