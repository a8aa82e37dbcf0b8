/* seccomp_bpf.c: a seccomp policy compiled to classic BPF, written here (no
 * libseccomp), loaded with seccomp(2), and an interpreter of the same
 * subset for tests.
 *
 * The program:
 *   arch != the policy's AUDIT_ARCH          -> KILL_PROCESS (i386 via int $0x80)
 *   x86_64: nr >= 0x40000000 (x32 ABI)       -> KILL_PROCESS (but nr -1)
 *   nr > highest nr the policy names         -> ERRNO(ENOSYS)   (runc's patchbpf)
 *   binary search on nr over intervals [lo, hi] of equal outcome: a leaf is
 *   one RET, or the argument rules of one syscall.
 * Jumps of classic BPF only go forward and jt/jf are 8 bits: a tree node
 * whose right half is farther than 255 insns jumps there through a JA
 * (32-bit offset). */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ctr/seccomp.h"

/* linux/filter.h, linux/seccomp.h (musl has neither) */
#define BPF_LD_W_ABS 0x20       /* BPF_LD|BPF_W|BPF_ABS */
#define BPF_ALU_AND_K 0x54      /* BPF_ALU|BPF_AND|BPF_K */
#define BPF_JA 0x05             /* BPF_JMP|BPF_JA */
#define BPF_JEQ_K 0x15
#define BPF_JGT_K 0x25
#define BPF_JGE_K 0x35
#define BPF_JSET_K 0x45
#define BPF_RET_K 0x06

#define RET_KILL_PROCESS 0x80000000u
#define RET_KILL_THREAD 0x00000000u
#define RET_TRAP 0x00030000u
#define RET_ERRNO 0x00050000u
#define RET_TRACE 0x7ff00000u
#define RET_LOG 0x7ffc0000u
#define RET_ALLOW 0x7fff0000u

#define SECCOMP_SET_MODE_FILTER 1
#define X32_SYSCALL_BIT 0x40000000u

/* struct seccomp_data: int nr; u32 arch; u64 ip; u64 args[6] (LE) */
#define OFF_NR 0
#define OFF_ARCH 4
#define OFF_ARG_LO(i) (16 + 8 * (i))
#define OFF_ARG_HI(i) (20 + 8 * (i))

struct emit {
	struct ctr_seccomp_insn *buf;   /* NULL: count only */
	size_t pos, max;
	const struct ctr_seccomp_arg *args;     /* the policy's pool */
};

/* Condition i of rule r. */
#define ARG(e, r, i) (&(e)->args[(r)->arg + (i)])

static void put(struct emit *e, uint16_t code, uint32_t k, size_t jt, size_t jf)
{
	if (e->buf && e->pos < e->max) {
		e->buf[e->pos].code = code;
		e->buf[e->pos].jt = (uint8_t)jt;
		e->buf[e->pos].jf = (uint8_t)jf;
		e->buf[e->pos].k = k;
	}
	e->pos++;
}

static uint32_t ret_value(int action, unsigned data)
{
	switch (action) {
	case CTR_SCMP_KILL_THREAD: return RET_KILL_THREAD;
	case CTR_SCMP_KILL_PROCESS: return RET_KILL_PROCESS;
	case CTR_SCMP_TRAP: return RET_TRAP;
	case CTR_SCMP_ERRNO: return RET_ERRNO | (data ? data & 0xffff : EPERM);
	case CTR_SCMP_TRACE: return RET_TRACE | (data & 0xffff);
	case CTR_SCMP_LOG: return RET_LOG;
	default: return RET_ALLOW;
	}
}

static size_t cond_size(int op)
{
	return op == CTR_SCMP_EQ || op == CTR_SCMP_NE ? 4 : op == CTR_SCMP_MASKED_EQ ? 6 : 5;
}

/* One 64-bit condition as hi/lo word tests. P: the code after it; F: rest
 * insns beyond that (the next rule). In an insn at index i of a size-s
 * condition, P is s-i-1 ahead and F s-i-1+rest ahead. */
static void emit_cond(struct emit *e, const struct ctr_seccomp_arg *a, size_t rest)
{
	uint32_t vl = (uint32_t)a->value, vh = (uint32_t)(a->value >> 32);
	uint32_t wl = (uint32_t)a->value2, wh = (uint32_t)(a->value2 >> 32);
	size_t s = cond_size(a->op);
#define P(i) (s - (i) - 1)
#define F(i) (s - (i) - 1 + rest)
	put(e, BPF_LD_W_ABS, OFF_ARG_HI(a->index), 0, 0);
	switch (a->op) {
	case CTR_SCMP_EQ:
		put(e, BPF_JEQ_K, vh, 0, F(1));
		put(e, BPF_LD_W_ABS, OFF_ARG_LO(a->index), 0, 0);
		put(e, BPF_JEQ_K, vl, P(3), F(3));
		break;
	case CTR_SCMP_NE:
		put(e, BPF_JEQ_K, vh, 0, P(1));
		put(e, BPF_LD_W_ABS, OFF_ARG_LO(a->index), 0, 0);
		put(e, BPF_JEQ_K, vl, F(3), P(3));
		break;
	case CTR_SCMP_GT:
	case CTR_SCMP_GE:
		put(e, BPF_JGT_K, vh, P(1), 0);
		put(e, BPF_JEQ_K, vh, 0, F(2));
		put(e, BPF_LD_W_ABS, OFF_ARG_LO(a->index), 0, 0);
		put(e, a->op == CTR_SCMP_GT ? BPF_JGT_K : BPF_JGE_K, vl, P(4), F(4));
		break;
	case CTR_SCMP_LT:
	case CTR_SCMP_LE:
		put(e, BPF_JGT_K, vh, F(1), 0);
		put(e, BPF_JEQ_K, vh, 0, P(2));
		put(e, BPF_LD_W_ABS, OFF_ARG_LO(a->index), 0, 0);
		put(e, a->op == CTR_SCMP_LT ? BPF_JGE_K : BPF_JGT_K, vl, F(4), P(4));
		break;
	default: /* MASKED_EQ: (arg & value) == value2 */
		put(e, BPF_ALU_AND_K, vh, 0, 0);
		put(e, BPF_JEQ_K, wh, 0, F(2));
		put(e, BPF_LD_W_ABS, OFF_ARG_LO(a->index), 0, 0);
		put(e, BPF_ALU_AND_K, vl, 0, 0);
		put(e, BPF_JEQ_K, wl, P(5), F(5));
		break;
	}
#undef P
#undef F
}

static size_t rule_size(const struct emit *e, const struct ctr_seccomp_prule *r)
{
	size_t i, n = 1;

	for (i = 0; i < r->nargs; i++)
		n += cond_size(ARG(e, r, i)->op);
	return n;
}

/* An interval of syscall numbers with one outcome: a RET value, or the
 * rules of one syscall (complex): rules r[0..n-1] in policy order. */
struct ival {
	uint32_t lo;
	int complex;
	uint32_t ret;
	const struct ctr_seccomp_prule *const *r;
	size_t n, size;         /* size: of the leaf's code */
};

/* A rule that tests one argument for equality, and whether q can join a
 * chain of such rules started by r: same argument, same high word, same
 * action (so their order among themselves does not matter). */
static int eq1(const struct emit *e, const struct ctr_seccomp_prule *r)
{
	return r->nargs == 1 && ARG(e, r, 0)->op == CTR_SCMP_EQ;
}

static int same_chain(const struct emit *e, const struct ctr_seccomp_prule *q,
		      const struct ctr_seccomp_prule *r)
{
	return eq1(e, q) && ARG(e, q, 0)->index == ARG(e, r, 0)->index &&
	       ARG(e, q, 0)->value >> 32 == ARG(e, r, 0)->value >> 32 &&
	       q->action == r->action && q->data == r->data;
}

/* k chained rules (those with arguments among r[0..last]): one load of
 * each word, then one JEQ per value. */
static void emit_chain(struct emit *e, const struct ctr_seccomp_prule *const *r, size_t last,
		       size_t k)
{
	size_t j, idx = 0;

	const struct ctr_seccomp_arg *a = ARG(e, r[0], 0);

	put(e, BPF_LD_W_ABS, OFF_ARG_HI(a->index), 0, 0);
	put(e, BPF_JEQ_K, (uint32_t)(a->value >> 32), 0, k + 2);
	put(e, BPF_LD_W_ABS, OFF_ARG_LO(a->index), 0, 0);
	for (j = 0; j <= last; j++) {
		if (!r[j]->nargs)
			continue;
		if (++idx < k)
			put(e, BPF_JEQ_K, (uint32_t)ARG(e, r[j], 0)->value, k - idx, 0);
		else
			put(e, BPF_JEQ_K, (uint32_t)ARG(e, r[j], 0)->value, 0, 1);
	}
	put(e, BPF_RET_K, ret_value(r[0]->action, r[0]->data), 0, 0);
}

/* The rules of one syscall: conditional ones in order, then the first
 * unconditional one, or the default action. */
static void emit_block(struct emit *e, const struct ctr_seccomp_prule *const *r, size_t n,
		       uint32_t defret)
{
	const struct ctr_seccomp_prule *uncond = NULL;
	size_t i, j;

	for (i = 0; i < n; i++) {
		size_t rest, k = 1, last = 0;

		if (!r[i]->nargs) {
			if (!uncond)
				uncond = r[i];
			continue;
		}
		if (eq1(e, r[i])) {
			for (j = i + 1; j < n && k < 200; j++) {
				if (!r[j]->nargs)
					continue;
				if (!same_chain(e, r[j], r[i]))
					break;
				k++;
				last = j - i;
			}
		}
		if (k > 1) {
			emit_chain(e, r + i, last, k);
			for (j = i + 1; j < i + last; j++)
				if (!r[j]->nargs && !uncond)
					uncond = r[j];
			i += last;
			continue;
		}
		rest = rule_size(e, r[i]);
		for (j = 0; j < r[i]->nargs; j++) {
			rest -= cond_size(ARG(e, r[i], j)->op);
			emit_cond(e, ARG(e, r[i], j), rest);
		}
		put(e, BPF_RET_K, ret_value(r[i]->action, r[i]->data), 0, 0);
	}
	put(e, BPF_RET_K, uncond ? ret_value(uncond->action, uncond->data) : defret, 0, 0);
}

/* Code size of intervals a..b-1 as a tree (each leaf's size is known). */
static size_t tree_size(const struct ival *iv, size_t a, size_t b)
{
	size_t mid, left;

	if (b - a == 1)
		return iv[a].size;
	mid = a + (b - a) / 2;
	left = tree_size(iv, a, mid);
	return (left <= 255 ? 1 : 2) + left + tree_size(iv, mid, b);
}

/* Intervals a..b-1 as a binary search tree. */
static void emit_tree(struct emit *e, const struct ival *iv, size_t a, size_t b, uint32_t defret)
{
	size_t mid, left;

	if (b - a == 1) {
		if (iv[a].complex)
			emit_block(e, iv[a].r, iv[a].n, defret);
		else
			put(e, BPF_RET_K, iv[a].ret, 0, 0);
		return;
	}
	mid = a + (b - a) / 2;
	left = tree_size(iv, a, mid);
	if (left <= 255) {
		put(e, BPF_JGE_K, iv[mid].lo, left, 0);
	} else {
		put(e, BPF_JGE_K, iv[mid].lo, 0, 1);
		put(e, BPF_JA, (uint32_t)left, 0, 0);
	}
	emit_tree(e, iv, a, mid, defret);
	emit_tree(e, iv, mid, b, defret);
}

/* Rules by syscall number, in policy order within one number. */
static int cmp_rule(const void *a, const void *b)
{
	const struct ctr_seccomp_prule *x = *(const struct ctr_seccomp_prule *const *)a;
	const struct ctr_seccomp_prule *y = *(const struct ctr_seccomp_prule *const *)b;

	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* by[] = the rules ordered by number, policy order within a number: a
 * counting sort over the numbers (they are small), qsort past 64Ki. */
static int sort_rules(const struct ctr_seccomp_policy *p, const struct ctr_seccomp_prule **by)
{
	size_t i, *at, top = 0;

	for (i = 0; i < p->nrules; i++) {
		by[i] = &p->rules[i];
		if ((size_t)p->rules[i].nr > top)
			top = (size_t)p->rules[i].nr;
	}
	if (top >= 65536) {
		qsort(by, p->nrules, sizeof(*by), cmp_rule);
		return 0;
	}
	/* docker's numbers (top ~450) fit a static table: no calloc */
	static size_t small[1024];

	at = top + 2 <= 1024 ? memset(small, 0, (top + 2) * sizeof(*at)) : calloc(top + 2, sizeof(*at));
	if (!at)
		return -1;
	for (i = 0; i < p->nrules; i++)
		at[p->rules[i].nr + 1]++;
	for (i = 1; i <= top + 1; i++)
		at[i] += at[i - 1];
	for (i = 0; i < p->nrules; i++)
		by[at[p->rules[i].nr]++] = &p->rules[i];
	if (at != small)
		free(at);
	return 0;
}

int ctr_seccomp_compile(const struct ctr_seccomp_policy *p, struct ctr_seccomp_prog *prog,
			struct ctr_err *e)
{
	struct emit em = { prog->insns, 0, CTR_SECCOMP_MAXINSNS, p->args };
	uint32_t defret = ret_value(p->default_action, p->default_data);
	const struct ctr_seccomp_prule **by;
	struct ival *iv;
	int maxnr = -1;
	size_t i, j, niv = 0;

	if (p->arch < 0 || p->arch >= CTR_SECCOMP_NARCH)
		return ctr_err_set(e, ENOSYS, "seccomp", "no syscall table for this architecture");
	/* One block: the intervals, then the rules by number. A profile's
	 * size (docker's: ~36 KB) fits a static one, whose pages are touched
	 * as far as used, with no mmap/munmap round trip (not reentrant: the
	 * compiler runs once, before the clone). */
	static _Alignas(16) char scratch[48 << 10];
	size_t need = (2 * p->nrules + 2) * sizeof(*iv) + (p->nrules + 1) * sizeof(*by);

	iv = need <= sizeof(scratch) ? (struct ival *)scratch : malloc(need);
	by = iv ? (const struct ctr_seccomp_prule **)(iv + 2 * p->nrules + 2) : NULL;
	if (!iv || sort_rules(p, by) < 0) {
		if ((char *)iv != scratch)
			free(iv);
		return ctr_err_sys(e, "seccomp compile", NULL);
	}
	/* intervals over [0, maxnr] (or [0, 2^32) without the ENOSYS stub):
	 * each named syscall, and the gaps between them with the default. */
	iv[niv++] = (struct ival){ 0, 0, defret, NULL, 0, 1 };
	for (i = 0; i < p->nrules; i = j) {
		struct ival v = { (uint32_t)by[i]->nr, 0, 0, by + i, 0, 1 };

		for (j = i; j < p->nrules && by[j]->nr == by[i]->nr; j++)
			v.complex |= by[j]->nargs != 0;
		v.n = j - i;
		maxnr = by[i]->nr;
		if (v.complex) {
			struct emit m = { NULL, 0, 0, p->args };

			emit_block(&m, v.r, v.n, defret);
			v.size = m.pos;
		} else {
			v.ret = ret_value(by[i]->action, by[i]->data);
		}
		if (niv && iv[niv - 1].lo == v.lo)
			niv--;          /* replaces the gap starting here */
		if (v.complex || !niv || iv[niv - 1].complex || iv[niv - 1].ret != v.ret)
			iv[niv++] = v;
		/* the gap after it */
		if (v.complex || v.ret != defret)
			iv[niv++] = (struct ival){ (uint32_t)maxnr + 1, 0, defret, NULL, 0, 1 };
	}
	/* a gap interval past maxnr is unreachable under the stub: drop it */
	if (p->default_action != CTR_SCMP_ALLOW && niv > 1 && iv[niv - 1].lo > (uint32_t)maxnr)
		niv--;

	put(&em, BPF_LD_W_ABS, OFF_ARCH, 0, 0);
	put(&em, BPF_JEQ_K, ctr_seccomp_audit_arch(p->arch), 1, 0);
	put(&em, BPF_RET_K, RET_KILL_PROCESS, 0, 0);
	put(&em, BPF_LD_W_ABS, OFF_NR, 0, 0);
	if (p->arch == CTR_SECCOMP_X86_64) {
		/* x32 shares AUDIT_ARCH_X86_64: its calls carry this bit. nr -1
		 * (no syscall, e.g. after a tracer skipped it) goes on to ENOSYS. */
		put(&em, BPF_JGE_K, X32_SYSCALL_BIT, 0, 2);
		put(&em, BPF_JEQ_K, 0xffffffffu, 1, 0);
		put(&em, BPF_RET_K, RET_KILL_PROCESS, 0, 0);
	}
	if (p->default_action != CTR_SCMP_ALLOW && maxnr >= 0) {
		put(&em, BPF_JGT_K, (uint32_t)maxnr, 0, 1);
		put(&em, BPF_RET_K, RET_ERRNO | ENOSYS, 0, 0);
	}
	emit_tree(&em, iv, 0, niv, defret);
	if ((char *)iv != scratch)
		free(iv);
	if (em.pos > CTR_SECCOMP_MAXINSNS) {
		prog->len = 0;
		return ctr_err_set(e, E2BIG, "seccomp compile", "%zu instructions (max %d)",
				   em.pos, CTR_SECCOMP_MAXINSNS);
	}
	prog->len = em.pos;
	return 0;
}

int ctr_seccomp_load(const struct ctr_seccomp_prog *prog, unsigned flags, struct ctr_err *e)
{
	struct {
		unsigned short len;
		const struct ctr_seccomp_insn *filter;
	} fprog = { (unsigned short)prog->len, prog->insns };

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog) == 0)
		return 0;
	if (errno == ENOSYS && flags == 0 &&
	    prctl(PR_SET_SECCOMP, 2 /* SECCOMP_MODE_FILTER */, &fprog, 0, 0) == 0)
		return 0;
	return ctr_err_sys(e, "seccomp", "%zu instructions", prog->len);
}

int ctr_seccomp_apply(const struct ctr_seccomp_policy *p, unsigned flags, struct ctr_err *e)
{
	struct ctr_seccomp_prog *prog = malloc(sizeof(*prog));
	int rc;

	if (!prog)
		return ctr_err_sys(e, "seccomp compile", NULL);
	rc = ctr_seccomp_compile(p, prog, e);
	if (rc == 0)
		rc = ctr_seccomp_load(prog, flags, e);
	free(prog);
	return rc;
}

uint32_t ctr_seccomp_eval(const struct ctr_seccomp_prog *prog, uint32_t audit_arch,
			  int nr, const uint64_t args[6])
{
	unsigned char data[64];
	uint32_t a = 0, w;
	size_t pc = 0;
	int i;

	memset(data, 0, sizeof(data));
	memcpy(data + OFF_NR, &nr, 4);
	memcpy(data + OFF_ARCH, &audit_arch, 4);
	for (i = 0; i < 6; i++)
		memcpy(data + OFF_ARG_LO(i), &args[i], 8);
	while (pc < prog->len) {
		const struct ctr_seccomp_insn *in = &prog->insns[pc++];

		switch (in->code) {
		case BPF_LD_W_ABS:
			if (in->k > sizeof(data) - 4)
				return RET_KILL_THREAD;
			memcpy(&w, data + in->k, 4);
			a = w;
			break;
		case BPF_ALU_AND_K: a &= in->k; break;
		case BPF_JA: pc += in->k; break;
		case BPF_JEQ_K: pc += a == in->k ? in->jt : in->jf; break;
		case BPF_JGT_K: pc += a > in->k ? in->jt : in->jf; break;
		case BPF_JGE_K: pc += a >= in->k ? in->jt : in->jf; break;
		case BPF_JSET_K: pc += (a & in->k) ? in->jt : in->jf; break;
		case BPF_RET_K: return in->k;
		default: return RET_KILL_THREAD;
		}
	}
	return RET_KILL_THREAD;
}
