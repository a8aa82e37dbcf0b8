# helpers.bash: loaded by every bats file (load helpers).
#
# CTRBOX is the binary under test (make test sets it); its applets are linked
# into $CTRBIN, which comes first in PATH, so "unshare" in a test is ctrbox's.
# The host's own tools are called by absolute path (/usr/bin/unshare).

bats_require_minimum_version 1.5.0

CTRBOX=${CTRBOX:-$(cd "$BATS_TEST_DIRNAME/.." && pwd)/build/ctrbox}
CTRBIN="$BATS_RUN_TMPDIR/ctrbox-bin"
if [ ! -x "$CTRBIN/ctrbox" ]; then
	mkdir -p "$CTRBIN"
	ln -sf "$CTRBOX" "$CTRBIN/ctrbox"
	"$CTRBOX" --install -s "$CTRBIN"
fi
export CTRBOX CTRBIN
export PATH="$CTRBIN:$PATH"

# For a sanitizer build: LeakSanitizer reads the process's own /proc/self and
# makes a thread at exit. A process that lost both can't be leak-checked: one
# that mounted a new proc in a shared mount namespace (unshare --mount-proc),
# chrooted (unshare -R) or pivoted into a root without /proc (pivot), or whose
# pid_for_children is a dead namespace (unshare -U -p -f). `nolsan CMD` runs
# CMD with leak checking off; no effect on a normal build.
export NOLSAN="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
nolsan() { env "$NOLSAN" "$@"; }

require_root() {
	[ "$(id -u)" = 0 ] || skip "needs root"
}

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "needs $c"
	done
}

# cgroup2 mounted with the named controllers available (default: cpu).
require_cgroup_v2() {
	local root ctrl
	root=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
	[ -n "$root" ] || skip "no cgroup2 mount"
	for ctrl in "${@:-cpu}"; do
		grep -qw "$ctrl" "$root/cgroup.controllers" || skip "cgroup2 at $root lacks $ctrl"
	done
}

require_cgroup_v1() {
	local ctrl
	for ctrl in "$@"; do
		awk -v c="$ctrl" '$9 == "cgroup" && (","$NF",") ~ ","c"," { f=1 } END { exit !f }' \
			/proc/self/mountinfo || skip "no cgroup v1 hierarchy for $ctrl"
	done
}

require_overlay() {
	grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null ||
		skip "overlayfs not available"
	grep -qw overlay /proc/filesystems || skip "overlayfs not available"
}

# defer CMD...: run CMD (via eval) at teardown, last registered first.
# Register the cleanup *before* creating the thing it cleans.
defer() {
	printf '%s\n' "$*" >>"$BATS_TEST_TMPDIR/.deferred"
}

run_deferred() {
	local f="$BATS_TEST_TMPDIR/.deferred" cmd
	[ -f "$f" ] || return 0
	tac "$f" | while IFS= read -r cmd; do
		eval "$cmd" >/dev/null 2>&1 || true
	done
	rm -f "$f"
}

# wait_for SECONDS CMD...: poll CMD every 0.05 s until it succeeds.
wait_for() {
	local limit=$(( $1 * 20 )) i=0
	shift
	while ! "$@" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -lt "$limit" ] || return 1
		sleep 0.05
	done
}

# Kill a process and wait until it is gone (bounded).
kill_wait() {
	local pid
	for pid in "$@"; do
		kill -KILL "$pid" 2>/dev/null || true
	done
	for pid in "$@"; do
		wait_for 5 sh -c "! kill -0 $pid" || true
	done
}

# The namespace inode of /proc/PID/ns/TYPE, e.g. ns_ino self uts.
ns_ino() {
	stat -L -c %i "/proc/$1/ns/$2"
}

# Is PATH a mount point in this mount namespace?
is_mounted() {
	awk -v p="$1" '$5 == p { f=1 } END { exit !f }' /proc/self/mountinfo
}

# A snapshot of what a test may leave behind: mount points, for comparison
# before and after (assert_no_leaks).
mount_snapshot() {
	awk '{ print $5 }' /proc/self/mountinfo | sort
}
