#!/bin/sh
# bench/ns.sh: unshare and nsenter, ctrbox against util-linux, BusyBox,
# toybox (where they have the options) and the floor: bench/floor.c, a raw
# unshare/clone + exec (or pidfd setns + exec) of the same namespaces.
# Issue 2's targets: ctrbox/floor ratio >= 0.91 (within 1.1x of raw) and
# ctrbox/util-linux <= 0.6 (the table prints ctrbox's median / the row's).
# Then the peak RSS of each tool (GNU time, %M) and the binaries' sizes.
#   BENCH=ns make bench       (as root: namespaces need CAP_SYS_ADMIN)
. bench/lib.sh

CTRBOX=${CTRBOX:?CTRBOX is the ctrbox binary}
UL=/usr/bin
BB=$(command -v busybox)
TB=$(command -v toybox)
FLOOR="$BENCH_OUT/floor"

if [ "$(id -u)" != 0 ]; then
	echo "## ns: skipped (needs root)"
	exit 0
fi

# The floor, static like ctrbox.
cc_static=$(command -v musl-gcc || command -v cc)
"$cc_static" -static -Os -s -o "$FLOOR" bench/floor.c || {
	echo "## ns: cannot build bench/floor.c"; exit 1; }

# A target to enter: every namespace unshare can make but user, its own /proc.
# --kill-child: when the unshare dies, so does its child (the ns init).
target=""
cleanup() {
	[ -n "$target" ] && kill -KILL "$target" 2>/dev/null
	[ -n "$target" ] && while kill -0 "$target" 2>/dev/null; do sleep 0.05; done
}
trap cleanup EXIT INT TERM
$UL/unshare -m -u -i -n -p -C -f --kill-child --mount-proc sleep 3600 </dev/null >/dev/null 2>&1 &
target=$!
i=0
while :; do
	pid=$(cat /proc/$target/task/$target/children 2>/dev/null)
	pid=${pid%% *}
	[ -n "$pid" ] && [ "$(cat /proc/$pid/comm 2>/dev/null)" = sleep ] && break
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "## ns: target did not start"; exit 1; }
	sleep 0.05
done

# ctrbox runs through an applet link, as a user would run it.
bin="$BENCH_OUT/bin"
mkdir -p "$bin"
ln -sf "$CTRBOX" "$bin/unshare"
ln -sf "$CTRBOX" "$bin/nsenter"

bench_compare "unshare -u true" \
	ctrbox      "$bin/unshare -u true" \
	floor       "$FLOOR -u true" \
	util-linux  "$UL/unshare -u true" \
	busybox     "$BB unshare -u true" \
	toybox      "$TB unshare -u true"

# toybox's unshare has no --mount-proc: it is left out here.
bench_compare "unshare -m -u -i -n -p -f --mount-proc true" \
	ctrbox      "$bin/unshare -m -u -i -n -p -f --mount-proc true" \
	floor       "$FLOOR -m -u -i -n -p -f -P true" \
	util-linux  "$UL/unshare -m -u -i -n -p -f --mount-proc true" \
	busybox     "$BB unshare -m -u -i -n -p -f --mount-proc true"

# BusyBox's nsenter has no -a: it is in the next table, with the flags named.
# toybox 0.8.9's nsenter is in neither: its -t opens /proc/0/ns/* ("No such
# file"), and given files it enters the mount namespace before opening the
# rest, which then are not in the target's own /proc.
bench_compare "nsenter -t PID -a true" \
	ctrbox      "$bin/nsenter -t $pid -a true" \
	floor       "$FLOOR -t $pid -a true" \
	util-linux  "$UL/nsenter -t $pid -a true"

bench_compare "nsenter -t PID -m -u -i -n -p true" \
	ctrbox      "$bin/nsenter -t $pid -m -u -i -n -p true" \
	floor       "$FLOOR -t $pid -m -u -i -n -p true" \
	util-linux  "$UL/nsenter -t $pid -m -u -i -n -p true" \
	busybox     "$BB nsenter -t $pid -m -u -i -n -p true"

# Peak RSS (KiB) of one run each; "-" where the tool lacks the options.
rss() { r=$(peak_rss "$@" 2>/dev/null) && [ -n "$r" ] && echo "$r" || echo -; }
echo "## peak RSS (KiB, GNU time %M)"
printf '  %-12s %14s %14s %14s\n' tool "unshare -u" "unshare full" "nsenter -a"
printf '  %-12s %14s %14s %14s\n' ctrbox "$(rss "$bin/unshare" -u true)" \
	"$(rss "$bin/unshare" -m -u -i -n -p -f --mount-proc true)" "$(rss "$bin/nsenter" -t "$pid" -a true)"
printf '  %-12s %14s %14s %14s\n' floor "$(rss "$FLOOR" -u true)" \
	"$(rss "$FLOOR" -m -u -i -n -p -f -P true)" "$(rss "$FLOOR" -t "$pid" -a true)"
printf '  %-12s %14s %14s %14s\n' util-linux "$(rss $UL/unshare -u true)" \
	"$(rss $UL/unshare -m -u -i -n -p -f --mount-proc true)" "$(rss $UL/nsenter -t "$pid" -a true)"
printf '  %-12s %14s %14s %14s\n' busybox "$(rss "$BB" unshare -u true)" \
	"$(rss "$BB" unshare -m -u -i -n -p -f --mount-proc true)" \
	"$(rss "$BB" nsenter -t "$pid" -m -u -i -n -p true)"
printf '  %-12s %14s %14s %14s\n' toybox "$(rss "$TB" unshare -u true)" - -

echo "## sizes (bytes)"
printf '  %-30s %10s\n' "ctrbox ($CTRBOX)" "$(stat -c %s "$CTRBOX")"
printf '  %-30s %10s\n' "floor (static, stripped)" "$(stat -c %s "$FLOOR")"
