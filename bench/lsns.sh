#!/bin/sh
# bench/lsns.sh: lsns and lsns -J, ctrbox vs util-linux, with 1,000 extra
# processes in 200 extra namespaces (200 `unshare` shells, each in a new uts
# or ipc namespace with 4 sleeping children), torn down by process group on
# exit, error, INT, TERM or HUP (see cleanup).
# BusyBox and toybox have no lsns applet: nothing to compare there.
. bench/lib.sh

N=${LSNS_BENCH_NS:-200}
pgids=""
# Teardown, by process group: TERM reaches each shell and its 4 sleeps at
# once; the sleeps die, the shell's TERM trap reaps them and exits, and `wait`
# here reaps the shell, so nothing is left, not even a zombie for init to
# collect. KILL is the backstop for a group that did not go. (dash's kill
# takes no "--": `kill -SIG -PGID` is the portable spelling.)
cleanup() {
	[ -n "$pgids" ] || return 0
	for g in $pgids; do
		kill -TERM "-$g" 2>/dev/null
	done
	for g in $pgids; do
		wait "$g" 2>/dev/null
	done
	for g in $pgids; do
		kill -KILL "-$g" 2>/dev/null
	done
	pgids=""
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap 'cleanup; exit 129' HUP

i=0
while [ "$i" -lt "$N" ]; do
	if [ $((i % 2)) = 0 ]; then t=-u; else t=-i; fi
	# setsid: a background job of a non-interactive shell is no group
	# leader, so setsid(2) works without a fork and $! is the shell that
	# leads the new group. Its stdio is /dev/null: nothing it starts may
	# hold this script's stdout or stderr open. sleep 600 is a last resort
	# should this script be killed with KILL.
	setsid /usr/bin/unshare $t sh -c \
		'trap "wait; exit 0" TERM; sleep 600 & sleep 600 & sleep 600 & sleep 600 & wait' \
		</dev/null >/dev/null 2>&1 &
	pgids="$pgids $!"
	i=$((i + 1))
done
# wait until every shell has its 4 children
tries=0
while [ "$tries" -lt 100 ]; do
	n=$("$CTRBOX" lsns -n -r -o NPROCS -Q 'NPROCS == 5' -t uts -t ipc | wc -l)
	[ "$n" -ge "$N" ] && break
	sleep 0.1
	tries=$((tries + 1))
done
procs=$(ls -d /proc/[0-9]* | wc -l)
nsn=$("$CTRBOX" lsns -n -r -o NS | wc -l)
echo "# lsns: $procs processes, $nsn namespaces on the machine during the runs"
for p in busybox toybox; do
	if have $p && $p lsns --help >/dev/null 2>&1; then
		echo "# $p has lsns (unexpected): not benchmarked"
	else
		echo "# $p: no lsns applet"
	fi
done

bench_compare "lsns ($N extra namespaces, $((N * 5)) extra processes)" \
	ctrbox "$CTRBOX lsns" util-linux "/usr/bin/lsns"
bench_compare "lsns -J ($N extra namespaces, $((N * 5)) extra processes)" \
	ctrbox "$CTRBOX lsns -J" util-linux "/usr/bin/lsns -J"
echo "## peak RSS (KiB): ctrbox lsns $(peak_rss "$CTRBOX" lsns), util-linux lsns $(peak_rss /usr/bin/lsns)"
echo "## peak RSS (KiB): ctrbox lsns -J $(peak_rss "$CTRBOX" lsns -J), util-linux lsns -J $(peak_rss /usr/bin/lsns -J)"
