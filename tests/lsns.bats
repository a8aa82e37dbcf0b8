#!/usr/bin/env bats
# lsns: namespaces made here are found with the right NPROCS and PID (checked
# against /proc/PID/ns), every option, JSON types, filters, errors, and
# byte-for-byte comparisons with util-linux's lsns (2.38 here) inside a fresh
# PID+mount namespace with its own /proc, so that other tests running in
# parallel cannot change the state between the two runs.

load helpers

teardown() { run_deferred; }

setup() {
	require_root
	# "lsns" in argv[0] for both tools, so COMMAND columns are comparable
	UL="$BATS_TEST_TMPDIR/ul"
	CB="$BATS_TEST_TMPDIR/cb"
	mkdir -p "$UL" "$CB"
	ln -sf /usr/bin/lsns "$UL/lsns"
	ln -sf "$CTRBOX" "$CB/lsns"
}

# Start CMD... in the background (its own namespaces via /usr/bin/unshare)
# as the leader of a new process group, print its PID; at teardown the whole
# group goes (children a killed shell would orphan, unshare -f's child).
spawn() {
	setsid "$@" >/dev/null 2>&1 3>&- &
	local pid=$!
	defer "kill -KILL -- -$pid 2>/dev/null; kill_wait $pid"
	echo "$pid"
}

# The namespace inode of PID's TYPE once PID has left our namespace of TYPE.
wait_ns() {
	wait_for 5 sh -c "[ \"\$(stat -L -c %i /proc/$1/ns/$2)\" != \"\$(stat -L -c %i /proc/self/ns/$2)\" ]"
	ns_ino "$1" "$2"
}

# Run the script on stdin in a fresh PID and mount namespace with its own
# /proc and some namespaces of its own; $UL and $CB hold "lsns" links.
frozen() {
	UL=$UL CB=$CB /usr/bin/unshare -p -m -f --mount-proc --propagation private \
		bash -c '
		sleep 600 & /usr/bin/unshare -n -u sleep 600 & /usr/bin/unshare -U -r sleep 600 &
		/usr/bin/unshare -i -f sh -c "sleep 600 & sleep 600; wait" &
		sh -c "exec sleep 600 # a long command line that narrow terminals must truncate" &
		sleep 0.3
		'"$(cat)"
}

# Compare both tools for each line of options on stdin (frozen state).
compare_all() {
	frozen <<'EOF'
fail=0
while IFS= read -r args; do
	a=$(eval "PATH=$UL:\$PATH lsns $args" 2>&1; echo "rc=$?")
	b=$(eval "PATH=$CB:\$PATH lsns $args" 2>&1; echo "rc=$?")
	if [ "$a" != "$b" ]; then
		echo "DIFF for: lsns $args"; diff <(echo "$a") <(echo "$b") | head -20; fail=1
	fi
done
exit $fail
EOF
}

@test "finds a namespace made by unshare, with NPROCS and the lowest PID" {
	pid=$(spawn /usr/bin/unshare -u sh -c 'sleep 600 & sleep 600 & wait')
	ino=$(wait_ns "$pid" uts)
	wait_for 5 sh -c "[ \$(grep -l . /proc/*/task/*/children 2>/dev/null | wc -l) -gt 0 ] && [ \$(cat /proc/$pid/task/$pid/children | wc -w) = 2 ]"
	run "$CTRBOX" lsns -n -r -o NS,TYPE,NPROCS,PID -t uts
	[ "$status" -eq 0 ]
	[[ "$output" == *"$ino uts 3 $pid"* ]]
	# the kernel agrees: three processes hold that inode, the sh is lowest
	n=0
	for p in $pid $(cat /proc/$pid/task/$pid/children); do
		[ "$(ns_ino "$p" uts)" = "$ino" ] && n=$((n + 1))
		[ "$p" -ge "$pid" ]
	done
	[ "$n" = 3 ]
	# default output: NS TYPE NPROCS PID USER COMMAND, the shell's command line
	run "$CTRBOX" lsns -t uts
	[[ "${lines[0]}" == "        NS TYPE NPROCS   PID USER COMMAND" || "${lines[0]}" =~ ^\ +NS\ TYPE\ +NPROCS\ +PID\ USER\ +COMMAND$ ]]
	# (drawn under the namespace of the sh's parent when that one is listed:
	# where orphans go to a PID 1 in our uts namespace, as in the VM rig)
	echo "$output" | grep -E "^$ino uts +3 +$pid root +([│|\` ]*([├└]─|[|\`]-))?sh -c sleep 600 & sleep 600 & wait$"
}

@test "-t limits types (repeatable); an unknown type is refused" {
	pid=$(spawn /usr/bin/unshare -i -u sleep 600)
	uts=$(wait_ns "$pid" uts)
	ipc=$(ns_ino "$pid" ipc)
	run "$CTRBOX" lsns -n -r -o NS,TYPE -t uts -t ipc
	[ "$status" -eq 0 ]
	[[ "$output" == *"$uts uts"* && "$output" == *"$ipc ipc"* ]]
	! echo "$output" | grep -vE ' (uts|ipc)$'
	run "$CTRBOX" lsns -t bogus
	[ "$status" -eq 1 ]
	[ "$output" = "lsns: unknown namespace type: bogus" ]
}

@test "-p PID shows exactly the namespaces of that process" {
	pid=$(spawn /usr/bin/unshare -n -u sleep 600)
	wait_ns "$pid" net
	run "$CTRBOX" lsns -n -r -o NS,TYPE -p "$pid"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 8 ]
	for t in mnt net pid user uts ipc cgroup time; do
		echo "$output" | grep -qx "$(ns_ino "$pid" $t) $t"
	done
	run "$CTRBOX" lsns -p abc
	[ "$status" -eq 1 ]
	[ "$output" = "lsns: invalid PID argument: 'abc'" ]
	run "$CTRBOX" lsns -p 99999999999
	[ "$status" -eq 1 ]
	[ "$output" = "lsns: invalid PID argument: '99999999999': Numerical result out of range" ]
	# a PID that does not exist: nothing, like util-linux
	run "$CTRBOX" lsns -p 4194304
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "-o LIST, -o +LIST, --output-all, bad columns" {
	pid=$(spawn /usr/bin/unshare -m sleep 600)
	ino=$(wait_ns "$pid" mnt)
	run "$CTRBOX" lsns -o ns,TYPE,Path -p "$pid" -t mnt
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "        NS TYPE PATH" ]
	[ "${lines[1]}" = "$ino mnt  /proc/$pid/ns/mnt" ]
	run "$CTRBOX" lsns -n -o +PPID,UID -p "$pid" -t mnt
	echo "$output" | grep -E "^$ino mnt +1 +$pid root +sleep 600 +[0-9]+ +0$"
	run "$CTRBOX" lsns --output-all -p "$pid" -t uts
	echo "${lines[0]}" | grep -E '^ +NS TYPE +PATH +NPROCS +PID +PPID COMMAND +UID USER +NETNSID NSFS +PNS +ONS$'
	run "$CTRBOX" lsns -o NS,BAR,XX
	[ "$status" -eq 1 ]
	[ "$output" = "lsns: unknown column: BAR,XX" ]
	run "$CTRBOX" lsns -o NS,
	[ "$status" -eq 1 ]
	[ "$output" = "lsns: unknown column: NS," ]
	run "$CTRBOX" lsns -o NS,,TYPE
	[ "$status" -eq 1 ]
	[ "$output" = "lsns: empty column name in 'NS,,TYPE'" ]
	run "$CTRBOX" lsns -o ''
	[ "$status" -eq 1 ]
	[ "$output" = "lsns: no columns in ''" ]
}

@test "-r raw, -n no headings, -l list without the tree" {
	pid=$(spawn /usr/bin/unshare -u sh -c 'sleep 600 & wait')
	ino=$(wait_ns "$pid" uts)
	run "$CTRBOX" lsns -r -t uts
	[ "${lines[0]}" = "NS TYPE NPROCS PID USER COMMAND" ]
	# (a tree prefix when the sh's parent's namespace is listed: see above)
	echo "$output" | grep -xE "$ino uts 2 $pid root "'([|`]-|(\\x[0-9a-f]{2})*)sh\\x20-c\\x20sleep\\x20600\\x20&\\x20wait'
	run "$CTRBOX" lsns -n -r -t uts
	[[ "${lines[0]}" != NS* ]]
	# the tree: a process's namespace under its parent's line
	child=$(cat /proc/$pid/task/$pid/children)
	mnt=$(spawn /usr/bin/unshare -m --propagation private sleep 600)
	wait_ns "$mnt" mnt
	run "$CTRBOX" lsns -r -t mnt
	[[ "$output" == *'\xe2\x94\x94\xe2\x94\x80'* || "$output" == *'\xe2\x94\x9c\xe2\x94\x80'* || "$output" == *'`-'* || "$output" == *'|-'* ]]
	run "$CTRBOX" lsns -l -r -t mnt
	[[ "$output" != *'\xe2\x94'* ]]
	[ -n "$child" ]
}

@test "matches util-linux byte for byte on the same (frozen) state" {
	require_cmd /usr/bin/lsns
	compare_all <<'EOF'

-t mnt
-t net
-t user -t pid
-J
-J -t net
--output-all
-J --output-all
-r
-r --output-all
-n
-l
-u
-W -t net
-o NS,COMMAND -t mnt
-n -o +PATH -t uts
-o ns,type,pns,ons
-p 1
-J -p 1
--tree=process
-Tprocess -o NS,PID,PPID,COMMAND
-T
-Towner -J
-Tparent
-r -T owner
-t user -T parent
-l -o NS,TYPE,NPROCS
1
-r 1
-t foo
-o FOO
-o NS,BAR
-p abc
-p 1 2
-J -r
--tree=foo
4294967295
-x
--bogus
-o
EOF
}

@test "positional <namespace> lists its processes; an unknown one is an error" {
	require_cmd /usr/bin/lsns
	frozen <<'EOF'
ns=$(stat -L -c %i /proc/1/ns/pid)
# every process but the two lsns themselves (run as direct children of
# this shell: a $(...) subshell would show up too)
t=$(mktemp -d)
PATH=$UL:$PATH lsns $ns >$t/a
PATH=$CB:$PATH lsns $ns >$t/b
# (the tree is drawn in UTF-8 or, without a UTF-8 locale, in ASCII)
a=$(grep -Ev -- "(─|-)lsns $ns" $t/a)
b=$(grep -Ev -- "(─|-)lsns $ns" $t/b)
rm -r $t
[ "$a" = "$b" ] || { diff <(echo "$a") <(echo "$b"); exit 1; }
echo "$b" | grep -qE '^ *1 +0 root bash -c'
echo "$b" | grep -qE '^ *[0-9]+ +[0-9]+ root +[│| ]*(└─|`-)sh -c sleep 600 & sleep 600; wait$'
a=$(PATH=$UL:$PATH lsns -l -o PID,COMMAND $ns | grep -v -- " lsns \| bash -c")
b=$(PATH=$CB:$PATH lsns -l -o PID,COMMAND $ns | grep -v -- " lsns \| bash -c")
[ "$a" = "$b" ] || { diff <(echo "$a") <(echo "$b"); exit 1; }
EOF
	run "$CTRBOX" lsns 1
	[ "$status" -eq 1 ]
	[ "$output" = "lsns: not found namespace: 1" ]
	run "$CTRBOX" lsns 0x10
	[ "$status" -eq 1 ]
	[ "$output" = "lsns: invalid namespace argument: '0x10'" ]
	run "$CTRBOX" lsns -p 1 4026531836
	[ "$status" -eq 1 ]
	[ "$output" = "lsns: --task is mutually exclusive with <namespace>" ]
}

@test "-u and truncation on a terminal match util-linux (COLUMNS via script)" {
	require_cmd script /usr/bin/lsns
	frozen <<'EOF'
fail=0
for cols in 30 45 60 80 200; do
	for args in "" "-u" "-t net" "-T owner" "--output-all" "-o NS,COMMAND,PID" "-W -t net" "-n"; do
		a=$(COLUMNS=$cols PATH=$UL:$PATH script -qc "lsns $args" /dev/null </dev/null)
		b=$(COLUMNS=$cols PATH=$CB:$PATH script -qc "lsns $args" /dev/null </dev/null)
		[ "$a" = "$b" ] || { echo "DIFF COLUMNS=$cols lsns $args"; diff <(echo "$a") <(echo "$b"); fail=1; }
	done
done
# and truncation did happen at 45 columns
COLUMNS=45 PATH=$CB:$PATH script -qc "lsns" /dev/null </dev/null | grep -q "exec sleep 600 # a long command line" && fail=1
COLUMNS=45 PATH=$CB:$PATH script -qc "lsns -u" /dev/null </dev/null | grep -q "exec sleep 600 # a long command line" || fail=1
exit $fail
EOF
}

@test "-P lists a namespace held only by a bind mount, with NSFS; -W joins paths" {
	/usr/bin/unshare -m --propagation private bash -ec '
		d=$(mktemp -d); mount -t tmpfs tmpfs "$d"; touch "$d/a" "$d/b"
		/usr/bin/unshare --net="$d/a" true
		mount --bind "$d/a" "$d/b"
		ino=$(stat -c %i "$d/a")
		out=$("$CTRBOX" lsns -P -n -r -o NS,TYPE,NPROCS,PID)
		echo "$out"
		[ "$(echo "$out" | grep "^$ino ")" = "$ino net 0 " ]
		# never a process: not in anybody'"'"'s /proc/PID/ns
		! ls -l /proc/[0-9]*/ns/net 2>/dev/null | grep -q "\[$ino\]"
		out=$("$CTRBOX" lsns -P -t net -o NS,NSFS)
		echo "$out"
		echo "$out" | grep -qx "$ino $d/a"
		echo "$out" | grep -qx " *$d/b"
		out=$("$CTRBOX" lsns -P -W -t net -o NS,NSFS)
		echo "$out" | grep -qx "$ino $d/a,$d/b"
		out=$("$CTRBOX" lsns -P -J -t net -o NS,NSFS,PID,COMMAND)
		[ "$(echo "$out" | jq -r ".namespaces[] | select(.ns == $ino) | .pid")" = null ]
		umount "$d/b" "$d/a"
		# gone with its last mount
		! "$CTRBOX" lsns -P -n -o NS | grep -qx "$ino"
		umount "$d"; rmdir "$d"
	'
	run "$CTRBOX" lsns -P -p 1
	[ "$status" -eq 1 ]
	[ "$output" = "lsns: mutually exclusive arguments: --persistent --task" ]
}

@test "finds a namespace held only by an open file descriptor" {
	/usr/bin/unshare -m --propagation private bash -ec '
		d=$(mktemp -d); mount -t tmpfs tmpfs "$d"; touch "$d/ns"
		/usr/bin/unshare --uts="$d/ns" true
		ino=$(stat -c %i "$d/ns")
		exec 7<"$d/ns"
		umount -l "$d/ns"
		! grep -q "uts:\[$ino\]" /proc/self/mountinfo
		out=$("$CTRBOX" lsns -n -r -o NS,TYPE,NPROCS -t uts)
		echo "$out"
		echo "$out" | grep -qx "$ino uts 0"
		"$CTRBOX" lsns -P -n -o NS -t uts | grep -qx "$ino"
		exec 7<&-
		! "$CTRBOX" lsns -n -o NS -t uts | grep -qx "$ino"
		umount "$d"; rmdir "$d"
	'
}

@test "fd-held namespaces are found with fds 0..n-1 (no getdents64) and with gaps" {
	require_cmd python3
	# nsscan skips listing /proc/PID/fd when st_size (the fd count) says
	# fds 0..n-1 are all there is: one holder takes that path (0 1 2 3),
	# the other the listing (0 1 2 9)
	/usr/bin/unshare -m --propagation private bash -ec '
		pids=
		trap "rc=\$?; [ -z \"\$pids\" ] || kill \$pids 2>/dev/null; wait; exit \$rc" EXIT
		d=$(mktemp -d); mount -t tmpfs tmpfs "$d"; touch "$d/a" "$d/b"
		/usr/bin/unshare --uts="$d/a" true
		/usr/bin/unshare --uts="$d/b" true
		a=$(stat -c %i "$d/a"); b=$(stat -c %i "$d/b")
		hold='"'"'
import os, sys
f = os.open(sys.argv[1], os.O_RDONLY); t = int(sys.argv[2])
if f != t:
    os.dup2(f, t); os.close(f)
for x in range(3, 1024):
    if x != t:
        try: os.close(x)
        except OSError: pass
os.set_inheritable(t, True)
os.execv("/usr/bin/sleep", ["sleep", "600"])'"'"'
		python3 -c "$hold" "$d/a" 3 </dev/null >/dev/null 2>&1 & pids="$pids $!"
		python3 -c "$hold" "$d/b" 9 </dev/null >/dev/null 2>&1 & pids="$pids $!"
		set -- $pids
		for i in $(seq 50); do
			[ "$(readlink /proc/$1/exe)$(readlink /proc/$2/exe)" = /usr/bin/sleep/usr/bin/sleep ] && break
			sleep 0.1
		done
		[ "$(ls /proc/$1/fd | sort -n | tr "\n" " ")" = "0 1 2 3 " ]
		[ "$(ls /proc/$2/fd | sort -n | tr "\n" " ")" = "0 1 2 9 " ]
		umount -l "$d/a" "$d/b"
		out=$("$CTRBOX" lsns -n -r -o NS,TYPE,NPROCS -t uts)
		echo "$out"
		echo "$out" | grep -qx "$a uts 0"
		echo "$out" | grep -qx "$b uts 0"
		kill $pids; wait; pids=
		out=$("$CTRBOX" lsns -n -r -o NS -t uts)
		! echo "$out" | grep -qx "$a"
		! echo "$out" | grep -qx "$b"
		umount "$d"; rmdir "$d"
	'
}

@test "finds a network namespace held only by a socket" {
	require_cmd python3 /usr/bin/nsenter
	# the socket is made in a new netns, then the process goes back to ours
	# (nsenter) keeping the socket: SIOCGSKNS is the only way to that netns
	before=$("$CTRBOX" lsns -n -r -o NS,NPROCS -t net | awk '$2 == 0 { print $1 }')
	pid=$(spawn /usr/bin/unshare -n python3 -c "
import socket, os
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
os.set_inheritable(s.fileno(), True)
os.execv('/usr/bin/nsenter', ['nsenter', '-t', '$$', '-n', 'sleep', '600'])")
	wait_for 5 sh -c "[ \"\$(readlink /proc/$pid/exe)\" = /usr/bin/sleep ]"
	[ "$(ns_ino "$pid" net)" = "$(ns_ino $$ net)" ]
	sock=$(find /proc/$pid/fd -lname 'socket:*' | head -1)
	[ -n "$sock" ]
	out=$("$CTRBOX" lsns -n -r -o NS,TYPE,NPROCS -t net)
	echo "$out"
	# one more net namespace that no process is in
	held=$(echo "$out" | awk '$3 == 0 { print $1 }' | grep -vxF "${before:-none}")
	[ "$(echo "$held" | wc -w)" = 1 ]
	! ls -l /proc/[0-9]*/ns/net 2>/dev/null | grep -q "net:\[$held\]"
	kill_wait "$pid"
	! "$CTRBOX" lsns -n -o NS -t net | grep -qx "$held"
}

@test "-T owner hangs namespaces under their user namespace; PNS and ONS" {
	pid=$(spawn /usr/bin/unshare -U -r -u -p -f sleep 600)
	wait_for 5 sh -c "cat /proc/$pid/task/$pid/children | grep -q ."
	child=$(tr -d " " </proc/$pid/task/$pid/children)
	user=$(wait_ns "$child" user)
	uts=$(ns_ino "$child" uts)
	pidns=$(ns_ino "$child" pid)
	run "$CTRBOX" lsns -n -r -o NS,TYPE,PNS,ONS -p "$child"
	echo "$output" | grep -qx "$user user $(ns_ino $$ user) $(ns_ino $$ user)"
	echo "$output" | grep -qx "$uts uts 0 $user"
	echo "$output" | grep -qx "$pidns pid $(ns_ino $$ pid) $user"
	run "$CTRBOX" lsns --tree=owner -o NS,TYPE
	[ "$status" -eq 0 ]
	# the user namespace line, then its children drawn under it
	# (drawn in UTF-8, or in ASCII without a UTF-8 locale, as in the VM rig)
	echo "$output" | grep -A3 -E "^[│| ]*([├└]─|[|\`]-)$user +user" | grep -E "([├└]─|[|\`]-)$uts +uts"
	run "$CTRBOX" lsns -Tparent -t pid -o NS,TYPE
	echo "$output" | grep -E "^$(ns_ino $$ pid) +pid$"
	echo "$output" | grep -E "^([├└]─|[|\`]-)$pidns +pid$"
	# util-linux 2.42 (unlike 2.38) keeps -t: no user namespaces here
	! echo "$output" | grep -q user
	run "$CTRBOX" lsns -l -T
	[ "$status" -eq 1 ]
	[ "$output" = "lsns: mutually exclusive arguments: --list --tree" ]
	run "$CTRBOX" lsns --tree=foo
	[ "$status" -eq 1 ]
	[ "$output" = "lsns: unknown tree type: foo" ]
}

@test "-J: valid JSON, util-linux's keys and types" {
	pid=$(spawn /usr/bin/unshare -u sleep 600)
	ino=$(wait_ns "$pid" uts)
	run "$CTRBOX" lsns -J --output-all -t uts
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.namespaces | length > 0'
	echo "$output" | jq -e --argjson ino "$ino" --argjson pid "$pid" '
		[.. | objects | select(.ns? == $ino)][0] |
		(keys_unsorted == ["ns","type","path","nprocs","pid","ppid","command","uid","user","netnsid","nsfs","pns","ons"]) and
		(.type == "uts") and (.nprocs == 1) and (.pid == $pid) and (.uid == 0) and
		(.user == "root") and (.netnsid == null) and (.nsfs == null) and
		(.pns == 0) and (.ons | type == "number") and (.command == "sleep 600") and
		(.path == "/proc/\($pid)/ns/uts")'
	# the default view nests processes' namespaces as "children"
	run "$CTRBOX" lsns -J
	echo "$output" | jq -e '[.namespaces[] | keys_unsorted] | all(. - ["children"] == ["ns","type","nprocs","pid","user","command"])'
	run "$CTRBOX" lsns -J -t net
	echo "$output" | jq -e '.namespaces[0] | has("netnsid") and has("nsfs")'
	run "$CTRBOX" lsns -J -p 4194304
	[ "$output" = $'{\n   "namespaces": [\n\n   ]\n}' ]
	run "$CTRBOX" lsns -J -r
	[ "$status" -eq 1 ]
	[ "$output" = "lsns: mutually exclusive arguments: --json --raw" ]
}

@test "-H lists the columns (text, raw and JSON)" {
	run "$CTRBOX" lsns -H
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 13 ]
	[ "${lines[0]}" = "     NS <integer> namespace identifier (inode number)" ]
	[ "${lines[1]}" = "   TYPE <string>  kind of namespace" ]
	[ "${lines[12]}" = "    ONS <integer> owner namespace identifier (inode number)" ]
	run "$CTRBOX" lsns -H -J
	echo "$output" | jq -e '.["lsns-columns"] | length == 13 and .[6].holder == "COMMAND" and .[6].type == "<string>"'
	run "$CTRBOX" lsns -r -H
	[ "${lines[3]}" = 'NPROCS <integer> number\x20of\x20processes\x20in\x20the\x20namespace' ]
}

@test "-Q filters rows: comparisons, and/or/not, parentheses, strings, regex" {
	pid=$(spawn /usr/bin/unshare -u sh -c 'sleep 600 & wait')
	ino=$(wait_ns "$pid" uts)
	wait_for 5 sh -c "cat /proc/$pid/task/$pid/children | grep -q ."
	q() { "$CTRBOX" lsns -n -r -o NS "$@"; }
	q -Q "NS == $ino" | grep -qx "$ino"
	[ "$(q -Q "NS == $ino")" = "$ino" ]
	[ "$(q -Q "NPROCS == 2 and TYPE == \"uts\" and PID == $pid")" = "$ino" ]
	[ "$(q -Q "ns eq $ino && type eq 'uts'")" = "$ino" ]
	[ "$(q -Q "(TYPE == \"net\" or TYPE == \"uts\") and not (NS != $ino)")" = "$ino" ]
	[ "$(q -Q "!(NS != $ino)")" = "$ino" ]
	q -t uts -Q "COMMAND =~ \"^sh -c sleep 600\"" | grep -qx "$ino"
	q -t uts -Q "COMMAND =~ \"^s[g-i] +-c sle*p [0-9]+ & wa.t\$\"" | grep -qx "$ino"
	! q -t uts -Q "COMMAND =~ \"^c\"" | grep -qx "$ino"
	! q -t uts -Q "COMMAND !~ \"^sh -c sleep 600\"" | grep -qx "$ino"
	[ "$(q -Q "NS == $ino and NPROCS > 1.5 and NPROCS < 2.5")" = "$ino" ]
	[ -z "$(q -Q "NS == $ino and NPROCS >= 3")" ]
	[ -z "$(q -Q "false")" ]
	# every listed row satisfies the filter, every other row does not
	all=$(q -p $$ | sort)
	yes=$(q -p $$ -Q 'NPROCS > 1 and TYPE != "mnt"' | sort)
	no=$(q -p $$ -Q 'not (NPROCS > 1 and TYPE != "mnt")' | sort)
	[ -n "$yes" ] && [ -n "$no" ]
	[ "$(printf '%s\n%s\n' "$yes" "$no" | sed '/^$/d' | sort)" = "$all" ]
	# a filter column the output does not show is used but stays hidden
	run "$CTRBOX" lsns -n -o NS -Q "PID == $pid and TYPE == 'uts'"
	[ "$output" = "$ino" ]
	# and/or bind left to right at one level, as in libsmartcols
	[ -z "$(q -Q "NS == 1 and NS == 2 or false")" ]
	[ "$(q -Q "false and false or NS == $ino")" = "$ino" ]
}

@test "-Q errors are reported, never a crash" {
	e() {
		run "$CTRBOX" lsns -Q "$1"
		[ "$status" -eq 1 ]
		[ "$output" = "$2" ]
	}
	e 'NPROCS >' 'lsns: failed to parse "NPROCS >": unexpected end of expression'
	e '(NPROCS > 1' 'lsns: failed to parse "(NPROCS > 1": missing '"')'"
	e 'NPROCS = 1' 'lsns: failed to parse "NPROCS = 1": unexpected character '"'='"' at position 8'
	e 'TYPE == "net' 'lsns: failed to parse "TYPE == "net": unterminated string at position 9'
	e 'NPROCS 1' 'lsns: failed to parse "NPROCS 1": unexpected '"'1'"' at position 8'
	e '' 'lsns: failed to parse "": empty expression'
	e 'COMMAND =~ NPROCS' 'lsns: failed to parse "COMMAND =~ NPROCS": =~ at position 9 needs a "string" on its right'
	# the last part is the C library's regerror() text
	run "$CTRBOX" lsns -Q 'COMMAND =~ "("'
	[ "$status" -eq 1 ]
	[[ "$output" == 'lsns: failed to parse "COMMAND =~ "("": invalid regular expression "(": '?* ]]
	run "$CTRBOX" lsns -Q 'FOO > 1 and BAR == 2'
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "lsns: unknown column: FOO" ]
	[ "${lines[1]}" = "lsns: unknown column: BAR" ]
	[ "${lines[2]}" = "lsns: failed to initialize filter" ]
	run "$CTRBOX" lsns -Q 'NPROCS > "abc"'
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = 'lsns: cannot compare number column NPROCS with "abc"' ]
	# garbage: a clear error or a valid answer, never a signal
	for x in '((((((' ')))' 'not' 'and' '"' "'" '==' '1 2 3' '!!!!' 'a =~ "[["' \
		 "$(head -c 200 /dev/urandom | tr -d '\0')" "$(printf '(%.0s' $(seq 300))"; do
		run "$CTRBOX" lsns -Q "$x"
		[ "$status" -le 1 ]
	done
}

@test "NETNSID shows the id our network namespace gave a peer" {
	require_cmd ip
	/usr/bin/unshare -m --propagation private bash -ec '
		mount -t tmpfs tmpfs /run 2>/dev/null || true
		mkdir -p /run/netns
		ip netns add ctrbox-test-lsns
		trap "ip netns del ctrbox-test-lsns" EXIT
		ip netns set ctrbox-test-lsns 77
		ino=$(stat -L -c %i /run/netns/ctrbox-test-lsns)
		sleep 600 & p=$!
		ip netns exec ctrbox-test-lsns sleep 600 & q=$!
		trap "kill $p $q; ip netns del ctrbox-test-lsns" EXIT
		for i in $(seq 50); do [ "$(stat -L -c %i /proc/$q/ns/net)" = "$ino" ] && break; sleep 0.1; done
		out=$("$CTRBOX" lsns -n -r -o NS,NETNSID,NSFS -t net)
		echo "$out"
		echo "$out" | grep -qx "$ino 77 /run/netns/ctrbox-test-lsns"
		echo "$out" | grep -qx "$(stat -L -c %i /proc/self/ns/net) unassigned "
	'
}

@test "processes exiting during the scan are not an error" {
	(for i in $(seq 200); do /usr/bin/unshare -u true; sh -c 'exit 0' & done; wait) >/dev/null 2>&1 3>&- &
	churn=$!
	defer "kill_wait $churn"
	for i in $(seq 15); do
		run "$CTRBOX" lsns
		[ "$status" -eq 0 ]
		run "$CTRBOX" lsns -J --output-all
		[ "$status" -eq 0 ]
		echo "$output" | jq -e . >/dev/null
	done
}

@test "option errors: util-linux wording and status" {
	run "$CTRBOX" lsns --bogus
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "lsns: unrecognized option '--bogus'" ]
	[ "${lines[1]}" = "Try 'lsns --help' for more information." ]
	run "$CTRBOX" lsns -x
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "lsns: invalid option -- 'x'" ]
	run "$CTRBOX" lsns -o
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "lsns: option requires an argument -- 'o'" ]
	run "$CTRBOX" lsns --task
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "lsns: option '--task' requires an argument" ]
	run "$CTRBOX" lsns 4026531836 extra
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "lsns: unexpected argument 'extra'" ]
	run "$CTRBOX" lsns -h
	[ "$status" -eq 0 ]
	[[ "$output" == *" -Q, --filter <expr>    apply display filter"* ]]
	run "$CTRBOX" lsns -V
	[ "$status" -eq 0 ]
	[[ "$output" == "lsns from ctrbox "* ]]
}

@test "-p 0 and negative PIDs are refused (strtopid_or_err), nothing printed" {
	local a
	for a in 0 -1 -2147483648 2147483648; do
		run "$CTRBOX" lsns -p "$a"
		[ "$status" -eq 1 ]
		[ "$output" = "lsns: invalid PID argument: '$a': Numerical result out of range" ]
	done
	run "$CTRBOX" lsns -p 1x
	[ "$status" -eq 1 ]
	[ "$output" = "lsns: invalid PID argument: '1x'" ]
	# every namespace of $$ is listed, and only those
	[ "$("$CTRBOX" lsns -n -o NS -p $$ | sort | tr -d ' ')" = \
	  "$(for t in cgroup ipc mnt net pid time user uts; do stat -L -c %i /proc/$$/ns/$t; done | sort -u)" ]
}

@test "COMMAND of any length, not cut at 8191 bytes as util-linux cuts it" {
	require_cmd /usr/bin/lsns
	local long pid ino
	long=$(head -c 20000 /dev/zero | tr '\0' x)
	pid=$(spawn /usr/bin/unshare -u bash -c 'exec -a "$0" sleep 600' "$long")
	ino=$(wait_ns "$pid" uts)
	run "$CTRBOX" lsns -n -r -o COMMAND -Q "PID == $pid" "$ino"
	[ "$status" -eq 0 ]
	# the kernel's cmdline: argv[0] NUL "600" NUL
	[ "$output" = "$long\\x20600" ]
	# util-linux reads /proc/PID/cmdline into BUFSIZ (8192) bytes: an
	# intended difference, ctrbox never truncates silently
	[ "$(/usr/bin/lsns -n -r -o COMMAND "$ino" | grep -c "^x\{8191\}$")" = 1 ]
	run "$CTRBOX" lsns -n -o PID -Q "COMMAND =~ \"x{0}\"" "$ino"
	[ "$status" -eq 1 ]
	run "$CTRBOX" lsns -n -r -o PID -Q "COMMAND =~ \"^x+ 600$\"" "$ino"
	[ "$output" = "$pid" ]
}

@test "-J without a tree column is util-linux's flat list; with one, rows nest" {
	require_cmd jq
	local pid ino
	pid=$(spawn /usr/bin/unshare -u sh -c 'sleep 600 & wait')
	ino=$(wait_ns "$pid" uts)
	run "$CTRBOX" lsns -J -o NS,TYPE
	[ "$status" -eq 0 ]
	# flat: no "children", one entry per namespace, the new one among them
	[ "$(echo "$output" | jq '[.. | objects | select(has("children"))] | length')" = 0 ]
	[ "$(echo "$output" | jq '.namespaces | length')" = \
	  "$(echo "$output" | jq '[.namespaces[].ns] | unique | length')" ]
	[ "$(echo "$output" | jq '.namespaces | length')" -ge 9 ]
	echo "$output" | jq -e ".namespaces[] | select(.ns == $ino and .type == \"uts\")"
	# the default columns carry the process tree in COMMAND: children nest
	run "$CTRBOX" lsns -J
	[ "$(echo "$output" | jq '[.. | objects | select(has("children"))] | length')" -gt 0 ]
	echo "$output" | jq -e "[.. | objects | select(.ns == $ino)] | length == 1"
}
