/* ctrrun: run a container the way `docker run` does, on ctrbox alone.
 *
 *   ctrrun [--root DIR] [run] [OPTIONS] IMAGE [CMD [ARG...]]
 *   ctrrun [--root DIR] ps|inspect|exec|logs|stop|kill|rm|wait ...
 *
 * The first word is a verb when it is one of run ps inspect exec logs stop
 * kill rm wait; anything else is the IMAGE of an implied `run` (an image
 * directory named like a verb is given as ./ps or after `run`). IMAGE is a
 * root directory or a colon-separated list of layer directories, topmost
 * first (docker's LowerDir order): it is never written, the container gets
 * an overlay with a fresh upper and work dir in its state directory
 * (<root>/<id>, root /run/ctrbox by default).
 *
 * Flags have docker's names and meanings; exit status as docker's: 125 for
 * ctrrun's own errors, 126 when CMD cannot be executed, 127 when it is not
 * found, else CMD's status (128+N after signal N). Differences from docker:
 * there is no image config (no default CMD, ENTRYPOINT, ENV or USER:
 * give them); the network is a namespace with loopback only (docker's
 * `--network none`) unless --network host|container:NAME; flags of docker's
 * image store, networks, restart policies and devices are refused. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "ctr/caps.h"
#include "ctr/opt.h"
#include "ctr/proc.h"
#include "ctr/tty.h"
#include "ctrrun.h"

const char *ctrrun_root = CTRRUN_ROOT;

static const char usage[] =
"Usage: ctrrun [--root DIR] [run] [OPTIONS] IMAGE [CMD [ARG...]]\n"
"       ctrrun [--root DIR] ps|inspect|exec|logs|stop|kill|rm|wait ...\n"
"\n"
"Run CMD in a new container on IMAGE (a root dir, or layer dirs DIR:DIR...,\n"
"topmost first; never written: an overlay's upper dir takes the changes).\n"
"A first word that is not a verb is the IMAGE of `run`.\n"
"\n"
"Options (docker's names):\n"
"  -d, --detach               run in the background, print the ID\n"
"  -i, --interactive          keep stdin open\n"
"  -t, --tty                  allocate a pty\n"
"      --rm                   remove the container when it exits\n"
"      --name NAME            name the container\n"
"  -h, --hostname NAME        container hostname (default: the ID's first 12)\n"
"  -e, --env NAME[=VALUE]     set an environment variable\n"
"      --env-file FILE        read NAME=VALUE lines\n"
"  -w, --workdir DIR          working directory inside the container\n"
"  -u, --user USER[:GROUP]    names from the image's /etc/passwd, /etc/group\n"
"  -v, --volume SRC:DST[:ro]  bind a host path\n"
"      --tmpfs DST[:OPTS]     mount a tmpfs\n"
"      --read-only            mount the root read-only\n"
"      --entrypoint CMD       run CMD with the arguments after IMAGE\n"
"      --init                 run a tiny init as pid 1\n"
"      --cpus N               CPUs (quota = N x 100000 per 100000 us)\n"
"      --cpu-quota US         cpu.cfs_quota_us\n"
"      --cpu-period US        cpu.cfs_period_us\n"
"  -c, --cpu-shares N         cpu.shares\n"
"      --cpuset-cpus LIST     cpuset.cpus\n"
"      --cpuset-mems LIST     cpuset.mems\n"
"  -m, --memory BYTES[kmg]    memory limit\n"
"      --memory-swap BYTES    memory + swap limit (-1 unlimited)\n"
"      --pids-limit N         pids.max\n"
"      --ulimit NAME=SOFT[:HARD]\n"
"      --network none|host|container:NAME\n"
"      --cap-add CAP, --cap-drop CAP   (ALL for every one)\n"
"      --privileged           all caps, no seccomp, masks or device limits\n"
"      --security-opt no-new-privileges|seccomp=unconfined\n"
"      --stop-signal SIG      stop's signal (default TERM)\n"
"      --stop-timeout SECS    stop's grace period (default 10)\n"
"      --cgroup-parent PATH   the container's group is PATH/ID (default ctrbox)\n"
"      --root DIR             state directory (default /run/ctrbox)\n"
"\n"
"Verbs: ps [-a] [-q], inspect [-f FORMAT] NAME..., exec [-i] [-t] [-d] [-e]\n"
"[-w] [-u] NAME CMD..., logs [-f] NAME, stop [-t SECS] NAME..., kill [-s SIG]\n"
"NAME..., rm [-f] NAME..., wait NAME...\n";

enum {
	O_RM = 256, O_NAME, O_ENVFILE, O_TMPFS, O_READONLY, O_ENTRY, O_INIT, O_CPUS,
	O_QUOTA, O_PERIOD, O_CPUSET, O_MEMS, O_SWAP, O_PIDS, O_ULIMIT, O_NET, O_CAPADD,
	O_CAPDROP, O_PRIV, O_SECOPT, O_STOPSIG, O_STOPTMO, O_ROOT, O_HELP, O_CGPARENT,
};

static const struct option longopts[] = {
	{ "detach", no_argument, NULL, 'd' },
	{ "interactive", no_argument, NULL, 'i' },
	{ "tty", no_argument, NULL, 't' },
	{ "rm", no_argument, NULL, O_RM },
	{ "name", required_argument, NULL, O_NAME },
	{ "hostname", required_argument, NULL, 'h' },
	{ "env", required_argument, NULL, 'e' },
	{ "env-file", required_argument, NULL, O_ENVFILE },
	{ "workdir", required_argument, NULL, 'w' },
	{ "user", required_argument, NULL, 'u' },
	{ "volume", required_argument, NULL, 'v' },
	{ "tmpfs", required_argument, NULL, O_TMPFS },
	{ "read-only", no_argument, NULL, O_READONLY },
	{ "entrypoint", required_argument, NULL, O_ENTRY },
	{ "init", no_argument, NULL, O_INIT },
	{ "cpus", required_argument, NULL, O_CPUS },
	{ "cpu-quota", required_argument, NULL, O_QUOTA },
	{ "cpu-period", required_argument, NULL, O_PERIOD },
	{ "cpu-shares", required_argument, NULL, 'c' },
	{ "cpuset-cpus", required_argument, NULL, O_CPUSET },
	{ "cpuset-mems", required_argument, NULL, O_MEMS },
	{ "memory", required_argument, NULL, 'm' },
	{ "memory-swap", required_argument, NULL, O_SWAP },
	{ "pids-limit", required_argument, NULL, O_PIDS },
	{ "ulimit", required_argument, NULL, O_ULIMIT },
	{ "network", required_argument, NULL, O_NET },
	{ "net", required_argument, NULL, O_NET },
	{ "cap-add", required_argument, NULL, O_CAPADD },
	{ "cap-drop", required_argument, NULL, O_CAPDROP },
	{ "privileged", no_argument, NULL, O_PRIV },
	{ "security-opt", required_argument, NULL, O_SECOPT },
	{ "stop-signal", required_argument, NULL, O_STOPSIG },
	{ "stop-timeout", required_argument, NULL, O_STOPTMO },
	{ "root", required_argument, NULL, O_ROOT },
	{ "cgroup-parent", required_argument, NULL, O_CGPARENT },
	{ "help", no_argument, NULL, O_HELP },
	{ NULL, 0, NULL, 0 },
};

/* docker run flags ctrrun does not have: named, so the refusal is clear. */
static const char *const unsupported[] = {
	"publish", "publish-all", "expose", "mount", "device", "gpus", "restart", "label",
	"label-file", "link", "add-host", "dns", "dns-option", "dns-search", "ip", "ip6",
	"mac-address", "volumes-from", "volume-driver", "userns", "uts", "ipc", "pid",
	"cgroupns", "runtime", "platform", "pull", "log-driver", "log-opt",
	"health-cmd", "isolation", "storage-opt", "shm-size", "sysctl", "oom-kill-disable",
	"oom-score-adj", "memory-reservation", "kernel-memory", "blkio-weight",
	"device-read-bps", "device-write-bps", "cpu-rt-runtime", "group-add", "attach",
	"sig-proxy", "detach-keys", "domainname", "cidfile", "network-alias", NULL,
};

static void add(struct ctrrun_run *r, char ***list, const char *s)
{
	struct ctr_err e;

	if (ctr_spec_add_str(&r->spec, list, s, &e) < 0)
		ctr_die(&e);
}

/* docker's byte sizes: 512, 100k, 64m, 1g (b k m g, any case) */
static int64_t parse_bytes(const char *opt, const char *s)
{
	unsigned long long v, mul = 1;
	char num[32], *end;
	size_t n = strlen(s);

	if (strcmp(s, "-1") == 0)
		return -1;
	if (n == 0 || n >= sizeof(num))
		ctr_usage_error("invalid value for %s: '%s'", opt, s);
	strcpy(num, s);
	end = num + n - 1;
	switch (*end | 0x20) {
	case 'b': *end = 0; break;
	case 'k': mul = 1ULL << 10; *end = 0; break;
	case 'm': mul = 1ULL << 20; *end = 0; break;
	case 'g': mul = 1ULL << 30; *end = 0; break;
	}
	if (ctr_opt_ullong(num, 0, (1ULL << 62) / mul, &v) < 0)
		ctr_usage_error("invalid value for %s: '%s'", opt, s);
	return (int64_t)(v * mul);
}

static long long parse_num(const char *opt, const char *s, long long min, long long max)
{
	long long v;

	if (ctr_opt_llong(s, min, max, &v) < 0)
		ctr_usage_error("invalid value for %s: '%s'", opt, s);
	return v;
}

static void parse_cpus(struct ctrrun_run *r, const char *s)
{
	/* decimal with up to 9 digits after the point: NanoCpus */
	unsigned long long ip = 0, fp = 0, scale = 1000000000ULL;
	const char *p = s;

	if (!*p)
		ctr_usage_error("invalid value for --cpus: '%s'", s);
	for (; *p >= '0' && *p <= '9'; p++)
		ip = ip * 10 + (unsigned)(*p - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9' && scale > 1; p++) {
			scale /= 10;
			fp += (unsigned)(*p - '0') * scale;
		}
	if (*p || ip > 1024)
		ctr_usage_error("invalid value for --cpus: '%s'", s);
	r->nano_cpus = (int64_t)(ip * 1000000000ULL + fp);
}

static void parse_ulimit(struct ctrrun_run *r, const char *s)
{
	static const struct { const char *name; int res; } names[] = {
		{ "core", RLIMIT_CORE }, { "cpu", RLIMIT_CPU }, { "data", RLIMIT_DATA },
		{ "fsize", RLIMIT_FSIZE }, { "locks", RLIMIT_LOCKS },
		{ "memlock", RLIMIT_MEMLOCK }, { "msgqueue", RLIMIT_MSGQUEUE },
		{ "nice", RLIMIT_NICE }, { "nofile", RLIMIT_NOFILE }, { "nproc", RLIMIT_NPROC },
		{ "rss", RLIMIT_RSS }, { "rtprio", RLIMIT_RTPRIO }, { "rttime", RLIMIT_RTTIME },
		{ "sigpending", RLIMIT_SIGPENDING }, { "stack", RLIMIT_STACK },
	};
	const char *eq = strchr(s, '='), *colon;
	struct ctr_spec_rlimit rl;
	struct ctr_err e;
	long long soft, hard;
	char buf[32];
	size_t i;

	for (i = 0; eq && i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == (size_t)(eq - s) &&
		    strncmp(names[i].name, s, (size_t)(eq - s)) == 0)
			break;
	if (!eq || i == sizeof(names) / sizeof(names[0]))
		ctr_usage_error("invalid ulimit: '%s' (NAME=SOFT[:HARD])", s);
	colon = strchr(eq + 1, ':');
	snprintf(buf, sizeof(buf), "%.*s", colon ? (int)(colon - eq - 1) : 31, eq + 1);
	soft = parse_num("--ulimit", buf, -1, LLONG_MAX);
	hard = colon ? parse_num("--ulimit", colon + 1, -1, LLONG_MAX) : soft;
	rl.resource = names[i].res;
	rl.soft = soft < 0 ? RLIM_INFINITY : (uint64_t)soft;
	rl.hard = hard < 0 ? RLIM_INFINITY : (uint64_t)hard;
	if (rl.soft > rl.hard)
		ctr_usage_error("invalid ulimit: '%s': soft limit above hard limit", s);
	if (ctr_spec_add_rlimit(&r->spec, &rl, &e) < 0)
		ctr_die(&e);
	add(r, &r->ulimits, s);
}

static void add_volume(struct ctrrun_run *r, char *s)
{
	struct ctr_spec_mount m = { .type = "bind" };
	char *dst = strchr(s, ':'), *mode;
	struct ctr_err e;

	if (!dst || s[0] != '/')
		ctr_usage_error("invalid volume '%s': SRC must be an absolute host path "
				"(named volumes are not supported)", s);
	*dst++ = 0;
	mode = strchr(dst, ':');
	if (mode)
		*mode++ = 0;
	if (dst[0] != '/')
		ctr_usage_error("invalid volume destination '%s': not absolute", dst);
	if (mode && strcmp(mode, "ro") && strcmp(mode, "rw"))
		ctr_usage_error("invalid volume mode '%s' (ro or rw)", mode);
	m.source = s;
	m.dest = dst;
	m.flags = MS_BIND | MS_REC | (mode && !strcmp(mode, "ro") ? MS_RDONLY : 0);
	if (ctr_spec_add_mount(&r->spec, &m, &e) < 0)
		ctr_die(&e);
}

static void add_tmpfs(struct ctrrun_run *r, char *s)
{
	struct ctr_spec_mount m = { .type = "tmpfs", .source = "tmpfs" };
	char *opts = strchr(s, ':'), *o, *data;
	struct ctr_err e;
	size_t n = 0;

	if (opts)
		*opts++ = 0;
	if (s[0] != '/')
		ctr_usage_error("invalid tmpfs destination '%s': not absolute", s);
	m.dest = s;
	m.flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
	if (!(data = ctr_spec_strf(&r->spec, &e, "%s", opts ? opts : "")))
		ctr_errx("out of memory");
	for (o = opts ? strtok(opts, ",") : NULL; o; o = strtok(NULL, ",")) {
		if (!strcmp(o, "ro")) m.flags |= MS_RDONLY;
		else if (!strcmp(o, "rw")) m.flags &= ~(unsigned long)MS_RDONLY;
		else if (!strcmp(o, "exec")) m.flags &= ~(unsigned long)MS_NOEXEC;
		else if (!strcmp(o, "noexec")) m.flags |= MS_NOEXEC;
		else if (!strcmp(o, "suid")) m.flags &= ~(unsigned long)MS_NOSUID;
		else if (!strcmp(o, "nosuid")) m.flags |= MS_NOSUID;
		else if (!strcmp(o, "dev")) m.flags &= ~(unsigned long)MS_NODEV;
		else if (!strcmp(o, "nodev")) m.flags |= MS_NODEV;
		else if (!strncmp(o, "size=", 5) || !strncmp(o, "mode=", 5) ||
			 !strncmp(o, "uid=", 4) || !strncmp(o, "gid=", 4) ||
			 !strncmp(o, "nr_inodes=", 10))
			n += (size_t)sprintf(data + n, "%s%s", n ? "," : "", o);
		else
			ctr_usage_error("invalid tmpfs option '%s'", o);
	}
	m.data = n ? data : NULL;
	if (ctr_spec_add_mount(&r->spec, &m, &e) < 0)
		ctr_die(&e);
}

static void add_env_file(struct ctrrun_run *r, const char *path)
{
	static char buf[65536];
	ssize_t n = ctr_read_file_at(AT_FDCWD, path, buf, sizeof(buf));
	char *line, *copy, *save = NULL;
	struct ctr_err e;

	if (n < 0)
		ctr_errn("cannot read env file: %s", path);
	if (!(copy = ctr_spec_strf(&r->spec, &e, "%s", buf)))
		ctr_errx("out of memory");
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line || *line == '#')
			continue;
		if (!strchr(line, '=')) {
			/* NAME alone: from our environment, if set */
			const char *v = getenv(line);
			char *kv;

			if (!v)
				continue;
			if (!(kv = ctr_spec_strf(&r->spec, &e, "%s=%s", line, v)))
				ctr_errx("out of memory");
			line = kv;
		}
		if (ctr_spec_setenv(&r->spec, line, &e) < 0)
			ctr_die(&e);
	}
}

static void add_env(struct ctrrun_run *r, const char *s)
{
	struct ctr_err e;

	if (!strchr(s, '=')) {
		const char *v = getenv(s);
		char *kv;

		if (!v)
			return;
		if (!(kv = ctr_spec_strf(&r->spec, &e, "%s=%s", s, v)))
			ctr_errx("out of memory");
		s = kv;
	}
	if (ctr_spec_setenv(&r->spec, s, &e) < 0)
		ctr_die(&e);
}

static uint64_t cap_mask(const char *opt, const char *name)
{
	int c;

	if (strcasecmp(name, "ALL") == 0)
		return ~0ULL;
	c = ctr_caps_by_name(name);
	if (c < 0 || c > ctr_caps_last())
		ctr_usage_error("invalid capability for %s: '%s'", opt, name);
	return 1ULL << c;
}

static void refuse_unknown(char *const argv[], int c)
{
	const char *arg = argv[optind - 1];
	size_t i;

	if (c == '?' && arg[0] == '-' && arg[1] == '-') {
		size_t n = strcspn(arg + 2, "=");

		for (i = 0; unsupported[i]; i++)
			if (strlen(unsupported[i]) == n && !strncmp(unsupported[i], arg + 2, n))
				ctr_usage_error("docker's --%s is not supported by ctrrun", unsupported[i]);
	}
	ctr_bad_option(c, argv, longopts);
}

/* Docker's flags into r and its spec. Returns the index of IMAGE. */
static int parse_run(struct ctrrun_run *r, int argc, char **argv)
{
	struct ctr_spec *s = &r->spec;
	struct ctr_err e;
	uint64_t add_caps = 0, drop_caps = 0;
	int c, quota_set = 0, period_set = 0, add_all = 0, drop_all = 0;

	if (ctr_spec_docker_defaults(s, &e) < 0)
		ctr_die(&e);
	r->stop_signal = SIGTERM;
	r->stop_timeout = 10;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:dith:e:w:u:v:c:m:", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': r->detach = 1; break;
		case 'i': r->interactive = 1; break;
		case 't': r->tty = 1; break;
		case O_RM: r->rm = 1; break;
		case O_NAME: r->name = optarg; break;
		case 'h':
			if (strlen(optarg) > 63)
				ctr_usage_error("invalid hostname '%s'", optarg);
			s->hostname = optarg;
			break;
		case 'e': add_env(r, optarg); break;
		case O_ENVFILE: add_env_file(r, optarg); break;
		case 'w':
			if (optarg[0] != '/')
				ctr_usage_error("the working directory '%s' is invalid, it needs to be an absolute path", optarg);
			r->workdir = s->process.cwd = optarg;
			break;
		case 'u': r->user = s->process.user = optarg; break;
		case 'v': add(r, &r->binds, optarg); add_volume(r, strdup(optarg)); break;
		case O_TMPFS: add(r, &r->tmpfs, optarg); add_tmpfs(r, strdup(optarg)); break;
		case O_READONLY: r->read_only = s->root.readonly = 1; break;
		case O_ENTRY: r->entrypoint = optarg; break;
		case O_INIT: r->init = s->init = 1; break;
		case O_CPUS: parse_cpus(r, optarg); break;
		case O_QUOTA:
			s->cgroup.cpu_quota = parse_num("--cpu-quota", optarg, -1, 1000000LL * 1000);
			quota_set = 1;
			break;
		case O_PERIOD:
			s->cgroup.cpu_period = (uint64_t)parse_num("--cpu-period", optarg, 1000, 1000000);
			period_set = 1;
			break;
		case 'c': s->cgroup.cpu_shares = (uint64_t)parse_num("--cpu-shares", optarg, 0, 262144); break;
		case O_CPUSET: s->cgroup.cpuset_cpus = optarg; break;
		case O_MEMS: s->cgroup.cpuset_mems = optarg; break;
		case 'm':
			/* -1 (unlimited) is --memory-swap's only */
			if ((s->cgroup.memory = parse_bytes("--memory", optarg)) < 0)
				ctr_usage_error("invalid value for --memory: '%s'", optarg);
			break;
		case O_SWAP: s->cgroup.memory_swap = parse_bytes("--memory-swap", optarg); break;
		case O_PIDS: s->cgroup.pids_limit = parse_num("--pids-limit", optarg, -1, LLONG_MAX); break;
		case O_ULIMIT: parse_ulimit(r, optarg); break;
		case O_NET: r->network = optarg; break;
		case O_CAPADD:
			add(r, &r->cap_add, optarg);
			if (cap_mask("--cap-add", optarg) == ~0ULL)
				add_all = 1;
			else
				add_caps |= cap_mask("--cap-add", optarg);
			break;
		case O_CAPDROP:
			add(r, &r->cap_drop, optarg);
			if (cap_mask("--cap-drop", optarg) == ~0ULL)
				drop_all = 1;
			else
				drop_caps |= cap_mask("--cap-drop", optarg);
			break;
		case O_PRIV: r->privileged = 1; break;
		case O_SECOPT:
			add(r, &r->secopts, optarg);
			if (!strcmp(optarg, "no-new-privileges") || !strcmp(optarg, "no-new-privileges:true") ||
			    !strcmp(optarg, "no-new-privileges=true"))
				s->process.no_new_privs = 1;
			else if (!strcmp(optarg, "no-new-privileges:false") ||
				 !strcmp(optarg, "no-new-privileges=false"))
				s->process.no_new_privs = 0;
			else if (!strcmp(optarg, "seccomp=unconfined") || !strcmp(optarg, "seccomp:unconfined"))
				r->spec.seccomp = CTR_SECCOMP_NONE;
			else
				ctr_usage_error("--security-opt '%s' is not supported "
						"(no-new-privileges, seccomp=unconfined)", optarg);
			break;
		case O_STOPSIG:
			if (ctr_opt_signal(optarg, &r->stop_signal) < 0)
				ctr_usage_error("invalid signal: %s", optarg);
			r->stop_signal_name = optarg;
			break;
		case O_STOPTMO: r->stop_timeout = (int)parse_num("--stop-timeout", optarg, -1, 1 << 30); break;
		case O_ROOT:
			if (!*(ctrrun_root = optarg))
				ctr_usage_error("invalid --root: ''");
			break;
		case O_CGPARENT: r->cgroup_parent = optarg; break;
		case O_HELP: ctr_print_help(usage);
		default: refuse_unknown(argv, c);
		}
	}
	if (optind >= argc)
		ctr_usage_error("\"run\" requires at least 1 argument");
	/* implications, after the loop */
	if (r->nano_cpus) {
		if (quota_set || period_set)
			ctr_usage_error("conflicting options: --cpus and --cpu-quota/--cpu-period");
		s->cgroup.cpu_period = 100000;
		s->cgroup.cpu_quota = r->nano_cpus / 10000;
		if (s->cgroup.cpu_quota < 1000)
			s->cgroup.cpu_quota = 1000;
	}
	if (r->privileged && ctr_spec_privileged(s, &e) < 0)
		ctr_die(&e);
	{
		/* docker: ALL first (add: every cap we hold; drop: none), then
		 * the single ones */
		uint64_t caps = s->process.caps.bounding, all = ctr_spec_caps_all();

		/* docker's TweakCapabilities: --cap-add ALL wins (minus the
		 * single drops), else --cap-drop ALL keeps only the adds */
		if (add_all)
			caps = all & ~drop_caps;
		else if (drop_all)
			caps = add_caps & all;
		else
			caps = ((caps & ~drop_caps) | add_caps) & all;
		s->process.caps.bounding = s->process.caps.effective = s->process.caps.permitted = caps;
	}
	return optind;
}

/* ---- run ----------------------------------------------------------------- */

static int verb_is(const char *s)
{
	static const char *const verbs[] = { "run", "ps", "inspect", "exec", "logs", "stop",
					     "kill", "rm", "wait", NULL };
	int i;

	for (i = 0; verbs[i]; i++)
		if (strcmp(s, verbs[i]) == 0)
			return i;
	return -1;
}

int ctrrun_main(int argc, char **argv)
{
	static struct ctrrun_run r;
	int v, i;

	ctr_fail_status = 125;
	/* global options before the verb */
	while (argc > 1 && strncmp(argv[1], "--root", 6) == 0) {
		if (argv[1][6] == '=') {
			ctrrun_root = argv[1] + 7;
		} else if (argv[1][6] == 0 && argc > 2) {
			ctrrun_root = argv[2];
			argv++;
			argc--;
		} else {
			break;
		}
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	/* an empty root would put state dirs in the host's / */
	if (!*ctrrun_root)
		ctr_usage_error("invalid --root: ''");
	/* -h alone is help; `ctrrun -h NAME IMAGE` is run's --hostname */
	if (argc > 1 && (!strcmp(argv[1], "--help") || (!strcmp(argv[1], "-h") && argc == 2)))
		ctr_print_help(usage);
	v = argc > 1 ? verb_is(argv[1]) : -1;
	if (v >= 0) {
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	ctrrun_gc();
	switch (v) {
	case 1: return ctrrun_ps(argc, argv);
	case 2: return ctrrun_inspect(argc, argv);
	case 3: return ctrrun_exec(argc, argv);
	case 4: return ctrrun_logs(argc, argv);
	case 5: return ctrrun_stop(argc, argv);
	case 6: return ctrrun_kill(argc, argv);
	case 7: return ctrrun_rm(argc, argv);
	case 8: return ctrrun_wait(argc, argv);
	}
	i = parse_run(&r, argc, argv);
	return ctrrun_run_main(&r, argc - i, argv + i);
}
