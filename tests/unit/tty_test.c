/* tty_test.c: pty allocation without paths, the controlling terminal of a
 * child, raw mode and restore, window sizes, fd passing as runc's
 * --console-socket, and the relay loop with a real child on the pty. */
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <termios.h>
#include "ctr/tty.h"
#include "unit.h"

static void alloc(struct ctr_pty *p, const char *dir)
{
	struct ctr_err e = { 0 };

	if (ctr_tty_alloc(p, dir, &e) < 0) {
		printf("#   %s: %s: %s\n", e.what, e.detail, strerror(e.err));
		unit_failures++;
		_exit(1);
	}
}

static void t_alloc(void)
{
	const char *dirs[] = { "/dev/pts", NULL };
	struct ctr_pty p;
	struct ctr_err e = { 0 };
	struct stat st;
	char name[64], buf[16];
	size_t i;

	for (i = 0; i < 2; i++) {
		alloc(&p, dirs[i]);
		CHECK(isatty(p.master) && isatty(p.peer));
		CHECK(ctr_tty_name(&p, name, sizeof(name)) == 0);
		CHECK(strcmp(ptsname(p.master), name) == 0);
		CHECK(fstat(p.peer, &st) == 0 && major(st.st_rdev) == 136 &&
		      (int)minor(st.st_rdev) == p.index);
		CHECK(fcntl(p.master, F_GETFD) & FD_CLOEXEC);
		CHECK(fcntl(p.peer, F_GETFD) & FD_CLOEXEC);
		/* the peer is the slave of this master */
		CHECK(write(p.peer, "x\n", 2) == 2);
		CHECK(read(p.master, buf, sizeof(buf)) >= 1 && buf[0] == 'x');
		ctr_tty_close(&p);
		CHECK(p.master == -1 && p.peer == -1);
	}
	/* from a devpts directory fd */
	int dfd = open("/dev/pts", O_PATH | O_DIRECTORY | O_CLOEXEC);
	CHECK(ctr_tty_alloc_at(&p, dfd, &e) == 0 && isatty(p.master) && isatty(p.peer));
	ctr_tty_close(&p);
	close(dfd);
	/* not a devpts directory: refused, nothing opened */
	CHECK(ctr_tty_alloc(&p, "/dev", &e) == -1 && e.err == EPERM &&
	      strcmp(e.detail, "/dev/ptmx: not the devpts ptmx") == 0);
	CHECK(p.master == -1 && p.peer == -1);
	CHECK(ctr_tty_alloc(&p, "/nonexistent", &e) == -1 && e.err == ENOENT);
	/* a symlink named ptmx in a devpts-looking place is not followed */
	char d[] = "/tmp/ctrbox-unit-tty-XXXXXX", l[64];
	CHECK(mkdtemp(d) != NULL);
	snprintf(l, sizeof(l), "%s/ptmx", d);
	CHECK(symlink("/dev/pts/ptmx", l) == 0);
	CHECK(ctr_tty_alloc(&p, d, &e) == -1 && e.err == EPERM);  /* O_PATH: the link itself */
	unlink(l);
	rmdir(d);
}

static void t_controlling(void)
{
	struct ctr_pty p;
	char name[64];
	int st;
	pid_t pid;

	alloc(&p, "/dev/pts");
	ctr_tty_name(&p, name, sizeof(name));
	pid = fork();
	if (pid == 0) {
		struct ctr_err e = { 0 };

		close(p.master);
		if (ctr_tty_make_controlling(p.peer, &e) < 0)
			_exit(10);
		if (getsid(0) != getpid() || tcgetpgrp(0) != getpid())
			_exit(11);
		if (!ttyname(0) || strcmp(ttyname(0), name) || strcmp(ttyname(2), name))
			_exit(12);
		if (open("/dev/tty", O_RDWR) < 0)     /* has a controlling terminal */
			_exit(13);
		_exit(0);
	}
	close(p.peer);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 0);
	close(p.master);
}

/* The "caller's terminal" is the slave of a pty of our own. */
static void t_raw_restore(void)
{
	struct ctr_pty p;
	struct ctr_tty_saved s;
	struct termios before, now;

	/* the kernel fills 19 control chars of libc's larger c_cc */
	memset(&before, 0, sizeof(before));
	memset(&now, 0, sizeof(now));
	alloc(&p, NULL);
	CHECK(tcgetattr(p.peer, &before) == 0);
	CHECK(before.c_lflag & ICANON);
	CHECK(ctr_tty_raw(p.peer, &s) == 0 && s.fd == p.peer);
	CHECK(tcgetattr(p.peer, &now) == 0);
	CHECK(!(now.c_lflag & (ICANON | ECHO | ISIG)) && !(now.c_oflag & OPOST));
	CHECK(!(now.c_iflag & (ICRNL | IXON)));
	ctr_tty_restore(&s);
	CHECK(s.fd == -1);
	memset(&now, 0, sizeof(now));
	CHECK(tcgetattr(p.peer, &now) == 0);
	CHECK(now.c_lflag == before.c_lflag && now.c_iflag == before.c_iflag &&
	      now.c_oflag == before.c_oflag && now.c_cflag == before.c_cflag &&
	      memcmp(now.c_cc, before.c_cc, sizeof(now.c_cc)) == 0);
	ctr_tty_restore(&s);     /* idempotent */
	/* not a terminal: ENOTTY, nothing to restore */
	int fds[2];
	CHECK(pipe(fds) == 0);
	CHECK(ctr_tty_raw(fds[0], &s) == -1 && errno == ENOTTY && s.fd == -1);
	ctr_tty_close(&p);
}

static void t_winsize(void)
{
	struct ctr_pty caller, ctr;
	struct winsize ws;
	int fds[2];

	alloc(&caller, NULL);
	alloc(&ctr, NULL);
	CHECK(ctr_tty_set_winsize(caller.master, 33, 111) == 0);
	CHECK(ctr_tty_copy_winsize(caller.peer, ctr.master) == 0);
	CHECK(ioctl(ctr.peer, TIOCGWINSZ, &ws) == 0 && ws.ws_row == 33 && ws.ws_col == 111);
	CHECK(pipe(fds) == 0);
	CHECK(ctr_tty_copy_winsize(fds[0], ctr.master) == 0);     /* not a tty: no-op */
}

static void t_fd_passing(void)
{
	struct ctr_pty p;
	struct ctr_err e = { 0 };
	char name[64], got[64];
	int sv[2], fd, ls, st;
	struct sockaddr_un sa;
	pid_t pid;

	alloc(&p, "/dev/pts");
	ctr_tty_name(&p, name, sizeof(name));
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	CHECK(ctr_tty_send_fd(sv[0], p.master, name) == 0);
	fd = ctr_tty_recv_fd(sv[1], got, sizeof(got));
	CHECK(fd >= 0 && fd != p.master);
	CHECK(isatty(fd) && strcmp(got, name) == 0 && strcmp(ptsname(fd), name) == 0);
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	/* no fd in the message */
	CHECK(write(sv[0], "abc", 3) == 3);
	CHECK(ctr_tty_recv_fd(sv[1], got, sizeof(got)) == -1 && strcmp(got, "abc") == 0);

	/* --console-socket: a listening socket, the sender connects */
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/ctrbox-unit-console-%d.sock", (int)getpid());
	ls = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(bind(ls, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(ls, 1) == 0);
	pid = fork();
	if (pid == 0)
		_exit(ctr_tty_send_console(sa.sun_path, p.master, name, &e) == 0 ? 0 : 1);
	fd = accept(ls, NULL, NULL);
	CHECK(fd >= 0);
	int m = ctr_tty_recv_fd(fd, got, sizeof(got));
	CHECK(m >= 0 && isatty(m) && strcmp(got, name) == 0 && strcmp(ptsname(m), name) == 0);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(unlink(sa.sun_path) == 0);
	CHECK(ctr_tty_send_console(sa.sun_path, p.master, name, &e) == -1 && e.err == ENOENT);
}

/* A child on the pty reads lines until EOF, answers each, then says bye. */
static void t_relay(void)
{
	struct ctr_pty p;
	struct ctr_err e = { 0 };
	struct ctr_tty_relay r;
	char out[8192];
	int in[2], o[2], st;
	ssize_t n, len = 0;
	pid_t pid;

	alloc(&p, NULL);
	pid = fork();
	if (pid == 0) {
		char line[256];

		close(p.master);
		if (ctr_tty_make_controlling(p.peer, &e) < 0)
			_exit(10);
		while ((n = read(0, line, sizeof(line))) > 0) {
			if (write(1, "got:", 4) != 4 || write(1, line, (size_t)n) != n)
				_exit(11);
		}
		if (write(1, "bye\n", 4) != 4)
			_exit(12);
		_exit(n == 0 ? 0 : 13);
	}
	close(p.peer);
	CHECK(pipe(in) == 0 && pipe(o) == 0);
	/* a line, then EOF (sent to the program as ^D) */
	CHECK(write(in[1], "hello\n", 6) == 6);
	close(in[1]);
	r.in_fd = in[0];
	r.out_fd = o[1];
	r.master = p.master;
	r.winch_fd = -1;
	r.eof_to_master = 1;
	CHECK(ctr_tty_relay(&r, &e) == 0);
	close(o[1]);
	while ((n = read(o[0], out + len, sizeof(out) - 1 - (size_t)len)) > 0)
		len += n;
	out[len] = 0;
	CHECK(strstr(out, "got:hello") != NULL);
	CHECK(strstr(out, "bye") != NULL);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (unit_failures)
		printf("#   output: %s\n", out);
	close(p.master);
}

/* Large input both ways in raw mode: the relay must not deadlock when the
 * child's output queue and our input queue are both full. */
static void t_relay_bulk(void)
{
	enum { N = 256 * 1024 };
	struct ctr_pty p;
	struct ctr_err e = { 0 };
	struct ctr_tty_relay r;
	struct ctr_tty_saved s;
	static char buf[N];
	int in[2], o[2], st;
	ssize_t n, total = 0;
	pid_t pid, feeder;

	alloc(&p, NULL);
	CHECK(ctr_tty_raw(p.peer, &s) == 0);  /* the program's side raw: bytes as is */
	pid = fork();
	if (pid == 0) {
		close(p.master);
		if (ctr_tty_make_controlling(p.peer, &e) < 0)
			_exit(10);
		/* cat until N bytes are through */
		for (ssize_t got = 0; got < N; got += n) {
			n = read(0, buf, sizeof(buf));
			if (n <= 0 || write(1, buf, (size_t)n) != n)
				_exit(11);
		}
		_exit(0);
	}
	close(p.peer);
	CHECK(pipe(in) == 0 && pipe(o) == 0);
	feeder = fork();
	if (feeder == 0) {
		memset(buf, 'a', sizeof(buf));
		close(in[0]);
		_exit(write(in[1], buf, N) == N ? 0 : 1);
	}
	close(in[1]);
	pid_t reader = fork();
	if (reader == 0) {
		close(o[1]);
		while ((n = read(o[0], buf, sizeof(buf))) > 0)
			total += n;
		_exit(total == N ? 0 : 1);
	}
	close(o[0]);
	r.in_fd = in[0];
	r.out_fd = o[1];
	r.master = p.master;
	r.winch_fd = -1;
	r.eof_to_master = 0;
	alarm(20);
	CHECK(ctr_tty_relay(&r, &e) == 0);
	close(o[1]);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(waitpid(feeder, &st, 0) == feeder && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(waitpid(reader, &st, 0) == reader && WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* SIGWINCH: the caller's terminal (a pty of ours) gets a new size, the
 * relay is woken through winch_fd and passes it on; the program in the
 * container sees SIGWINCH and the new size. */
static void t_relay_winch(void)
{
	struct ctr_pty caller, p;
	struct ctr_err e = { 0 };
	struct ctr_tty_relay r;
	char out[512];
	int o[2], wp[2], sync[2], st;
	ssize_t n, len = 0;
	pid_t pid;

	alloc(&caller, NULL);
	alloc(&p, NULL);
	CHECK(ctr_tty_set_winsize(p.master, 24, 80) == 0);
	CHECK(pipe(sync) == 0);
	pid = fork();
	if (pid == 0) {
		sigset_t set;
		struct winsize ws;
		char line[64];
		int sig;

		sigemptyset(&set);
		sigaddset(&set, SIGWINCH);
		sigprocmask(SIG_BLOCK, &set, NULL);
		close(p.master);
		close(sync[0]);
		if (ctr_tty_make_controlling(p.peer, &e) < 0)
			_exit(10);
		close(sync[1]);         /* ready: SIGWINCH is blocked, tty is ours */
		if (sigwait(&set, &sig) != 0 || ioctl(0, TIOCGWINSZ, &ws) < 0)
			_exit(11);
		n = snprintf(line, sizeof(line), "size %dx%d\n", ws.ws_row, ws.ws_col);
		_exit(write(1, line, (size_t)n) == n ? 0 : 12);
	}
	close(p.peer);
	close(sync[1]);
	CHECK(read(sync[0], out, 1) == 0);
	CHECK(pipe(o) == 0 && pipe(wp) == 0);
	CHECK(ctr_tty_set_winsize(caller.master, 50, 132) == 0);
	CHECK(write(wp[1], "w", 1) == 1);   /* what a SIGWINCH handler writes */
	r.in_fd = caller.peer;
	r.out_fd = o[1];
	r.master = p.master;
	r.winch_fd = wp[0];
	r.eof_to_master = 0;
	alarm(20);
	CHECK(ctr_tty_relay(&r, &e) == 0);
	close(o[1]);
	while ((n = read(o[0], out + len, sizeof(out) - 1 - (size_t)len)) > 0)
		len += n;
	out[len] = 0;
	CHECK(strstr(out, "size 50x132") != NULL);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(!(fcntl(p.master, F_GETFL) & O_NONBLOCK));   /* flags given back */
}

static const struct unit_case cases[] = {
	UNIT(t_alloc), UNIT(t_controlling), UNIT(t_raw_restore), UNIT(t_winsize),
	UNIT(t_fd_passing), UNIT(t_relay), UNIT(t_relay_bulk), UNIT(t_relay_winch),
};

int main(int argc, char **argv)
{
	return UNIT_MAIN(argc, argv, cases);
}
