/* Terminals for containers: a pty allocated without trusting paths (runc's
 * safeAllocPty after CVE-2025-52565), made the controlling terminal of a
 * child, the caller's terminal in raw mode with the old settings kept for
 * restore, window size propagation, a relay loop between the caller's
 * stdin/stdout and the pty master, and --console-socket fd passing over
 * AF_UNIX with SCM_RIGHTS (runc's wire format: one message, the pty name as
 * payload, one fd). */
#ifndef CTR_TTY_H
#define CTR_TTY_H

#include <stddef.h>
#include <termios.h>
#include "ctr/err.h"

struct ctr_pty {
	int master;         /* O_RDWR|O_NOCTTY|O_CLOEXEC */
	int peer;           /* the slave, opened with TIOCGPTPEER (O_NOCTTY|O_CLOEXEC) */
	int index;          /* N of /dev/pts/N (TIOCGPTN) */
};

/* Allocate a pty from the devpts instance at pts_dir ("/dev/pts" for the
 * caller's, or a container's devpts path): open pts_dir/ptmx (falling back
 * to /dev/ptmx when pts_dir is NULL), check it is the devpts ptmx (5:2 on a
 * devpts filesystem), unlock it, and take the peer with TIOCGPTPEER, so no
 * /dev/pts/N path is ever opened. */
int ctr_tty_alloc(struct ctr_pty *p, const char *pts_dir, struct ctr_err *e);
/* Same from a devpts directory held open (O_PATH is enough), e.g. the
 * container's /dev/pts reached through its rootfs fd: no path is walked. */
int ctr_tty_alloc_at(struct ctr_pty *p, int pts_dirfd, struct ctr_err *e);
void ctr_tty_close(struct ctr_pty *p);
/* "/dev/pts/N" for the pty (the name runc sends on the console socket). */
int ctr_tty_name(const struct ctr_pty *p, char *buf, size_t n);

/* In the child: new session, the peer as controlling terminal (TIOCSCTTY),
 * and dup2 onto fds 0, 1, 2. The peer fd is closed if it was above 2. */
int ctr_tty_make_controlling(int peer, struct ctr_err *e);

/* The caller's terminal on fd (usually 0) in raw mode, as cfmakeraw. saved
 * receives the old settings for ctr_tty_restore; returns -1 ENOTTY when fd is
 * not a terminal (then nothing to restore). */
struct ctr_tty_saved {
	int fd;             /* -1 when nothing was changed */
	struct termios tio;
};
int ctr_tty_raw(int fd, struct ctr_tty_saved *saved);
/* Restore what ctr_tty_raw changed (TCSANOW; async-signal-safe: usable from
 * an atexit or signal handler). Idempotent; no-op if saved->fd < 0. Usage:
 *   static struct ctr_tty_saved saved = { .fd = -1 };
 *   static void restore(void) { ctr_tty_restore(&saved); }
 *   ... atexit(restore); in fatal-signal handlers: restore(), then
 *   signal(sig, SIG_DFL) and raise(sig); then ctr_tty_raw(0, &saved). */
void ctr_tty_restore(struct ctr_tty_saved *saved);

/* Copy the window size of from_fd (a terminal) to the pty master to_fd;
 * call at start and on SIGWINCH. 0 when from_fd is not a terminal. */
int ctr_tty_copy_winsize(int from_fd, int to_fd);
/* Set rows x cols (OCI process.consoleSize). */
int ctr_tty_set_winsize(int fd, unsigned rows, unsigned cols);

/* Relay between in_fd -> master and master -> out_fd until the master side
 * hangs up (EIO/EOF: the container closed its terminal). When in_fd hits EOF
 * (stdin closed) the relay keeps copying output; with eof_to_master it sends
 * the terminal's EOF character (^D) once, so the program sees end of input as
 * docker -i does. If winch_fd >= 0 (a signalfd or self-pipe made readable on
 * SIGWINCH) it is drained and the size copied from in_fd. Returns 0 at hangup,
 * -1 on an error. The master is non-blocking during the call. A closed
 * out_fd raises SIGPIPE: ignore it if the caller should see EPIPE. */
struct ctr_tty_relay {
	int in_fd, out_fd, master;
	int winch_fd;       /* -1 if none */
	int eof_to_master;
};
int ctr_tty_relay(const struct ctr_tty_relay *r, struct ctr_err *e);

/* --console-socket: connect to the AF_UNIX socket at path and send fd with
 * name as payload (runc: the pty's name). */
int ctr_tty_send_console(const char *path, int fd, const char *name, struct ctr_err *e);
/* Send / receive one fd with a payload on a connected AF_UNIX socket. recv:
 * the fd (O_CLOEXEC) or -1; name gets the payload, NUL-terminated. */
int ctr_tty_send_fd(int sock, int fd, const char *name);
int ctr_tty_recv_fd(int sock, char *name, size_t n);

#endif
