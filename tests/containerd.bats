#!/usr/bin/env bats
# Debian's containerd (1.6) with ocirun as the runc binary of its runc v2
# shim (`ctr run --runc-binary`): a private daemon (its own root, state,
# sockets under a temp dir, stopped by its pid), the image of podman.bats
# exported as an OCI archive and imported.

load helpers
load oci-lib

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	command -v containerd >/dev/null && command -v podman >/dev/null &&
		file -L /usr/bin/busybox | grep -q static || return 0
	local D="$BATS_FILE_TMPDIR/ctd" PS="$BATS_FILE_TMPDIR/podman"
	mkdir -p "$D" "$PS"
	make_rootfs "$PS/img"
	tar -C "$PS/img" -cf "$PS/busybox.tar" .
	podman --root "$PS/storage" --runroot "$PS/run" --storage-driver vfs \
		import "$PS/busybox.tar" localhost/ocirun-test:1 >/dev/null
	podman --root "$PS/storage" --runroot "$PS/run" --storage-driver vfs \
		save --format oci-archive -o "$D/oci.tar" localhost/ocirun-test:1 >/dev/null
	podman --root "$PS/storage" --runroot "$PS/run" --storage-driver vfs rmi -af >/dev/null
	rm -rf "$PS"
	cat >"$D/config.toml" <<TOML
version = 2
root = "$D/root"
state = "$D/state"
[grpc]
  address = "$D/sock"
[ttrpc]
  address = "$D/sock.ttrpc"
[debug]
  address = "$D/debug.sock"
[metrics]
  address = ""
TOML
	containerd --config "$D/config.toml" >"$D/log" 2>&1 &
	echo $! >"$D/pid"
	local i
	for i in $(seq 100); do
		ctr --address "$D/sock" version >/dev/null 2>&1 && break
		sleep 0.1
	done
	ctr --address "$D/sock" images import --base-name localhost/ocirun-test "$D/oci.tar" >/dev/null
}

teardown_file() {
	local D="$BATS_FILE_TMPDIR/ctd" pid
	[ -f "$D/pid" ] || return 0
	pid=$(cat "$D/pid")
	kill "$pid" 2>/dev/null
	for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null || true
	awk -v p="$D/" 'index($5, p) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
		xargs -r -n1 umount -l 2>/dev/null || true
	rm -rf "$D"
}

setup() {
	require_root
	require_busybox
	require_cmd containerd ctr podman jq script
	D="$BATS_FILE_TMPDIR/ctd"
	CTR="ctr --address $D/sock"
	IMG=localhost/ocirun-test:1
	[ -S "$D/sock" ] || skip "the private containerd did not start: $(tail -3 $D/log)"
}

teardown() {
	run_deferred
}

@test "containerd + ocirun: ctr run --rm gives the output and exit status" {
	run $CTR run --rm --runc-binary "$OCIRUN" $IMG c1 sh -c 'echo from-ctr; exit 4'
	[ "$status" -eq 4 ]
	[ "$output" = from-ctr ]
	run $CTR run --rm --runc-binary "$OCIRUN" $IMG c2 true
	[ "$status" -eq 0 ]
	[ -z "$($CTR containers ls -q)" ]
	# the shim's runtime root: nothing left of either
	[ ! -e /run/containerd/runc/default/c1 ]
	[ ! -e /run/containerd/runc/default/c2 ]
}

@test "containerd + ocirun: a detached task: ps, kill, delete; errors reach ctr from log.json" {
	defer "$CTR containers rm c3"
	defer "$CTR task kill -s KILL c3"
	$CTR run -d --runc-binary "$OCIRUN" $IMG c3 sleep 1000
	pid=$($CTR task ls | awk '$1 == "c3" { print $2 }')
	wait_for 5 sh -c "[ \"\$(cat /proc/$pid/comm)\" = sleep ]"
	$CTR task ps c3 | grep -qw "$pid"
	"$OCIRUN" --root /run/containerd/runc/default state c3 | jq -e ".status == \"running\" and .pid == $pid"
	run $CTR task exec --exec-id e1 c3 sh -c 'cat /proc/1/comm; exit 3'
	[ "$status" -eq 3 ]
	[ "$output" = sleep ]
	$CTR task pause c3
	"$OCIRUN" --root /run/containerd/runc/default state c3 | jq -e '.status == "paused"'
	$CTR task resume c3
	$CTR task kill -s KILL c3
	wait_for 5 sh -c "! kill -0 $pid"
	$CTR task delete c3
	$CTR containers rm c3
	[ ! -e /run/containerd/runc/default/c3 ]
	# a refused config: containerd reports ocirun's message (log.json)
	run $CTR run --rm --runc-binary "$OCIRUN" --cwd relative $IMG c4 true
	[ "$status" -ne 0 ]
	[[ "$output" == *"process.cwd: must be an absolute path"* ]]
}

@test "containerd + ocirun: ctr run -t passes the pty through the console socket" {
	run script -qec "$CTR run --rm -t --runc-binary $OCIRUN $IMG c5 sh -c 'tty; exit 6'" /dev/null </dev/null
	[ "$status" -eq 6 ]
	[[ "$output" == *"/dev/pts/0"* ]]
}
