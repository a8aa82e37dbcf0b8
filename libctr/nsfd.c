/* nsfd.c: namespaces known through an fd rather than a process's ns link
 * (nsfs bind mounts in mountinfo, nsfs files and sockets among open fds),
 * parent and owner namespaces (NS_GET_PARENT, NS_GET_USERNS) and NETNSID
 * (rtnetlink RTM_GETNSID), for nsscan.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ctr/str.h"
#include "ctr/mount.h"     /* before compat.h: glibc's <sys/mount.h> has enums */
#include "ctr/compat.h"
#include "ctr/nsscan.h"
#include "nsscan-int.h"

ino_t nsscan_fd_ino(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? st.st_ino : 0;
}

/* ---- namespaces known only through an fd (bind mount, open fd, socket) ---- */

/* Like util-linux's add_namespace_for_nsfd: record the namespace fd refers
 * to, then its parent and owner (recursively) when nobody holds them. */
int nsscan_add_nsfd(struct ctr_nsscan *s, int fd, ino_t ino, int depth)
{
	int type = nsscan_type_of_flag(ioctl(fd, NS_GET_NSTYPE));
	int idx, pfd = -1, ofd = -1;
	ino_t pino = 0, oino = 0;
	uid_t uid = 0;

	if (!nsscan_wanted(s, type) || depth > 64)
		return 0;
	if (ctr_nsscan_find(s, ino))
		return 0;
	if (ctr_ns_types[type].flag == CLONE_NEWPID || ctr_ns_types[type].flag == CLONE_NEWUSER) {
		/* EPERM: the parent is outside our user namespace */
		pfd = ioctl(fd, NS_GET_PARENT);
		if (pfd >= 0)
			pino = nsscan_fd_ino(pfd);
	}
	ofd = ioctl(fd, NS_GET_USERNS);
	if (ofd >= 0)
		oino = nsscan_fd_ino(ofd);
	/* only meaningful for user namespaces; util-linux leaves 0 otherwise */
	if (ctr_ns_types[type].flag == CLONE_NEWUSER)
		ioctl(fd, NS_GET_OWNER_UID, &uid);
	idx = nsscan_ns_add(s, ino, type);
	if (idx < 0)
		goto fail;
	s->ns[idx].pns = pino;
	s->ns[idx].ons = oino;
	s->ns[idx].owner_uid = uid;
	if (pfd >= 0 && pino && pino != ino && !ctr_nsscan_find(s, pino) &&
	    nsscan_add_nsfd(s, pfd, pino, depth + 1) < 0)
		goto fail;
	if (ofd >= 0 && oino && !ctr_nsscan_find(s, oino) && nsscan_add_nsfd(s, ofd, oino, depth + 1) < 0)
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
	if (nsscan_grow((void **)&s->mounts, &s->mounts_cap, s->nmounts + 1, sizeof(*m)) < 0)
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
int nsscan_read_mounts(struct ctr_nsscan *s)
{
	size_t len;
	char *buf = nsscan_read_all(AT_FDCWD, "/proc/self/mountinfo", 65536, 0, &len), *line, *next;
	int rc = 0;

	if (!buf)     /* no /proc/self/mountinfo: no mounts */
		return errno == ENOMEM ? -1 : 0;
	for (line = buf; !rc && line && *line; line = next) {
		char *f[5], *dash, *p = line;
		int i;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		dash = ctr_strstr(line, " - ");
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
int nsscan_add_persistent(struct ctr_nsscan *s)
{
	size_t i;

	for (i = 0; i < s->nmounts; i++) {
		int fd;

		if (ctr_nsscan_find(s, s->mounts[i].ino))
			continue;
		fd = open(s->mounts[i].target, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (nsscan_fd_ino(fd) == s->mounts[i].ino && nsscan_add_nsfd(s, fd, s->mounts[i].ino, 0) < 0) {
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
int nsscan_add_pending_ns(struct ctr_nsscan *s)
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
			nsscan_fmt_pid(path, p[i].pid);
			strcat(path, "/fd/");
			nsscan_fmt_pid(path + strlen(path), p[i].fd);
			fd = openat(s->procfd, path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			if (nsscan_fd_ino(fd) == p[i].ino)
				rc = nsscan_add_nsfd(s, fd, p[i].ino, 0);
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
		if (!ctr_nsscan_find(s, nsscan_fd_ino(fd)))
			rc = nsscan_add_nsfd(s, fd, nsscan_fd_ino(fd), 0);
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
	nsscan_fmt_pid(path, s->procs[n->proc].pid);
	strcat(path, "/ns/");
	strcat(path, ctr_ns_types[n->type].name);
	fd = openat(s->procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && nsscan_fd_ino(fd) != n->ino) {   /* the PID was reused */
		close(fd);
		return -1;
	}
	return fd;
}

void nsscan_relations(struct ctr_nsscan *s)
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
				n->pns = nsscan_fd_ino(rfd);
				close(rfd);
			}
		}
		rfd = ioctl(fd, NS_GET_USERNS);
		if (rfd >= 0) {
			n->ons = nsscan_fd_ino(rfd);
			close(rfd);
		}
		close(fd);
	}
}

/* Tree views: a parent or owner no process holds (e.g. the host's user
 * namespace seen from a container) is fetched through the child's fd. */
int nsscan_ghosts(struct ctr_nsscan *s)
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
			if (nsscan_fd_ino(rfd) == want)
				rc = nsscan_add_nsfd(s, rfd, want, 0);
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
void nsscan_netnsids(struct ctr_nsscan *s)
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
