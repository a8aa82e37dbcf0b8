/* seccomp_compile_test.c: the BPF compiler through the interpreter:
 * every operator on 64-bit values against a reference, chains of EQ rules
 * mixed with other rules against the documented rule order, ERRNO's
 * default, and a policy large enough to need JA trampolines. */
#include <stdint.h>
#include "ctr/seccomp.h"
#include "unit.h"

#define RET_ALLOW 0x7fff0000u
#define RET_ERRNO(e) (0x00050000u | (e))

static struct ctr_seccomp_prog prog;

static uint32_t ev(int arch, int nr, uint64_t a0)
{
	uint64_t a[6] = { a0, 0, 0, 0, 0, 0 };

	return ctr_seccomp_eval(&prog, ctr_seccomp_audit_arch(arch), nr, a);
}

/* Reference semantics of one 64-bit condition. */
static int ref(int op, uint64_t a, uint64_t v, uint64_t v2)
{
	switch (op) {
	case CTR_SCMP_NE: return a != v;
	case CTR_SCMP_LT: return a < v;
	case CTR_SCMP_LE: return a <= v;
	case CTR_SCMP_EQ: return a == v;
	case CTR_SCMP_GE: return a >= v;
	case CTR_SCMP_GT: return a > v;
	default: return (a & v) == v2;
	}
}

static uint64_t rnd(uint64_t *s)
{
	static const uint64_t edge[] = { 0, 1, 0xffffffff, 0x100000000ULL, 0xffffffffffffffffULL,
		0x7fffffff, 0x80000000, 0x1ffffffffULL };
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	if ((*s & 3) == 0)
		return edge[(*s >> 8) % 8];
	if ((*s & 3) == 1)   /* share a half with another value */
		return (*s >> 8) & 0x1ffffffffULL;
	return *s;
}

/* Every operator, on argument index 0..5, two ANDed conditions, 64-bit values
 * around the word boundaries: the compiled filter agrees with ref(). */
static void t_ops(void)
{
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	int iter, bad = 0;

	for (iter = 0; iter < 3000; iter++) {
		struct ctr_seccomp_policy p;
		struct ctr_seccomp_rule r;
		struct ctr_err e = { 0 };
		uint64_t args[6];
		int k, want;

		ctr_seccomp_policy_init(&p, CTR_SECCOMP_X86_64, CTR_SCMP_ERRNO, EPERM);
		memset(&r, 0, sizeof(r));
		r.nr = 7;
		r.action = CTR_SCMP_ERRNO;
		r.data = 99;
		r.nargs = 2;
		for (k = 0; k < 2; k++) {
			r.args[k].index = (uint8_t)(rnd(&s) % 6);
			r.args[k].op = (uint8_t)(1 + rnd(&s) % 7);
			r.args[k].value = rnd(&s);
			r.args[k].value2 = rnd(&s) & r.args[k].value;
		}
		CHECK(ctr_seccomp_rule_add(&p, &r) == 0);
		r.nr = 9;       /* an unconditional neighbour */
		r.nargs = 0;
		r.action = CTR_SCMP_ALLOW;
		CHECK(ctr_seccomp_rule_add(&p, &r) == 0);
		CHECK(ctr_seccomp_compile(&p, &prog, &e) == 0);
		for (k = 0; k < 6; k++)
			args[k] = rnd(&s);
		if (iter & 1)
			args[r.args[0].index] = r.args[0].value;
		want = ref(r.args[0].op, args[r.args[0].index],
			   r.args[0].value, r.args[0].value2) &&
		       ref(r.args[1].op, args[r.args[1].index],
			   r.args[1].value, r.args[1].value2);
		if (ctr_seccomp_eval(&prog, ctr_seccomp_audit_arch(0), 7, args) !=
		    (want ? RET_ERRNO(99) : RET_ERRNO(EPERM)))
			bad++;
		if (ctr_seccomp_eval(&prog, ctr_seccomp_audit_arch(0), 9, args) != RET_ALLOW ||
		    ctr_seccomp_eval(&prog, ctr_seccomp_audit_arch(0), 8, args) != RET_ERRNO(EPERM) ||
		    ctr_seccomp_eval(&prog, ctr_seccomp_audit_arch(0), 10, args) != RET_ERRNO(ENOSYS))
			bad++;
		ctr_seccomp_policy_free(&p);
	}
	CHECK_EQ(bad, 0);
}

/* Runs of one-argument EQ rules (compiled as one chain when argument, high
 * word and action agree) mixed with other rules: the first matching rule
 * in order decides, as without chains. */
static void t_chains(void)
{
	uint64_t s = 0x1234567;
	int iter, bad = 0;

	for (iter = 0; iter < 2000; iter++) {
		struct ctr_seccomp_policy p;
		struct ctr_seccomp_rule r[40];
		struct ctr_err e = { 0 };
		size_t n = 1 + rnd(&s) % 40, i, k;

		ctr_seccomp_policy_init(&p, CTR_SECCOMP_X86_64, CTR_SCMP_ERRNO, EPERM);
		for (i = 0; i < n; i++) {
			memset(&r[i], 0, sizeof(r[i]));
			r[i].nr = rnd(&s) % 8 ? 7 : 6;
			r[i].action = rnd(&s) % 4 ? CTR_SCMP_ALLOW : CTR_SCMP_ERRNO;
			r[i].data = r[i].action == CTR_SCMP_ERRNO ? 5 : 0;
			r[i].nargs = rnd(&s) % 10 ? 1 : rnd(&s) % 2 ? 0 : 2;
			for (k = 0; k < r[i].nargs; k++) {
				r[i].args[k].index = (uint8_t)(rnd(&s) % 5 ? 0 : 1);
				r[i].args[k].op = (uint8_t)(rnd(&s) % 6 ? CTR_SCMP_EQ : 1 + rnd(&s) % 7);
				r[i].args[k].value = (rnd(&s) % 8) | (rnd(&s) % 5 ? 0 : 1ULL << 32);
			}
			CHECK(ctr_seccomp_rule_add(&p, &r[i]) == 0);
		}
		CHECK(ctr_seccomp_compile(&p, &prog, &e) == 0);
		for (k = 0; k < 40; k++) {
			uint64_t a[6] = { (rnd(&s) % 9) | (rnd(&s) % 4 ? 0 : 1ULL << 32),
					  (rnd(&s) % 9) | (rnd(&s) % 4 ? 0 : 1ULL << 32), 0, 0, 0, 0 };
			int nr = 6 + (int)(rnd(&s) % 2);
			uint32_t want = RET_ERRNO(EPERM), uncond = 0;
			int found = 0;

			/* conditional rules in order, then the first unconditional */
			for (i = 0; i < n && !found; i++) {
				size_t m, ok = 1;

				if (r[i].nr != nr)
					continue;
				if (!r[i].nargs) {
					if (!uncond)
						uncond = r[i].action == CTR_SCMP_ALLOW ? RET_ALLOW : RET_ERRNO(5);
					continue;
				}
				for (m = 0; m < r[i].nargs; m++)
					ok &= ref(r[i].args[m].op, a[r[i].args[m].index], r[i].args[m].value, 0);
				if (ok) {
					want = r[i].action == CTR_SCMP_ALLOW ? RET_ALLOW : RET_ERRNO(5);
					found = 1;
				}
			}
			if (!found && uncond)
				want = uncond;
			for (i = 0, found = 0; i < n; i++)   /* the ENOSYS stub above the highest */
				found |= r[i].nr >= nr;
			if (!found)
				want = RET_ERRNO(ENOSYS);
			if (ctr_seccomp_eval(&prog, ctr_seccomp_audit_arch(0), nr, a) != want) {
				if (!bad++) {
					printf("#   nr %d a0 0x%llx a1 0x%llx: got 0x%x want 0x%x\n", nr,
					       (unsigned long long)a[0], (unsigned long long)a[1],
					       ctr_seccomp_eval(&prog, ctr_seccomp_audit_arch(0), nr, a), want);
					for (i = 0; i < n; i++) {
						printf("#     nr %d act %d nargs %d:", r[i].nr, r[i].action, r[i].nargs);
						for (size_t m = 0; m < r[i].nargs; m++)
							printf(" [%d op%d 0x%llx]", r[i].args[m].index, r[i].args[m].op,
							       (unsigned long long)r[i].args[m].value);
						printf("\n");
					}
				}
			}
		}
		ctr_seccomp_policy_free(&p);
	}
	CHECK_EQ(bad, 0);
}

/* ERRNO without a number is EPERM (an OCI rule without errnoRet), never
 * a "successful" 0. */
static void t_errno_default(void)
{
	struct ctr_seccomp_policy p;
	struct ctr_err e = { 0 };

	ctr_seccomp_policy_init(&p, CTR_SECCOMP_X86_64, CTR_SCMP_ERRNO, 0);
	CHECK(ctr_seccomp_rule_add_name(&p, "getpid", CTR_SCMP_ERRNO, 0, 0, NULL) == 0);
	CHECK(ctr_seccomp_rule_add_name(&p, "getppid", CTR_SCMP_ALLOW, 0, 0, NULL) == 0);
	CHECK(ctr_seccomp_compile(&p, &prog, &e) == 0);
	CHECK_EQ(ev(CTR_SECCOMP_X86_64, 39, 0), RET_ERRNO(EPERM));
	CHECK_EQ(ev(CTR_SECCOMP_X86_64, 0, 0), RET_ERRNO(EPERM));
	CHECK_EQ(ev(CTR_SECCOMP_X86_64, 110, 0), RET_ALLOW);
	ctr_seccomp_policy_free(&p);
}

/* A policy of every syscall, alternating actions (no two neighbours alike):
 * the tree needs JA trampolines; each number still gets its own action. */
static void t_big(void)
{
	struct ctr_seccomp_policy p;
	struct ctr_seccomp_rule r;
	struct ctr_err e = { 0 };
	int nr, bad = 0;

	ctr_seccomp_policy_init(&p, CTR_SECCOMP_X86_64, CTR_SCMP_ALLOW, 0);
	memset(&r, 0, sizeof(r));
	for (nr = 0; nr < 1200; nr++) {
		r.nr = nr;
		r.action = CTR_SCMP_ERRNO;
		r.data = (uint16_t)(nr % 3 + 1);
		CHECK(ctr_seccomp_rule_add(&p, &r) == 0);
	}
	CHECK(ctr_seccomp_compile(&p, &prog, &e) == 0);
	printf("# 1200 distinct rules: %zu instructions\n", prog.len);
	for (nr = 0; nr < 1300; nr++)
		if (ev(CTR_SECCOMP_X86_64, nr, 0) != (nr < 1200 ? RET_ERRNO(nr % 3 + 1) : RET_ALLOW))
			bad++;
	CHECK_EQ(bad, 0);
	ctr_seccomp_policy_free(&p);
}

static const struct unit_case cases[] = {
	UNIT(t_ops), UNIT(t_chains), UNIT(t_errno_default), UNIT(t_big),
};

int main(int argc, char **argv)
{
	return UNIT_MAIN(argc, argv, cases);
}
