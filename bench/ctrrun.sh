#!/bin/sh
# bench/ctrrun.sh: one container running /bin/true, removed after it.
#   ctrrun --rm --cpu-quota 50000 IMAGE /bin/true   overlay root, mnt uts ipc pid net
#                                   (+cgroup) ns, CPU limit, docker's baseline
#   runc run (bundle on IMAGE)      the same namespaces and CPU limit, no overlay
#   crun run                        refuses this host's hybrid cgroup layout
#                                   ("cgroups in hybrid mode not supported"): listed
#                                   only where it runs
#   bwrap --unshare-ipc/pid/net/uts --bind IMAGE /   the same namespaces, no
#                                   overlay, no cgroup
#   floor-ctrrun                    bench/floor-ctrrun.c: the raw syscalls of the
#                                   core (cgroup, overlay, 5 ns, proc, dev, pivot)
# IMAGE: a static busybox. State roots on tmpfs (/dev/shm) for all.
# Targets (issue 10): <= 0.25x crun, <= 0.6x bwrap, <= 1.2x floor.
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

musl-gcc -static -Os -s -o "$t/floor" bench/floor-ctrrun.c 2>/dev/null ||
	cc -static -Os -s -o "$t/floor" bench/floor-ctrrun.c
cpudir=$(awk '$9 == "cgroup" && (","$NF",") ~ /,cpu,/ { print $5; exit }' /proc/self/mountinfo)
[ -n "$cpudir" ] || cpudir=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)

set -- ctrrun "$CTRBOX ctrrun --root $st/ctrrun --rm --cpu-quota 50000 $img /bin/true"
set -- "$@" floor "$t/floor $st $cpudir $img /bin/true"
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
# The supervisor's own peak (VmHWM of the ctrrun process; GNU time's %M
# would report the largest descendant: the container's program).
$CTRBOX ctrrun --root $st/ctrrun --rm $img /bin/sh -c 'sleep 1' &
sleep 0.7
echo "## supervisor peak RSS (ctrrun --rm IMAGE sh -c 'sleep 1'): $(awk '/^VmHWM/ { print $2 }' /proc/$!/status) KiB (target <= 512)"
wait
echo "## static binary: $(wc -c <"$CTRBOX") bytes (target <= 327680)"
