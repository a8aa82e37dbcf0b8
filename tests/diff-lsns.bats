#!/usr/bin/env bats
# diff-lsns: ctrbox's lsns against util-linux's /usr/bin/lsns (2.38 on
# Debian 12), byte for byte (output, errors and exit status), over a matrix
# of options and of namespace kinds. Each comparison runs in a "world": a
# fresh PID + mount namespace with its own /proc and a tmpfs on /run, so the
# processes and mounts both tools see are the same and other sessions cannot
# change them between the two runs; everything made there (processes, nsfs
# bind mounts, `ip netns` names) goes when the world's init exits.
#
# The world holds: a process in new namespaces of every type (-m -u -i -n -p
# -C -T -U), a nested user+pid namespace pair (PNS/ONS, -T parent/owner),
# plain processes in new uts/net, ipc and user namespaces, and a network
# namespace of a process with two nsfs bind mounts, an `ip netns attach`
# name and an NSID (NETNSID, NSFS). The "persistent" world adds namespaces
# no process is in: `ip netns add` (one with an NSID), an nsfs bind mount of
# a uts namespace, a cgroup namespace held only by an open fd.
#
# Intended differences (2.38 vs the 2.42 behaviour ctrbox follows):
#  - namespaces no process is in are listed (2.40+ read nsfs mounts from
#    mountinfo and namespace fds from /proc/PID/fd); 2.38 lists only those of
#    processes. In the persistent world the tables are compared after their
#    rows are taken out (by inode, from the kernel: stat of the mounts and of
#    the fd): raw output byte for byte, JSON structurally (jq), and every
#    option byte for byte with -t limited to the types that have no such rows.
#  - -P/--persistent, -Q/--filter, -H/--list-columns are 2.40+: 2.38 refuses
#    them; they are tested against the kernel's view in lsns.bats.
#  - `-p 0` and negative PIDs are refused (strtopid_or_err); 2.38 took 0 as
#    no filter and printed nothing for a negative PID.
#  - --help and --version texts.

load helpers

setup() {
	require_root
	require_cmd /usr/bin/lsns ip jq
	# "lsns" in argv[0] for both tools, so COMMAND cells are comparable
	D="$BATS_TEST_TMPDIR"
	mkdir -p "$D/ul" "$D/cb"
	ln -sf /usr/bin/lsns "$D/ul/lsns"
	ln -sf "$CTRBOX" "$D/cb/lsns"
}

# world [persistent] < SCRIPT: build the world, then run SCRIPT in it with
# cmp_opts/cmp_stripped defined. Its exit status is the test's.
world() {
	# the world's init runs a script file: its COMMAND cell stays short
	{
		cat <<'EOF'
set -u
N=ctrbox-lsns-$$-$OUTER
mount -t tmpfs ctrbox-lsns /run || exit 1
sleep 600 & /usr/bin/unshare -n -u sleep 600 & /usr/bin/unshare -U -r sleep 600 &
/usr/bin/unshare -i -f sh -c "sleep 600 & sleep 600; wait" &
/usr/bin/unshare -m -u -i -n -p -f -C -T -U -r sleep 600 &
/usr/bin/unshare -U -r -p -f /usr/bin/unshare -U -r -p -f sleep 600 &
/usr/bin/unshare -n sleep 600 & NETP=$!
# wait (10 s at most) until CMD succeeds: the machine may be busy
until_ok() {
	local i=0
	until eval "$1"; do
		i=$((i + 1)); [ $i -lt 100 ] || { echo "world: timeout: $1"; exit 1; }
		sleep 0.1
	done
}
sleep=$(readlink -f /bin/sleep)
# every sleep started (3 + 2 + 1 + 1 + 1 of them), each unshare done
until_ok '[ "$(for p in /proc/[0-9]*; do readlink $p/exe; done 2>/dev/null | grep -cx "$sleep")" = 8 ]'
touch "$D/n1" "$D/n2"
mount --bind /proc/$NETP/ns/net "$D/n1" && mount --bind /proc/$NETP/ns/net "$D/n2" &&
	ip netns attach $N-p $NETP && ip netns set $N-p 5 || exit 1
# the innermost process of the nested pair (a user and a pid namespace deeper)
NESTED=$(for p in /proc/[0-9]*; do
	[ "$(readlink $p/ns/pid)" != "$(readlink /proc/1/ns/pid)" ] &&
	[ "$(readlink $p/ns/user)" != "$(readlink /proc/1/ns/user)" ] &&
	[ "$(readlink $p/exe)" = "$(readlink -f /bin/sleep)" ] &&
	[ "$(readlink $p/ns/mnt)" = "$(readlink /proc/1/ns/mnt)" ] && echo ${p#/proc/}
	done | sort -n | tail -1)
P=""
if [ -n "$PERSIST" ]; then
	ip netns add $N && ip netns add $N-b && ip netns set $N-b 7 || exit 1
	touch "$D/uts"
	/usr/bin/unshare -u sh -c "mount --bind /proc/self/ns/uts $D/uts" || exit 1
	bash -c '/usr/bin/unshare -C sleep 1 & p=$!
		until [ "$(readlink /proc/$p/ns/cgroup)" != "$(readlink /proc/1/ns/cgroup)" ]; do
			sleep 0.05; done
		exec 7</proc/$p/ns/cgroup; wait $p; exec sleep 600' &
	FDP=$!
	# the holder has exec'd sleep with fd 7: the namespace is only its
	until_ok '[ "$(readlink /proc/$FDP/exe)" = "$sleep" ] && [ -e /proc/$FDP/fd/7 ]'
	P="$(stat -L -c %i /run/netns/$N /run/netns/$N-b "$D/uts" /proc/$FDP/fd/7)"
	[ $(echo "$P" | sort -u | wc -l) = 4 ] || { echo "world: persistent set: $P"; exit 1; }
fi
# "lsns ARGS" with each tool: output and status. Whatever filters the output
# runs after lsns, or it would count in NPROCS.
ul() { (cd "$D/ul" && eval "PATH=$D/ul:\$PATH lsns $1" 2>&1; echo "rc=$?"); }
cb() { (cd "$D/cb" && eval "PATH=$D/cb:\$PATH lsns $1" 2>&1; echo "rc=$?"); }
n=0 fail=0
report() {
	n=$((n + 1))
	[ "$2" = "$3" ] && return 0
	echo "DIFF ($4) for: lsns $1"; diff <(echo "$2") <(echo "$3") | head -20; fail=1
}
# byte for byte, each line of stdin an argument string
cmp_opts() {
	local a
	while IFS= read -r a; do report "$a" "$(ul "$a")" "$(cb "$a")" bytes; done
}
# rows of namespaces no process is in taken out of ctrbox's output (raw: NS
# first; JSON: by "ns"), then compared
strip_raw() {
	awk -v p="$P" 'BEGIN { n = split(p, a, "\n"); for (i = 1; i <= n; i++) s[a[i]] = 1 } !($1 in s)'
}
strip_json() {
	jq -S --arg p "$P" '($p | split("\n") | map(tonumber)) as $s |
		.namespaces |= map(select(.ns as $x | $s | map(. == $x) | any | not))'
}
cmp_raw() {
	local a x y
	while IFS= read -r a; do
		x=$(ul "$a"); y=$(cb "$a")
		report "$a" "$x" "$(echo "$y" | strip_raw)" "rows of $(echo $P) out"
	done
}
cmp_json() {
	local a x y
	while IFS= read -r a; do
		x=$(ul "$a"); y=$(cb "$a")
		report "$a" "$(echo "$x" | sed '$d' | jq -S .)" "$(echo "$y" | sed '$d' | strip_json)" \
			"JSON, rows out"
	done
}
EOF
		cat
		echo 'echo "# $n comparisons"; exit $fail'
	} > "$D/world.sh"
	D=$D OUTER=$$ PERSIST=${1:-} /usr/bin/unshare -p -m -f --mount-proc \
		--propagation private bash "$D/world.sh"
}

@test "diff: default, formats and every column, byte for byte" {
	run world <<'EOF'
cmp_opts <<'L'

-J
-r
-l
-n
-u
-W
-r -n
-J -n
-l -r
-l -J
--output-all
-J --output-all
-r --output-all
-l --output-all
-n -u --output-all
-o NS
-o TYPE
-o PATH
-o NPROCS
-o PID
-o PPID
-o COMMAND
-o UID
-o USER
-o NETNSID
-o NSFS
-o PNS
-o ONS
-o ns,type,pid,ppid,uid,user,path
-o +PATH
-o +UID,PPID
-o +NETNSID -J
-o NS,NSFS -W
-o NS,NSFS,NETNSID -J
-o NS,TYPE -J
-o NS,TYPE -r
-o PID,NS -l
-o COMMAND,NS
-o NS,NS,TYPE
-o ns,Type,nprocs
-o NS,
L
EOF
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"# 42 comparisons"* ]]
}

@test "diff: -t TYPE for every type, -p PID, <namespace>" {
	run world <<'EOF'
cmp_opts <<'L'
-t mnt
-t net
-t pid
-t uts
-t ipc
-t user
-t cgroup
-t time
-t net -J
-t net -r
-t net -W
-t net -n -u
-t net --output-all
-t user -t pid
-t pid -t user -o NS,TYPE,PNS,ONS
-t mnt -t net -t uts -l
-p 1
-p 1 -J
-p $NETP
-p $NETP -t net
-p $NESTED --output-all
-p $NESTED -r -o NS,TYPE,NPROCS,PID,PNS,ONS
-p $NESTED -T
$(stat -L -c %i /proc/$NESTED/ns/pid)
-r $(stat -L -c %i /proc/$NESTED/ns/user)
-J $(stat -L -c %i /proc/$NESTED/ns/pid)
-l $(stat -L -c %i /proc/$NETP/ns/net)
-o PID,COMMAND $(stat -L -c %i /proc/$NESTED/ns/pid)
--output-all $(stat -L -c %i /proc/$NETP/ns/net)
L
EOF
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"# 29 comparisons"* ]]
}

@test "diff: -T trees (process, owner, parent), byte for byte" {
	run world <<'EOF'
cmp_opts <<'L'
-T
--tree
--tree=owner
-Towner
-T owner
-Tparent
--tree=parent
-Tprocess
--tree=process
-T -J
-Tparent -J
-Tprocess -J
-T -r
-Tparent -r
-T -n -u
-T --output-all
-Tparent --output-all
-Tprocess --output-all
-T -o NS,TYPE,PNS,ONS
-Tparent -o TYPE,NS
-Tprocess -o NS,PID,PPID,COMMAND
-Tprocess -o NS,PID
-T -t user
-Tparent -t pid -t user
-Tparent -t user -t pid -J
-T -t user -t net -W
-Tparent -t user -t pid -t net -r
L
EOF
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"# 27 comparisons"* ]]
}

@test "diff: errors and refusals, same words and status" {
	run world <<'EOF'
cmp_opts <<'L'
-t foo
-t
-o FOO
-o NS,BAR
-o
-p abc
-p 1x
-p ''
-p 99999999999
-p 1 2
-J -r
--tree=foo
-Tfoo
4294967295
abc
-x
--bogus
--json=1
--task
L
EOF
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"# 19 comparisons"* ]]
}

@test "diff: namespaces no process is in (ip netns add, bind mount, fd): 2.38's rows the same" {
	run world persistent <<'EOF'
# the types that have no such rows: everything byte for byte
cmp_opts <<'L'
-t mnt -t pid -t user -t ipc -t time
-t mnt -t pid -t user -t ipc -t time --output-all
-t user -t pid -T
-t user -t pid -Tparent -J
-t mnt -t ipc -r -u
-Tparent -t pid -t user -t time
L
cmp_raw <<'L'
-r
-r --output-all
-r -t net --output-all
-r -t net -W
-r -t uts -t cgroup -o NS,TYPE,NPROCS,PID,UID,USER,PNS,ONS
-r -n -o NS,NSFS,NETNSID
-r -l -o NS,PNS,ONS,TYPE
L
cmp_json <<'L'
-J
-J --output-all
-J -t net
-J -t cgroup -t uts --output-all
-J -o NS,TYPE,NSFS
L
EOF
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"# 18 comparisons"* ]]
}

@test "diff: the persistent rows themselves, against the kernel" {
	run world persistent <<'EOF'
out=$(cd "$D/cb" && PATH=$D/cb:$PATH lsns -J -o NS,TYPE,NPROCS,PID,UID,USER,NETNSID,NSFS,PNS,ONS)
user=$(stat -L -c %i /proc/1/ns/user)
for ns in $P; do
	# no process: NPROCS 0, no PID, no NETNSID (util-linux shows it only
	# through a process); the owner is the initial user namespace (root)
	row=$(echo "$out" | jq -c ".namespaces[] | select(.ns == $ns) | [.nprocs, .pid, .uid, .user, .netnsid, .pns, .ons]")
	[ "$row" = "[0,null,0,\"root\",null,0,$user]" ] || { echo "bad row for $ns: $row"; exit 1; }
done
for f in /run/netns/* "$D/uts"; do
	ns=$(stat -L -c %i "$f")
	echo "$out" | jq -r ".namespaces[] | select(.ns == $ns) | .nsfs" | grep -qx "$f" ||
		{ echo "no NSFS $f for $ns"; exit 1; }
done
n=$(echo "$out" | jq "[.namespaces[] | select(.ns == $(stat -L -c %i /proc/$FDP/fd/7))] | .[0].type")
[ "$n" = '"cgroup"' ] || { echo "fd-held: $n"; exit 1; }
EOF
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "diff: the intended differences are what the list says" {
	run world persistent <<'EOF'
# -p 0: 2.38 lists everything, -p -1 nothing; refused here
[ "$(ul '-p 0' | tail -1)" = rc=0 ] && [ "$(ul '-p -1')" = rc=0 ] || { echo "2.38 -p"; exit 1; }
[ "$(cb '-p 0')" = "lsns: invalid PID argument: '0': Numerical result out of range
rc=1" ] || { echo "-p 0"; exit 1; }
# -l with -T: 2.38 draws the tree, 2.42 refuses
[ "$(ul '-l -T' | tail -1)" = rc=0 ] || { echo "2.38 -l -T"; exit 1; }
[ "$(cb '-l -T')" = "lsns: mutually exclusive arguments: --list --tree
rc=1" ] || { echo "-l -T"; exit 1; }
# -T parent/owner with -t: 2.38 adds the owners of other types (NPROCS 0)
[ "$(ul '-Tparent -t pid -n -o TYPE' | sort -u | tr '\n' ' ')" = "pid rc=0 user " ] || { echo "2.38 -t pid -Tparent"; exit 1; }
[ "$(cb '-Tparent -t pid -n -o TYPE' | sort -u | tr '\n' ' ')" = "pid rc=0 " ] || { echo "-t pid -Tparent"; exit 1; }
# options newer than 2.38
for o in -P -Q -H; do
	ul "$o x" | grep -q "invalid option -- '${o#-}'" || { echo "2.38 $o"; exit 1; }
done
[ "$(cb '-P -n -o NS' | sort | tr -d ' ' | grep -v rc=)" = "$(echo "$P" | sort)" ] || { echo "-P"; exit 1; }
[ "$(cb "-n -o NS -Q 'NPROCS == 0 and TYPE == \"net\"'" | grep -c '^[0-9]')" = 2 ] || { echo "-Q"; exit 1; }
# namespaces no process is in: only here
for ns in $P; do
	ul '-n -r -o NS' | grep -qx "$ns" && { echo "2.38 sees $ns"; exit 1; }
	cb '-n -r -o NS' | grep -qx "$ns" || { echo "missing $ns"; exit 1; }
done
EOF
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "diff: the -Q regular expression subset matches as grep -E (glibc's regex) does" {
	# subjects as the command lines of processes in a new uts namespace, in
	# the C and a UTF-8 locale ("C:" patterns: only C, where glibc has no
	# letters outside ASCII either); patterns outside the subset are refused,
	# with the reason. (Filters trim strings and cells, so no subject has
	# blanks at its ends.)
	run /usr/bin/unshare -u bash -c '
	subjects=("abc" "a1b2" "x.y" "[br]" "tab	x" "a]b" "dollar\$" "back\\slash" "^caret"
		  "AbC-9_z" "e2e4" "ÉTÉ" "é")
	pids=()
	for s in "${subjects[@]}"; do
		bash -c "exec -a \"\$0\" sleep 600" "$s" & pids+=($!)
	done
	trap "kill ${pids[*]}" EXIT
	for p in "${pids[@]}"; do     # until each runs sleep
		i=0
		until [ "$(readlink /proc/$p/exe)" = "$(readlink -f /bin/sleep)" ] || [ $i -ge 100 ]; do
			sleep 0.1; i=$((i + 1))
		done
	done
	ns=$(stat -L -c %i /proc/self/ns/uts)
	fail=0 n=0
	while IFS= read -r re; do
		locs="C C.UTF-8"
		case $re in C:*) re=${re#C:} locs=C;; esac
		for loc in $locs; do
			want="" got=""
			for i in "${!subjects[@]}"; do
				printf "%s 600\n" "${subjects[$i]}" | LC_ALL=$loc grep -Eq -- "$re" &&
					want="$want ${pids[$i]}"
			done
			for p in $(LC_ALL=$loc "$CTRBOX" lsns -n -r -o PID -Q "COMMAND =~ \"$re\"" $ns); do
				case " ${pids[*]} " in *" $p "*) got="$got $p";; esac
			done
			n=$((n + 1))
			[ "$(echo $got | tr " " "\n" | sort)" = "$(echo $want | tr " " "\n" | sort)" ] ||
				{ echo "DIFF ($loc) for $re: got$got, grep$want"; fail=1; }
		done
	done <<"L"
a
^a
c 600$
^$
[[:digit:]]
[[:digit:]][[:alpha:]]
C:^[[:alpha:]]+ 6
C:[^[:alnum:] ]
C:[[:alpha:]]
[[:upper:]]+
[[:lower:]]+[[:upper:]]
[[:punct:]]
[[:space:]]
[[:blank:]]x
[[:xdigit:]]4
[[:cntrl:]]
[[:print:]]+
[[:graph:]]
\.
x.y
[]]
[^]a-z ]
a]b
\$ 6
\\\\
\^
^\^
[.]
^. 600$
^.. 600$
^[a-c]+ 6
[-_]
[a-]
b*c
^a?b
b+2
A.C
[^a-z]+ 6
^[^ ]* 600$
^.*$
a.*b
.*b$
L
	echo "# $n comparisons"
	for re in "a|b" "(a)" "a{2}" "\\w" "\\<a" "\\1" "[[:foo:]]" "[[=a=]]" "[[.a.]]" "[z-a]" "é" "*a" "a**" "^*" "a^" "\$a" "[a" "\\"; do
		"$CTRBOX" lsns -Q "COMMAND =~ \"$re\"" >/dev/null 2>/tmp/ctrbox-lsns-re.$$ &&
			{ echo "accepted: $re"; fail=1; }
		grep -q "invalid regular expression" /tmp/ctrbox-lsns-re.$$ ||
			{ echo "no reason for $re: $(cat /tmp/ctrbox-lsns-re.$$)"; fail=1; }
	done
	rm -f /tmp/ctrbox-lsns-re.$$
	exit $fail'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"# 81 comparisons"* ]]
}

@test "diff: the regex subset against glibc's regcomp on random patterns (C and C.UTF-8)" {
	require_cmd cc
	local bin="$BATS_TEST_TMPDIR/diff-regex"
	cc -O2 -I"$BATS_TEST_DIRNAME/../include" -o "$bin" "$BATS_TEST_DIRNAME/diff-regex.c" \
		"$BATS_TEST_DIRNAME/../libctr/regex.c"
	run "$bin" c 300000
	echo "$output"
	[ "$status" -eq 0 ]
	run "$bin" utf8 300000
	echo "$output"
	[ "$status" -eq 0 ]
}
