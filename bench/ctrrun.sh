#!/bin/sh
# bench/ctrrun.sh: one container running /bin/true, removed after it.
#   ctrrun --rm --cpu-quota 50000 IMAGE /bin/true   overlay root, mnt uts ipc pid net
#                                   + cgroup ns, CPU limit, docker's baseline
#   floor                           bench/floor-ctrrun.c: the physical floor, the
#                                   fewest syscalls for ctrrun's end state (its
#                                   groups, mounts, caps, seccomp program, state
#                                   files, teardown; tests/floor.bats keeps it equal)
#   floor (core only)               bench/floor-core.c: overlay, 5 ns, one cpu group,
#                                   proc, dev, pivot; none of docker's baseline
#   runc run (bundle on IMAGE)      the same namespaces and CPU limit, no overlay
#   crun run                        the same bundle; crun 1.8 refuses a hybrid
#                                   layout, hence bench_pure_v1 below
#   bwrap --unshare-ipc/pid/net/uts --bind IMAGE /   the same namespaces, no
#                                   overlay, no cgroup
# IMAGE: a static busybox. State roots on tmpfs (/dev/shm) for all.
# Targets (issue 10): <= 0.25x crun, <= 0.6x bwrap, <= 1.2x floor. The last
# lines put the floor itself against bwrap and crun: a target below
# floor/peer is below what the kernel work of ctrrun's container costs;
# and ctrrun/floor again from runs taken in turn (bench/interleave.c).
. bench/lib.sh
bench_pure_v1 "$0" "$@"

CTRBOX=${CTRBOX:-$1}
t=$(mktemp -d)
st=$(mktemp -d /dev/shm/ctrrun-bench.XXXXXX)
trap 'rm -rf "$t" "$st"' EXIT
img=$t/img
mkdir -p "$img/bin" "$img/proc" "$img/dev" "$img/sys" "$img/etc"
cp "$(command -v busybox)" "$img/bin/busybox"
ln -s busybox "$img/bin/true"
ln -s busybox "$img/bin/sh"

musl-gcc -static -Os -s -o "$t/floor-core" bench/floor-core.c 2>/dev/null ||
	cc -static -Os -s -o "$t/floor-core" bench/floor-core.c
cpudir=$(awk '$9 == "cgroup" && (","$NF",") ~ /,cpu,/ { print $5; exit }' /proc/self/mountinfo)
[ -n "$cpudir" ] || cpudir=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
# The full floor: ctrrun's seccomp program dumped from one ctrrun run (which
# also makes ctrrun's parent groups, the floor's too); the host's v1
# hierarchies as MOUNTPOINT:OPTIONS (what ctrrun reads from mountinfo).
ctrrun="$CTRBOX ctrrun --root $st/ctrrun --rm --cpu-quota 50000 $img /bin/true"
mkdir -p "$st/ctrrun"
hiers=$(awk '$9 == "cgroup" { o = $NF; sub(/^r[wo],/, "", o); printf "%s:%s ", $5, o }' /proc/self/mountinfo)
floor=
if [ -n "$hiers" ] && sh bench/floor-build.sh "$t/floor" $ctrrun; then
	floor="$t/floor $st/ctrrun ctrbox $img $hiers-- /bin/true"
else
	echo "# floor: not built (needs strace and cgroup v1 hierarchies: the floor does v1 only)"
fi

set -- ctrrun "$ctrrun"
[ -z "$floor" ] || set -- "$@" floor "$floor"
set -- "$@" "floor (core only)" "$t/floor-core $st $cpudir $img /bin/true"
if have bwrap; then
	set -- "$@" "bwrap (no overlay, no cgroup)" \
		"bwrap --unshare-ipc --unshare-pid --unshare-net --unshare-uts --bind $img / --proc /proc --dev /dev /bin/true"
fi
if have runc && have jq; then
	mkdir -p "$t/bundle"
	(cd "$t/bundle" && runc spec)
	jq --arg r "$img" '.root.path = $r | .root.readonly = false | .process.terminal = false |
	    .process.args = ["/bin/true"] | .linux.resources.cpu = {quota: 50000, period: 100000} |
	    .linux.namespaces = [{type:"pid"},{type:"network"},{type:"ipc"},{type:"uts"},{type:"mount"}]' \
	    "$t/bundle/config.json" >"$t/bundle/c.json" && mv "$t/bundle/c.json" "$t/bundle/config.json"
	# runc run deletes the container when it exits: one id serves every run
	set -- "$@" "runc run" "runc --root $st/runc run --bundle $t/bundle bench-runc"
fi
if have crun && crun --root "$st/crun" run --bundle "$t/bundle" bench-probe >/dev/null 2>&1; then
	set -- "$@" "crun run" "crun --root $st/crun run --bundle $t/bundle bench-crun"
else
	echo "# crun: $(crun --root "$st/crun" run --bundle "$t/bundle" bench-probe 2>&1 | tail -1)"
fi
bench_compare "ctrrun --rm IMAGE /bin/true" "$@"
# The floor against the peers, from the same run: how far below each peer
# the kernel work of ctrrun's container already is. A target ratio (0.6x
# bwrap, 0.25x crun) below floor/peer cannot be met by any program.
json="$BENCH_OUT/$(echo "ctrrun --rm IMAGE /bin/true" | tr -c 'A-Za-z0-9\n' '_').json"
if [ -n "$floor" ] && [ -f "$json" ]; then
	echo "## the floor against the peers (medians of the run above)"
	jq -r '
	  (.results | map({(.command): .median}) | add) as $m |
	  ["ctrrun/floor", $m["ctrrun"] / $m["floor"], 1.2],
	  (["bwrap (no overlay, no cgroup)", 0.6], ["crun run", 0.25], ["runc run", 0] |
	   select($m[.[0]] != null) |
	   ["floor/" + (.[0] | split(" ")[0]), $m["floor"] / $m[.[0]], .[1]]) | @tsv' "$json" |
	awk -F'\t' '{
	  printf "  %-14s %6.2f", $1, $2
	  if ($1 == "ctrrun/floor") printf "   (target <= %s)", $3
	  else if ($3 > 0) printf "   ctrrun target <= %s: %s", $3, ($2 > $3 ? "below the floor, unreachable" : "above the floor")
	  printf "\n" }'
fi
# The same ratio from runs taken in turn (bench/interleave.c): drift between
# hyperfine's blocks (the page cache, the kernel's deferred namespace
# cleanup, the other CPU) lands on one side of a ratio; in turn, both
# sides see the same machine.
if [ -n "$floor" ] && cc -O2 -Wall -Wextra -o "$t/interleave" bench/interleave.c; then
	r=$("$t/interleave" "$BENCH_RUNS" $floor :: $ctrrun | awk 'NR == 2 { print $2 }')
	echo "  ctrrun/floor   ${r:-?}   taken in turn, $BENCH_RUNS pairs (target <= 1.2)"
fi
# The supervisor's own peak (VmHWM of the ctrrun process; GNU time's %M
# would report the largest descendant: the container's program).
$CTRBOX ctrrun --root $st/ctrrun --rm $img /bin/sh -c 'sleep 1' &
sleep 0.7
echo "## supervisor peak RSS (ctrrun --rm IMAGE sh -c 'sleep 1'): $(awk '/^VmHWM/ { print $2 }' /proc/$!/status) KiB (target <= 512)"
wait
echo "## static binary: $(wc -c <"$CTRBOX") bytes (target <= 327680)"
