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
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ctr/mount.h"     /* before compat.h: glibc's <sys/mount.h> has enums */
#include "ctr/compat.h"
#include "ctr/buf.h"
#include "ctr/nsscan.h"
#include "nsscan-int.h"
#include "ctr/proc.h"

#define CTR_NSSCAN_MAXTHREADS 4

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

int nsscan_grow(void **p, size_t *cap, size_t need, size_t elem)
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

int nsscan_ns_add(struct ctr_nsscan *s, ino_t ino, int type)
{
	struct ctr_nsinfo *n;
	size_t j;

	if (nsscan_grow((void **)&s->ns, &s->ns_cap, s->nns + 1, sizeof(*s->ns)) < 0)
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

int nsscan_pid_index(struct ctr_nsscan *s, pid_t pid)
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

/* The whole of dirfd/path, NUL-terminated, however long (mountinfo, a
 * command line): malloc'd, its length in *len; NULL with errno. */
char *nsscan_read_all(int dirfd, const char *path, size_t hint, int short_eof, size_t *len)
{
	struct ctr_buf b = CTR_BUF_INIT;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC), err = 0;
	ssize_t n;

	*len = 0;
	if (fd < 0)
		return NULL;
	for (;;) {
		/* the first read fills hint bytes, then the buffer doubles */
		if (ctr_buf_reserve(&b, b.p ? b.cap : (hint ? hint : 4096) - 1) < 0) {
			err = ENOMEM;
			break;
		}
		n = read(fd, b.p + b.len, b.cap - b.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			break;
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
		b.p[b.len] = '\0';
		if (short_eof && b.len + 1 < b.cap)
			break;
	}
	close(fd);
	if (err) {
		ctr_buf_free(&b);
		errno = err;
		return NULL;
	}
	*len = b.len;
	return b.p;
}

/* ---- small parsers ---- */

void nsscan_fmt_pid(char *p, pid_t pid)
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

int nsscan_type_of_flag(int flag)
{
	const struct ctr_ns_type *t = ctr_ns_by_flag(flag);

	return t ? (int)(t - ctr_ns_types) : -1;
}

int nsscan_wanted(const struct ctr_nsscan *s, int type)
{
	return type >= 0 && type < CTR_NS_NTYPES && (s->types & (1u << type));
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

	if (nsscan_grow(&w->pending, &w->pending_cap, w->npending + 1, sizeof(*p)) < 0)
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
		nsscan_fmt_pid(name, fd);
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

	if (nsscan_grow((void **)&w->procs, &w->procs_cap, w->nprocs + 1, sizeof(*w->procs)) < 0)
		return -1;
	p = &w->procs[w->nprocs];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->parent = -1;
	nsscan_fmt_pid(path, pid);
	plen = strlen(path);
	memcpy(path + plen, "/ns", 4);
	dfd = openat(s->procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return 0;      /* exited */
	for (i = 0; i < CTR_NS_NTYPES; i++) {
		ssize_t len;

		if (!nsscan_wanted(s, i))
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

	if (nsscan_grow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)) < 0)
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
		parts[k].net = nsscan_wanted(s, nsscan_type_of_flag(CLONE_NEWNET));
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

		if (w->err || nsscan_grow((void **)&s->procs, &s->procs_cap, s->nprocs + w->nprocs + 1,
				   sizeof(*s->procs)) < 0 ||
		    nsscan_grow(&s->pending, &s->pending_cap, s->npending + w->npending + 1,
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
				idx = nsscan_ns_add(s, p->ns[t], t);
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
	if (nsscan_read_mounts(s) < 0 || nsscan_add_persistent(s) < 0 || nsscan_add_pending_ns(s) < 0)
		goto oom;
	if (s->flags & (CTR_NSSCAN_RELATIONS | CTR_NSSCAN_GHOSTS))
		nsscan_relations(s);
	if ((s->flags & CTR_NSSCAN_GHOSTS) && nsscan_ghosts(s) < 0)
		goto oom;
	if (s->flags & CTR_NSSCAN_NETNSID)
		nsscan_netnsids(s);
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
	ctr_buf_free(&s->passwd);
	if (s->procfd > 0)
		close(s->procfd);
	memset(s, 0, sizeof(*s));
}

