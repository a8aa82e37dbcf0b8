#!/bin/sh
# STUDY-SESSION.md 2.2 (1), the UTS namespace, with ctrbox's unshare, nsenter
# and lsns (util-linux behaviour):
#  - `unshare -u` gives a shell whose uts inode differs and every other
#    namespace inode stays the same;
#  - `hostname hoge` there is seen there only; outside ("another terminal")
#    the uts inode and the hostname are unchanged;
#  - `nsenter -t PID -u` sees the new name; `lsns -t uts`, `lsns -p PID` and
#    `lsns -J` (parsed back with awk: well-formed JSON) list the namespace.
# Not done: the handout's `ping -c 3 hoge` (name resolution, no network here).
fail() { echo "FAIL: $*"; exit 1; }
# The namespace types this kernel has (armhf's has no time namespace).
types=$(for t in cgroup ipc mnt net pid time user uts; do [ -e /proc/self/ns/$t ] && printf "%s " $t; done)
# links PID: "TYPE INODE" for each namespace of PID.
links() {
	for t in $types; do
		l=$(readlink "/proc/$1/ns/$t") || return 1
		l=${l#*[}
		echo "$t ${l%]}"
	done
}
# differs A B: the types whose inode differs between two links outputs.
differs() {
	printf '%s\n%s\n' "$1" "$2" | awk '{ if ($1 in seen && seen[$1] != $2) print $1; seen[$1] = $2 }' |
		tr '\n' ' '
}

host=$(hostname)
mine=$(links $$) || fail "cannot read /proc/$$/ns"

# Steps 1-4: a shell in a new UTS namespace.
out=$(unshare -u sh -c '
	for t in '"$types"'; do l=$(readlink /proc/$$/ns/$t); l=${l#*[}; echo "$t ${l%]}"; done
	hostname hoge && echo "hostname $(hostname)"' 2>&1) || fail "unshare -u sh: $out"
[ "$(differs "$mine" "$(echo "$out" | grep -v ^hostname)")" = "uts " ] ||
	fail "after unshare -u, changed: $(differs "$mine" "$(echo "$out" | grep -v ^hostname)")"
echo "$out" | grep -qx 'hostname hoge' || fail "hostname inside: $out"
# Step 5: outside, nothing changed.
[ "$(hostname)" = "$host" ] || fail "hostname outside became $(hostname)"
[ "$(links $$)" = "$mine" ] || fail "own namespaces changed"

# A namespace that lives on, seen from outside. unshare without -f execs the
# command, so $! is the process in the new namespace.
mkfifo ready || fail "mkfifo"
unshare -u sh -c 'hostname hoge && echo >ready && exec sleep 60' &
upid=$!
read -r _ <ready
theirs=$(links $upid) || { kill $upid; fail "cannot read /proc/$upid/ns"; }
cleanup() { kill $upid 2>/dev/null; wait $upid 2>/dev/null; rm -f ready; }
check() { # CONDITION MESSAGE
	eval "$1" || { cleanup; fail "$2"; }
}
uts=$(echo "$theirs" | awk '$1 == "uts" { print $2 }')
check '[ "$(differs "$mine" "$theirs")" = "uts " ]' \
	"target $upid differs in: $(differs "$mine" "$theirs")"
check '[ "$(hostname)" = "$host" ]' "hostname outside: $(hostname)"

out=$(nsenter -t $upid -u hostname 2>&1)
check '[ "$out" = hoge ]' "nsenter -t $upid -u hostname: $out"
out=$(nsenter -t $upid -u sh -c 'l=$(readlink /proc/self/ns/uts); l=${l#*[}; echo ${l%]}' 2>&1)
check '[ "$out" = "$uts" ]' "nsenter -u: uts $out, want $uts"

# lsns -t uts: NS TYPE NPROCS PID USER COMMAND; the new one has our sleep only.
out=$(lsns -t uts 2>&1)
check 'echo "$out" | head -n 1 | grep -Eq "^ *NS +TYPE +NPROCS +PID +USER +COMMAND$"' \
	"lsns -t uts header: $out"
check 'echo "$out" | awk -v ns=$uts -v p=$upid '\''$1 == ns && $2 == "uts" && $3 == 1 && $4 == p &&
	$5 == "root" && $6 == "sleep" && $7 == 60 { f = 1 } END { exit !f }'\''' \
	"lsns -t uts lacks '$uts uts 1 $upid root sleep 60': $out"
check '[ "$(echo "$out" | awk "NR > 1 && \$2 != \"uts\"")" = "" ]' "lsns -t uts lists other types: $out"
# lsns -p PID: one line per namespace of PID, with PID's inodes.
out=$(lsns -p $upid 2>&1)
for t in $types; do
	want=$(echo "$theirs" | awk -v t=$t '$1 == t { print $2 }')
	check 'echo "$out" | awk -v t=$t -v ns=$want '\''$2 == t && $1 == ns { f = 1 } END { exit !f }'\''' \
		"lsns -p $upid lacks $t $want: $out"
done

# lsns -J: well-formed JSON, {"namespaces": [{"ns": N, "type": "uts", ...}]}.
# The parser prints "ns=N... type=S... pid=N... nprocs=N..." per namespace
# object (N number, S string), or an error.
json=$(lsns -J -t uts 2>&1)
parsed=$(printf '%s\n' "$json" | awk '
function err(m) { if (!bad) printf "lsns -J: %s at offset %d: %s\n", m, p, substr(s, p, 24); bad = 1 }
function ws() { while (p <= n && index(" \t\r\n", substr(s, p, 1))) p++ }
function str(   c, o) {
	if (substr(s, p, 1) != "\"") { err("string expected"); return "" }
	for (p++; p <= n; p++) {
		c = substr(s, p, 1)
		if (c == "\"") { p++; return o }
		if (c == "\\") {
			c = substr(s, ++p, 1)
			if (c == "u") {
				if (substr(s, p + 1, 4) !~ /^[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]$/) {
					err("bad \\u escape"); return ""
				}
				c = "?"; p += 4
			} else if (!index("\"\\/bfnrt", c)) { err("bad escape"); return "" }
		} else if (c < " ") { err("control character in a string"); return "" }
		o = o c
	}
	err("unterminated string"); return ""
}
# value: returns the kind and text: "O", "A", "Stext", "Nnumber", "Ltrue"...
function value(depth,   c, t) {
	ws(); c = substr(s, p, 1)
	if (c == "{") return object(depth + 1)
	if (c == "[") return array(depth + 1)
	if (c == "\"") { t = str(); return "S" t }
	if (match(substr(s, p, 40), /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) {
		t = substr(s, p, RLENGTH); p += RLENGTH; return "N" t
	}
	if (substr(s, p, 4) == "true" || substr(s, p, 4) == "null") { t = substr(s, p, 4); p += 4; return "L" t }
	if (substr(s, p, 5) == "false") { p += 5; return "Lfalse" }
	err("value expected"); return ""
}
function object(depth,   k, v) {
	p++; ws(); o_ns = o_type = o_pid = o_nprocs = ""
	if (substr(s, p, 1) == "}") { p++; return "O" }
	while (!bad) {
		ws(); k = str(); ws()
		if (substr(s, p, 1) != ":") { err("colon expected"); break }
		p++; v = value(depth)
		if (depth == 1 && k == "namespaces" && v == "A") top = 1
		if (k == "ns") o_ns = v; else if (k == "type") o_type = v
		else if (k == "pid") o_pid = v; else if (k == "nprocs") o_nprocs = v
		ws(); c = substr(s, p++, 1)
		if (c == "}") break
		if (c != ",") { p--; err("comma or } expected"); break }
	}
	if (o_ns != "") print "ns=" o_ns, "type=" o_type, "pid=" o_pid, "nprocs=" o_nprocs
	o_ns = ""
	return "O"
}
function array(depth,   c) {
	p++; ws()
	if (substr(s, p, 1) == "]") { p++; return "A" }
	while (!bad) {
		value(depth); ws(); c = substr(s, p++, 1)
		if (c == "]") break
		if (c != ",") { p--; err("comma or ] expected"); break }
	}
	return "A"
}
{ s = s $0 "\n" }
END {
	n = length(s); p = 1
	ws(); if (substr(s, p, 1) != "{") err("object expected")
	else value(0)
	ws(); if (!bad && p <= n) err("trailing data")
	if (!bad && !top) err("no \"namespaces\" array at the top")
	exit bad
}') || { cleanup; fail "$parsed
$json"; }
check 'echo "$parsed" | grep -qx "ns=N$uts type=Suts pid=N$upid nprocs=N1"' \
	"lsns -J lacks ns $uts pid $upid nprocs 1: $parsed"
mine_uts=$(echo "$mine" | awk '$1 == "uts" { print $2 }')
check 'echo "$parsed" | grep -q "^ns=N$mine_uts type=Suts "' "lsns -J lacks our own uts $mine_uts: $parsed"
check '[ "$(echo "$parsed" | grep -vc "type=Suts ")" = 0 ]' "lsns -J -t uts lists other types: $parsed"

cleanup
[ "$(hostname)" = "$host" ] || fail "hostname outside became $(hostname)"
exit 0
