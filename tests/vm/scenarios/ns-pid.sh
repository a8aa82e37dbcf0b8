#!/bin/sh
# STUDY-SESSION.md 2.2 (2), the PID namespace, with ctrbox's unshare, nsenter
# and lsns (util-linux behaviour):
#  - `unshare -p -f`: $$ is 1, only the pid namespace is new, and /proc is
#    still the old one (PID 1 there is the VM's init, every process shows);
#  - `unshare -p -f --mount-proc`: a new mount namespace with a fresh /proc
#    that shows PID 1 (the shell) and its children only; ours is untouched;
#  - `nsenter -t PID -a` joins every namespace of a target (compared through
#    /proc/self/ns) and sees its hostname and its processes;
#  - `lsns -t pid` lists the new pid namespace with the target's PID.
fail() { echo "FAIL: $*"; exit 1; }
# The namespace types this kernel has (armhf's has no time namespace).
types=$(for t in cgroup ipc mnt net pid time user uts; do [ -e /proc/self/ns/$t ] && printf "%s " $t; done)
links() {
	for t in $types; do
		l=$(readlink "/proc/$1/ns/$t") || return 1
		l=${l#*[}
		echo "$t ${l%]}"
	done
}
differs() {
	printf '%s\n%s\n' "$1" "$2" | awk '{ if ($1 in seen && seen[$1] != $2) print $1; seen[$1] = $2 }' |
		tr '\n' ' '
}
mine=$(links $$) || fail "cannot read /proc/$$/ns"
init=$(cat /proc/1/comm)
nprocs=$(ls /proc | grep -c '^[0-9]')
mounts=$(cat /proc/self/mountinfo)

# (1) unshare -p -f: PID 1 in a new pid namespace, under the old /proc.
# /proc/self still resolves (to our pid in the old namespace).
out=$(unshare -p -f sh -c '
	echo "shellpid $$"
	echo "init $(cat /proc/1/comm)"
	echo "procs $(ls /proc | grep -c "^[0-9]")"
	for t in '"$types"'; do l=$(readlink /proc/self/ns/$t); l=${l#*[}; echo "$t ${l%]}"; done' 2>&1) ||
	fail "unshare -p -f sh: $out"
echo "$out" | grep -qx "shellpid 1" || fail "unshare -p -f: \$\$ is not 1: $out"
echo "$out" | grep -qx "init $init" || fail "unshare -p -f: /proc/1 is not the VM's $init: $out"
n=$(echo "$out" | awk '$1 == "procs" { print $2 }')
[ "$n" -gt $((nprocs / 2)) ] || fail "unshare -p -f: /proc shows $n processes, outside $nprocs"
[ "$(differs "$mine" "$(echo "$out" | grep -Ev '^(shellpid|init|procs) ')")" = "pid " ] ||
	fail "unshare -p -f changed: $(differs "$mine" "$(echo "$out" | grep -Ev '^(shellpid|init|procs) ')")"

# (2) --mount-proc: a fresh /proc in a new mount namespace. The glob and echo
# are shell built-ins: no child exists when /proc is listed. ps is a child.
out=$(unshare -p -f --mount-proc sh -c '
	echo "shellpid $$"
	cd /proc && echo "procs" [0-9]* && cd /
	echo "comm1 $(cat /proc/1/comm)"
	ps -o pid,ppid,comm >/tmp/ps.$$ && sed "s/^/ps /" /tmp/ps.$$; rm -f /tmp/ps.$$
	awk "\$5 == \"/proc\" { print \"procmount\", \$9 }" /proc/self/mountinfo
	for t in '"$types"'; do l=$(readlink /proc/self/ns/$t); l=${l#*[}; echo "$t ${l%]}"; done' 2>&1) ||
	fail "unshare -p -f --mount-proc sh: $out"
echo "$out" | grep -qx "shellpid 1" || fail "--mount-proc: \$\$ is not 1: $out"
echo "$out" | grep -qx 'procs 1' || fail "--mount-proc: /proc does not show PID 1 alone: $out"
echo "$out" | grep -qx 'comm1 sh' || fail "--mount-proc: PID 1 is not the shell: $out"
echo "$out" | grep -q '^procmount proc$' || fail "--mount-proc: no proc on /proc: $out"
# ps: PID 1 (sh) and its children only.
echo "$out" | awk '$1 == "ps" && $2 ~ /^[0-9]+$/ { n++; if ($2 != 1 && $3 != 1) bad = 1
	if ($2 == 1 && $4 != "sh") bad = 1 } END { exit bad || n < 2 }' ||
	fail "--mount-proc: ps shows more than PID 1 and its children: $out"
[ "$(differs "$mine" "$(echo "$out" | grep -E "^($(echo $types | tr ' ' '|')) ")")" = "mnt pid " ] ||
	fail "--mount-proc changed: $(differs "$mine" "$(echo "$out" | grep -E "^($(echo $types | tr ' ' '|')) ")")"
# Ours is untouched: same /proc (PID 1 is init), same mounts.
[ "$(cat /proc/1/comm)" = "$init" ] || fail "our /proc changed: PID 1 is $(cat /proc/1/comm)"
[ "$(cat /proc/self/mountinfo)" = "$mounts" ] || fail "our mount table changed: $(cat /proc/self/mountinfo)"

# (3) nsenter -t PID -a: a target in new pid, mount, uts, ipc and net
# namespaces; its PID (seen from here) is unshare's child, PID 1 inside.
mkfifo ready || fail "mkfifo"
unshare -p -f --mount-proc -u -i -n sh -c 'hostname inner && echo >ready && exec sleep 60' &
upid=$!
read -r _ <ready
tpid=$(cat /proc/$upid/task/$upid/children 2>/dev/null)
tpid=$(echo $tpid)
# Killing the namespace's PID 1 ends the namespace; unshare then reaps it and
# exits. (Killing unshare too would hand the child to init, a zombie a while.)
cleanup() {
	if [ -n "$tpid" ]; then kill -KILL $tpid; else kill -KILL $upid; fi 2>/dev/null
	wait $upid 2>/dev/null
	rm -f ready
}
check() { # CONDITION MESSAGE
	eval "$1" || { cleanup; fail "$2"; }
}
check '[ -n "$tpid" ] && [ -d /proc/$tpid ]' "no child of unshare $upid"
theirs=$(links $tpid)
check '[ "$(differs "$mine" "$theirs")" = "ipc mnt net pid uts " ]' \
	"target differs in: $(differs "$mine" "$theirs")"

out=$(nsenter -t $tpid -a sh -c '
	for t in '"$types"'; do l=$(readlink /proc/self/ns/$t); l=${l#*[}; echo "$t ${l%]}"; done
	echo "hostname $(hostname)"
	echo "shellpid $$"
	cd /proc && echo "procs" [0-9]*' 2>&1)
check '[ $? = 0 ]' "nsenter -t $tpid -a sh: $out"
got=$(echo "$out" | grep -E "^($(echo $types | tr ' ' '|')) ")
check '[ "$got" = "$theirs" ]' "nsenter -a: namespaces
$got
differ from the target's
$theirs"
check 'echo "$out" | grep -qx "hostname inner"' "nsenter -a: hostname: $out"
inpid=$(echo "$out" | awk '$1 == "shellpid" { print $2 }')
check '[ -n "$inpid" ] && [ "$inpid" != 1 ]' "nsenter -a: shell pid $inpid"
check 'echo "$out" | grep -qx "procs 1 $inpid"' "nsenter -a: /proc shows other than 1 and $inpid: $out"

# lsns -t pid: the target's pid namespace, its PID (lowest seen from here).
pidns=$(echo "$theirs" | awk '$1 == "pid" { print $2 }')
out=$(lsns -t pid 2>&1)
check 'echo "$out" | awk -v ns=$pidns -v p=$tpid '\''$1 == ns && $2 == "pid" && $4 == p { f = 1 }
	END { exit !f }'\''' "lsns -t pid lacks $pidns with PID $tpid: $out"

cleanup
[ -d /proc/$tpid ] && fail "target $tpid still there: $(cat /proc/$tpid/stat)"
exit 0
