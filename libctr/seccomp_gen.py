#!/usr/bin/env python3
"""Generate libctr/seccomp_tbl.inc: the syscall name tables of x86_64 and
aarch64 and docker's default seccomp profile as indices into them.

  python3 libctr/seccomp_gen.py > libctr/seccomp_tbl.inc

Derivation (run on a Debian host with linux-libc-dev):
- x86_64: the __NR_* macros of <asm/unistd_64.h> (the kernel's
  arch/x86/entry/syscalls/syscall_64.tbl, 64-bit and common rows).
- aarch64: <asm-generic/unistd.h> preprocessed as arm64's uapi unistd.h does
  (__BITS_PER_LONG 64, __ARCH_WANT_RENAMEAT, _NEW_STAT, _SET_GET_RLIMIT,
  _TIME32_SYSCALLS, _SYS_CLONE3, _MEMFD_SECRET), so no open/fork/... .
- Syscalls newer than the host's headers (6.1): LATE below, from
  scripts/syscall.tbl / syscall_64.tbl (numbers >= 424 are shared by both).
- DOCKER_*: moby/profiles seccomp/default_linux.go (DefaultProfile).
Names neither table has (i386-only, arm32, s390, riscv ones) are dropped, as
libseccomp drops names unknown on an arch.
"""
import re, subprocess, sys

LATE = {  # nr: name, common to x86_64 and the generic table
    451: "cachestat", 452: "fchmodat2", 453: "map_shadow_stack", 454: "futex_wake",
    455: "futex_wait", 456: "futex_requeue", 457: "statmount", 458: "listmount",
    459: "lsm_get_self_attr", 460: "lsm_set_self_attr", 461: "lsm_list_modules",
    462: "mseal", 463: "setxattrat", 464: "getxattrat", 465: "listxattrat",
    466: "removexattrat", 467: "open_tree_attr", 468: "file_getattr",
    469: "file_setattr", 470: "listns",
}
LATE_X86_64 = {335: "uretprobe"}

DOCKER_ALLOW = """
accept accept4 access adjtimex alarm bind brk cachestat capget capset chdir chmod chown
chown32 clock_adjtime clock_adjtime64 clock_getres clock_getres_time64 clock_gettime
clock_gettime64 clock_nanosleep clock_nanosleep_time64 close close_range connect
copy_file_range creat dup dup2 dup3 epoll_create epoll_create1 epoll_ctl epoll_ctl_old
epoll_pwait epoll_pwait2 epoll_wait epoll_wait_old eventfd eventfd2 execve execveat exit
exit_group faccessat faccessat2 fadvise64 fadvise64_64 fallocate fanotify_mark fchdir
fchmod fchmodat fchmodat2 fchown fchown32 fchownat fcntl fcntl64 fdatasync fgetxattr
flistxattr flock fork fremovexattr fsetxattr fstat fstat64 fstatat64 fstatfs fstatfs64
fsync ftruncate ftruncate64 futex futex_requeue futex_time64 futex_wait futex_waitv
futex_wake futimesat getcpu getcwd getdents getdents64 getegid getegid32 geteuid
geteuid32 getgid getgid32 getgroups getgroups32 getitimer getpeername getpgid getpgrp
getpid getppid getpriority getrandom getresgid getresgid32 getresuid getresuid32
getrlimit get_robust_list getrusage getsid getsockname getsockopt get_thread_area gettid
gettimeofday getuid getuid32 getxattr getxattrat inotify_add_watch inotify_init
inotify_init1 inotify_rm_watch io_cancel ioctl io_destroy io_getevents io_pgetevents
io_pgetevents_time64 ioprio_get ioprio_set io_setup io_submit ipc kill landlock_add_rule
landlock_create_ruleset landlock_restrict_self lchown lchown32 lgetxattr link linkat
listen listmount listxattr listxattrat llistxattr _llseek lremovexattr lseek lsetxattr
lstat lstat64 madvise map_shadow_stack membarrier memfd_create memfd_secret mincore
mkdir mkdirat mknod mknodat mlock mlock2 mlockall mmap mmap2 mprotect mq_getsetattr
mq_notify mq_open mq_timedreceive mq_timedreceive_time64 mq_timedsend
mq_timedsend_time64 mq_unlink mremap mseal msgctl msgget msgrcv msgsnd msync munlock
munlockall munmap name_to_handle_at nanosleep newfstatat _newselect open openat openat2
pause pidfd_open pidfd_send_signal pipe pipe2 pkey_alloc pkey_free pkey_mprotect poll
ppoll ppoll_time64 prctl pread64 preadv preadv2 prlimit64 process_mrelease pselect6
pselect6_time64 pwrite64 pwritev pwritev2 read readahead readlink readlinkat readv recv
recvfrom recvmmsg recvmmsg_time64 recvmsg remap_file_pages removexattr removexattrat
rename renameat renameat2 restart_syscall riscv_hwprobe rmdir rseq rt_sigaction
rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn rt_sigsuspend rt_sigtimedwait
rt_sigtimedwait_time64 rt_tgsigqueueinfo sched_getaffinity sched_getattr sched_getparam
sched_get_priority_max sched_get_priority_min sched_getscheduler sched_rr_get_interval
sched_rr_get_interval_time64 sched_setaffinity sched_setattr sched_setparam
sched_setscheduler sched_yield seccomp select semctl semget semop semtimedop
semtimedop_time64 send sendfile sendfile64 sendmmsg sendmsg sendto setfsgid setfsgid32
setfsuid setfsuid32 setgid setgid32 setgroups setgroups32 setitimer setpgid setpriority
setregid setregid32 setresgid setresgid32 setresuid setresuid32 setreuid setreuid32
setrlimit set_robust_list setsid setsockopt set_thread_area set_tid_address setuid
setuid32 setxattr setxattrat shmat shmctl shmdt shmget shutdown sigaltstack signalfd
signalfd4 sigprocmask sigreturn socketcall socketpair splice stat stat64 statfs statfs64
statmount statx symlink symlinkat sync sync_file_range syncfs sysinfo tee tgkill time
timer_create timer_delete timer_getoverrun timer_gettime timer_gettime64 timer_settime
timer_settime64 timerfd_create timerfd_gettime timerfd_gettime64 timerfd_settime
timerfd_settime64 times tkill truncate truncate64 ugetrlimit umask uname unlink unlinkat
uretprobe utime utimensat utimensat_time64 utimes vfork vmsplice wait4 waitid waitpid
write writev
process_vm_readv process_vm_writev ptrace
arch_prctl modify_ldt
arm_fadvise64_64 arm_sync_file_range sync_file_range2 breakpoint cacheflush set_tls
""".split()
# (capability number, names) for the capability-gated rules
DOCKER_CAPS = [
    (2, "open_by_handle_at"),                      # DAC_READ_SEARCH
    (21, "bpf clone clone3 fanotify_init fsconfig fsmount fsopen fspick lookup_dcookie "
         "lsm_get_self_attr lsm_list_modules lsm_set_self_attr mount mount_setattr "
         "move_mount open_tree perf_event_open quotactl quotactl_fd setdomainname "
         "sethostname setns syslog umount umount2 unshare"),  # SYS_ADMIN
    (22, "reboot"),                                # SYS_BOOT
    (18, "chroot"),                                # SYS_CHROOT
    (16, "delete_module init_module finit_module"),  # SYS_MODULE
    (20, "acct"),                                  # SYS_PACCT
    (19, "kcmp pidfd_getfd process_madvise process_vm_readv process_vm_writev ptrace"),
    (17, "iopl ioperm"),                           # SYS_RAWIO
    (25, "settimeofday stime clock_settime clock_settime64"),  # SYS_TIME
    (26, "vhangup"),                               # SYS_TTY_CONFIG
    (23, "get_mempolicy mbind set_mempolicy set_mempolicy_home_node"),  # SYS_NICE
    (34, "syslog"),                                # SYSLOG
    (39, "bpf"),                                   # BPF
    (38, "perf_event_open"),                       # PERFMON
]

def macros(src, extra=()):
    out = subprocess.run(["gcc", "-E", "-dM", *extra, "-"], input=src, text=True,
                         capture_output=True, check=True).stdout
    d = dict(re.findall(r"^#define (\w+) (.+)$", out, re.M))
    res = {}
    for k, v in d.items():
        if not k.startswith("__NR_") or k.startswith("__NR3264"):
            continue
        while v in d:
            v = d[v]
        v = v.strip("() ")
        if re.fullmatch(r"\d+", v):
            res[k[5:]] = int(v)
    res.pop("syscalls", None)
    res.pop("arch_specific_syscall", None)
    return res

x86 = macros("#include <asm/unistd_64.h>\n")
arm = macros("""#define __BITS_PER_LONG 64
#define __ARCH_WANT_RENAMEAT
#define __ARCH_WANT_NEW_STAT
#define __ARCH_WANT_SET_GET_RLIMIT
#define __ARCH_WANT_TIME32_SYSCALLS
#define __ARCH_WANT_SYS_CLONE3
#define __ARCH_WANT_MEMFD_SECRET
#include <asm-generic/unistd.h>
""")
for nr, n in LATE.items():
    x86.setdefault(n, nr); arm.setdefault(n, nr)
for nr, n in LATE_X86_64.items():
    x86.setdefault(n, nr)

names = sorted(set(x86) | set(arm))
idx = {n: i for i, n in enumerate(names)}
NONE = 0xffff
w = sys.stdout.write
w("/* Generated by libctr/seccomp_gen.py: do not edit. Syscall names sorted,\n"
  " * their numbers on x86_64 and aarch64 (0xffff: none), and docker's default\n"
  " * profile as indices into the table. */\n")
w("/* front coded: each name is the length it shares with the one before (a\n"
  " * byte), then the rest of it, then NUL */\n")
w("static const char sc_names[] =\n")
line = "\t\""
prev = ""
for n in names:
    k = 0
    while k < min(len(n), len(prev)) and n[k] == prev[k]:
        k += 1
    assert len(n) < 32
    piece = "\\%03o" % k + n[k:] + "\\0"
    prev = n
    if len(line) + len(piece) > 76:
        w(line + "\"\n"); line = "\t\""
    line += piece
w(line + "\";\n\n")
w("#define SC_COUNT %d\n" % len(names))
w("static const struct sc_ent sc_tbl[SC_COUNT] = {\n")
for i, n in enumerate(names):
    w("\t{ { %d, %d } }, /* %s */\n" % (x86.get(n, NONE), arm.get(n, NONE), n))
w("};\n\n")
allow = sorted({idx[n] for n in DOCKER_ALLOW if n in idx})
bm = [0] * ((len(names) + 7) // 8)
for i in allow:
    bm[i // 8] |= 1 << (i % 8)
w("/* docker's unconditional allow list (%d of its names exist here) */\n" % len(allow))
w("static const unsigned char sc_docker_allow[%d] = {" % len(bm))
for i, b in enumerate(bm):
    w(("\n\t" if i % 12 == 0 else " ") + "0x%02x," % b)
w("\n};\n\n/* docker's capability-gated allows: { cap, index } */\n")
gated = []
for cap, ns in DOCKER_CAPS:
    for n in ns.split():
        if n in idx:
            gated.append((cap, idx[n], n))
for label, tbl in (("x86_64", x86), ("aarch64", arm)):
    gone = sorted({n for n in DOCKER_ALLOW + " ".join(c for _, c in DOCKER_CAPS).split()
                   if n not in tbl})
    w("/* docker names %s lacks (skipped, as libseccomp does):\n" % label)
    line = " *"
    for n in gone:
        if len(line) + len(n) > 76:
            w(line + "\n"); line = " *"
        line += " " + n
    w(line + " */\n")
w("static const struct sc_gate sc_docker_gated[%d] = {\n" % len(gated))
for cap, i, n in gated:
    w("\t{ %d, %d }, /* %s */\n" % (cap, i, n))
w("};\n")
w("\n/* the names docker's rules test arguments of, as indices */\n")
for n in ("clone", "clone3", "personality", "socket"):
    w("#define SC_IDX_%s %d\n" % (n.upper(), idx[n]))
