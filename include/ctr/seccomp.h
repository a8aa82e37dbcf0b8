/* Seccomp: a policy as data (default action, rules by syscall number with up
 * to 6 argument conditions), docker's default profile built from it, and a
 * compiler to a classic-BPF filter written here (no libseccomp), loaded with
 * seccomp(2). The OCI front end parses config.json's linux.seccomp into the
 * same struct (names through ctr_seccomp_syscall_nr), so both front ends share
 * one compiler.
 *
 * Semantics, as libseccomp/runc: the conditions of one rule are ANDed; rules
 * of one syscall are tried in order, conditional ones before the syscall's
 * first unconditional one, and the first that matches decides; a syscall no
 * rule matches gets the default action. As runc's patchbpf, a syscall number
 * above the highest one the policy names returns ENOSYS (so a libc probing a
 * newer syscall falls back), unless the default action is ALLOW. Note for
 * OCI JSON: runc splits a rule whose conditions test one argument index more
 * than once into one rule per condition (ORed, runc#2735); an OCI front end
 * wanting runc's behaviour adds such rules one condition each. Anything
 * but the policy's native ABI is killed (x86_64: i386 via int $0x80, and the
 * x32 bit 0x40000000; nr -1 gets ENOSYS). Argument tests compare the whole
 * 64-bit register, as libseccomp does. */
#ifndef CTR_SECCOMP_H
#define CTR_SECCOMP_H

#include <stddef.h>
#include <stdint.h>
#include "ctr/err.h"

enum ctr_seccomp_arch {
	CTR_SECCOMP_X86_64 = 0,
	CTR_SECCOMP_AARCH64 = 1,
	CTR_SECCOMP_NARCH
};
/* The arch this binary was built for (__x86_64__ or __aarch64__); on any
 * other (e.g. 32-bit ARM) CTR_SECCOMP_NOARCH: there is no syscall table, and
 * ctr_seccomp_docker_default / ctr_seccomp_compile fail with ENOSYS
 * ("no syscall table for this architecture") rather than build a filter
 * whose arch check would kill every syscall. */
#define CTR_SECCOMP_NOARCH (-1)
#if defined(__aarch64__)
#define CTR_SECCOMP_NATIVE CTR_SECCOMP_AARCH64
#elif defined(__x86_64__)
#define CTR_SECCOMP_NATIVE CTR_SECCOMP_X86_64
#else
#define CTR_SECCOMP_NATIVE CTR_SECCOMP_NOARCH
#endif

/* Actions; the values are the OCI/libseccomp order, not the kernel's. */
enum ctr_seccomp_act {
	CTR_SCMP_KILL_THREAD = 1,   /* SCMP_ACT_KILL / SCMP_ACT_KILL_THREAD */
	CTR_SCMP_KILL_PROCESS,
	CTR_SCMP_TRAP,
	CTR_SCMP_ERRNO,             /* data = errno */
	CTR_SCMP_TRACE,             /* data = value for the tracer */
	CTR_SCMP_LOG,
	CTR_SCMP_ALLOW,
};

/* Argument operators (OCI SCMP_CMP_*): arg <op> value; MASKED_EQ is
 * (arg & value) == value2. Comparisons are on the full 64-bit argument. */
enum ctr_seccomp_op {
	CTR_SCMP_NE = 1, CTR_SCMP_LT, CTR_SCMP_LE, CTR_SCMP_EQ,
	CTR_SCMP_GE, CTR_SCMP_GT, CTR_SCMP_MASKED_EQ,
};

#define CTR_SECCOMP_MAXARGS 6

struct ctr_seccomp_arg {
	uint8_t index;              /* 0..5 */
	uint8_t op;                 /* enum ctr_seccomp_op */
	uint64_t value, value2;
};

struct ctr_seccomp_rule {
	int nr;                     /* syscall number in the policy's arch */
	uint8_t action;             /* enum ctr_seccomp_act */
	uint8_t nargs;
	uint16_t data;              /* errno for ERRNO (0: EPERM, as an OCI rule
				     * without errnoRet), value for TRACE */
	struct ctr_seccomp_arg args[CTR_SECCOMP_MAXARGS];
};

/* A rule as a policy keeps it: its conditions are args[arg, arg + nargs)
 * of the policy's pool, so the few hundred plain rules of a profile take
 * 12 bytes each, not ctr_seccomp_rule's 152. */
struct ctr_seccomp_prule {
	int nr;
	uint8_t action, nargs;
	uint16_t data;
	uint32_t arg;
};

struct ctr_seccomp_policy {
	int arch;                   /* enum ctr_seccomp_arch */
	uint8_t default_action;
	uint16_t default_data;      /* errno for a default ERRNO (OCI defaultErrnoRet;
				     * 0: EPERM) */
	size_t nrules, cap, nargs, argcap;
	struct ctr_seccomp_prule *rules;  /* heap; ctr_seccomp_policy_free */
	struct ctr_seccomp_arg *args;     /* heap: the rules' conditions */
};

/* The compiled program: classic BPF (struct sock_filter layout). */
struct ctr_seccomp_insn {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};
#define CTR_SECCOMP_MAXINSNS 4096

struct ctr_seccomp_prog {
	size_t len;
	struct ctr_seccomp_insn insns[CTR_SECCOMP_MAXINSNS];
};

/* A syscall's number for arch by name ("openat"), or -1 if that arch has no
 * such syscall (e.g. "open" on aarch64). The name of a number, or NULL:
 * a static buffer, valid until the next call (the names are stored packed). */
int ctr_seccomp_syscall_nr(const char *name, int arch);
const char *ctr_seccomp_syscall_name(int nr, int arch);
/* An OCI architecture name ("SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64") to enum
 * ctr_seccomp_arch, -1 if unknown (the caller ignores sub-arches it cannot
 * build: only the native one is compiled). */
int ctr_seccomp_arch_by_name(const char *name);
/* OCI names to values: "SCMP_ACT_ERRNO" -> CTR_SCMP_ERRNO, "SCMP_CMP_EQ" ->
 * CTR_SCMP_EQ; -1 if unknown. */
int ctr_seccomp_act_by_name(const char *name);
int ctr_seccomp_op_by_name(const char *name);
/* OCI linux.seccomp.flags: "SECCOMP_FILTER_FLAG_TSYNC" (1), "_LOG" (2),
 * "_SPEC_ALLOW" (4), "_WAIT_KILLABLE_RECV" (32), for ctr_seccomp_load's
 * flags; -1 if unknown. */
int ctr_seccomp_flag_by_name(const char *name);

/* Start an empty policy (no rules, heap-free). */
void ctr_seccomp_policy_init(struct ctr_seccomp_policy *p, int arch,
			     int default_action, int default_data);
/* Append a rule (copied); -1 ENOMEM, or EINVAL for a bad index/op/action. */
int ctr_seccomp_rule_add(struct ctr_seccomp_policy *p, const struct ctr_seccomp_rule *r);
/* Same by name: 0 and nothing added when arch lacks the syscall (as
 * libseccomp and runc skip unknown names). */
int ctr_seccomp_rule_add_name(struct ctr_seccomp_policy *p, const char *name,
			      int action, int data, size_t nargs,
			      const struct ctr_seccomp_arg *args);
void ctr_seccomp_policy_free(struct ctr_seccomp_policy *p);

/* Docker's default profile (moby/profiles seccomp/default.json) for arch,
 * its capability-gated rules chosen from bounding_caps (bit N = capability
 * N), as docker does when it generates the profile for a container. */
int ctr_seccomp_docker_default(struct ctr_seccomp_policy *p, int arch,
			       uint64_t bounding_caps, struct ctr_err *e);

/* Compile p into prog (caller-owned; ~32 KiB, so not on a small stack). */
int ctr_seccomp_compile(const struct ctr_seccomp_policy *p, struct ctr_seccomp_prog *prog,
			struct ctr_err *e);
/* Load prog into the calling thread with seccomp(SECCOMP_SET_MODE_FILTER)
 * (prctl(PR_SET_SECCOMP) where seccomp(2) is missing). Needs no_new_privs
 * or CAP_SYS_ADMIN. flags: SECCOMP_FILTER_FLAG_* (0 usually). */
int ctr_seccomp_load(const struct ctr_seccomp_prog *prog, unsigned flags, struct ctr_err *e);

/* compile + load in one step, the program on the heap (for a child with a
 * small stack). */
int ctr_seccomp_apply(const struct ctr_seccomp_policy *p, unsigned flags, struct ctr_err *e);

/* Run prog on one syscall as the kernel would (for tests and dry runs):
 * returns the SECCOMP_RET_* value. */
uint32_t ctr_seccomp_eval(const struct ctr_seccomp_prog *prog, uint32_t audit_arch,
			  int nr, const uint64_t args[6]);
/* AUDIT_ARCH_* of arch. */
uint32_t ctr_seccomp_audit_arch(int arch);

#endif
