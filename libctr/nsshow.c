/* nsshow.c: what lsns shows of a process, read only for the processes
 * shown: PPID and owner (/proc/PID/stat), the command line, the user name. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ctr/nsscan.h"
#include "ctr/passwd.h"
#include "ctr/proc.h"
#include "nsscan-int.h"

int ctr_nsscan_proc_stat(struct ctr_nsscan *s, int i)
{
	struct ctr_nsproc *p = &s->procs[i];
	char path[32], buf[512], *rp;
	struct stat st;
	long ppid = 0;

	if (p->stat_state)
		return p->stat_state > 0 ? 0 : -1;
	p->stat_state = -1;
	nsscan_fmt_pid(path, p->pid);
	if (fstatat(s->procfd, path, &st, 0) < 0)
		return -1;
	p->uid = st.st_uid;
	strcat(path, "/stat");
	if (ctr_read_file_at(s->procfd, path, buf, sizeof(buf)) <= 0)
		return -1;
	/* "pid (comm) S ppid ...": comm may hold spaces and parentheses */
	rp = strrchr(buf, ')');
	if (!rp || rp[1] != ' ' || !rp[2] || rp[3] != ' ')
		return -1;
	for (rp += 4; *rp >= '0' && *rp <= '9'; rp++)
		ppid = ppid * 10 + (*rp - '0');
	p->ppid = (pid_t)ppid;
	p->parent = nsscan_pid_index(s, p->ppid);
	p->stat_state = 1;
	return 0;
}

char *ctr_nsscan_command(struct ctr_nsscan *s, pid_t pid)
{
	const char *files[2] = { "/cmdline", "/comm" };
	char path[32];
	int f;

	for (f = 0; f < 2; f++) {
		size_t n, i;
		char *buf;

		nsscan_fmt_pid(path, pid);
		strcat(path, files[f]);
		buf = nsscan_read_all(s->procfd, path, 256, 1, &n);
		if (!buf)
			return NULL;
		if (n == 0) {
			free(buf);
			continue;
		}
		/* as util-linux: NULs become spaces, the last byte (the
		 * trailing NUL or newline) is dropped */
		for (i = 0; i < n; i++)
			if (!buf[i])
				buf[i] = ' ';
		buf[n - 1] = '\0';
		return buf;
	}
	return NULL;
}

const char *ctr_nsscan_user(struct ctr_nsscan *s, uid_t uid, char *buf, size_t size)
{
	struct ctr_passwd pw;

	if (!s->passwd_state)
		s->passwd_state = ctr_passwd_read(AT_FDCWD, "etc/passwd", &s->passwd) < 0 ? -1 : 1;
	if (s->passwd_state > 0 && ctr_passwd_find(&s->passwd, NULL, uid, &pw) == 1) {
		size_t n = strlen(pw.name);

		if (n < size) {
			memcpy(buf, pw.name, n + 1);
			ctr_passwd_free(&pw);
			return buf;
		}
		ctr_passwd_free(&pw);
	}
	nsscan_fmt_pid(buf, (pid_t)uid);
	if (uid > 0x7fffffffu) {
		unsigned long long v = uid;
		char tmp[24];
		int n = 0;

		do
			tmp[n++] = (char)('0' + v % 10);
		while ((v /= 10) > 0);
		for (size = 0; n; size++)
			buf[size] = tmp[--n];
		buf[size] = '\0';
	}
	return buf;
}
