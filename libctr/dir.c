/* dir.c: the one directory walker (getdents64). */
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ctr/dir.h"

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

int ctr_dir_foreach(int fd, int (*fn)(const char *name, unsigned char type, uint64_t ino,
				      void *arg), void *arg)
{
	_Alignas(8) char buf[8192];    /* dirents hold 64-bit fields */
	long n, off;
	int rc = 0;

	while (!rc && (n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n && !rc; off += ((struct linux_dirent64 *)(buf + off))->d_reclen) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);

			if (d->d_name[0] == '.' && (!d->d_name[1] ||
						    (d->d_name[1] == '.' && !d->d_name[2])))
				continue;
			rc = fn(d->d_name, d->d_type, d->d_ino, arg);
		}
	}
	return n < 0 && !rc ? -1 : rc;
}
