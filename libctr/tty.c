/* tty.c: ptys for containers, the caller's terminal in raw mode, the relay
 * between them, and fd passing for --console-socket. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>
#include "ctr/tty.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif
#define DEVPTS_SUPER_MAGIC 0x1cd1

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Open ptmx without trusting the path: O_PATH first, check it is the pty
 * multiplexer (5:2; from a devpts directory: the instance's own ptmx, inode
 * 2 on a devpts filesystem), then reopen that very inode read-write through
 * /proc/self/fd (runc safeAllocPty, CVE-2025-52565). Without /proc, open the
 * name again and require the same inode. */
static int open_ptmx(int dirfd, const char *name, const char *shown, int devpts,
		     struct ctr_err *e)
{
	char fdpath[40];
	struct stat st, st2;
	struct statfs sfs;
	int pfd, fd, nofollow = devpts ? O_NOFOLLOW : 0;

	pfd = openat(dirfd, name, O_PATH | O_CLOEXEC | nofollow);
	if (pfd < 0)
		return ctr_err_sys(e, "open ptmx", "%s", shown);
	if (fstat(pfd, &st) < 0 || fstatfs(pfd, &sfs) < 0) {
		ctr_err_sys(e, "stat ptmx", "%s", shown);
		close(pfd);
		return -1;
	}
	if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 5 || minor(st.st_rdev) != 2 ||
	    (devpts && (sfs.f_type != DEVPTS_SUPER_MAGIC || st.st_ino != 2))) {
		close(pfd);
		return ctr_err_set(e, EPERM, "open ptmx", "%s: not the devpts ptmx", shown);
	}
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", pfd);
	fd = open(fdpath, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		fd = openat(dirfd, name, O_RDWR | O_NOCTTY | O_CLOEXEC | nofollow);
		if (fd >= 0 && (fstat(fd, &st2) < 0 || st2.st_dev != st.st_dev ||
				st2.st_ino != st.st_ino)) {
			close(fd);
			close(pfd);
			return ctr_err_set(e, EPERM, "open ptmx", "%s: changed while opening", shown);
		}
	}
	if (fd < 0)
		ctr_err_sys(e, "open ptmx", "%s", shown);
	close(pfd);
	return fd;
}

static int alloc(struct ctr_pty *p, int dirfd, const char *name, const char *shown,
		 int devpts, struct ctr_err *e)
{
	int unlock = 0;

	p->peer = -1;
	p->master = open_ptmx(dirfd, name, shown, devpts, e);
	if (p->master < 0)
		return -1;
	if (ioctl(p->master, TIOCSPTLCK, &unlock) < 0) {
		ctr_err_sys(e, "unlockpt", "%s", shown);
		goto fail;
	}
	if (ioctl(p->master, TIOCGPTN, &p->index) < 0) {
		ctr_err_sys(e, "ptsname", "%s", shown);
		goto fail;
	}
	/* the peer from the master itself: no /dev/pts/N lookup to race */
	p->peer = ioctl(p->master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->peer < 0) {
		ctr_err_sys(e, "ioctl(TIOCGPTPEER)", "/dev/pts/%d", p->index);
		goto fail;
	}
	return 0;
fail:
	ctr_tty_close(p);
	return -1;
}

int ctr_tty_alloc_at(struct ctr_pty *p, int pts_dirfd, struct ctr_err *e)
{
	return alloc(p, pts_dirfd, "ptmx", "ptmx", 1, e);
}

int ctr_tty_alloc(struct ctr_pty *p, const char *pts_dir, struct ctr_err *e)
{
	char shown[4096];
	int dfd, rc;

	if (!pts_dir)
		return alloc(p, AT_FDCWD, "/dev/ptmx", "/dev/ptmx", 0, e);
	dfd = open(pts_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		p->master = p->peer = -1;
		return ctr_err_sys(e, "open devpts", "%s", pts_dir);
	}
	snprintf(shown, sizeof(shown), "%s/ptmx", pts_dir);
	rc = alloc(p, dfd, "ptmx", shown, 1, e);
	close(dfd);
	return rc;
}

void ctr_tty_close(struct ctr_pty *p)
{
	close_fd(&p->master);
	close_fd(&p->peer);
}

int ctr_tty_name(const struct ctr_pty *p, char *buf, size_t n)
{
	int len = snprintf(buf, n, "/dev/pts/%d", p->index);

	if (len < 0 || (size_t)len >= n) {
		errno = ENOSPC;
		return -1;
	}
	return 0;
}

int ctr_tty_make_controlling(int peer, struct ctr_err *e)
{
	int i;

	if (setsid() < 0)
		return ctr_err_sys(e, "setsid", NULL);
	if (ioctl(peer, TIOCSCTTY, 0) < 0)
		return ctr_err_sys(e, "ioctl(TIOCSCTTY)", "fd %d", peer);
	for (i = 0; i < 3; i++)
		if (peer != i && dup2(peer, i) < 0)
			return ctr_err_sys(e, "dup2", "fd %d", i);
	if (peer > 2)
		close(peer);
	return 0;
}

int ctr_tty_raw(int fd, struct ctr_tty_saved *saved)
{
	struct termios t;

	saved->fd = -1;
	if (tcgetattr(fd, &saved->tio) < 0)
		return -1;
	t = saved->tio;
	cfmakeraw(&t);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSANOW, &t) < 0)
		return -1;
	saved->fd = fd;
	return 0;
}

void ctr_tty_restore(struct ctr_tty_saved *saved)
{
	int err = errno;

	if (saved->fd >= 0) {
		tcsetattr(saved->fd, TCSANOW, &saved->tio);
		saved->fd = -1;
	}
	errno = err;
}

int ctr_tty_copy_winsize(int from_fd, int to_fd)
{
	struct winsize ws;

	if (ioctl(from_fd, TIOCGWINSZ, &ws) < 0)
		return errno == ENOTTY || errno == EINVAL ? 0 : -1;
	return ioctl(to_fd, TIOCSWINSZ, &ws);
}

int ctr_tty_set_winsize(int fd, unsigned rows, unsigned cols)
{
	struct winsize ws = { (unsigned short)rows, (unsigned short)cols, 0, 0 };

	return ioctl(fd, TIOCSWINSZ, &ws);
}

static int write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Input waiting for room in the pty is held in pend (the master is
 * non-blocking), so a container blocked on a full output queue never
 * deadlocks with us blocked on its full input queue. */
static int relay(const struct ctr_tty_relay *r, struct ctr_err *e)
{
	char in[4096], out[8192], junk[128];
	size_t pend = 0, off = 0;
	int in_open = r->in_fd >= 0;

	for (;;) {
		struct pollfd p[3] = {
			{ r->master, POLLIN | (pend ? POLLOUT : 0), 0 },
			{ in_open && !pend ? r->in_fd : -1, POLLIN, 0 },
			{ r->winch_fd, POLLIN, 0 },
		};
		ssize_t n;

		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			return ctr_err_sys(e, "poll", "pty relay");
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(r->master, out, sizeof(out));
			if (n > 0) {
				if (write_all(r->out_fd, out, (size_t)n) < 0)
					return ctr_err_sys(e, "write", "terminal output");
			} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
				/* EIO: every fd of the slave side is closed */
				return 0;
			}
		}
		if (p[2].revents & POLLIN) {
			if (read(r->winch_fd, junk, sizeof(junk)) < 0 && errno != EAGAIN &&
			    errno != EINTR)
				return ctr_err_sys(e, "read", "SIGWINCH fd");
			if (ctr_tty_copy_winsize(r->in_fd, r->master) < 0)
				return ctr_err_sys(e, "ioctl(TIOCSWINSZ)", "pty master");
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(r->in_fd, in, sizeof(in));
			if (n > 0) {
				pend = (size_t)n;
				off = 0;
			} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
				/* stdin closed: as docker -i, the program sees EOF */
				struct termios t;

				in_open = 0;
				if (r->eof_to_master) {
					in[0] = tcgetattr(r->master, &t) == 0 ? (char)t.c_cc[VEOF] : 4;
					pend = 1;
					off = 0;
				}
			}
		}
		if (pend) {
			n = write(r->master, in + off, pend);
			if (n > 0) {
				off += (size_t)n;
				pend -= (size_t)n;
			} else if (n < 0 && errno == EIO) {
				return 0;
			} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
				return ctr_err_sys(e, "write", "pty master");
			}
		}
	}
}

int ctr_tty_relay(const struct ctr_tty_relay *r, struct ctr_err *e)
{
	int fl = fcntl(r->master, F_GETFL), rc;

	if (fl < 0 || fcntl(r->master, F_SETFL, fl | O_NONBLOCK) < 0)
		return ctr_err_sys(e, "fcntl", "pty master");
	rc = relay(r, e);
	fcntl(r->master, F_SETFL, fl);
	return rc;
}

int ctr_tty_send_fd(int sock, int fd, const char *name)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { (void *)name, strlen(name) };
	struct msghdr m;
	struct cmsghdr *c;

	memset(cbuf, 0, sizeof(cbuf));
	memset(&m, 0, sizeof(m));
	if (!iov.iov_len)       /* a message needs one byte of data */
		iov.iov_base = (void *)"\0", iov.iov_len = 1;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf;
	m.msg_controllen = sizeof(cbuf);
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	while (sendmsg(sock, &m, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

int ctr_tty_recv_fd(int sock, char *name, size_t n)
{
	char cbuf[CMSG_SPACE(sizeof(int))], dummy;
	struct iovec iov = { n > 1 ? name : &dummy, n > 1 ? n - 1 : 1 };
	struct msghdr m;
	struct cmsghdr *c;
	ssize_t len;
	int fd = -1;

	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf;
	m.msg_controllen = sizeof(cbuf);
	while ((len = recvmsg(sock, &m, MSG_CMSG_CLOEXEC)) < 0)
		if (errno != EINTR)
			return -1;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(int)))
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (n > 1)
		name[len] = '\0';
	else if (n)
		name[0] = '\0';
	if (fd < 0) {
		errno = (m.msg_flags & MSG_CTRUNC) ? EMSGSIZE : EBADMSG;
		return -1;
	}
	return fd;
}

int ctr_tty_send_console(const char *path, int fd, const char *name, struct ctr_err *e)
{
	struct sockaddr_un sa;
	int s;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path))
		return ctr_err_set(e, ENAMETOOLONG, "console socket", "%s", path);
	strcpy(sa.sun_path, path);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return ctr_err_sys(e, "socket", "%s", path);
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ctr_err_sys(e, "connect console socket", "%s", path);
		close(s);
		return -1;
	}
	if (ctr_tty_send_fd(s, fd, name) < 0) {
		ctr_err_sys(e, "send console", "%s", path);
		close(s);
		return -1;
	}
	close(s);
	return 0;
}
