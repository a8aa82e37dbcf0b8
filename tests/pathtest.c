/* pathtest: drive libctr/path.c from bats (tests/path.bats).
 *   pathtest open ROOT PATH [nofollow|nosymlinks]  print where PATH resolves
 *   pathtest mkdir ROOT PATH                       mkdir -p inside ROOT, print it
 *   pathtest mkfile ROOT PATH                      file target inside ROOT
 *   pathtest bind SRC ROOT PATH [ro]               bind SRC onto ROOT/PATH by fd
 *   pathtest tmpfs ROOT PATH                       tmpfs onto ROOT/PATH by fd
 *   pathtest user ROOT NAME        ROOT/etc/passwd: "name uid gid home shell"
 *   pathtest groups ROOT USER GID  ROOT/etc/group: USER's gids, GID first
 * CTRBOX_OPENAT2=0 and CTRBOX_MOUNT_API=legacy pick the fallbacks. */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
#include "ctr/passwd.h"
#include "ctr/path.h"

static int made(void *arg, const char *rel)
{
	(void)arg;
	fprintf(stderr, "made %s\n", rel);
	return 0;
}

static int fail(const char *what, const char *p)
{
	fprintf(stderr, "pathtest: %s: %s: %s\n", what, p, strerror(errno));
	return 1;
}

static int show(int fd)
{
	char *p = ctr_path_of_fd(fd);

	if (!p && errno == ENAMETOOLONG) {
		/* the kernel cannot name it: the lookup itself worked */
		printf("<too long to name>\n");
		return 0;
	}
	if (!p)
		return fail("readlink", "fd");
	printf("%s\n", p);
	free(p);
	return 0;
}

int main(int argc, char **argv)
{
	int root, fd, flags = 0;
	const char *cmd = argc > 1 ? argv[1] : "";

	if (argc < 4)
		return fprintf(stderr, "usage: pathtest CMD ...\n"), 2;
	if (!strcmp(cmd, "bind")) {
		if (argc < 5)
			return 2;
		root = open(argv[3], O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root < 0)
			return fail("open", argv[3]);
		fd = ctr_path_mkdir(root, argv[4], 0755, NULL, NULL);
		if (fd < 0)
			return fail("mkdir", argv[4]);
		if (ctr_path_mount(argv[2], -1, fd, NULL, MS_BIND | MS_REC, NULL) < 0)
			return fail("bind", argv[4]);
		if (argc > 5 && !strcmp(argv[5], "ro")) {
			close(fd);
			fd = ctr_path_open(root, argv[4], O_PATH | O_DIRECTORY, 0, 0);
			if (fd < 0 || ctr_path_remount(fd, MS_RDONLY) < 0)
				return fail("remount", argv[4]);
		}
		return 0;
	}
	root = open(argv[2], O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return fail("open", argv[2]);
	if (!strcmp(cmd, "user")) {
		struct ctr_passwd pw;
		int rc = ctr_passwd_user(root, argv[3], &pw);

		if (rc < 0)
			return fail("passwd", argv[3]);
		if (rc == 0)
			return printf("no such user\n"), 1;
		printf("%s %u %u %s %s\n", pw.name, pw.uid, pw.gid, pw.home, pw.shell);
		ctr_passwd_free(&pw);
		return 0;
	}
	if (!strcmp(cmd, "groups") && argc > 4) {
		uint32_t *g;
		size_t n, i;

		if (ctr_passwd_groups(root, argv[3], (uint32_t)strtoul(argv[4], NULL, 10), &g,
				      &n) < 0)
			return fail("group", argv[3]);
		for (i = 0; i < n; i++)
			printf("%s%u", i ? " " : "", g[i]);
		printf("\n");
		free(g);
		return 0;
	}
	if (argc > 4 && !strcmp(argv[4], "nofollow"))
		flags = CTR_PATH_NOFOLLOW;
	if (argc > 4 && !strcmp(argv[4], "nosymlinks"))
		flags = CTR_PATH_NO_SYMLINKS;
	if (!strcmp(cmd, "open"))
		fd = ctr_path_open(root, argv[3], O_PATH, 0, flags);
	else if (!strcmp(cmd, "mkdir") || !strcmp(cmd, "tmpfs"))
		fd = ctr_path_mkdir(root, argv[3], 0755, made, NULL);
	else if (!strcmp(cmd, "mkfile"))
		fd = ctr_path_mkfile(root, argv[3], 0644, made, NULL);
	else
		return 2;
	if (fd < 0)
		return fail(cmd, argv[3]);
	if (!strcmp(cmd, "tmpfs") && ctr_path_mount("tmpfs", -1, fd, "tmpfs", MS_NOSUID,
						      "mode=700,size=64k") < 0)
		return fail("mount tmpfs", argv[3]);
	return show(fd);
}
