# diff-lib.bash: differential testing of a ctrbox applet against its peer
# (Debian's util-linux, cgroup-tools, ...), loaded by tests/diff-*.bats.
#
#   diff_case LABEL "OURS..." "PEER..." [ARGS...]
#       run OURS ARGS and PEER ARGS (each a command line, word-split; ARGS
#       passed as they are), compare exit-status class, stdout and stderr
#       class (empty or not); a difference fails unless tests/diff-intended.txt
#       lists it. The stdout compared is what the commands print: to compare
#       kernel state, make the program run by the applet print it (a probe).
#       DIFF_FILTER (a command reading stdin) normalises both stdouts first.
#   diff_finish
#       fail the test if any case differed without being intended; print a
#       summary line (cases, differences, intended differences).
#
# Status classes: 0, 126, 127, "signal" (> 128), else "error" (1 for
# util-linux, 1 or 2 for some peers: the same class). Messages are not
# compared word for word (peers' versions word them differently); whether
# something was said on stderr is.
#
# tests/diff-intended.txt: one intended difference a line,
#   APPLET<TAB>ARGS-GLOB<TAB>ASPECT<TAB>REASON
# APPLET is the applet's name ($DIFF_APPLET, else the basename of OURS' first
# word), ARGS-GLOB a shell pattern matched against ARGS joined by spaces, ASPECT one of
# status, stdout, stderr or * (any). '#' starts a comment line.

DIFF_INTENDED=${DIFF_INTENDED:-$BATS_TEST_DIRNAME/diff-intended.txt}
DIFF_CASES=0
DIFF_DIFFS=0
DIFF_INTENDED_HITS=0
DIFF_FAILED=0
DIFF_LOG=""

diff_class() {
	case $1 in
	0 | 126 | 127) echo "$1" ;;
	*) if [ "$1" -gt 128 ]; then echo signal; else echo error; fi ;;
	esac
}

# diff_intended APPLET ARGS ASPECT: 0 and the reason on stdout if listed.
diff_intended() {
	local applet=$1 args=$2 aspect=$3 a g s r
	[ -f "$DIFF_INTENDED" ] || return 1
	while IFS=$'\t' read -r a g s r; do
		case $a in '' | '#'*) continue ;; esac
		[ "$a" = "$applet" ] || continue
		# shellcheck disable=SC2053
		[[ $args == $g ]] || continue
		[ "$s" = "*" ] || [ "$s" = "$aspect" ] || continue
		echo "$r"
		return 0
	done <"$DIFF_INTENDED"
	return 1
}

# diff_run OUTPREFIX CMD...: status, stdout, stderr into files.
diff_run() {
	local p=$1 rc=0
	shift
	"$@" >"$p.out" 2>"$p.err" </dev/null || rc=$?
	echo "$rc" >"$p.rc"
	if [ -n "${DIFF_FILTER:-}" ]; then
		$DIFF_FILTER <"$p.out" >"$p.out.f" && mv "$p.out.f" "$p.out"
	fi
}

diff_case() {
	local label=$1 ours=$2 peer=$3 applet d aspect why args
	shift 3
	args="$*"
	applet=${DIFF_APPLET:-$(basename "${ours%% *}")}
	d=$BATS_TEST_TMPDIR/diff.$DIFF_CASES
	DIFF_CASES=$((DIFF_CASES + 1))
	# shellcheck disable=SC2086
	diff_run "$d.ours" $ours "$@"
	# shellcheck disable=SC2086
	diff_run "$d.peer" $peer "$@"
	local bad="" o p
	for aspect in status stdout stderr; do
		case $aspect in
		status) o=$(diff_class "$(cat "$d.ours.rc")") p=$(diff_class "$(cat "$d.peer.rc")") ;;
		stdout) o=$(cat "$d.ours.out") p=$(cat "$d.peer.out") ;;
		stderr) o=$([ -s "$d.ours.err" ] && echo said || echo silent)
			p=$([ -s "$d.peer.err" ] && echo said || echo silent) ;;
		esac
		[ "$o" = "$p" ] && continue
		DIFF_DIFFS=$((DIFF_DIFFS + 1))
		if why=$(diff_intended "$applet" "$args" "$aspect"); then
			DIFF_INTENDED_HITS=$((DIFF_INTENDED_HITS + 1))
			DIFF_LOG+="intended: $label: $applet $args: $aspect ($why)"$'\n'
			continue
		fi
		DIFF_FAILED=$((DIFF_FAILED + 1))
		bad+=" $aspect"
	done
	[ -z "$bad" ] && return 0
	DIFF_LOG+="DIFFERS:$bad: $label: $applet $args"$'\n'
	DIFF_LOG+="  ours: rc=$(cat "$d.ours.rc") err=[$(head -c 200 "$d.ours.err")]"$'\n'
	DIFF_LOG+="  peer: rc=$(cat "$d.peer.rc") err=[$(head -c 200 "$d.peer.err")]"$'\n'
	DIFF_LOG+="$(diff "$d.peer.out" "$d.ours.out" | grep '^[<>]' | head -8 | sed 's/^</  peer:/; s/^>/  ours:/')"$'\n'
	return 0
}

diff_finish() {
	printf '%s' "$DIFF_LOG"
	echo "diff: $DIFF_CASES cases, $DIFF_DIFFS differences, $DIFF_INTENDED_HITS intended"
	echo "# diff: $BATS_TEST_DESCRIPTION: $DIFF_CASES cases, $DIFF_DIFFS differences, $DIFF_INTENDED_HITS intended" >&3
	[ "$DIFF_CASES" -gt 0 ] && [ "$DIFF_FAILED" -eq 0 ]
}
