/* ctrbox.c: the multicall dispatcher.
 *
 * The applet is the basename of argv[0] (a hard or symbolic link named
 * "unshare" runs unshare); "ctrbox APPLET ARGS" works too. Without an applet
 * name ctrbox itself understands --list, --install [-s] DIR, --help and
 * --version. The applets built are those of the chosen configs/ file. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "common.h"

#define APPLET(name, fn) int fn(int argc, char *argv[]);
#include "applets.def"
#undef APPLET

struct applet {
	const char *name;
	int (*main)(int argc, char *argv[]);
};

static const struct applet applets[] = {
#define APPLET(name, fn) { #name, fn },
#include "applets.def"
#undef APPLET
};

#define NAPPLETS (sizeof(applets) / sizeof(applets[0]))

static const struct applet *find_applet(const char *name)
{
	size_t i;

	for (i = 0; i < NAPPLETS; i++)
		if (strcmp(applets[i].name, name) == 0)
			return &applets[i];
	return NULL;
}

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: ctrbox APPLET [ARGS...]\n"
		"   or: APPLET [ARGS...]          (through a link named APPLET)\n"
		"   or: ctrbox --list | --install [-s] DIR | --help | --version\n"
		"\n"
		"A container toolkit in one static binary.\n"
		"\n"
		"  --list             print the applets, one a line\n"
		"  --install [-s] DIR create a hard link (-s: symbolic link) to ctrbox\n"
		"                     in DIR for every applet, replacing what is there\n"
		"\nApplets:");
	for (i = 0; i < NAPPLETS; i++)
		fprintf(out, " %s", applets[i].name);
	fputc('\n', out);
}

/* Link DIR/<applet> to this binary for every applet. */
static int install_links(const char *dir, int symbolic)
{
	char self[PATH_MAX], dst[PATH_MAX];
	ssize_t n;
	size_t i;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		ctr_errn("cannot find own executable: /proc/self/exe");
	self[n] = '\0';
	for (i = 0; i < NAPPLETS; i++) {
		if (snprintf(dst, sizeof(dst), "%s/%s", dir, applets[i].name) >= (int)sizeof(dst))
			ctr_errx("path too long: %s/%s", dir, applets[i].name);
		if (unlink(dst) < 0 && errno != ENOENT)
			ctr_errn("cannot replace %s", dst);
		if (symbolic ? symlink(self, dst) :
			       linkat(AT_FDCWD, "/proc/self/exe", AT_FDCWD, dst, AT_SYMLINK_FOLLOW))
			ctr_errn("cannot link %s", dst);
	}
	return 0;
}

static int ctrbox_main(int argc, char *argv[])
{
	const struct applet *a;
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("ctrbox %s\n", CTRBOX_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--list")) {
		for (i = 0; i < NAPPLETS; i++)
			puts(applets[i].name);
		return 0;
	}
	if (!strcmp(argv[1], "--install")) {
		int symbolic = argc > 2 && !strcmp(argv[2], "-s");

		if (argc != 3 + symbolic)
			ctr_usage_error("--install takes [-s] DIR");
		return install_links(argv[2 + symbolic], symbolic);
	}
	if (argv[1][0] == '-')
		ctr_usage_error("unrecognized option '%s'", argv[1]);
	a = find_applet(argv[1]);
	if (!a) {
		fprintf(stderr, "ctrbox: applet not found: %s\n", argv[1]);
		return 127;
	}
	ctr_applet = a->name;
	return a->main(argc - 1, argv + 1);
}

int main(int argc, char *argv[])
{
	const struct applet *a;
	const char *base;

	base = argc > 0 && argv[0] ? argv[0] : "ctrbox";
	if (strrchr(base, '/'))
		base = strrchr(base, '/') + 1;
	a = find_applet(base);
	if (a) {
		ctr_applet = a->name;
		return a->main(argc, argv);
	}
	if (strncmp(base, "ctrbox", 6) != 0) {
		fprintf(stderr, "ctrbox: applet not found: %s\n", base);
		return 127;
	}
	return ctrbox_main(argc, argv);
}
