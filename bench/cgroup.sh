#!/bin/sh
# bench/cgroup.sh: cgcreate, cgset, cgget, cgexec (running true) and cgdelete
# against Debian's cgroup-tools (libcgroup), the same operation on the same
# group. --prepare puts the group in the state each run needs (absent for
# cgcreate, present for cgdelete) so that a measured command does one
# operation. Medians and ratios from one hyperfine run per operation.
. "$(dirname "$0")/lib.sh"

G=ctrbox-test-bench
CG=/usr/bin
have "$CG/cgcreate" || { echo "## cgroup: cgroup-tools not installed, skipped"; exit 0; }
dirs=$(awk '$9 == "cgroup" && (","$NF",") ~ /,(cpu|cpuacct),/ { printf "%s/'$G' ", $5 }' /proc/self/mountinfo)
[ -n "$dirs" ] || { echo "## cgroup: no v1 cpu/cpuacct hierarchy, skipped"; exit 0; }
ctrls=cpu,cpuacct
gone="sh -c 'rmdir $dirs 2>/dev/null; true'"
made="sh -c 'mkdir -p $dirs'"
trap 'sh -c "rmdir $dirs 2>/dev/null"' EXIT

# bench_prep TITLE PREPARE LABEL1 CMD1 LABEL2 CMD2: bench_compare with a
# --prepare command run before every timed run.
bench_prep() {
	title=$1 prep=$2
	shift 2
	json="$BENCH_OUT/$(echo "$title" | tr -c 'A-Za-z0-9\n' '_').json"
	eval "hyperfine -N --style none --runs $BENCH_RUNS --warmup $BENCH_WARMUP \
		--prepare $(quote "$prep") --export-json \"$json\" \
		--command-name $(quote "$1") $(quote "$2") --command-name $(quote "$3") $(quote "$4")" \
		>/dev/null 2>"$json.err" || {
		echo "## $title: hyperfine failed:"; sed 's/^/   /' "$json.err"; return 0; }
	echo "## $title"
	jq -r '(.results[0].median) as $base | .results[] |
	  [ .command, (.median * 1000000 | round / 1000 | tostring) + " ms",
	    (if .command == $base then "1.00" else ($base / .median * 100 | round / 100 | tostring) end) ] |
	  @tsv' "$json" |
	awk -F'\t' 'BEGIN { printf "  %-44s %12s %14s\n", "command", "median", "ctrbox/this" }
	            { printf "  %-44s %12s %14s\n", $1, $2, $3 }'
}

bench_prep "cgcreate -g $ctrls:GROUP" "$gone" \
	ctrbox "$CTRBOX cgcreate -g $ctrls:$G" cgroup-tools "$CG/cgcreate -g $ctrls:$G"
sh -c "mkdir -p $dirs"
bench_compare "cgset -r cpu.shares=512 GROUP" \
	ctrbox "$CTRBOX cgset -r cpu.shares=512 $G" cgroup-tools "$CG/cgset -r cpu.shares=512 $G"
bench_compare "cgget -r cpu.shares GROUP" \
	ctrbox "$CTRBOX cgget -r cpu.shares $G" cgroup-tools "$CG/cgget -r cpu.shares $G"
bench_compare "cgget -g cpu:GROUP (every knob)" \
	ctrbox "$CTRBOX cgget -g cpu:$G" cgroup-tools "$CG/cgget -g cpu:$G"
# CMD is a static true (busybox-static) when there is one: a dynamic
# /bin/true alone costs about as much as ctrbox's whole cgexec.
TRUE=/bin/true
[ -x /bin/busybox ] && TRUE="/bin/busybox true"
bench_compare "cgexec -g $ctrls:GROUP $TRUE" \
	ctrbox "$CTRBOX cgexec -g $ctrls:$G $TRUE" cgroup-tools "$CG/cgexec -g $ctrls:$G $TRUE" \
	"$TRUE alone (both pay it)" "$TRUE"
bench_prep "cgdelete -g $ctrls:GROUP" "$made" \
	ctrbox "$CTRBOX cgdelete -g $ctrls:$G" cgroup-tools "$CG/cgdelete -g $ctrls:$G"
