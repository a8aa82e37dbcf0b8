/* mount.c: mount(2) wrappers and a mountinfo reader. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ctr/str.h"
#include "ctr/buf.h"
#include "ctr/mount.h"  /* <sys/mount.h> before compat.h's fsconfig macros */
#include "ctr/compat.h"

int ctr_mount(const char *src, const char *target, const char *fstype,
	      unsigned long flags, const void *data, struct ctr_err *e)
{
	if (mount(src, target, fstype, flags, data) < 0)
		return ctr_err_sys(e, "mount", "%s", target);
	return 0;
}

int ctr_mount_propagation(const char *target, unsigned long type, int recursive,
			  struct ctr_err *e)
{
	unsigned long flags = type | (recursive ? MS_REC : 0);

	/* The kernel ignores the type of a propagation change; a string, not
	 * NULL, keeps valgrind from reading it as a bad pointer. */
	if (mount("none", target, "none", flags, NULL) < 0)
		return ctr_err_sys(e, "cannot change propagation", "%s", target);
	return 0;
}

int ctr_mount_proc(const char *dir, struct ctr_err *e)
{
	if (mount("proc", dir, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return ctr_err_sys(e, "mount proc", "%s", dir);
	return 0;
}

void ctr_mountinfo_unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

static char *next_field(char **p)
{
	char *s = *p, *end;

	if (!s)
		return NULL;
	while (*s == ' ')
		s++;
	end = strchr(s, ' ');
	if (end) {
		*end = '\0';
		*p = end + 1;
	} else {
		*p = NULL;
	}
	return s;
}

/* A decimal number ending at end or at stop; no stdio scanf (it would pull
 * musl's whole scanf and float parser into the static binary). */
static int parse_uint(const char *s, char stop, unsigned int *out, const char **rest)
{
	unsigned long v = 0;

	if (!s || *s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > 0xffffffffUL)
			return -1;
	}
	if (*s != stop)
		return -1;
	*out = (unsigned int)v;
	if (rest)
		*rest = s + 1;
	return 0;
}

/* Split one line: 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw */
int ctr_mountinfo_parse(char *line, struct ctr_mountinfo *mi)
{
	char *p = line, *dash;
	const char *rest;
	unsigned int id, parent;

	dash = ctr_strstr(line, " - ");
	if (!dash)
		return -1;
	*dash = '\0';
	if (parse_uint(next_field(&p), '\0', &id, NULL) < 0 ||
	    parse_uint(next_field(&p), '\0', &parent, NULL) < 0)
		return -1;
	mi->id = (int)id;
	mi->parent_id = (int)parent;
	if (parse_uint(next_field(&p), ':', &mi->major, &rest) < 0 ||
	    parse_uint(rest, '\0', &mi->minor, NULL) < 0)
		return -1;
	mi->root = next_field(&p);
	mi->target = next_field(&p);
	mi->vfs_opts = next_field(&p);
	if (!mi->vfs_opts)
		return -1;
	mi->fields = p ? p : (char *)"";
	p = dash + 3;
	mi->fstype = next_field(&p);
	mi->source = next_field(&p);
	mi->super_opts = p ? p : (char *)"";
	if (!mi->source)
		return -1;
	ctr_mountinfo_unescape(mi->root);
	ctr_mountinfo_unescape(mi->target);
	ctr_mountinfo_unescape(mi->source);
	/* super_opts keep their escapes: a decoded comma would be ambiguous. */
	return 0;
}

int ctr_mountinfo_foreach(int pid, int (*fn)(const struct ctr_mountinfo *mi, void *arg),
			  void *arg)
{
	char path[64], *buf, *line, *save = NULL;
	struct ctr_mountinfo mi;
	int fd, rc = 0, err;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/mountinfo");
	fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);   /* musl's open adds an fcntl */
	if (fd < 0)
		return -1;
	buf = ctr_buf_slurp(fd, NULL);   /* whole: it may change between reads */
	err = errno;
	close(fd);
	if (!buf) {
		errno = err;
		return -1;
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (ctr_mountinfo_parse(line, &mi) < 0)
			continue;
		rc = fn(&mi, arg);
		if (rc)
			break;
	}
	free(buf);
	return rc;
}

static int match_target(const struct ctr_mountinfo *mi, void *arg)
{
	return strcmp(mi->target, (const char *)arg) == 0;
}

int ctr_mount_is_mountpoint(const char *path)
{
	char real[4096];

	if (!realpath(path, real))
		return -1;
	return ctr_mountinfo_foreach(0, match_target, real);
}

unsigned int ctr_mount_attr(unsigned long ms)
{
	unsigned int a = 0;

	if (ms & MS_RDONLY)
		a |= MOUNT_ATTR_RDONLY;
	if (ms & MS_NOSUID)
		a |= MOUNT_ATTR_NOSUID;
	if (ms & MS_NODEV)
		a |= MOUNT_ATTR_NODEV;
	if (ms & MS_NOEXEC)
		a |= MOUNT_ATTR_NOEXEC;
	if (ms & MS_NOATIME)
		a |= MOUNT_ATTR_NOATIME;
	else if (ms & MS_STRICTATIME)
		a |= MOUNT_ATTR_STRICTATIME;
	if (ms & MS_NODIRATIME)
		a |= MOUNT_ATTR_NODIRATIME;
	return a;
}
