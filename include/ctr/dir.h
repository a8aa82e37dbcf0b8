/* The one directory walker: getdents64(2) into a stack buffer, no DIR, no
 * malloc ("." and ".." skipped). */
#ifndef CTR_DIR_H
#define CTR_DIR_H

#include <stdint.h>

/* Call fn(name, d_type, inode, arg) for each entry of the directory fd (read
 * from where its offset is; fd stays open, the caller's). Stops at fn's first
 * non-zero return and returns it; -1 with errno if getdents64 fails. */
int ctr_dir_foreach(int fd, int (*fn)(const char *name, unsigned char type, uint64_t ino,
				      void *arg), void *arg);

#endif
