/* nsscan.c: find every namespace and the processes in it (lsns's engine).
 *
 * Cost per process: one readlinkat per wanted type on /proc/PID/ns/TYPE (the
 * link text "net:[4026531840]" carries the inode, no stat needed), and one
 * fstatat per fd on /proc/PID/fd (plus a getdents64 when the fds are not
 * simply 0..n-1). Each of these procfs calls costs ~4-5 us here (a bare
 * syscall ~0.35 us): their number is the cost. Into stack buffers. PPID, UID and the command line are read
 * later and only for the processes that are shown. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ctr/mount.h"     /* before compat.h: glibc's <sys/mount.h> has enums */
#include "ctr/compat.h"
#include "ctr/nsscan.h"
#include "ctr/proc.h"

#define CTR_NSSCAN_MAXTHREADS 4

struct pending {           /* an fd of a process that may hold a namespace */
	pid_t pid;
	int fd;
	ino_t ino;         /* nsfs inode, or socket inode */
	int socket;
};

struct linux_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static size_t hash64(uint64_t v, size_t cap)
{
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdULL;
	v ^= v >> 33;
	return (size_t)v & (cap - 1);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/* ---- hash tables: slot holds index+1, 0 is empty ---- */

static int ns_rehash(struct ctr_nsscan *s, size_t cap)
{
	uint32_t *h = calloc(cap, sizeof(*h));
	size_t i, j;

	if (!h)
		return -1;
	free(s->ns_hash);
	s->ns_hash = h;
	s->ns_hcap = cap;
	for (i = 0; i < s->nns; i++) {
		for (j = hash64(s->ns[i].ino, cap); h[j]; j = (j + 1) & (cap - 1))
			;
		h[j] = (uint32_t)i + 1;
	}
	return 0;
}

struct ctr_nsinfo *ctr_nsscan_find(struct ctr_nsscan *s, ino_t ino)
{
	size_t j;

	if (!s->ns_hcap)
		return NULL;
	for (j = hash64(ino, s->ns_hcap); s->ns_hash[j]; j = (j + 1) & (s->ns_hcap - 1))
		if (s->ns[s->ns_hash[j] - 1].ino == ino)
			return &s->ns[s->ns_hash[j] - 1];
	return NULL;
}

static int ns_add(struct ctr_nsscan *s, ino_t ino, int type)
{
	struct ctr_nsinfo *n;
	size_t j;

	if (grow((void **)&s->ns, &s->ns_cap, s->nns + 1, sizeof(*s->ns)) < 0)
		return -1;
	if ((s->nns + 1) * 2 > s->ns_hcap && ns_rehash(s, s->ns_hcap ? s->ns_hcap * 2 : 256) < 0)
		return -1;
	n = &s->ns[s->nns];
	memset(n, 0, sizeof(*n));
	n->ino = ino;
	n->type = type;
	n->proc = -1;
	n->netnsid = CTR_NETNSID_UNUSABLE;
	for (j = hash64(ino, s->ns_hcap); s->ns_hash[j]; j = (j + 1) & (s->ns_hcap - 1))
		;
	s->ns_hash[j] = (uint32_t)++s->nns;
	return (int)s->nns - 1;
}

static int pid_index(struct ctr_nsscan *s, pid_t pid)
{
	size_t j;

	if (!s->pid_hcap)
		return -1;
	for (j = hash64((uint64_t)pid, s->pid_hcap); s->pid_hash[j];
	     j = (j + 1) & (s->pid_hcap - 1))
		if (s->procs[s->pid_hash[j] - 1].pid == pid)
			return (int)s->pid_hash[j] - 1;
	return -1;
}

static int pid_rehash(struct ctr_nsscan *s)
{
	size_t cap = 256, i, j;

	while (cap < s->nprocs * 2)
		cap *= 2;
	free(s->pid_hash);
	s->pid_hash = calloc(cap, sizeof(*s->pid_hash));
	if (!s->pid_hash)
		return -1;
	s->pid_hcap = cap;
	for (i = 0; i < s->nprocs; i++) {
		for (j = hash64((uint64_t)s->procs[i].pid, cap); s->pid_hash[j]; j = (j + 1) & (cap - 1))
			;
		s->pid_hash[j] = (uint32_t)i + 1;
	}
	return 0;
}

/* ---- small parsers ---- */

static void fmt_pid(char *p, pid_t pid)
{
	char tmp[16];
	int n = 0;

	do
		tmp[n++] = (char)('0' + pid % 10);
	while ((pid /= 10) > 0);
	while (n)
		*p++ = tmp[--n];
	*p = '\0';
}

/* "TYPE:[INODE]" -> type index and inode; -1 if it is not an nsfs link. */
static int parse_nslink(const char *s, size_t len, ino_t *ino)
{
	const char *br = memchr(s, ':', len);
	unsigned long long v = 0;
	const char *p;
	int i;

	if (!br || br + 2 >= s + len || br[1] != '[' || s[len - 1] != ']')
		return -1;
	for (p = br + 2; p < s + len - 1; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (unsigned)(*p - '0');
	}
	*ino = (ino_t)v;
	for (i = 0; i < CTR_NS_NTYPES; i++)
		if (strlen(ctr_ns_types[i].name) == (size_t)(br - s) &&
		    memcmp(ctr_ns_types[i].name, s, (size_t)(br - s)) == 0)
			return i;
	return -1;
}

static int type_of_flag(int flag)
{
	const struct ctr_ns_type *t = ctr_ns_by_flag(flag);

	return t ? (int)(t - ctr_ns_types) : -1;
}

static int wanted(const struct ctr_nsscan *s, int type)
{
	return type >= 0 && type < CTR_NS_NTYPES && (s->types & (1u << type));
}

static ino_t fd_ino(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? st.st_ino : 0;
}

/* ---- namespaces known only through an fd (bind mount, open fd, socket) ---- */

/* Like util-linux's add_namespace_for_nsfd: record the namespace fd refers
 * to, then its parent and owner (recursively) when nobody holds them. */
static int add_nsfd(struct ctr_nsscan *s, int fd, ino_t ino, int depth)
{
	int type = type_of_flag(ioctl(fd, NS_GET_NSTYPE));
	int idx, pfd = -1, ofd = -1;
	ino_t pino = 0, oino = 0;
	uid_t uid = 0;

	if (!wanted(s, type) || depth > 64)
		return 0;
	if (ctr_nsscan_find(s, ino))
		return 0;
	if (ctr_ns_types[type].flag == CLONE_NEWPID || ctr_ns_types[type].flag == CLONE_NEWUSER) {
		/* EPERM: the parent is outside our user namespace */
		pfd = ioctl(fd, NS_GET_PARENT);
		if (pfd >= 0)
			pino = fd_ino(pfd);
	}
	ofd = ioctl(fd, NS_GET_USERNS);
	if (ofd >= 0)
		oino = fd_ino(ofd);
	/* only meaningful for user namespaces; util-linux leaves 0 otherwise */
	if (ctr_ns_types[type].flag == CLONE_NEWUSER)
		ioctl(fd, NS_GET_OWNER_UID, &uid);
	idx = ns_add(s, ino, type);
	if (idx < 0)
		goto fail;
	s->ns[idx].pns = pino;
	s->ns[idx].ons = oino;
	s->ns[idx].owner_uid = uid;
	if (pfd >= 0 && pino && pino != ino && !ctr_nsscan_find(s, pino) &&
	    add_nsfd(s, pfd, pino, depth + 1) < 0)
		goto fail;
	if (ofd >= 0 && oino && !ctr_nsscan_find(s, oino) && add_nsfd(s, ofd, oino, depth + 1) < 0)
		goto fail;
	if (pfd >= 0)
		close(pfd);
	if (ofd >= 0)
		close(ofd);
	return 0;
fail:
	if (pfd >= 0)
		close(pfd);
	if (ofd >= 0)
		close(ofd);
	return -1;
}

/* ---- the /proc walk ---- */

/* A slice of the PID list, walked by one thread into its own arrays. */
struct part {
	const struct ctr_nsscan *s;
	const pid_t *pids;
	size_t npids;
	struct ctr_nsproc *procs;
	size_t nprocs, procs_cap;
	void *pending;
	size_t npending, pending_cap;
	int net;           /* network namespaces wanted: sockets count */
	int err;
};

static int add_pending(struct part *w, pid_t pid, int fd, ino_t ino, int sock)
{
	struct pending *p;

	if (grow(&w->pending, &w->pending_cap, w->npending + 1, sizeof(*p)) < 0)
		return -1;
	p = (struct pending *)w->pending + w->npending++;
	p->pid = pid;
	p->fd = fd;
	p->ino = ino;
	p->socket = sock;
	return 0;
}

/* One open fd of pid: stat follows the link to the open file. The link text
 * does not tell (an nsfs file opened through a bind mount reads as that
 * path): st_dev does, the nsfs device, as util-linux checks. */
static int scan_fd(struct part *w, pid_t pid, int dfd, const char *name, int fd)
{
	struct stat st;

	if (fstatat(dfd, name, &st, 0) < 0)
		return errno == ENOENT ? 1 : 0;     /* 1: no such fd */
	if (st.st_dev == w->s->nsfs_dev)
		return add_pending(w, pid, fd, st.st_ino, 0);
	if (w->net && S_ISSOCK(st.st_mode))
		return add_pending(w, pid, fd, st.st_ino, 1);
	return 0;
}

/* Namespaces held by open fds of pid: remember nsfs files and sockets for
 * after the walk, when the namespaces processes hold are all known.
 * Since Linux 6.2 st_size of /proc/PID/fd is the number of open fds: when
 * fds 0..n-1 are all there (most processes), they are all there is and the
 * getdents64 of the directory (the costlier call) is skipped. */
static int scan_fds(struct part *w, pid_t pid, int dfd)
{
	_Alignas(8) char buf[4096]; /* dirents hold 64-bit fields (armhf: LDRD) */
	char name[12];
	struct stat st;
	long n, off;
	int fd = 0, nfds = 0, rc;

	if (fstat(dfd, &st) == 0 && st.st_size > 0 && st.st_size < 64)
		nfds = (int)st.st_size;
	for (; fd < nfds; fd++) {
		fmt_pid(name, fd);
		rc = scan_fd(w, pid, dfd, name, fd);
		if (rc < 0)
			return -1;
		if (rc > 0)
			break;          /* a gap: list the directory */
	}
	if (nfds && fd == nfds)
		return 0;
	/* fds below fd are done */
	while ((n = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0) {
		/* procfs fills the buffer as far as entries go: room left over
		 * means the directory is done, and saves a getdents64 call */
		int done = n < (long)sizeof(buf) - 512;

		for (off = 0; off < n; off += ((struct linux_dirent64 *)(buf + off))->d_reclen) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			int num;

			if (d->d_name[0] < '0' || d->d_name[0] > '9')
				continue;
			num = atoi(d->d_name);
			if (num >= fd && scan_fd(w, pid, dfd, d->d_name, num) < 0)
				return -1;
		}
		if (done)
			break;
	}
	return 0;
}

/* The namespace links of pid, read relative to /proc/PID/ns (one path
 * component per readlinkat instead of three: the walk through the pid
 * directories, each revalidated, costs more than the link itself), then its
 * fds. */
static int scan_pid(struct part *w, pid_t pid)
{
	const struct ctr_nsscan *s = w->s;
	struct ctr_nsproc *p;
	char path[32], link[64];
	size_t plen;
	int i, dfd, found = 0, rc = 0;

	if (grow((void **)&w->procs, &w->procs_cap, w->nprocs + 1, sizeof(*w->procs)) < 0)
		return -1;
	p = &w->procs[w->nprocs];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->parent = -1;
	fmt_pid(path, pid);
	plen = strlen(path);
	memcpy(path + plen, "/ns", 4);
	dfd = openat(s->procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return 0;      /* exited */
	for (i = 0; i < CTR_NS_NTYPES; i++) {
		ssize_t len;

		if (!wanted(s, i))
			continue;
		len = readlinkat(dfd, ctr_ns_types[i].name, link, sizeof(link));
		/* ENOENT/ESRCH: exited or zombie; EACCES: not ours */
		if (len <= 0 || len == (ssize_t)sizeof(link))
			continue;
		if (parse_nslink(link, (size_t)len, &p->ns[i]) != i)
			p->ns[i] = 0;
		else
			found = 1;
	}
	close(dfd);
	memcpy(path + plen, "/fd", 4);
	dfd = openat(s->procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {        /* else gone, or not ours to read */
		rc = scan_fds(w, pid, dfd);
		close(dfd);
	}
	if (rc < 0)
		return -1;
	if (found)
		w->nprocs++;
	return 0;
}

static void *scan_part(void *arg)
{
	struct part *w = arg;
	size_t i;

	for (i = 0; i < w->npids && !w->err; i++)
		if (scan_pid(w, w->pids[i]) < 0)
			w->err = ENOMEM;
	return NULL;
}

struct pidlist {
	pid_t *v;
	size_t n, cap;
};

static int push_pid(pid_t pid, void *arg)
{
	struct pidlist *l = arg;

	if (grow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)) < 0)
		return -1;
	l->v[l->n++] = pid;
	return 0;
}

/* Walk /proc. The kernel work per process (ptrace checks, task locks behind
 * every ns link) dominates, so large walks are split between the CPUs; the
 * slices are joined back in /proc order. Measured with 1,080 processes on 2
 * CPUs: 1 slice 78 ms, 2 slices 47-69 ms, 4 slices 46-50 ms (wall). */
static int walk(struct ctr_nsscan *s)
{
	struct pidlist l = { 0 };
	struct part parts[CTR_NSSCAN_MAXTHREADS];
	pthread_t tid[CTR_NSSCAN_MAXTHREADS];
	int started[CTR_NSSCAN_MAXTHREADS] = { 0 };
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t k, nparts, i, per;
	int rc = 0;

	if (ctr_proc_foreach_pid(s->procfd, push_pid, &l) != 0) {
		free(l.v);
		return -1;
	}
	/* two slices per CPU (at most 4): a thread blocked on a busy CPU
	 * leaves its twin to run */
	nparts = l.n >= 256 && ncpu > 1 ? (size_t)ncpu * 2 : 1;
	if (nparts > CTR_NSSCAN_MAXTHREADS)
		nparts = CTR_NSSCAN_MAXTHREADS;
	per = (l.n + nparts - 1) / nparts;
	memset(parts, 0, sizeof(parts));
	for (k = 0; k < nparts; k++) {
		parts[k].s = s;
		parts[k].net = wanted(s, type_of_flag(CLONE_NEWNET));
		parts[k].pids = l.v + (k * per < l.n ? k * per : l.n);
		parts[k].npids = k * per >= l.n ? 0 : (l.n - k * per < per ? l.n - k * per : per);
	}
	for (k = 1; k < nparts; k++)
		started[k] = pthread_create(&tid[k], NULL, scan_part, &parts[k]) == 0;
	scan_part(&parts[0]);
	for (k = 1; k < nparts; k++) {
		if (started[k])
			pthread_join(tid[k], NULL);
		else
			scan_part(&parts[k]);   /* no thread: do it here */
	}
	for (k = 0; k < nparts; k++) {
		struct part *w = &parts[k];

		if (w->err || grow((void **)&s->procs, &s->procs_cap, s->nprocs + w->nprocs + 1,
				   sizeof(*s->procs)) < 0 ||
		    grow(&s->pending, &s->pending_cap, s->npending + w->npending + 1,
			 sizeof(struct pending)) < 0) {
			rc = -1;
		} else {
			if (w->nprocs)
				memcpy(s->procs + s->nprocs, w->procs, w->nprocs * sizeof(*w->procs));
			s->nprocs += w->nprocs;
			for (i = 0; i < w->npending; i++)
				((struct pending *)s->pending)[s->npending++] =
					((struct pending *)w->pending)[i];
		}
		free(w->procs);
		free(w->pending);
	}
	free(l.v);
	return rc;
}

/* Build the namespace table from the processes' links. */
static int collect(struct ctr_nsscan *s)
{
	size_t i;
	int t;

	for (i = 0; i < s->nprocs; i++) {
		struct ctr_nsproc *p = &s->procs[i];

		for (t = 0; t < CTR_NS_NTYPES; t++) {
			struct ctr_nsinfo *n;
			int idx;

			if (!p->ns[t])
				continue;
			n = ctr_nsscan_find(s, p->ns[t]);
			if (!n) {
				idx = ns_add(s, p->ns[t], t);
				if (idx < 0)
					return -1;
				n = &s->ns[idx];
			}
			n->nprocs++;
			if (n->proc < 0 || s->procs[n->proc].pid > p->pid)
				n->proc = (int)i;
		}
	}
	return 0;
}

static int add_mount(struct ctr_nsscan *s, const char *root, char *target)
{
	struct ctr_nsmount *m;
	const char *br = strchr(root, '[');
	unsigned long long v = 0;

	if (!br)
		return 0;
	for (br++; *br >= '0' && *br <= '9'; br++)
		v = v * 10 + (unsigned)(*br - '0');
	if (*br != ']')
		return 0;
	if (grow((void **)&s->mounts, &s->mounts_cap, s->nmounts + 1, sizeof(*m)) < 0)
		return -1;
	m = &s->mounts[s->nmounts];
	m->ino = (ino_t)v;
	ctr_mountinfo_unescape(target);     /* "\040" in paths */
	m->root = strdup(root);
	m->target = strdup(target);
	if (!m->root || !m->target) {
		free(m->root);
		free(m->target);
		return -1;
	}
	s->nmounts++;
	return 0;
}

/* The nsfs mounts of /proc/self/mountinfo: "ID PARENT MAJ:MIN ROOT TARGET
 * OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS", read whole, no scanf. */
static int read_mounts(struct ctr_nsscan *s)
{
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap), *line, *next;
	int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return fd < 0 ? 0 : -1;     /* no /proc/self/mountinfo: no mounts */
	}
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			char *p = realloc(buf, cap *= 2);

			if (!p) {
				rc = -1;
				break;
			}
			buf = p;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	for (line = buf; !rc && line && *line; line = next) {
		char *f[5], *dash, *p = line;
		int i;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		dash = strstr(line, " - ");
		if (!dash || strncmp(dash + 3, "nsfs ", 5) != 0)
			continue;
		for (i = 0; i < 5 && p; i++) {
			f[i] = p;
			p = strchr(p, ' ');
			if (p)
				*p++ = '\0';
		}
		if (i == 5 && p)
			rc = add_mount(s, f[3], f[4]);
	}
	free(buf);
	return rc;
}

/* Namespaces kept alive by nsfs bind mounts only (util-linux -P). */
static int add_persistent(struct ctr_nsscan *s)
{
	size_t i;

	for (i = 0; i < s->nmounts; i++) {
		int fd;

		if (ctr_nsscan_find(s, s->mounts[i].ino))
			continue;
		fd = open(s->mounts[i].target, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (fd_ino(fd) == s->mounts[i].ino && add_nsfd(s, fd, s->mounts[i].ino, 0) < 0) {
			close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

/* Namespaces held only by open fds: nsfs files, and sockets (a socket pins
 * the network namespace it was created in: SIOCGSKNS on a copy of it taken
 * with pidfd_getfd, which needs ptrace rights over the holder). */
static int add_pending_ns(struct ctr_nsscan *s)
{
	struct pending *p = s->pending;
	pid_t pidfd_pid = 0;
	int pidfd = -1, rc = 0;
	size_t i, j;

	for (i = 0; i < s->npending && !rc; i++) {
		char path[64];
		int fd, sk;

		if (!p[i].socket) {
			if (ctr_nsscan_find(s, p[i].ino))
				continue;
			fmt_pid(path, p[i].pid);
			strcat(path, "/fd/");
			fmt_pid(path + strlen(path), p[i].fd);
			fd = openat(s->procfd, path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			if (fd_ino(fd) == p[i].ino)
				rc = add_nsfd(s, fd, p[i].ino, 0);
			close(fd);
			continue;
		}
		for (j = 0; j < i; j++)     /* the same socket seen in another process */
			if (p[j].socket && p[j].ino == p[i].ino)
				break;
		if (j < i)
			continue;
		if (pidfd_pid != p[i].pid) {
			if (pidfd >= 0)
				close(pidfd);
			pidfd = ctr_pidfd_open(p[i].pid, 0);
			pidfd_pid = p[i].pid;
		}
		if (pidfd < 0)
			continue;
		sk = ctr_pidfd_getfd(pidfd, p[i].fd, 0);
		if (sk < 0)
			continue;
		fd = ioctl(sk, SIOCGSKNS);
		close(sk);
		if (fd < 0)
			continue;
		if (!ctr_nsscan_find(s, fd_ino(fd)))
			rc = add_nsfd(s, fd, fd_ino(fd), 0);
		close(fd);
	}
	if (pidfd >= 0)
		close(pidfd);
	return rc;
}

/* Open the namespace through its lowest-PID process. */
static int open_ns(struct ctr_nsscan *s, const struct ctr_nsinfo *n)
{
	char path[48];
	int fd;

	if (n->proc < 0)
		return -1;
	fmt_pid(path, s->procs[n->proc].pid);
	strcat(path, "/ns/");
	strcat(path, ctr_ns_types[n->type].name);
	fd = openat(s->procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && fd_ino(fd) != n->ino) {   /* the PID was reused */
		close(fd);
		return -1;
	}
	return fd;
}

static void relations(struct ctr_nsscan *s)
{
	size_t i;

	for (i = 0; i < s->nns; i++) {
		struct ctr_nsinfo *n = &s->ns[i];
		int fd, rfd, flag = ctr_ns_types[n->type].flag;

		if (n->proc < 0)
			continue;      /* fd-held: filled by add_nsfd */
		fd = open_ns(s, n);
		if (fd < 0)
			continue;
		if (flag == CLONE_NEWPID || flag == CLONE_NEWUSER) {
			rfd = ioctl(fd, NS_GET_PARENT);
			if (rfd >= 0) {
				n->pns = fd_ino(rfd);
				close(rfd);
			}
		}
		rfd = ioctl(fd, NS_GET_USERNS);
		if (rfd >= 0) {
			n->ons = fd_ino(rfd);
			close(rfd);
		}
		close(fd);
	}
}

/* Tree views: a parent or owner no process holds (e.g. the host's user
 * namespace seen from a container) is fetched through the child's fd. */
static int ghosts(struct ctr_nsscan *s)
{
	size_t i, n = s->nns;
	int rela;

	for (i = 0; i < n; i++) {
		for (rela = 0; rela < 2; rela++) {
			ino_t want = rela ? s->ns[i].ons : s->ns[i].pns;
			int fd, rfd, rc = 0;

			if (!want || ctr_nsscan_find(s, want))
				continue;
			fd = open_ns(s, &s->ns[i]);
			if (fd < 0)
				continue;
			rfd = ioctl(fd, rela ? NS_GET_USERNS : NS_GET_PARENT);
			close(fd);
			if (rfd < 0)
				continue;
			if (fd_ino(rfd) == want)
				rc = add_nsfd(s, rfd, want, 0);
			close(rfd);
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}

struct nsid_req {
	struct { uint32_t len; uint16_t type, flags; uint32_t seq, pid; } nh;
	struct { uint8_t family; uint8_t pad[3]; } g;
	struct { uint16_t len, type; int32_t fd; } a;
};

/* NETNSID: the id our network namespace gives that namespace (rtnetlink
 * RTM_GETNSID with NETNSA_FD), as `ip netns list-id` shows it. */
static void netnsids(struct ctr_nsscan *s)
{
	int sk = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0 /* NETLINK_ROUTE */);
	size_t i;

	if (sk < 0)
		return;
	for (i = 0; i < s->nns; i++) {
		struct ctr_nsinfo *n = &s->ns[i];
		struct nsid_req req;
		union { char b[256]; uint32_t align; } res;
		ssize_t len;
		int fd;

		if (ctr_ns_types[n->type].flag != CLONE_NEWNET)
			continue;
		fd = open_ns(s, n);
		if (fd < 0)
			continue;
		memset(&req, 0, sizeof(req));
		req.nh.len = sizeof(req);
		req.nh.type = CTR_RTM_GETNSID;
		req.nh.flags = 1;                     /* NLM_F_REQUEST */
		req.g.family = AF_UNSPEC;
		req.a.len = 8;
		req.a.type = CTR_NETNSA_FD;
		req.a.fd = fd;
		if (send(sk, &req, sizeof(req), 0) == (ssize_t)sizeof(req) &&
		    (len = recv(sk, res.b, sizeof(res.b), 0)) >= 16 + 4 + 8) {
			uint16_t type, alen, atype;

			memcpy(&type, res.b + 4, 2);
			memcpy(&alen, res.b + 20, 2);
			memcpy(&atype, res.b + 22, 2);
			if (type == CTR_RTM_NEWNSID && atype == CTR_NETNSA_NSID && alen >= 8)
				memcpy(&n->netnsid, res.b + 24, 4);
		}
		close(fd);
	}
	close(sk);
}

static int cmp_ns(const void *a, const void *b)
{
	ino_t x = ((const struct ctr_nsinfo *)a)->ino, y = ((const struct ctr_nsinfo *)b)->ino;

	return x < y ? -1 : x > y;
}

int ctr_nsscan_run(struct ctr_nsscan *s, struct ctr_err *e)
{

	struct stat st;

	if (!s->types)
		s->types = (1u << CTR_NS_NTYPES) - 1;
	/* the nsfs device, to recognize namespace files among open fds */
	if (stat("/proc/self/ns/user", &st) == 0)
		s->nsfs_dev = st.st_dev;
	s->procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->procfd < 0)
		return ctr_err_sys(e, "cannot open", "/proc");
	if (walk(s) < 0 || pid_rehash(s) < 0 ||
	    collect(s) < 0)
		goto oom;
	if (read_mounts(s) < 0 || add_persistent(s) < 0 || add_pending_ns(s) < 0)
		goto oom;
	if (s->flags & (CTR_NSSCAN_RELATIONS | CTR_NSSCAN_GHOSTS))
		relations(s);
	if ((s->flags & CTR_NSSCAN_GHOSTS) && ghosts(s) < 0)
		goto oom;
	if (s->flags & CTR_NSSCAN_NETNSID)
		netnsids(s);
	qsort(s->ns, s->nns, sizeof(*s->ns), cmp_ns);
	if (s->nns && ns_rehash(s, s->ns_hcap) < 0)
		goto oom;
	return 0;
oom:
	return ctr_err_set(e, ENOMEM, "scanning namespaces", NULL);
}

void ctr_nsscan_free(struct ctr_nsscan *s)
{
	size_t i;

	for (i = 0; i < s->nmounts; i++) {
		free(s->mounts[i].root);
		free(s->mounts[i].target);
	}
	free(s->mounts);
	free(s->procs);
	free(s->ns);
	free(s->ns_hash);
	free(s->pid_hash);
	free(s->pending);
	free(s->passwd);
	if (s->procfd > 0)
		close(s->procfd);
	memset(s, 0, sizeof(*s));
}

int ctr_nsscan_proc_stat(struct ctr_nsscan *s, int i)
{
	struct ctr_nsproc *p = &s->procs[i];
	char path[32], buf[512], *rp;
	struct stat st;
	long ppid = 0;

	if (p->stat_state)
		return p->stat_state > 0 ? 0 : -1;
	p->stat_state = -1;
	fmt_pid(path, p->pid);
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
	p->parent = pid_index(s, p->ppid);
	p->stat_state = 1;
	return 0;
}

ssize_t ctr_nsscan_command(struct ctr_nsscan *s, pid_t pid, char *buf, size_t size)
{
	const char *files[2] = { "/cmdline", "/comm" };
	char path[32];
	int f;

	for (f = 0; f < 2; f++) {
		ssize_t n, i;

		fmt_pid(path, pid);
		strcat(path, files[f]);
		n = ctr_read_file_at(s->procfd, path, buf, size);
		if (n < 0)
			return -1;
		if (n == 0)
			continue;
		/* as util-linux: NULs become spaces, the last byte (the
		 * trailing NUL or newline) is dropped */
		for (i = 0; i < n; i++)
			if (!buf[i])
				buf[i] = ' ';
		buf[n - 1] = '\0';
		return n - 1;
	}
	buf[0] = '\0';
	return -1;
}

const char *ctr_nsscan_user(struct ctr_nsscan *s, uid_t uid, char *buf, size_t size)
{
	const char *p;

	if (!s->passwd_state) {
		struct stat st;

		s->passwd_state = -1;
		if (stat("/etc/passwd", &st) == 0 && st.st_size >= 0 && st.st_size < (1 << 24) &&
		    (s->passwd = malloc((size_t)st.st_size + 1)) &&
		    ctr_read_file_at(AT_FDCWD, "/etc/passwd", s->passwd, (size_t)st.st_size + 1) >= 0)
			s->passwd_state = 1;
	}
	/* name:passwd:uid:gid:gecos:dir:shell */
	for (p = s->passwd_state > 0 ? s->passwd : NULL; p && *p;) {
		const char *eol = strchr(p, '\n'), *c1 = strchr(p, ':'), *c2, *q;
		unsigned long long v = 0;

		if (!eol)
			eol = p + strlen(p);
		if (c1 && c1 < eol && (c2 = memchr(c1 + 1, ':', (size_t)(eol - c1 - 1)))) {
			for (q = c2 + 1; q < eol && *q >= '0' && *q <= '9'; q++)
				v = v * 10 + (unsigned)(*q - '0');
			if (q > c2 + 1 && q < eol && *q == ':' && v == uid && (size_t)(c1 - p) < size) {
				memcpy(buf, p, (size_t)(c1 - p));
				buf[c1 - p] = '\0';
				return buf;
			}
		}
		p = *eol ? eol + 1 : eol;
	}
	fmt_pid(buf, (pid_t)uid);
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
