#!/bin/sh
# tests/demo.sh CTRBOX: the study session (STUDY-SESSION.md 2.2 namespaces here,
# 2.2 (3), 2.3, 2.4 and ctrrun containers in tests/demo-study.sh), run with
# ctrbox and narrated. Run as root (make demo). Leaves nothing
# behind: its scratch dir, bind mount and background process are removed on
# exit, however it ends.
set -u
CTRBOX=${1:?usage: demo.sh PATH-TO-CTRBOX}
case $CTRBOX in /*) ;; *) CTRBOX=$(pwd)/$CTRBOX ;; esac
[ "$(id -u)" = 0 ] || { echo "demo.sh: run me as root (namespaces need CAP_SYS_ADMIN)" >&2; exit 1; }

tmp=$(mktemp -d /tmp/ctrbox-demo.XXXXXX) || exit 1
bg=""
cleanup() {
	command -v demo_study_cleanup >/dev/null 2>&1 && demo_study_cleanup
	[ -n "$bg" ] && kill -KILL $bg 2>/dev/null
	[ -e "$tmp/uts" ] && umount "$tmp/uts" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

mkdir "$tmp/bin"
"$CTRBOX" --install -s "$tmp/bin" || exit 1
PATH=$tmp/bin:$PATH
export PATH

NSENTER=nsenter
LSNS=lsns

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
say() { printf '%s\n' "$*"; }
show() { printf '$ %s\n' "$*"; sh -c "$*" 2>&1 | sed 's/^/    /'; }
nslist() { for f in /proc/$1/ns/*; do echo "${f##*/} $(readlink "$f")"; done; }

say "ctrbox $("$CTRBOX" --version | sed 's/^ctrbox //'): the study session's namespace steps"
say "(unshare, nsenter and lsns below are ctrbox's applets, linked in $tmp/bin)"

step "2.2 (1) UTS namespace"
say "Each link in /proc/PID/ns names a namespace by inode; the inode IS the namespace."
show "ls -l /proc/\$\$/ns | sed 1d | awk '{ print \$(NF-2), \$NF }'"
nslist $$ > "$tmp/before"
say ""
say "unshare -u starts a shell in a new UTS namespace; compare its links with ours:"
unshare -u sh -c "$(cat <<'EOF'
for f in /proc/$$/ns/*; do echo "${f##*/} $(readlink "$f")"; done > "$0/after"
hostname hoge
echo "inside:  hostname -> $(hostname)"
if getent hosts hoge >/dev/null 2>&1; then
	echo "inside:  hoge resolves to $(getent hosts hoge | awk '{ print $1; exit }')"
else
	echo "inside:  hoge does not resolve here (no nss-myhostname or hosts entry)"
fi
EOF
)" "$tmp"
diff "$tmp/before" "$tmp/after" | sed -n 's/^< /    changed: was /p; s/^> /    changed: now /p'
say "    (every other namespace is the same inode as before)"
say "outside: hostname -> $(hostname), uts $(readlink /proc/$$/ns/uts): unchanged"

step "2.2 (2) PID namespace"
say "unshare -p -f: the forked shell is PID 1 of a new PID namespace..."
show "unshare -p -f sh -c 'echo \"\\\$\\\$ = \$\$\"; echo \"/proc/1 is \$(cat /proc/1/comm)\"; echo \"/proc lists \$(ls /proc | grep -c \"^[0-9]\") processes\"'"
say "...but /proc still belongs to the old mount namespace: ps sees the host."
say ""
say "unshare -p -f --mount-proc: a new mount namespace with a proc of the new PID namespace:"
if command -v ps >/dev/null; then
	show "unshare -p -f --mount-proc ps aux"
else
	show "unshare -p -f --mount-proc sh -c 'echo \"\\\$\\\$ = \$\$\"; for d in /proc/[0-9]*; do echo \"\${d#/proc/} \$(cat \$d/comm)\"; done'"
fi
say "The program is PID 1 and alone; the host's /proc is untouched: $(ls /proc | grep -c '^[0-9]') processes."

step "Joining a running container's namespaces (nsenter -t PID -a)"
unshare -u -p --kill-child --mount-proc sh -c 'hostname box; exec sleep 300' &
bg=$!
i=0
while [ $i -lt 100 ]; do
	child=$(cat /proc/$bg/task/$bg/children 2>/dev/null)
	child=${child%% *}
	[ -n "$child" ] && [ "$(readlink /proc/$child/ns/uts)" != "$(readlink /proc/$$/ns/uts)" ] && break
	sleep 0.05
	i=$((i + 1))
done
say "A 'container': unshare -u -p --kill-child --mount-proc, its init has host PID $child."
show "$LSNS -p $child"
show "$NSENTER -t $child -a sh -c 'echo \"hostname \$(hostname), \\\$\\\$ = \$\$\"; ls /proc | grep \"^[0-9]\" | tr \"\\n\" \" \"; echo'"
# --kill-child: the container's init dies with unshare.
kill -KILL $bg 2>/dev/null
wait $bg 2>/dev/null
bg=""

step "Keeping a namespace without a process (unshare --uts=FILE)"
show "unshare --uts=$tmp/uts hostname persisted"
show "grep ' $tmp/uts ' /proc/self/mountinfo | awk '{ print \$4, \$5, \$9 }'"
show "$NSENTER --uts=$tmp/uts hostname"
show "umount $tmp/uts"
. "$(dirname "$0")/demo-study.sh"

say ""
say "Done: nothing is left behind (scratch dir $tmp removed)."
