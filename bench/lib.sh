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

# Peak RSS in KiB of one run of a command (GNU time is not assumed: uses the
# kernel's accounting through a tiny wrapper shell).
peak_rss() {
	/usr/bin/env time -f %M "$@" 2>&1 >/dev/null | tail -n 1
}

quote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}
