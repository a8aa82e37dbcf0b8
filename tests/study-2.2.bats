#!/usr/bin/env bats
# STUDY-SESSION.md 2.2 (1) and (2), step by step, with ctrbox's unshare.
load helpers

teardown() { run_deferred; }

# "TYPE INODE" for every link in /proc/PID/ns, sorted: the handout's
# `ls -l /proc/$$/ns`.
ns_links() {
	local f
	for f in /proc/$1/ns/*; do
		echo "${f##*/} $(readlink "$f")"
	done | sort
}

@test "2.2(1) steps 1-3: after unshare -u only the uts inode has changed" {
	require_root
	local before after
	before=$(ns_links $$)
	export -f ns_links
	after=$(unshare -u bash -c 'ns_links $$')
	[ -n "$after" ]
	# Same set of links, and exactly one line differs: uts.
	[ "$(echo "$before" | cut -d' ' -f1)" = "$(echo "$after" | cut -d' ' -f1)" ]
	run diff <(echo "$before") <(echo "$after")
	[ "$(echo "$output" | grep -c '^<')" -eq 1 ]
	[[ "$(echo "$output" | grep '^<')" == "< uts uts:["* ]]
	[[ "$(echo "$output" | grep '^>')" == "> uts uts:["* ]]
}

@test "2.2(1) steps 4-5: a hostname set inside is seen inside, not outside" {
	require_root
	local outside_name outside_ns
	outside_name=$(hostname)
	outside_ns=$(readlink /proc/$$/ns/uts)
	run unshare -u sh -c 'hostname hoge; hostname; readlink /proc/$$/ns/uts'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = hoge ]
	[ "${lines[1]}" != "$outside_ns" ]
	# the original namespace: same inode, same name
	[ "$(hostname)" = "$outside_name" ]
	[ "$(readlink /proc/$$/ns/uts)" = "$outside_ns" ]
	[ "$outside_name" != hoge ]
}

@test "2.2(1) step 4: the new hostname resolves to this host (ping -c 1 hoge)" {
	require_root
	require_cmd ping getent
	# The handout's CentOS resolved its own hostname through nss-myhostname.
	# Where this resolver does not, give the new UTS namespace a private
	# /etc/hosts naming it (in its own mount namespace): the step checked is
	# that the name set inside is the one the local host answers to.
	local script='hostname hoge
		if ! getent hosts hoge >/dev/null; then
			printf "127.0.1.1 hoge\n" >"$HOSTS"
			mount --bind "$HOSTS" /etc/hosts
		fi
		getent hosts hoge; ping -c 1 -W 2 hoge'
	HOSTS="$BATS_TEST_TMPDIR/hosts" run unshare -u -m sh -c "$script"
	[ "$status" -eq 0 ]
	local addr=${lines[0]%% *}
	[[ "$addr" == 127.* || "$addr" == ::1 ]] || ip -o addr 2>/dev/null | grep -qw "$addr"
	[[ "$output" == *"1 received"* || "$output" == *"1 packets received"* ]]
	# and the host's own name was not touched
	[ "$(hostname)" != hoge ]
}

@test "2.2(2) step 1: unshare -p -f gives \$\$ = 1 while /proc still shows the host" {
	require_root
	run unshare -p -f sh -c 'echo $$; cat /proc/1/comm; ls /proc | grep -c "^[0-9]"; readlink /proc/self'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1 ]
	# /proc belongs to the old mount namespace: PID 1 is the host's init,
	# every host process is listed, and our own PID there is not 1.
	[ "${lines[1]}" = "$(cat /proc/1/comm)" ]
	[ "${lines[2]}" -gt 3 ]
	[ "${lines[3]}" != 1 ]
	# ps-style reading (what ps aux does): the host's processes, ours among them
	run unshare -p -f sh -c 'for d in /proc/[0-9]*; do cat $d/comm 2>/dev/null; done'
	[[ "$output" == *"$(cat /proc/1/comm)"* ]]
	[ "${#lines[@]}" -gt 3 ]
}

@test "2.2(2) step 2: with --mount-proc the shell is PID 1 and alone" {
	require_root
	# (a sanitizer build's leak checker needs the /proc this hides from unshare)
	run env ASAN_OPTIONS=detect_leaks=0 unshare -p -f --mount-proc sh -c 'echo $$; for d in /proc/[0-9]*; do echo "${d#/proc/} $(cat $d/comm)"; done'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1 ]
	# only the shell (PID 1) and, at most, a child of it reading /proc
	[ "${lines[1]}" = "1 sh" ]
	[ "${#lines[@]}" -le 3 ]
	# ps aux itself, where procps is installed
	if command -v ps >/dev/null; then
		run env ASAN_OPTIONS=detect_leaks=0 unshare -p -f --mount-proc ps -e -o pid=,comm=
		[ "$status" -eq 0 ]
		[ "$(echo ${lines[0]})" = "1 ps" ]
		[ "${#lines[@]}" -eq 1 ]
	fi
	# and the host's /proc is untouched
	[ "$(cat /proc/1/comm)" != "" ]
	[ "$(ls /proc | grep -c '^[0-9]')" -gt 3 ]
}
