#!/bin/sh
# bench/lib.sh: sourced by bench/*.sh. Times commands with hyperfine and
# prints medians and ratios from the same run; never an assertion.
#
#   bench_compare TITLE LABEL1 CMD1 [LABEL2 CMD2 ...]
# LABEL1/CMD1 is ctrbox's; each row shows its median and "ctrbox/this", the
# ratio of ctrbox's median to that row's (0.5 means ctrbox takes half the time).
# BENCH_RUNS (default 50) and BENCH_WARMUP (default 5) tune hyperfine.

BENCH_RUNS=${BENCH_RUNS:-50}
BENCH_WARMUP=${BENCH_WARMUP:-5}
BENCH_OUT=${BENCH_OUT:-$(pwd)/build/bench}
mkdir -p "$BENCH_OUT"

have() { command -v "$1" >/dev/null 2>&1; }

bench_compare() {
	title=$1
	shift
	json="$BENCH_OUT/$(echo "$title" | tr -c 'A-Za-z0-9\n' '_').json"
	set -- "$@"
	args=""
	n=0
	while [ $# -ge 2 ]; do
		args="$args --command-name $(quote "$1") $(quote "$2")"
		n=$((n + 1))
		shift 2
	done
	eval "hyperfine -N --style none --runs $BENCH_RUNS --warmup $BENCH_WARMUP \
		--export-json \"$json\" $args" >/dev/null 2>"$json.err" || {
		echo "## $title: hyperfine failed:"; sed 's/^/   /' "$json.err"; return 0; }
	echo "## $title"
	jq -r '
	  (.results[0].median) as $base |
	  .results[] |
	  [ .command, (.median * 1000 | . * 1000 | round / 1000 | tostring) + " ms",
	    (if .command == $base then "1.00" else ($base / .median * 100 | round / 100 | tostring) end) ] |
	  @tsv' "$json" |
	awk -F'\t' 'BEGIN { printf "  %-44s %12s %14s\n", "command", "median", "ctrbox/this" }
	            { printf "  %-44s %12s %14s\n", $1, $2, $3 }'
}

# Peak RSS in KiB of one run of a command, from GNU time's %M (Debian package
# `time`, /usr/bin/time: the shell keyword `time` has no %M). The command's
# own output is discarded; GNU time writes to its own file (-o), so what the
# command prints on stderr cannot be mistaken for the figure. Prints "-" and
# returns 1 when GNU time is missing or the command fails (no figure then).
peak_rss() {
	_rss_f="$BENCH_OUT/peak_rss.$$"
	_rss=
	if [ -x /usr/bin/time ] &&
	   /usr/bin/time -f %M -o "$_rss_f" "$@" >/dev/null 2>&1 </dev/null; then
		_rss=$(tail -n 1 "$_rss_f")
	fi
	rm -f "$_rss_f"
	case $_rss in
	''|*[!0-9]*) echo -; return 1 ;;
	esac
	echo "$_rss"
}

quote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# crun 1.8 refuses a hybrid layout (v1 controllers plus a cgroup2 mount at
# /sys/fs/cgroup/unified: "cgroups in hybrid mode not supported"). On such a
# host, bench_pure_v1 "$0" "$@" re-runs the calling script in a new mount
# namespace where that cgroup2 mount is detached, so every row of the run
# (ctrbox and all peers alike) sees the same pure-v1 layout and crun can be
# measured. The machine's own mount table is not touched: the namespace's
# mounts are private copies.
bench_pure_v1() {
	[ -z "$BENCH_PURE_V1" ] || return 0
	[ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = tmpfs ] || return 0
	[ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ] || return 0
	export BENCH_PURE_V1=1
	echo "# hybrid host: this part runs in a mount namespace without /sys/fs/cgroup/unified (pure v1), where crun accepts the layout"
	# The mount point left is a directory of the machine's /sys/fs/cgroup
	# tmpfs, where crun would make a group directory of its own: a private
	# tmpfs over it takes those and goes with the namespace.
	exec unshare -m sh -c 'mount --make-rprivate / && umount -l /sys/fs/cgroup/unified &&
		mount -t tmpfs -o mode=755 bench-v1 /sys/fs/cgroup/unified && exec sh "$@"' sh "$@"
}
