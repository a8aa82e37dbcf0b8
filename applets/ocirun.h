/* ocirun.h: what the files of the ocirun applet share (ocirun.c: options,
 * messages, create/start/run/delete/exec; ocirun_info.c: the other verbs). */
#ifndef CTR_OCIRUN_H
#define CTR_OCIRUN_H

#include <stdnoreturn.h>
#include "ctr/err.h"

extern const char *g_root;
extern int g_logfd, g_logjson, g_debug;

void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void die_e(const struct ctr_err *e);
void warn_e(const struct ctr_err *e);

/* Option codes: runc's names, one table for every command. */
enum {
	O_BUNDLE = 'b', O_ALL = 'a', O_FORCE = 'f', O_DETACH = 'd', O_TTY = 't',
	O_ENV = 'e', O_USER = 'u', O_CAP = 'c', O_PROCESS = 'p', O_QUIET = 'q',
	O_CONSOLE = 256, O_PIDFILE, O_NOPIVOT, O_NOKEYRING, O_PRESERVE, O_KEEP,
	O_NOSUBREAPER, O_CWD, O_FORMAT, O_ROOTLESS, O_GIDS, O_NNP, O_LABEL, O_APPARMOR,
	O_CGROUP, O_IGNPAUSED,
};

struct opts {
	const char *bundle, *console, *pidfile, *format, *cwd, *process, *user;
	int all, force, detach, tty, nopivot, preserve, keep, quiet, nnp;
	char *env[64];
	int nenv;
	char *caps[64];
	int ncaps;
};

/* Options of a command (allowed: 0-terminated codes); the first operand. */
int parse_cmd(int argc, char *argv[], const char *cmd, const int *allowed, struct opts *o);
const char *need_id(int argc, char *argv[], int i, const char *cmd);

/* ocirun.c: what create and exec share */
#include "ctr/oci.h"
#include "ctr/ocistate.h"
struct creation {
	struct ctr_oci oci;
	struct ctr_ocist st;
	const struct ctr_json *hooks;
};
void write_pid_file(const char *path, pid_t pid);

/* ocirun_exec.c */
int cmd_exec(int argc, char *argv[]);

/* ocirun_info.c */
int cmd_state(int argc, char *argv[]);
int cmd_list(int argc, char *argv[]);
int cmd_ps(int argc, char *argv[]);
int cmd_kill(int argc, char *argv[]);
int cmd_pause(int argc, char *argv[], int freeze);
int cmd_spec(int argc, char *argv[]);
int cmd_features(int argc, char *argv[]);
/* Open a container for a verb, removing it first when its creator died;
 * dies with "container does not exist" as runc. Returns the status. */
struct ctr_ocist;
int open_container(struct ctr_ocist *st, const char *id, int lock);
/* Remove what a container left (init, cgroup, state dir); poststop hooks
 * when run_hooks. */
void destroy_container(struct ctr_ocist *st, int run_hooks);

#endif
