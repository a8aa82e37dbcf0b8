/* lsns.h: what the two halves of lsns share: lsns.c (options, main) and
 * lsns-out.c (rows, trees, columns, output). */
#ifndef LSNS_H
#define LSNS_H

#include <stddef.h>
#include <sys/types.h>
#include "ctr/filter.h"
#include "ctr/nsscan.h"
#include "ctr/table.h"

enum { COL_NS, COL_TYPE, COL_PATH, COL_NPROCS, COL_PID, COL_PPID, COL_COMMAND, COL_UID,
       COL_USER, COL_NETNSID, COL_NSFS, COL_PNS, COL_ONS, NINFOS };

struct colinfo {
	const char *name;
	double whint;
	unsigned flags;
	const char *help;
};
extern const struct colinfo infos[NINFOS];

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
	int *proc_line, *ns_line, *ns_busy;
	char *vals[MAXCOLS + NINFOS];     /* the row being built */
	uid_t last_uid;
	char last_user[256];
};

/* the column of a name (any case, len bytes), -1 if none */
int column_id(const char *name, size_t len);
int utf8_locale(void);
void setup_table(struct ctr_table *t, struct options *o, const char *name);
void write_out(struct ctr_table *t);
void list_columns(struct options *o);
void setup_columns(struct lsns *ls, struct ctr_tcol *cols);
int table_has(struct lsns *ls, int id);
void show_namespaces(struct lsns *ls);
void show_namespace_processes(struct lsns *ls, struct ctr_nsinfo *n);

#endif
