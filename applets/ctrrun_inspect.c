/* ctrrun_inspect.c: config.json (what `inspect` shows besides State), and
 * the verbs that read it: inspect [-f FORMAT] and ps [-a] [-q]. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <time.h>
#include <unistd.h>
#include "common.h"
#include "ctr/str.h"
#include "ctr/proc.h"
#include "ctr/ocistate.h"
#include "ctrrun.h"

static void w_list(struct ctr_json_w *w, const char *key, char **l)
{
	ctr_json_w_key(w, key);
	if (!l) {
		ctr_json_w_null(w);
		return;
	}
	ctr_json_w_arr(w);
	for (; *l; l++)
		ctr_json_w_str(w, *l);
	ctr_json_w_end(w);
}

int ctrrun_config_save(const struct ctrrun_run *r, const struct ctr_engine *c)
{
	const struct ctr_spec *s = &r->spec;
	struct ctr_json_w w;
	char tmp[4200], path[4200], now[40], lower[8192];
	size_t i, n = 0;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s/.config.json", r->dir);
	snprintf(path, sizeof(path), "%s/config.json", r->dir);
	fd = openat(AT_FDCWD, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	ctr_ocist_now(now, sizeof(now));
	ctr_json_w_init(&w, fd, 0);
	ctr_json_w_obj(&w);
	ctr_json_w_kstr(&w, "Id", r->id);
	ctr_json_w_kstr(&w, "Created", now);
	ctr_json_w_kstr(&w, "Path", s->process.args[0]);
	w_list(&w, "Args", s->process.args + 1);
	ctr_json_w_kstr(&w, "Image", r->image);
	snprintf(tmp, sizeof(tmp), "%s/resolv.conf", r->dir);
	ctr_json_w_kstr(&w, "ResolvConfPath", tmp);
	snprintf(tmp, sizeof(tmp), "%s/hostname", r->dir);
	ctr_json_w_kstr(&w, "HostnamePath", tmp);
	snprintf(tmp, sizeof(tmp), "%s/hosts", r->dir);
	ctr_json_w_kstr(&w, "HostsPath", tmp);
	snprintf(tmp, sizeof(tmp), "%s/log", r->dir);
	ctr_json_w_kstr(&w, "LogPath", tmp);
	snprintf(tmp, sizeof(tmp), "/%s", r->name);
	ctr_json_w_kstr(&w, "Name", tmp);
	ctr_json_w_kstr(&w, "Driver", "overlay2");

	ctr_json_w_key(&w, "HostConfig");
	ctr_json_w_obj(&w);
	w_list(&w, "Binds", r->binds);
	ctr_json_w_kstr(&w, "NetworkMode", r->network ? r->network : "none");
	ctr_json_w_kbool(&w, "AutoRemove", r->rm);
	w_list(&w, "CapAdd", r->cap_add);
	w_list(&w, "CapDrop", r->cap_drop);
	ctr_json_w_kbool(&w, "Privileged", r->privileged);
	ctr_json_w_kbool(&w, "ReadonlyRootfs", r->read_only);
	w_list(&w, "SecurityOpt", r->secopts);
	w_list(&w, "Tmpfs", r->tmpfs);
	ctr_json_w_kint(&w, "CpuShares", (int64_t)s->cgroup.cpu_shares);
	ctr_json_w_kint(&w, "Memory", s->cgroup.memory);
	ctr_json_w_kint(&w, "NanoCpus", r->nano_cpus);
	ctr_json_w_kint(&w, "CpuPeriod", (int64_t)s->cgroup.cpu_period);
	ctr_json_w_kint(&w, "CpuQuota", s->cgroup.cpu_quota);
	ctr_json_w_kstr(&w, "CpusetCpus", s->cgroup.cpuset_cpus ? s->cgroup.cpuset_cpus : "");
	ctr_json_w_kstr(&w, "CpusetMems", s->cgroup.cpuset_mems ? s->cgroup.cpuset_mems : "");
	ctr_json_w_kint(&w, "MemorySwap", s->cgroup.memory_swap);
	ctr_json_w_key(&w, "PidsLimit");
	if (s->cgroup.pids_limit)
		ctr_json_w_int(&w, s->cgroup.pids_limit);
	else
		ctr_json_w_null(&w);
	w_list(&w, "Ulimits", r->ulimits);
	ctr_json_w_kbool(&w, "Init", r->init);
	ctr_json_w_kstr(&w, "CgroupParent", r->cgroup_parent ? r->cgroup_parent : "");
	ctr_json_w_end(&w);

	ctr_json_w_key(&w, "GraphDriver");
	ctr_json_w_obj(&w);
	ctr_json_w_kstr(&w, "Name", "overlay2");
	ctr_json_w_key(&w, "Data");
	ctr_json_w_obj(&w);
	lower[0] = 0;
	for (i = 0; i < s->root.nlayers && n < sizeof(lower); i++)
		n += (size_t)snprintf(lower + n, sizeof(lower) - n, "%s%s", i ? ":" : "",
				      s->root.layers[i]);
	ctr_json_w_kstr(&w, "LowerDir", lower);
	ctr_json_w_kstr(&w, "MergedDir", c->merged);
	ctr_json_w_kstr(&w, "UpperDir", c->upper);
	ctr_json_w_kstr(&w, "WorkDir", c->work);
	ctr_json_w_end(&w);
	ctr_json_w_end(&w);

	ctr_json_w_key(&w, "Mounts");
	ctr_json_w_arr(&w);
	for (i = 0; i < s->nmounts; i++) {
		const struct ctr_spec_mount *m = &s->mounts[i];

		if (strcmp(m->type, "bind") || !strncmp(m->source, r->dir, strlen(r->dir)))
			continue;
		ctr_json_w_obj(&w);
		ctr_json_w_kstr(&w, "Type", "bind");
		ctr_json_w_kstr(&w, "Source", m->source);
		ctr_json_w_kstr(&w, "Destination", m->dest);
		ctr_json_w_kstr(&w, "Mode", (m->flags & MS_RDONLY) ? "ro" : "");
		ctr_json_w_kbool(&w, "RW", !(m->flags & MS_RDONLY));
		ctr_json_w_kstr(&w, "Propagation", "rprivate");
		ctr_json_w_end(&w);
	}
	ctr_json_w_end(&w);

	ctr_json_w_key(&w, "Config");
	ctr_json_w_obj(&w);
	ctr_json_w_kstr(&w, "Hostname", r->hostname);
	ctr_json_w_kstr(&w, "User", r->user ? r->user : "");
	ctr_json_w_kbool(&w, "Tty", r->tty);
	ctr_json_w_kbool(&w, "OpenStdin", r->interactive);
	w_list(&w, "Env", s->process.env);
	w_list(&w, "Cmd", r->cmd && r->cmd[0] ? r->cmd : NULL);
	ctr_json_w_kstr(&w, "Image", r->image);
	ctr_json_w_kstr(&w, "WorkingDir", r->workdir ? r->workdir : "");
	ctr_json_w_key(&w, "Entrypoint");
	if (r->entrypoint) {
		ctr_json_w_arr(&w);
		ctr_json_w_str(&w, r->entrypoint);
		ctr_json_w_end(&w);
	} else {
		ctr_json_w_null(&w);
	}
	ctr_json_w_kstr(&w, "StopSignal", r->stop_signal_name ? r->stop_signal_name : "SIGTERM");
	ctr_json_w_kint(&w, "StopTimeout", r->stop_timeout);
	ctr_json_w_end(&w);

	ctr_json_w_key(&w, "Ctrbox");
	ctr_json_w_obj(&w);
	ctr_json_w_kstr(&w, "StateDir", r->dir);
	ctr_json_w_kstr(&w, "Cgroup", c->cgroup);
	ctr_json_w_kint(&w, "StopSignal", r->stop_signal);
	ctr_json_w_kint(&w, "StopTimeout", r->stop_timeout);
	ctr_json_w_kint(&w, "CreatedUnix", (int64_t)time(NULL));
	ctr_json_w_kbool(&w, "Tty", r->tty);
	ctr_json_w_key(&w, "Process");
	ctr_json_w_obj(&w);
	ctr_json_w_kstr(&w, "User", r->user ? r->user : "");
	ctr_json_w_kint(&w, "CapBnd", (int64_t)s->process.caps.bounding);
	ctr_json_w_kbool(&w, "NoNewPrivileges", s->process.no_new_privs);
	ctr_json_w_kbool(&w, "Seccomp", s->seccomp != CTR_SECCOMP_NONE);
	w_list(&w, "Env", s->process.env);
	ctr_json_w_end(&w);
	ctr_json_w_end(&w);

	ctr_json_w_end(&w);
	snprintf(tmp, sizeof(tmp), "%s/.config.json", r->dir);
	if (ctr_json_w_flush(&w, 1) < 0) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	return rename(tmp, path);
}

struct ctr_json *ctrrun_config_load(const char *dir)
{
	struct ctr_err e;
	struct ctr_json *j;
	char path[4200];

	snprintf(path, sizeof(path), "%s/config.json", dir);
	j = ctr_json_load(AT_FDCWD, path, 0, &e);
	if (!j)
		ctr_report(&e);
	return j;
}

/* ---- inspect ------------------------------------------------------------- */

static void write_state(struct ctr_json_w *w, const struct ctrrun_state *st)
{
	int running = !strcmp(st->status, "running");

	ctr_json_w_key(w, "State");
	ctr_json_w_obj(w);
	ctr_json_w_kstr(w, "Status", st->status);
	ctr_json_w_kbool(w, "Running", running);
	ctr_json_w_kbool(w, "Paused", 0);
	ctr_json_w_kbool(w, "Restarting", 0);
	ctr_json_w_kbool(w, "OOMKilled", 0);
	ctr_json_w_kbool(w, "Dead", 0);
	ctr_json_w_kint(w, "Pid", running ? st->pid : 0);
	ctr_json_w_kint(w, "ExitCode", st->exit_code);
	ctr_json_w_kstr(w, "Error", st->error);
	ctr_json_w_kstr(w, "StartedAt", st->started[0] ? st->started : "0001-01-01T00:00:00Z");
	ctr_json_w_kstr(w, "FinishedAt", st->finished[0] ? st->finished : "0001-01-01T00:00:00Z");
	ctr_json_w_end(w);
}

/* The whole document: config.json's members with State after Args. */
static void write_doc(struct ctr_json_w *w, const struct ctr_json *cfg,
		      const struct ctrrun_state *st)
{
	const struct ctr_json *m;

	ctr_json_w_obj(w);
	for (m = cfg->v.kid; m; m = m->next) {
		ctr_json_w_key(w, m->key);
		ctr_json_w_value(w, m);
		if (!strcmp(m->key, "Args"))
			write_state(w, st);
	}
	ctr_json_w_end(w);
}

/* Go template's {{.A.B}} and {{json .A.B}}: each action replaced by the
 * value at the dotted path (strings raw, anything else as JSON). */
static int format_doc(const char *fmt, int fd, size_t len)
{
	struct ctr_err e;
	struct ctr_json *doc, *n;
	struct ctr_json_w w;
	char *text = malloc(len + 1), path[256], *p, *q;
	const char *f = fmt, *end;
	int json;

	if (!text || pread(fd, text, len, 0) != (ssize_t)len)
		ctr_errx("out of memory");
	doc = ctr_json_parse(text, len, 0, &e);
	free(text);
	if (!doc)
		ctr_die(&e);
	ctr_json_w_init(&w, 1, 0);
	while (*f) {
		const char *open = ctr_strstr(f, "{{");

		if (!open) {
			ctr_json_w_flush(&w, 0);
			fputs(f, stdout);
			break;
		}
		fwrite(f, 1, (size_t)(open - f), stdout);
		fflush(stdout);
		end = ctr_strstr(open, "}}");
		if (!end)
			ctr_errx("template: unclosed action: %s", open);
		snprintf(path, sizeof(path), "%.*s", (int)(end - open - 2), open + 2);
		p = path + strspn(path, " ");
		q = p + strlen(p);
		while (q > p && q[-1] == ' ')
			*--q = 0;
		json = !strncmp(p, "json ", 5);
		if (json)
			p += 5 + strspn(p + 5, " ");
		if (*p != '.')
			ctr_errx("template: unsupported action: {{%s}}", path);
		n = doc;
		for (p = strtok(p + 1, "."); p && n; p = strtok(NULL, "."))
			n = ctr_json_get(n, p);
		if (!n && strcmp(path + strspn(path, " "), ".") != 0)
			ctr_errx("template: map has no entry for key in \"%s\"", path);
		if (n && n->type == CTR_JSON_STRING && !json) {
			fputs(n->v.s, stdout);
		} else if (n && n->type == CTR_JSON_NUMBER && !json) {
			fwrite(n->v.s, 1, n->len, stdout);
		} else {
			fflush(stdout);
			ctr_json_w_value(&w, n ? n : doc);
			ctr_json_w_flush(&w, 0);
			w.depth = 0;
		}
		f = end + 2;
	}
	putchar('\n');
	fflush(stdout);
	ctr_json_free(doc);
	return 0;
}

int ctrrun_inspect(int argc, char **argv)
{
	static const struct option lo[] = { { "format", required_argument, NULL, 'f' },
					    { "help", no_argument, NULL, 'h' }, { 0, 0, 0, 0 } };
	const char *fmt = NULL;
	struct ctrrun_state st;
	struct ctr_json_w w;
	struct ctr_json *cfg;
	char dir[4200], id[65];
	int c, rc = 0, i, first = 1;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:f:h", lo, NULL)) != -1) {
		if (c == 'f')
			fmt = optarg;
		else if (c == 'h')
			ctr_print_help("Usage: ctrrun inspect [-f FORMAT] NAME|ID...\n");
		else
			ctr_bad_option(c, argv, lo);
	}
	if (optind >= argc)
		ctr_usage_error("\"inspect\" requires at least 1 argument");
	if (!fmt) {
		ctr_json_w_init(&w, 1, 1);
		ctr_json_w_arr(&w);
	}
	for (i = optind; i < argc; i++) {
		if (ctrrun_find(argv[i], dir, sizeof(dir), id) < 0 || !(cfg = ctrrun_config_load(dir))) {
			rc = 1;
			continue;
		}
		if (ctrrun_state_load(dir, &st) < 0)
			strcpy(st.status, "dead");
		if (fmt) {
			int fd = memfd_create("inspect", MFD_CLOEXEC);
			off_t len;

			if (fd < 0)
				ctr_errn("memfd_create");
			ctr_json_w_init(&w, fd, 0);
			write_doc(&w, cfg, &st);
			ctr_json_w_flush(&w, 0);
			len = lseek(fd, 0, SEEK_CUR);
			format_doc(fmt, fd, (size_t)len);
			close(fd);
		} else {
			write_doc(&w, cfg, &st);
		}
		ctr_json_free(cfg);
		first = 0;
	}
	if (!fmt) {
		ctr_json_w_end(&w);
		ctr_json_w_flush(&w, 1);
	}
	(void)first;
	return rc;
}

/* ---- ps ------------------------------------------------------------------ */

struct ps_arg {
	int all, quiet;
};

static void ago(char *buf, size_t n, long long secs)
{
	if (secs < 60)
		snprintf(buf, n, "%lld second%s", secs, secs == 1 ? "" : "s");
	else if (secs < 3600)
		snprintf(buf, n, "%lld minute%s", secs / 60, secs / 60 == 1 ? "" : "s");
	else if (secs < 86400)
		snprintf(buf, n, "%lld hour%s", secs / 3600, secs / 3600 == 1 ? "" : "s");
	else
		snprintf(buf, n, "%lld days", secs / 86400);
}

static int ps_one(const char *dir, const char *id, void *arg)
{
	struct ps_arg *a = arg;
	struct ctrrun_state st;
	struct ctr_json *cfg;
	char cmd[64], created[48], status[64], t[40];
	const char *name, *image, *path;
	const struct ctr_json *args, *x;
	int64_t cu = 0;
	size_t n;

	if (ctrrun_state_load(dir, &st) < 0)
		return 0;
	if (!a->all && strcmp(st.status, "running"))
		return 0;
	if (a->quiet) {
		printf("%.12s\n", id);
		return 0;
	}
	cfg = ctrrun_config_load(dir);
	if (!cfg)
		return 0;
	name = ctr_json_str(ctr_json_get(cfg, "Name"));
	image = ctr_json_str(ctr_json_get(cfg, "Image"));
	path = ctr_json_str(ctr_json_get(cfg, "Path"));
	n = (size_t)snprintf(cmd, sizeof(cmd), "\"%s", path ? path : "");
	args = ctr_json_get(cfg, "Args");
	for (x = args && args->type == CTR_JSON_ARRAY ? args->v.kid : NULL; x && n < 40; x = x->next)
		n += (size_t)snprintf(cmd + n, sizeof(cmd) - n, " %s", ctr_json_str(x) ? ctr_json_str(x) : "");
	if (n > 20)
		strcpy(cmd + 17, "…");
	strcat(cmd, "\"");
	ctr_json_i64(ctr_json_get(ctr_json_get(cfg, "Ctrbox"), "CreatedUnix"), &cu);
	ago(t, sizeof(t), (long long)(time(NULL) - cu));
	snprintf(created, sizeof(created), "%s ago", t);
	if (!strcmp(st.status, "running"))
		snprintf(status, sizeof(status), "Up %s", t);
	else if (!strcmp(st.status, "exited"))
		snprintf(status, sizeof(status), "Exited (%d)", st.exit_code);
	else
		snprintf(status, sizeof(status), "%s", st.status);
	printf("%-15.12s %-20.20s %-22s %-16s %-20s %-7s %s\n", id, image ? image : "", cmd,
	       created, status, "", name ? name + 1 : "");
	ctr_json_free(cfg);
	return 0;
}

int ctrrun_ps(int argc, char **argv)
{
	static const struct option lo[] = { { "all", no_argument, NULL, 'a' },
					    { "quiet", no_argument, NULL, 'q' },
					    { "help", no_argument, NULL, 'h' }, { 0, 0, 0, 0 } };
	struct ps_arg a = { 0, 0 };
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:aqh", lo, NULL)) != -1) {
		if (c == 'a')
			a.all = 1;
		else if (c == 'q')
			a.quiet = 1;
		else if (c == 'h')
			ctr_print_help("Usage: ctrrun ps [-a] [-q]\n");
		else
			ctr_bad_option(c, argv, lo);
	}
	if (optind < argc)
		ctr_usage_error("\"ps\" accepts no arguments");
	if (!a.quiet)
		printf("%-15s %-20s %-22s %-16s %-20s %-7s %s\n", "CONTAINER ID", "IMAGE", "COMMAND",
		       "CREATED", "STATUS", "PORTS", "NAMES");
	ctrrun_foreach(ps_one, &a);
	return 0;
}
