#!/usr/bin/env bats
# Differential tests: ctrbox's cgcreate, cgset, cgget, cgexec, cgdelete side
# by side with Debian's cgroup-tools (libcgroup 2.0.2, /usr/bin/cg*) over
# generated matrices of options and values, comparing exit status (success
# or failure, see D1/D2), stdout, and the cgroup files each leaves. Each case
# runs ctrbox on group ...-c and the peer on group ...-p (or both on one
# group when only reading), created fresh with mkdir, so neither sees the
# other's result.
#
# The peer only ever gets v1 controllers (cg_ver = 1): libcgroup enables a
# v2 controller in the cgroup2 root's cgroup.subtree_control on its own (on
# this host it once wrote +hugetlb into /sys/fs/cgroup/unified), and no test
# may write a root's file. setup_file records the cgroup2 root's
# subtree_control and every test checks it is unchanged (teardown restores
# and fails otherwise). "*" (every hierarchy) is never given to the peer.
#
# Intended differences (each case below says which applies):
#  D1 Exit status of a failure: ctrbox exits 1 (126/127 for a command that
#     cannot run); libcgroup exits its internal error code modulo 256 (96 for
#     ECGOTHER, 82 for a missing group...). Only success vs failure is compared.
#  D2 Wrong input parameters: ctrbox exits 129, libcgroup 3.x's EXIT_BADARGS;
#     Debian's 2.0.2 exits 255 (cgset, cgcreate, cgdelete) or 1 (cgget,
#     cgexec), and its cgdelete without an argument exits 0 doing nothing;
#     its cgset -r NAME without '=' dies of SIGSEGV (139).
#  D3 Messages: ctrbox prints "applet: what: detail: strerror" and, for wrong
#     input, libcgroup's "Wrong input parameters, try 'APPLET --help' for more
#     information." with the quote libcgroup forgets. stderr is not compared.
#  D4 Numbers are decimal: "010" is ten for ctrbox, which writes "10"; the
#     peer passes "010" on and the kernel's base-0 parse makes it 8.
#  D5 ctrbox checks the form of every value before writing (a word where a
#     number goes, "0x10", a negative quota other than -1): refused, status
#     1, nothing written; the peer hands it to the kernel, which refuses most
#     of them (both fail) but takes some (cpu.shares "0x10" is 16 there).
#  D6 cgcreate of a v1 cpuset group: ctrbox copies the parent's cpuset.cpus
#     and cpuset.mems so a task can join; libcgroup leaves them empty.
#  D7 A missing group or controller in cgget: both fail (D1); ctrbox prints
#     nothing on stdout, 2.0.2 may print the header first.
#  D8 2.0.2 vs 3.x options: 3.x has cgset -R, -b in every tool, cgget -m
#     (and -c, which ctrbox refuses); 2.0.2 refuses them as invalid options.
#     ctrbox follows 3.x; those cases compare ctrbox with 3.x's documented
#     behaviour (tests/cgroup.bats), not with the peer.
#  D9 ctrbox's cgexec -r NAME=VALUE (transient group) is its own; 3.x's
#     cgexec -r (systemd builds: replace the idle process of a scope, no
#     argument) is a different option. Not compared.
#  D10 cgdelete of a group whose parent is missing in one named hierarchy:
#     ctrbox checks every group in every hierarchy before removing any;
#     libcgroup removes what it can, then fails.
#  D11 -1 means "max" for every limit, pids.max included (ctrbox writes
#     "max"); the peer passes "-1" on and the kernel refuses it there.
#  D12 cgdelete -g cpu,cpuacct:G with cpu and cpuacct on separate v1
#     hierarchies: 2.0.2 removes G from cpu only and leaves cpuacct's (its
#     skip_add_controller compares group names, not hierarchies); ctrbox
#     removes it from both, as the option says.
#  D13 cgget -g cpu,cpuacct PATH (a list without ":PATH"): ctrbox lists both
#     controllers, as in the CTRL,CTRL:PATH form; libcgroup takes
#     "cpu,cpuacct" as one controller name and prints an empty block.
#  D14 An empty NAME (cgset -r =5): wrong input for ctrbox (129); 2.0.2
#     exits 0 having set nothing.
#  D15 cgget -g nosuch:PATH or -g cpu:MISSING: ctrbox fails (unknown
#     controller, missing group); libcgroup prints an empty block and exits
#     0 (the README's cgget difference).
#  D16 cgcreate -a/-t with numeric ids: ctrbox takes "1:2" as chown does;
#     2.0.2 looks names up only, says "can't find uid of user 1" and exits 0
#     having created nothing.
# vm-needs: Debian's cgroup-tools (host only: the VM has no peer)
load helpers
load cgroup-lib
bats_require_minimum_version 1.5.0

P=/usr/bin
CPU=$(cg_v1dir cpu) CPUACCT=$(cg_v1dir cpuacct) PIDS=$(cg_v1dir pids) CPUSET=$(cg_v1dir cpuset)

setup_file() {
	local r
	r=$(cg_v2root)
	[ -z "$r" ] || cat "$r/cgroup.subtree_control" >"$BATS_FILE_TMPDIR/v2root.before"
}

setup() {
	require_root
	[ -x $P/cgcreate ] && [ -x $P/cgset ] && [ -x $P/cgget ] && [ -x $P/cgexec ] &&
		[ -x $P/cgdelete ] || skip "needs Debian's cgroup-tools in $P"
	[ -n "$CPU" ] || skip "the peer is only run on v1 controllers; no v1 cpu hierarchy here"
	[ "$(command -v cgcreate)" = "$CTRBIN/cgcreate" ]
	B=ctrbox-test-cgroup-$$-$BATS_TEST_NUMBER
}

teardown() {
	run_deferred
	local r
	r=$(cg_v2root)
	[ -n "$r" ] || return 0
	if [ "$(cat "$r/cgroup.subtree_control")" != "$(cat "$BATS_FILE_TMPDIR/v2root.before")" ]; then
		local c
		for c in $(cat "$r/cgroup.subtree_control"); do
			grep -qw "$c" "$BATS_FILE_TMPDIR/v2root.before" ||
				echo "-$c" >"$r/cgroup.subtree_control" 2>/dev/null
		done
		echo "the cgroup2 root's subtree_control changed (restored)" >&2
		return 1
	fi
}

# mkgroups SUFFIX... : make $B-SUFFIX in the cpu, cpuacct and pids v1
# hierarchies (neutral: mkdir, not either tool), removed at teardown.
mkgroups() {
	local s d
	for s in "$@"; do
		defer cg_rm "$B-$s"
		for d in "$CPU" "$CPUACCT" "$PIDS"; do
			[ -n "$d" ] && mkdir -p "$d/$B-$s"
		done
	done
}

# outcome CMD...: "ok" or "fail" (D1/D2: the status's class only).
outcome() { "$@" >/dev/null 2>&1 && echo ok || echo fail; }

# ---- cgset: knob x value matrix --------------------------------------------

# Counters the kernel moves between two reads (cpu.stat, cpuacct): left out
# of byte-for-byte comparisons.
steady() { grep -Ev 'usage|nr_periods|nr_throttled|throttled_(time|usec)|nr_bursts|burst_(time|usec)'; }

@test "cgset -r NAME=VALUE matrix: same success or failure, same file contents" {
	local knob val dir st_c st_p f_c f_p n=0 diffs=
	local -A vals=(
		[cpu.shares]="2 512 1024 1536 262144 0 1 -1 abc 10x 0x10 010 99999999999999999999"
		[cpu.cfs_quota_us]="-1 1000 10000 500 0 -2 abc 010000 1.5"
		[cpu.cfs_period_us]="1000 50000 100000 999 1000001 x 0100000"
		[pids.max]="max 7 0 1 -1 abc 010"
	)
	for knob in cpu.shares cpu.cfs_quota_us cpu.cfs_period_us pids.max; do
		case $knob in pids.*) dir=$PIDS ;; *) dir=$CPU ;; esac
		[ -n "$dir" ] || continue
		for val in ${vals[$knob]}; do
			n=$((n + 1))
			mkgroups "$n-c" "$n-p"
			st_c=$(outcome cgset -r "$knob=$val" "$B-$n-c")
			st_p=$(outcome $P/cgset -r "$knob=$val" "$B-$n-p")
			f_c=$(cat "$dir/$B-$n-c/$knob") f_p=$(cat "$dir/$B-$n-p/$knob")
			case "$knob=$val" in
			*=0x10) # D5: ctrbox refuses the form; the kernel takes hex from the peer.
				[ "$st_c" = fail ] && [ "$f_c" = 1024 ] && continue ;;
			*=010|*=010000|*=0100000) # D4: decimal for ctrbox, octal for the kernel.
				[ "$st_c" = ok ] && [ "$f_c" = "${val#0}" ] && [ "$f_c" != "$f_p" ] && continue
				[ "$st_c" = ok ] && [ "$f_c" = "${val#0}" ] && [ "$st_p" = fail ] && continue ;;
			*=-1) # D5: -1 is "max" only for a limit; shares -1 is not a number.
				[ "$knob" = cpu.shares ] && [ "$st_c" = fail ] && continue
				# D11: -1 is max for pids.max too; the kernel refuses -1.
				[ "$knob" = pids.max ] && [ "$st_c" = ok ] && [ "$f_c" = max ] &&
					[ "$st_p" = fail ] && continue ;;
			esac
			if [ "$st_c" != "$st_p" ] || [ "$f_c" != "$f_p" ]; then
				diffs="$diffs
$knob=$val: ctrbox $st_c '$f_c', peer $st_p '$f_p'"
			fi
		done
	done
	echo "# $n cases" >&3
	[ -z "$diffs" ] || { echo "unlisted differences:$diffs"; false; }
}

@test "cgset: several -r and several groups, options after the groups (both permute)" {
	mkgroups c1 c2 p1 p2
	local a
	for a in "-r cpu.shares=512 -r cpu.cfs_quota_us=20000 G1 G2" "G1 -r cpu.shares=2048 G2" \
		 "G1 G2 -r cpu.cfs_period_us=50000 -r cpu.cfs_quota_us=10000"; do
		run cgset ${a//G/$B-c}
		[ "$status" -eq 0 ]
		run $P/cgset ${a//G/$B-p}
		[ "$status" -eq 0 ]
		for k in cpu.shares cpu.cfs_quota_us cpu.cfs_period_us; do
			[ "$(cat $CPU/$B-c1/$k $CPU/$B-c2/$k)" = "$(cat $CPU/$B-p1/$k $CPU/$B-p2/$k)" ]
		done
	done
}

@test "cgset --copy-from: the destination ends with the same settings as the peer's" {
	mkgroups src c p
	cgset -r cpu.shares=2560 -r cpu.cfs_period_us=50000 -r cpu.cfs_quota_us=10000 "$B-src"
	[ -z "$PIDS" ] || echo 9 >"$PIDS/$B-src/pids.max"
	run cgset --copy-from "$B-src" "$B-c"
	[ "$status" -eq 0 ]
	run $P/cgset --copy-from "$B-src" "$B-p"
	[ "$status" -eq 0 ]
	local k
	for k in cpu.shares cpu.cfs_period_us cpu.cfs_quota_us; do
		[ "$(cat $CPU/$B-c/$k)" = "$(cat $CPU/$B-p/$k)" ]
	done
	[ -z "$PIDS" ] || [ "$(cat $PIDS/$B-c/pids.max)" = "$(cat $PIDS/$B-p/pids.max)" ]
}

@test "cgset wrong input: both refuse (D2: 129 here, 255 or SIGSEGV there); nothing written" {
	mkgroups c p
	local a st_p
	for a in "" "-r cpu.shares= G" "-r cpu.shares=5" "G" "-x G" "--bogus G" \
		 "-r cpu.shares=5 --copy-from G G"; do
		run cgset ${a//G/$B-c}
		[ "$status" -eq 129 ] || { echo "ctrbox cgset $a: $status"; false; }
		st_p=0
		$P/cgset ${a//G/$B-p} >/dev/null 2>&1 || st_p=$?
		[ "$st_p" -ne 0 ] || { echo "peer cgset $a: 0"; false; }
	done
	# 2.0.2 dies of SIGSEGV on -r without '='; ctrbox: wrong input.
	run cgset -r cpu.shares "$B-c"
	[ "$status" -eq 129 ]
	# D14: an empty name: wrong input here, "success" there.
	run cgset -r =5 "$B-c"
	[ "$status" -eq 129 ]
	run $P/cgset -r =5 "$B-p"
	[ "$status" -eq 0 ]
	[ "$(cat $CPU/$B-c/cpu.shares)" = 1024 ]
	[ "$(cat $CPU/$B-p/cpu.shares)" = 1024 ]
}

# ---- cgget: output formats --------------------------------------------------

@test "cgget output matrix: flags x selections x one or two groups, byte for byte" {
	mkgroups a b
	cgset -r cpu.cfs_quota_us=10000 -r cpu.shares=2048 "$B-a"
	[ -z "$PIDS" ] || echo 5 >"$PIDS/$B-a/pids.max"
	local f sel g n=0 out_c out_p st_c st_p diffs=
	# (D13: "-g cpu,cpuacct" without a path is not in the matrix.)
	local sels=("-r cpu.shares" "-r cpu.shares -r cpu.cfs_quota_us" "-r cpu.stat"
		    "-g cpu" "-g cpu -g cpuacct" "-a" "")
	[ -z "$PIDS" ] || sels+=("-r pids.max -r cpu.shares" "-g pids")
	for f in "" -n -v -nv "-n -v"; do
		for sel in "${sels[@]}"; do
			for g in "$B-a" "$B-a $B-b"; do
				for order in pre post; do
					n=$((n + 1))
					if [ $order = pre ]; then set -- $f $sel $g; else set -- $g $f $sel; fi
					st_c=0 st_p=0
					out_c=$(cgget "$@" 2>/dev/null | od -c) || st_c=$?
					out_p=$($P/cgget "$@" 2>/dev/null | od -c) || st_p=$?
					# Counters that move between the two reads.
					out_c=$(cgget "$@" 2>/dev/null | steady | od -c)
					out_p=$($P/cgget "$@" 2>/dev/null | steady | od -c)
					[ "$out_c" = "$out_p" ] || diffs="$diffs
cgget $*"
				done
			done
		done
	done
	echo "# $n cases" >&3
	[ -z "$diffs" ] || { echo "differs:$diffs"; false; }
}

@test "cgget -g CTRL:PATH forms, byte for byte" {
	mkgroups a b
	local a n=0
	for a in "-g cpu:A" "-g cpu:A -g cpuacct:A" "-g cpu,cpuacct:A" "-n -g cpu:A" \
		 "-v -g cpuacct:A" "-g cpu:A -g cpu:B" "-nv -g cpu:A -g cpu:B" "-g cpu:A -n"; do
		a=${a//A/$B-a}
		a=${a//B/$B-b}
		n=$((n + 1))
		[ "$(cgget $a | steady | od -c)" = "$($P/cgget $a | steady | od -c)" ] ||
			{ echo "differs: cgget $a"; diff <(cgget $a) <($P/cgget $a); false; }
	done
}

@test "cgget failures: both fail (D1/D7): missing group, knob, controller; wrong input (D2)" {
	mkgroups a
	local a
	for a in "-r cpu.shares MISSING" "-r cpu.nope A" "-r nosuch.x A" \
		 "-r cpu" "" "-x A" "-a -r cpu.shares A" "-g cpu:A A"; do
		a=${a//MISSING/$B-missing}
		a=${a//A/$B-a}
		run cgget $a
		[ "$status" -ne 0 ] || { echo "ctrbox cgget $a: 0"; false; }
		run $P/cgget $a
		[ "$status" -ne 0 ] || { echo "peer cgget $a: 0"; false; }
	done
	# D15: an unknown controller or a missing group with -g CTRL:PATH.
	for a in nosuch:"$B-a" cpu:"$B-missing"; do
		run cgget -g "$a"
		[ "$status" -eq 1 ]
		run $P/cgget -g "$a"
		[ "$status" -eq 0 ]
	done
}

# ---- cgcreate ---------------------------------------------------------------

# The groups below $1 in every v1 hierarchy (relative names), with owner and mode.
tree_of() {
	local m
	for m in $(awk '$9 == "cgroup" { print $5 }' /proc/self/mountinfo); do
		[ -d "$m/$1" ] || continue
		(cd "$m/$1" && find . -type d | sort | while read -r d; do
			echo "${m##*/} $d $(stat -c '%u:%g %a' "$d")"; done)
	done
}

@test "cgcreate matrix: -g forms x owners and modes; same groups, owners and modes" {
	local g o n=0 st_c st_p diffs=
	local specs=("cpu:G" "cpu,cpuacct:G" "cpu:G/a/b" "cpu:G -g cpuacct:G/x" "cpu:/G/")
	[ -z "$PIDS" ] || specs+=("pids:G" "cpu,pids:G/a")
	for g in "${specs[@]}"; do
		# Owners by name (D16: 2.0.2 takes no numeric ids).
		for o in "" "-d 0750" "-f 0640" "-s 0600" "-a daemon:daemon" "-t bin:bin" \
			 "-a daemon:daemon -t bin:bin -d 700 -f 600 -s 640" "-a daemon: -t :bin"; do
			n=$((n + 1))
			defer cg_rm "$B-$n-c"
			defer cg_rm "$B-$n-p"
			st_c=$(outcome cgcreate $o -g ${g//G/$B-$n-c})
			st_p=$(outcome $P/cgcreate $o -g ${g//G/$B-$n-p})
			if [ "$st_c" != "$st_p" ] ||
			   [ "$(tree_of "$B-$n-c")" != "$(tree_of "$B-$n-p")" ]; then
				diffs="$diffs
cgcreate $o -g $g: ctrbox $st_c, peer $st_p"
			fi
			# Files: owner and mode of each knob and of the tasks files.
			if [ "$st_c" = ok ] && [ -n "$o" ] && [ -d "$CPU/$B-$n-c" ] && [ -d "$CPU/$B-$n-p" ]; then
				local fc fp
				fc=$(cd "$CPU/$B-$n-c" && stat -c '%n %u:%g %a' cgroup.procs tasks cpu.shares) || true
				fp=$(cd "$CPU/$B-$n-p" && stat -c '%n %u:%g %a' cgroup.procs tasks cpu.shares) || true
				[ "$fc" = "$fp" ] || diffs="$diffs
cgcreate $o -g $g: files ctrbox '$fc' peer '$fp'"
			fi
		done
	done
	echo "# $n cases" >&3
	[ -z "$diffs" ] || { echo "differs:$diffs"; false; }
}

@test "cgcreate: malformed specs and unknown controllers fail in both (D1/D2), nothing made" {
	local g
	for g in "cpu" ":G" "cpu:" "nosuchctrl:G" "cpu,nosuchctrl:G"; do
		run cgcreate -g ${g//G/$B-c}
		[ "$status" -ne 0 ]
		run $P/cgcreate -g ${g//G/$B-p}
		[ "$status" -ne 0 ]
	done
	cg_gone "$B-c"
	# The peer may leave a partial group for cpu,nosuchctrl: cleaned here.
	cg_rm "$B-p"
}

@test "cgcreate cpuset (D6): ctrbox's group can take a task at once, the peer's cannot" {
	[ -n "$CPUSET" ] || skip "no v1 cpuset hierarchy"
	defer cg_rm "$B-c"
	defer cg_rm "$B-p"
	cgcreate -g cpuset:"$B-c"
	$P/cgcreate -g cpuset:"$B-p"
	[ "$(cat $CPUSET/$B-c/cpuset.cpus)" = "$(cat $CPUSET/cpuset.cpus)" ]
	[ -z "$(cat $CPUSET/$B-p/cpuset.cpus)" ]
	run cgexec -g cpuset:"$B-c" true
	[ "$status" -eq 0 ]
	run $P/cgexec -g cpuset:"$B-p" true
	[ "$status" -ne 0 ]
}

# ---- cgexec -----------------------------------------------------------------

@test "cgexec: same groups joined, same status passed on, CMD's options kept" {
	mkgroups c p
	local cmd out_c out_p
	for cmd in "true" "false" "sh -c 'exit 7'" "sh -c 'echo \$0 -r -g' x" "sh -c 'kill -TERM \$\$'"; do
		out_c=$(eval cgexec -g cpu,cpuacct:"$B-c" "$cmd"; echo "status $?")
		out_p=$(eval $P/cgexec -g cpu,cpuacct:"$B-p" "$cmd"; echo "status $?")
		[ "$out_c" = "$out_p" ] || { echo "$cmd: ctrbox '$out_c' peer '$out_p'"; false; }
	done
	out_c=$(cgexec -g cpu:"$B-c" -g cpuacct:"$B-c" cat /proc/self/cgroup | sed "s/$B-c/G/")
	out_p=$($P/cgexec -g cpu:"$B-p" -g cpuacct:"$B-p" cat /proc/self/cgroup | sed "s/$B-p/G/")
	[ "$out_c" = "$out_p" ]
	[[ "$out_c" == *":cpu:/G"* ]]
	# Both refuse a missing group and a missing command (D1).
	run cgexec -g cpu:"$B-missing" true
	[ "$status" -ne 0 ]
	run $P/cgexec -g cpu:"$B-missing" true
	[ "$status" -ne 0 ]
	run -127 cgexec -g cpu:"$B-c" /nonexistent
	run $P/cgexec -g cpu:"$B-p" /nonexistent
	[ "$status" -ne 0 ]
}

# ---- cgdelete ---------------------------------------------------------------

@test "cgdelete matrix: tasks inside, subgroups, -r; same groups left, tasks in the same place" {
	local setup a n=0 pc pp diffs=
	for setup in "plain" "task" "sub" "subtask"; do
		for a in "-g cpu:G" "cpu:G" "-r -g cpu:G" "cpu:G -r" "-g cpu,cpuacct:G"; do
			n=$((n + 1))
			local gc=$B-$n-c gp=$B-$n-p
			defer cg_rm "$gc"
			defer cg_rm "$gp"
			mkdir -p "$CPU/$gc/s" "$CPU/$gp/s" "$CPUACCT/$gc" "$CPUACCT/$gp"
			case $setup in plain|task) rmdir "$CPU/$gc/s" "$CPU/$gp/s" ;; esac
			pc= pp=
			case $setup in
			task) sleep 300 & pc=$!; sleep 300 & pp=$!
			      echo $pc >"$CPU/$gc/cgroup.procs"; echo $pp >"$CPU/$gp/cgroup.procs" ;;
			subtask) sleep 300 & pc=$!; sleep 300 & pp=$!
			      echo $pc >"$CPU/$gc/s/cgroup.procs"; echo $pp >"$CPU/$gp/s/cgroup.procs" ;;
			esac
			[ -z "$pc" ] || defer kill -KILL $pc $pp
			local st_c st_p
			st_c=$(outcome cgdelete ${a//G/$gc})
			st_p=$(outcome $P/cgdelete ${a//G/$gp})
			local tc tp
			tc=$(tree_of "$gc" | sed "s/$gc//") tp=$(tree_of "$gp" | sed "s/$gp//")
			local wc= wp=
			[ -z "$pc" ] || { wc=$(grep ':cpu:' /proc/$pc/cgroup | sed "s/$gc/G/"); wp=$(grep ':cpu:' /proc/$pp/cgroup | sed "s/$gp/G/"); }
			# D12: 2.0.2 leaves the cpuacct group of -g cpu,cpuacct:G.
			if [ "$a" = "-g cpu,cpuacct:G" ] && [ -z "$tc" ] &&
			   [ "$(echo "$tp" | cut -d' ' -f1 | sort -u)" = cpuacct ]; then
				rmdir "$CPUACCT/$gp"
				tp=
			fi
			if [ "$st_c" != "$st_p" ] || [ "$tc" != "$tp" ] || [ "$wc" != "$wp" ]; then
				diffs="$diffs
$setup, cgdelete $a: ctrbox $st_c '$wc' [$tc], peer $st_p '$wp' [$tp]"
			fi
		done
	done
	echo "# $n cases" >&3
	[ -z "$diffs" ] || { echo "differs:$diffs"; false; }
}

@test "cgdelete / cgcreate / cgexec wrong input: both refuse (D2: 129 here, 255/1/0 there)" {
	local t st_p
	for t in "cgdelete -x" "cgdelete -g cpu" "cgcreate" "cgcreate -x" "cgexec" "cgexec -x true" \
		 "cgexec -g cpu true"; do
		run $t
		[ "$status" -eq 129 ] || { echo "ctrbox $t: $status"; false; }
		st_p=0
		$P/$t >/dev/null 2>&1 || st_p=$?
		[ "$st_p" -ne 0 ] || { echo "peer $t: 0"; false; }
	done
	# D2: 2.0.2's cgdelete without arguments does nothing and exits 0.
	run cgdelete
	[ "$status" -eq 129 ]
	run $P/cgdelete
	[ "$status" -eq 0 ]
}
