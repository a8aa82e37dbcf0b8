/* common.h: what every applet shares: reporting errors in the house format
 * "applet: what failed: detail: strerror", usage errors, exit statuses. */
#ifndef CTR_APPLET_COMMON_H
#define CTR_APPLET_COMMON_H

#include <getopt.h>
#include <stdnoreturn.h>
#include "ctr/err.h"

extern const char *ctr_applet;   /* the applet's name, for messages */
extern int ctr_fail_status;      /* exit status of the applet's own errors (1) */
/* What ctr_usage_error prints after its message (a format taking the
 * applet's name) and its exit status (-1: ctr_fail_status). The cg* applets
 * set libcgroup's (see cgcommon.h). */
extern const char *ctr_usage_hint;
extern int ctr_usage_status;

/* "applet: <msg>" on stderr. */
void ctr_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "applet: <msg>: strerror(errno)" on stderr. */
void ctr_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void ctr_errx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void ctr_errn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "applet: <what>: <detail>: <strerror>" from a libctr error, then exit. */
void ctr_report(const struct ctr_err *e);
noreturn void ctr_die(const struct ctr_err *e);

/* A usage error: the message, then ctr_usage_hint ("Try 'applet --help'
 * ..."), exit ctr_usage_status (1). */
noreturn void ctr_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Report what getopt_long refused (it returned '?' or ':', with opterr = 0
 * and an optstring starting with "+:") in util-linux's words, and exit. */
noreturn void ctr_bad_option(int c, char *const argv[], const struct option *longopts);
/* The usage text on stdout, exit 0 (-h/--help). */
noreturn void ctr_print_help(const char *text);
/* "applet from ctrbox X.Y.Z", exit 0. */
noreturn void ctr_print_version(void);

/* Exit as a wrapped child did: its exit code, or re-raise its fatal signal
 * (with the default action, so our parent sees the same wait status). */
noreturn void ctr_exit_like(int wstatus);
/* execvp argv; on failure "applet: failed to execute X: strerror" and exit
 * 127 (not found) or 126 (found, cannot execute). */
noreturn void ctr_exec_or_die(char *const argv[]);

#endif
