/* ovlmount: mount, unmount, describe and diff overlayfs.
 *
 *   ovlmount -l LOWER[:LOWER...] [-u UPPER -w WORK] [-o OPTS] [-r] MERGED
 *   ovlmount -U [--lazy] MERGED
 *   ovlmount --inspect MERGED | --list | --diff [-l LOWERS] DIR
 *
 * Mounting does what `mount -t overlay overlay -o lowerdir=..,upperdir=..,
 * workdir=.. MERGED` does, after checking what the kernel would only refuse
 * with a bare EINVAL (a lower missing, upper and work on two filesystems, a
 * work dir in use, an upper filesystem without xattrs), and it creates the
 * upper, work and merged dirs. Unlike mount(8) it takes up to the kernel's
 * 500 layers of long paths: one fsconfig "lowerdir+" per layer where the
 * kernel has it (6.8+), else Docker overlay2's short links within mount(2)'s
 * one page. --inspect prints docker inspect's GraphDriver object; --diff
 * prints docker diff's "A/C/D /path" lines for an upper layer. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include "common.h"
#include "ctr/buf.h"
#include "ctr/overlay.h"

static const char usage_text[] =
	"Usage:\n"
	" ovlmount -l LOWER[:LOWER...] [-u UPPER -w WORK] [-o OPTS] [-r] MERGED\n"
	" ovlmount -U [--lazy] MERGED\n"
	" ovlmount --inspect MERGED\n"
	" ovlmount --list\n"
	" ovlmount --diff [-l LOWER[:LOWER...]] DIR\n"
	"\n"
	"Mount, unmount, describe and diff an overlay filesystem.\n"
	"\n"
	"Options:\n"
	" -l, --lower DIRS      lower layers, top first, separated by ':' (a '\\:' is a\n"
	"                       colon inside a name); repeat to append more layers\n"
	" -u, --upper DIR       the writable upper layer (created if missing)\n"
	" -w, --work DIR        overlay's work dir on upper's filesystem (created if missing)\n"
	"                       without -u/-w the overlay is read-only\n"
	" -o, --options OPTS    overlay options for the kernel (index=on, redirect_dir=on,\n"
	"                       metacopy=on, xino=auto, userxattr, volatile, ...) and\n"
	"                       mount flags (ro, nosuid, nodev, noexec, noatime, ...)\n"
	" -r, --read-only, --ro mount read-only\n"
	"     --legacy          use mount(2) even if the kernel takes layers one by one\n"
	" -v, --verbose         say how the layers went to the kernel\n"
	" -U, --umount          unmount the overlay on MERGED\n"
	"     --lazy            with -U: detach now, finish when it is no longer busy\n"
	"     --inspect         MERGED's layers as JSON, like docker inspect's GraphDriver\n"
	"     --list            the same for every overlay mount, one a line\n"
	"     --diff            what DIR's upper layer changed, like docker diff:\n"
	"                       A added, C changed (exists below), D deleted; DIR is an\n"
	"                       overlay mount point or an upper dir\n"
	" -h, --help            display this help\n"
	" -V, --version         display version\n";

enum { OPT_LAZY = 256, OPT_INSPECT, OPT_LIST, OPT_DIFF, OPT_LEGACY };

static const struct option longopts[] = {
	{ "lower", required_argument, NULL, 'l' },
	{ "upper", required_argument, NULL, 'u' },
	{ "work", required_argument, NULL, 'w' },
	{ "options", required_argument, NULL, 'o' },
	{ "read-only", no_argument, NULL, 'r' },
	{ "ro", no_argument, NULL, 'r' },
	{ "legacy", no_argument, NULL, OPT_LEGACY },
	{ "verbose", no_argument, NULL, 'v' },
	{ "umount", no_argument, NULL, 'U' },
	{ "lazy", no_argument, NULL, OPT_LAZY },
	{ "inspect", no_argument, NULL, OPT_INSPECT },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "diff", no_argument, NULL, OPT_DIFF },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

enum mode { MODE_MOUNT, MODE_UMOUNT, MODE_INSPECT, MODE_LIST, MODE_DIFF };

struct opts {
	enum mode mode;
	int nmodes;
	char **lower;
	size_t nlower;
	char **copies;          /* the -l strings the lower names point into */
	size_t ncopies;
	const char *upper, *work;
	struct ctr_buf kopts;   /* kernel options, comma-joined */
	unsigned long flags;    /* MS_* */
	int legacy, verbose, lazy, mount_only;
	const char *dir;
};

/* Mount flags mount(8) turns into MS_* rather than handing to the kernel. */
static const struct {
	const char *name;
	unsigned long set, clear;
} vfs_flags[] = {
	{ "ro", MS_RDONLY, 0 }, { "rw", 0, MS_RDONLY },
	{ "nosuid", MS_NOSUID, 0 }, { "suid", 0, MS_NOSUID },
	{ "nodev", MS_NODEV, 0 }, { "dev", 0, MS_NODEV },
	{ "noexec", MS_NOEXEC, 0 }, { "exec", 0, MS_NOEXEC },
	{ "noatime", MS_NOATIME, MS_STRICTATIME }, { "relatime", 0, MS_NOATIME | MS_STRICTATIME },
	{ "strictatime", MS_STRICTATIME, MS_NOATIME }, { "nodiratime", MS_NODIRATIME, 0 },
	{ "defaults", 0, 0 },
};

/* Layer options belong to -l/-u/-w: two sources of truth would disagree. */
static const char *const layer_keys[] = { "lowerdir", "lowerdir+", "datadir+", "upperdir",
					  "workdir" };

static void add_kopt(struct opts *o, const char *item, size_t n)
{
	if ((o->kopts.len && ctr_buf_chr(&o->kopts, ',') < 0) || ctr_buf_add(&o->kopts, item, n) < 0)
		ctr_errn("out of memory");
}

static void parse_mount_opts(struct opts *o, const char *s)
{
	const char *item = s, *end;
	size_t n, i, k;

	for (; *item; item = *end ? end + 1 : end) {
		end = strchr(item, ',');
		if (!end)
			end = item + strlen(item);
		n = (size_t)(end - item);
		if (!n)
			continue;
		k = strcspn(item, "=");
		if (k > n)
			k = n;
		for (i = 0; i < sizeof(layer_keys) / sizeof(layer_keys[0]); i++)
			if (strlen(layer_keys[i]) == k && !strncmp(item, layer_keys[i], k))
				ctr_usage_error("-o %.*s is not accepted: give layers with -l, -u, -w",
						(int)k, item);
		for (i = 0; i < sizeof(vfs_flags) / sizeof(vfs_flags[0]); i++)
			if (strlen(vfs_flags[i].name) == n && !strncmp(item, vfs_flags[i].name, n))
				break;
		if (i < sizeof(vfs_flags) / sizeof(vfs_flags[0])) {
			o->flags = (o->flags & ~vfs_flags[i].clear) | vfs_flags[i].set;
			continue;
		}
		add_kopt(o, item, n);
	}
}

/* "a:b\:c" -> "a", "b:c": the kernel's lowerdir syntax. */
static void parse_lower(struct opts *o, const char *s)
{
	char *copy = strdup(s), *r, *w, *start, **nl;
	int end;

	nl = realloc(o->copies, (o->ncopies + 1) * sizeof(*nl));
	if (!copy || !nl)
		ctr_errn("out of memory");
	o->copies = nl;
	o->copies[o->ncopies++] = copy;
	for (r = w = start = copy;; r++) {
		if (*r == '\\' && r[1]) {
			*w++ = *++r;
			continue;
		}
		if (*r && *r != ':') {
			*w++ = *r;
			continue;
		}
		end = !*r;
		*w = '\0';
		if (!*start)
			ctr_usage_error("empty layer in --lower '%s' (data-only layers are not "
					"supported)", s);
		nl = realloc(o->lower, (o->nlower + 1) * sizeof(*nl));
		if (!nl)
			ctr_errn("out of memory");
		o->lower = nl;
		o->lower[o->nlower++] = start;
		if (end)
			break;
		start = w = r + 1;
	}
}

static void set_mode(struct opts *o, enum mode m)
{
	o->mode = m;
	o->nmodes++;
}

static void parse_args(int argc, char *argv[], struct opts *o)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:l:u:w:o:rvUhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			parse_lower(o, optarg);
			break;
		case 'u':
			o->upper = optarg;
			o->mount_only = 'u';
			break;
		case 'w':
			o->work = optarg;
			o->mount_only = 'w';
			break;
		case 'o':
			parse_mount_opts(o, optarg);
			o->mount_only = 'o';
			break;
		case 'r':
			o->flags |= MS_RDONLY;
			o->mount_only = 'r';
			break;
		case OPT_LEGACY:
			o->legacy = 1;
			o->mount_only = 'L';
			break;
		case 'v':
			o->verbose = 1;
			break;
		case 'U':
			set_mode(o, MODE_UMOUNT);
			break;
		case OPT_LAZY:
			o->lazy = 1;
			break;
		case OPT_INSPECT:
			set_mode(o, MODE_INSPECT);
			break;
		case OPT_LIST:
			set_mode(o, MODE_LIST);
			break;
		case OPT_DIFF:
			set_mode(o, MODE_DIFF);
			break;
		case 'h':
			ctr_print_help(usage_text);
		case 'V':
			ctr_print_version();
		default:
			ctr_bad_option(c, argv, longopts);
		}
	}
	if (o->nmodes > 1)
		ctr_usage_error("-U, --inspect, --list and --diff are mutually exclusive");
	if (o->mode != MODE_MOUNT && o->mount_only)
		ctr_usage_error("-u, -w, -o, -r and --legacy are only for mounting");
	if (o->lazy && o->mode != MODE_UMOUNT)
		ctr_usage_error("--lazy goes with -U");
	if (o->nlower && o->mode != MODE_MOUNT && o->mode != MODE_DIFF)
		ctr_usage_error("-l is only for mounting and --diff");
	if (o->mode == MODE_LIST) {
		if (optind != argc)
			ctr_usage_error("--list takes no argument");
		return;
	}
	if (optind == argc)
		ctr_usage_error("no %s given", o->mode == MODE_DIFF ? "directory" : "mount point");
	if (optind + 1 != argc)
		ctr_usage_error("unexpected argument '%s'", argv[optind + 1]);
	o->dir = argv[optind];
	if (o->mode != MODE_MOUNT)
		return;
	if (!o->nlower)
		ctr_usage_error("no lower layer given (-l)");
	if (!o->upper != !o->work)
		ctr_usage_error("--upper and --work go together");
}

/* ---- output -------------------------------------------------------------- */

/* A JSON string body; with lowerdir set, ':' and '\\' inside a layer name
 * also get the kernel's lowerdir escape, so that "a:b" splits back right. */
static void json_body(const char *s, int lowerdir)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (lowerdir && (c == ':' || c == '\\'))
			fputs("\\\\", stdout);
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
}

static void json_str(const char *s)
{
	putchar('"');
	json_body(s, 0);
	putchar('"');
}

static int print_info(const struct ctr_ovl_info *ov, void *arg)
{
	size_t i;

	(void)arg;
	if (ov->unresolved)
		ctr_warnx("%s: %zu layer path(s) are relative and not ovlmount's links: shown as "
			  "the kernel has them", ov->merged, ov->unresolved);
	fputs("{\"Name\":\"overlay\",\"Data\":{\"LowerDir\":\"", stdout);
	for (i = 0; i < ov->nlower; i++) {
		if (i)
			putchar(':');
		json_body(ov->lower[i], 1);
	}
	putchar('"');
	if (ov->upper) {
		fputs(",\"UpperDir\":", stdout);
		json_str(ov->upper);
		fputs(",\"WorkDir\":", stdout);
		json_str(ov->work ? ov->work : "");
	}
	fputs(",\"MergedDir\":", stdout);
	json_str(ov->merged);
	fputs("}}\n", stdout);
	return 0;
}

/* ---- diff ------------------------------------------------------------------ */

struct diff_ctx {
	const char *upper;        /* the upper dir when DIR is not a mount */
	char *const *lower;
	size_t nlower;
	int found, status;
};

static void run_diff(const char *upper, char *const *lower, size_t n, int *status)
{
	struct ctr_ovl_change *c;
	struct ctr_err e;
	size_t i, nc;

	if (ctr_ovl_diff(upper, lower, n, &c, &nc, &e) < 0) {
		ctr_report(&e);
		*status = ctr_fail_status;
		return;
	}
	for (i = 0; i < nc; i++)
		printf("%c %s\n", c[i].kind, c[i].path);
	ctr_ovl_changes_free(c, nc);
}

static int diff_mounted(const struct ctr_ovl_info *ov, void *arg)
{
	struct diff_ctx *d = arg;

	d->found = 1;
	if (!ov->upper) {
		ctr_warnx("%s is a read-only overlay: it has no upper layer", ov->merged);
		d->status = ctr_fail_status;
		return 1;
	}
	run_diff(ov->upper, ov->lower, ov->nlower, &d->status);
	return 1;
}

/* An upper dir: the lowers of an overlay mounted with it, if any. */
static int diff_by_upper(const struct ctr_ovl_info *ov, void *arg)
{
	struct diff_ctx *d = arg;

	if (!ov->upper || strcmp(ov->upper, d->upper) != 0)
		return 0;
	return diff_mounted(ov, arg);
}

static int do_diff(struct opts *o)
{
	struct diff_ctx d = { 0 };
	struct ctr_err e;
	char real[PATH_MAX];

	if (!realpath(o->dir, real))
		ctr_errn("cannot access %s", o->dir);
	if (!o->nlower && ctr_ovl_inspect(real, diff_mounted, &d, &e) >= 0 && d.found)
		return d.status;
	if (!o->nlower) {
		d.upper = real;
		ctr_ovl_foreach(diff_by_upper, &d);
		if (d.found)
			return d.status;
	}
	run_diff(real, o->lower, o->nlower, &d.status);
	return d.status;
}

/* ---- main ---------------------------------------------------------------- */

static const char *how_name(int how)
{
	switch (how) {
	case CTR_OVL_FD:
		return "fsconfig lowerdir+ by fd";
	case CTR_OVL_STRING:
		return "fsconfig lowerdir+ by path";
	case CTR_OVL_DATA:
		return "mount(2) data";
	case CTR_OVL_RELATIVE:
		return "mount(2) data relative to the layers' parent";
	default:
		return "mount(2) data with short links";
	}
}

int ovlmount_main(int argc, char *argv[])
{
	struct opts o = { .mode = MODE_MOUNT };
	struct ctr_ovl spec;
	struct ctr_err e;
	int how, rc = 0;

	parse_args(argc, argv, &o);
	switch (o.mode) {
	case MODE_MOUNT:
		spec = (struct ctr_ovl){ .lower = o.lower, .nlower = o.nlower, .upper = o.upper,
					 .work = o.work, .merged = o.dir, .opts = o.kopts.p,
					 .flags = o.flags, .legacy = o.legacy };
		how = ctr_ovl_mount(&spec, &e);
		if (how < 0)
			ctr_die(&e);
		if (o.verbose)
			ctr_warnx("mounted %zu lower layer(s) on %s (%s)", o.nlower, o.dir,
				  how_name(how));
		break;
	case MODE_UMOUNT:
		if (ctr_ovl_umount(o.dir, o.lazy, &e) < 0)
			ctr_die(&e);
		break;
	case MODE_INSPECT:
		if (ctr_ovl_inspect(o.dir, print_info, NULL, &e) < 0)
			ctr_die(&e);
		break;
	case MODE_LIST:
		if (ctr_ovl_foreach(print_info, NULL) < 0)
			ctr_errn("cannot read /proc/self/mountinfo");
		break;
	case MODE_DIFF:
		rc = do_diff(&o);
		break;
	}
	while (o.ncopies > 0)
		free(o.copies[--o.ncopies]);
	free(o.copies);
	free(o.lower);
	ctr_buf_free(&o.kopts);
	if (fflush(stdout) != 0)
		ctr_errn("write error");
	return rc;
}
