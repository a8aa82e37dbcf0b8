/* seccomp.c: seccomp policies as data, syscall names, docker's default
 * profile. The compiler to BPF is in seccomp_bpf.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ctr/seccomp.h"
#include "ctr/str.h"

struct sc_ent {
	uint16_t nr[CTR_SECCOMP_NARCH];   /* of the i-th name in sc_names */
};
struct sc_gate {
	uint8_t cap;
	uint16_t idx;
};
#define SC_NONE 0xffff
#include "seccomp_tbl.inc"

/* The names are walked, not indexed (front coded, see seccomp_tbl.inc):
 * the few hundred steps of a walk cost less than tables.
 *
 * Search: m counts the leading chars of name the current entry matches.
 * An entry sharing more than m chars with the one before still differs
 * from name at m and is skipped unread; one sharing k <= m matches name
 * up to k and is compared from there. The names are sorted, so an entry
 * past name ends the search. */
static int sc_index(const char *name)
{
	const unsigned char *s = (const unsigned char *)sc_names;
	const unsigned char *n = (const unsigned char *)name;
	size_t i, m = 0;

	for (i = 0; i < SC_COUNT; i++) {
		size_t k = *s++;

		if (k <= m) {
			for (m = k; *s && *s == n[m]; s++)
				m++;
			if (!*s && !n[m])
				return (int)i;
			if (*s > n[m])
				return -1;
		}
		s += strlen((const char *)s) + 1;
	}
	return -1;
}

/* The index-th name, decoded into buf (32 bytes). */
static void sc_name_at(size_t index, char *buf)
{
	const char *s = sc_names;
	size_t i, n;

	for (i = 0; i <= index; i++, s += n + 1) {
		n = strlen(s + 1);
		memcpy(buf + (unsigned char)*s, s + 1, n + 1);
		s++;
	}
}

static int sc_nr(size_t idx, int arch)
{
	unsigned nr = sc_tbl[idx].nr[arch];

	return nr == SC_NONE ? -1 : (int)nr;
}

int ctr_seccomp_syscall_nr(const char *name, int arch)
{
	int i;

	if (arch < 0 || arch >= CTR_SECCOMP_NARCH || (i = sc_index(name)) < 0)
		return -1;
	return sc_nr((size_t)i, arch);
}

const char *ctr_seccomp_syscall_name(int nr, int arch)
{
	static char name[32];
	size_t i;

	if (arch < 0 || arch >= CTR_SECCOMP_NARCH || nr < 0)
		return NULL;
	for (i = 0; i < SC_COUNT; i++)
		if (sc_nr(i, arch) == nr) {
			sc_name_at(i, name);
			return name;
		}
	return NULL;
}

/* name=value tables for the OCI spellings, NUL-separated, in value order
 * starting at 1 (0 for the arches). */
int ctr_seccomp_arch_by_name(const char *name)
{
	return ctr_str_lookup("SCMP_ARCH_X86_64\0SCMP_ARCH_AARCH64\0", name, 0);
}

int ctr_seccomp_act_by_name(const char *name)
{
	if (strcmp(name, "SCMP_ACT_KILL") == 0)
		return CTR_SCMP_KILL_THREAD;
	return ctr_str_lookup("SCMP_ACT_KILL_THREAD\0SCMP_ACT_KILL_PROCESS\0SCMP_ACT_TRAP\0"
		      "SCMP_ACT_ERRNO\0SCMP_ACT_TRACE\0SCMP_ACT_LOG\0SCMP_ACT_ALLOW\0",
		      name, CTR_SCMP_KILL_THREAD);
}

int ctr_seccomp_op_by_name(const char *name)
{
	return ctr_str_lookup("SCMP_CMP_NE\0SCMP_CMP_LT\0SCMP_CMP_LE\0SCMP_CMP_EQ\0"
		      "SCMP_CMP_GE\0SCMP_CMP_GT\0SCMP_CMP_MASKED_EQ\0", name, CTR_SCMP_NE);
}

int ctr_seccomp_flag_by_name(const char *name)
{
	static const unsigned char bit[] = { 1, 2, 4, 32 };
	int i;

	if (strncmp(name, "SECCOMP_FILTER_FLAG_", 20) != 0)
		return -1;
	i = ctr_str_lookup("TSYNC\0LOG\0SPEC_ALLOW\0WAIT_KILLABLE_RECV\0", name + 20, 0);
	return i < 0 ? -1 : bit[i];
}

uint32_t ctr_seccomp_audit_arch(int arch)
{
	/* EM_X86_64 62, EM_AARCH64 183, | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE */
	return (arch == CTR_SECCOMP_AARCH64 ? 183u : 62u) | 0x80000000u | 0x40000000u;
}

void ctr_seccomp_policy_init(struct ctr_seccomp_policy *p, int arch,
			     int default_action, int default_data)
{
	memset(p, 0, sizeof(*p));
	p->arch = arch;
	p->default_action = (uint8_t)default_action;
	p->default_data = (uint16_t)default_data;
}

void ctr_seccomp_policy_free(struct ctr_seccomp_policy *p)
{
	free(p->rules);
	free(p->args);
	p->rules = NULL;
	p->args = NULL;
	p->nrules = p->cap = p->nargs = p->argcap = 0;
}

/* Room for n more items in a heap array of *cap items of size sz. */
static int grow(void **a, size_t *cap, size_t used, size_t n, size_t sz)
{
	size_t c = *cap ? *cap : 16;
	void *na;

	if (used + n <= *cap)
		return 0;
	while (c < used + n)
		c *= 2;
	if (!(na = realloc(*a, c * sz)))
		return -1;
	*a = na;
	*cap = c;
	return 0;
}

int ctr_seccomp_rule_add(struct ctr_seccomp_policy *p, const struct ctr_seccomp_rule *r)
{
	size_t i;

	if (r->nr < 0 || r->action < CTR_SCMP_KILL_THREAD || r->action > CTR_SCMP_ALLOW ||
	    r->nargs > CTR_SECCOMP_MAXARGS) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < r->nargs; i++)
		if (r->args[i].index >= 6 || r->args[i].op < CTR_SCMP_NE ||
		    r->args[i].op > CTR_SCMP_MASKED_EQ) {
			errno = EINVAL;
			return -1;
		}
	if (grow((void **)&p->rules, &p->cap, p->nrules, 1, sizeof(*p->rules)) < 0 ||
	    grow((void **)&p->args, &p->argcap, p->nargs, r->nargs, sizeof(*p->args)) < 0)
		return -1;
	p->rules[p->nrules++] = (struct ctr_seccomp_prule){
		r->nr, r->action, r->nargs, r->data, (uint32_t)p->nargs };
	if (r->nargs)
		memcpy(p->args + p->nargs, r->args, r->nargs * sizeof(*r->args));
	p->nargs += r->nargs;
	return 0;
}

int ctr_seccomp_rule_add_name(struct ctr_seccomp_policy *p, const char *name,
			      int action, int data, size_t nargs,
			      const struct ctr_seccomp_arg *args)
{
	struct ctr_seccomp_rule r;

	if (nargs > CTR_SECCOMP_MAXARGS) {
		errno = EINVAL;
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.nr = ctr_seccomp_syscall_nr(name, p->arch);
	if (r.nr < 0)
		return 0;
	r.action = (uint8_t)action;
	r.data = (uint16_t)data;
	r.nargs = (uint8_t)nargs;
	if (nargs)
		memcpy(r.args, args, nargs * sizeof(*args));
	return ctr_seccomp_rule_add(p, &r);
}

#define CAP_SYS_ADMIN 21
/* CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET */
#define CLONE_NS_MASK 0x7e020000ULL

/* A rule for syscall nr (none when the arch lacks it: nr < 0) testing
 * argument 0, or none with op 0. */
static int add1(struct ctr_seccomp_policy *p, int nr, int action, int data,
		int op, uint64_t v, uint64_t v2)
{
	struct ctr_seccomp_rule r = { .nr = nr, .action = (uint8_t)action,
		.data = (uint16_t)data, .nargs = op ? 1 : 0 };

	r.args[0] = (struct ctr_seccomp_arg){ 0, (uint8_t)op, v, v2 };
	return nr < 0 ? 0 : ctr_seccomp_rule_add(p, &r);
}

int ctr_seccomp_docker_default(struct ctr_seccomp_policy *p, int arch,
			       uint64_t bounding_caps, struct ctr_err *e)
{
	/* personality(2) values docker allows: PER_LINUX, PER_LINUX32, UNAME26,
	 * UNAME26|PER_LINUX32, and 0xffffffff (query). */
	static const uint32_t persona[] = { 0, 8, 0x20000, 0x20008, 0xffffffff };
	/* AF_* allowed past AF_DECnet (12, removed in 6.1); not ECONET 19,
	 * ATMSVC 20, IRDA 23, WANPIPE 25, ISDN 34, CAIF 37, ALG 38, VSOCK 40 */
	static const unsigned char families[] = { 13, 14, 15, 16, 17, 18, 21, 22, 24, 26, 27,
		28, 29, 30, 31, 32, 33, 35, 36, 39, 41, 42, 43, 44, 45 };
	unsigned char allow[sizeof(sc_docker_allow)];
	struct ctr_seccomp_rule r;
	size_t i;
	int err = 0, nr;

	if (arch < 0 || arch >= CTR_SECCOMP_NARCH)
		return ctr_err_set(e, ENOSYS, "seccomp", "no syscall table for this architecture");
	ctr_seccomp_policy_init(p, arch, CTR_SCMP_ERRNO, EPERM);
	memset(&r, 0, sizeof(r));
	r.action = CTR_SCMP_ALLOW;
	memcpy(allow, sc_docker_allow, sizeof(allow));
	for (i = 0; i < sizeof(sc_docker_gated) / sizeof(sc_docker_gated[0]); i++)
		if ((bounding_caps >> sc_docker_gated[i].cap) & 1)
			allow[sc_docker_gated[i].idx / 8] |= (unsigned char)(1 << sc_docker_gated[i].idx % 8);
	err |= grow((void **)&p->rules, &p->cap, 0, 512, sizeof(*p->rules)) | /* its size */
	       grow((void **)&p->args, &p->argcap, 0, 64, sizeof(*p->args));
	for (i = 0; i < SC_COUNT; i++)
		if ((allow[i / 8] >> (i % 8)) & 1 && (r.nr = sc_nr(i, arch)) >= 0)
			err |= ctr_seccomp_rule_add(p, &r);
	if (!((bounding_caps >> CAP_SYS_ADMIN) & 1)) {
		/* clone without namespace flags; clone3's flags sit behind a
		 * pointer, so it gets ENOSYS and libcs fall back to clone. */
		err |= add1(p, sc_nr(SC_IDX_CLONE, arch), CTR_SCMP_ALLOW, 0,
			    CTR_SCMP_MASKED_EQ, CLONE_NS_MASK, 0);
		err |= add1(p, sc_nr(SC_IDX_CLONE3, arch), CTR_SCMP_ERRNO, ENOSYS, 0, 0, 0);
	}
	/* socket: the families the kernel still implements, but AF_ALG (38)
	 * and AF_VSOCK (40), as moby writes them: one range from AF_UNIX, then
	 * one rule per family (runc ORs repeated tests of one argument). */
	nr = sc_nr(SC_IDX_SOCKET, arch);
	err |= add1(p, nr, CTR_SCMP_ALLOW, 0, CTR_SCMP_LT, 12, 0);
	for (i = 0; i < sizeof(families); i++)
		err |= add1(p, nr, CTR_SCMP_ALLOW, 0, CTR_SCMP_EQ, families[i], 0);
	nr = sc_nr(SC_IDX_PERSONALITY, arch);
	for (i = 0; i < sizeof(persona) / sizeof(persona[0]); i++)
		err |= add1(p, nr, CTR_SCMP_ALLOW, 0, CTR_SCMP_EQ, persona[i], 0);
	if (err) {
		ctr_seccomp_policy_free(p);
		return ctr_err_sys(e, "seccomp profile", "%s", "docker default");
	}
	return 0;
}
