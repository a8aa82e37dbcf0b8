#!/bin/sh
# bench/oci.sh: an OCI runtime's round trip on one bundle running /bin/true
# (busybox-static root, ocirun spec's config, no terminal):
#   ocirun run --bundle B ID      create + start + wait + delete, in one call
#   runc run --bundle B ID        the same with Debian's runc
#   crun run --bundle B ID        crun refuses this host's hybrid cgroup layout
#                                 (HOST-NOTES): tried, reported when it fails
# and the four calls a shim makes (create, start, state until stopped,
# delete) for ocirun and runc. Then `podman run --rm IMAGE true` with each
# runtime (private vfs storage, cgroupfs). Targets: <= 0.2x runc, <= 0.5x crun.
. bench/lib.sh
bench_pure_v1 "$0" "$@"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/bin"
OCIRUN=$dir/bin/ocirun
ln -s "$CTRBOX" "$OCIRUN"
mkdir -p "$dir/b/rootfs/bin" "$dir/b/rootfs/proc" "$dir/b/rootfs/dev" "$dir/b/rootfs/sys"
cp /bin/busybox "$dir/b/rootfs/bin/busybox"
for a in sh true; do ln -s busybox "$dir/b/rootfs/bin/$a"; done
(cd "$dir/b" && "$CTRBOX" ocirun spec)
jq '.process.terminal = false | .process.args = ["/bin/true"] |
    .process.capabilities.ambient = [] | .linux.cgroupsPath = "/ctrbox-bench-oci"' \
	"$dir/b/config.json" >"$dir/c" && mv "$dir/c" "$dir/b/config.json"

cat >"$dir/steps" <<'SH'
# RUNTIME ROOT BUNDLE: create, start, poll state until stopped, delete
set -e
"$1" --root "$2" create --bundle "$3" bench-steps
"$1" --root "$2" start bench-steps
while [ "$("$1" --root "$2" state bench-steps | grep -c '"stopped"')" = 0 ]; do :; done
"$1" --root "$2" delete bench-steps
SH

set -- ocirun "$OCIRUN --root $dir/r1 run --bundle $dir/b bench1"
set -- "$@" "runc run" "runc --root $dir/r2 run --bundle $dir/b bench2"
if have crun && crun --root "$dir/r3" run --bundle "$dir/b" bench3 >/dev/null 2>"$dir/crun.err"; then
	set -- "$@" "crun run" "crun --root $dir/r3 run --bundle $dir/b bench3"
else
	echo "## crun run: refused here: $(head -c 200 "$dir/crun.err")"
	crun --root "$dir/r3" delete -f bench3 >/dev/null 2>&1
fi
bench_compare "OCI run of a bundle running /bin/true" "$@"
bench_compare "OCI create, start, state until stopped, delete" \
	"ocirun (4 calls)" "sh $dir/steps $OCIRUN $dir/r1 $dir/b" \
	"runc (4 calls)" "sh $dir/steps runc $dir/r2 $dir/b"

# podman run --rm IMAGE true with each runtime
# BENCH_PODMAN_RUNS=0 leaves podman out (hyperfine takes --runs 0 as "no limit").
if have podman && have conmon && [ "${BENCH_PODMAN_RUNS:-20}" != 0 ]; then
	ps="$dir/podman"
	mkdir -p "$ps/img"
	cp -a "$dir/b/rootfs/." "$ps/img/"
	tar -C "$ps/img" -cf "$ps/img.tar" .
	P="podman --root $ps/storage --runroot $ps/run --storage-driver vfs --cgroup-manager cgroupfs"
	$P import "$ps/img.tar" localhost/ocirun-bench:1 >/dev/null
	R="run --rm --network none --ulimit nofile=1024:20000 --ulimit nproc=1000:1000 localhost/ocirun-bench:1 /bin/true"
	BENCH_RUNS=${BENCH_PODMAN_RUNS:-20} BENCH_WARMUP=2 bench_compare "podman run --rm IMAGE true" \
		"podman --runtime ocirun" "$P --runtime $OCIRUN $R" \
		"podman --runtime runc" "$P --runtime /usr/sbin/runc $R"
	$P rm -af >/dev/null 2>&1
	$P rmi -af >/dev/null 2>&1
fi
