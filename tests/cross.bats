#!/usr/bin/env bats
# Other architectures (issue 12). Every config cross-builds (make ARCH=aarch64,
# and ARCH=armhf where Debian's armhf cross tools are installed) into a static
# binary of that architecture; the pure code (help, option parsing, usage
# errors, cgroup files, lsns) behaves under qemu-user byte for byte as the host
# build does. qemu-user cannot run namespace calls: the VM rig boots the
# aarch64 build for those (VM_ARCH=aarch64, tests/run.sh).
load helpers

top=$(cd "$BATS_TEST_DIRNAME/.." && pwd)

# The cross builds this machine can make: "ARCH COMPILER QEMU-USER FILE-WORDS".
cross_archs() {
	echo "aarch64 aarch64-linux-musl-gcc qemu-aarch64-static ARM aarch64"
	command -v arm-linux-musleabihf-gcc >/dev/null 2>&1 &&
		echo "armhf arm-linux-musleabihf-gcc qemu-arm-static ARM, EABI5"
	return 0
}

# The defconfig binary of every cross arch: make test builds
# build-aarch64/ctrbox (CTRBOX_AARCH64); the others are built here.
setup_file() {
	local arch cc qemu words
	: >"$BATS_FILE_TMPDIR/bins"
	while read -r arch cc qemu words; do
		command -v "$cc" >/dev/null 2>&1 || continue
		bin=$BATS_FILE_TMPDIR/$arch/ctrbox
		if [ "$arch" = aarch64 ] && [ -f "${CTRBOX_AARCH64:-}" ]; then
			bin=$CTRBOX_AARCH64
		else
			make -s -j2 -C "$top" ARCH="$arch" BUILD="${bin%/*}" >/dev/null
		fi
		echo "$qemu $bin" >>"$BATS_FILE_TMPDIR/bins"
	done < <(cross_archs)
}

setup() {
	require_cmd make aarch64-linux-musl-gcc qemu-aarch64-static file
	A64=$(awk '$1 == "qemu-aarch64-static" { print $2 }' "$BATS_FILE_TMPDIR/bins")
}

teardown() { run_deferred; }

# both ARGS...: run ARGS with the host build and under qemu-user with every
# cross build; outputs (stdout and stderr) and statuses must be the same.
both() {
	local host other qemu bin
	host=$("$CTRBOX" "$@" 2>&1; echo "status $?")
	while read -r qemu bin; do
		other=$("$qemu" "$bin" "$@" 2>&1; echo "status $?")
		if [ "$host" != "$other" ]; then
			echo "ctrbox $*: host and $qemu $bin differ:"
			diff <(echo "$host") <(echo "$other")
			return 1
		fi
	done <"$BATS_FILE_TMPDIR/bins"
}

@test "cross: every config builds for every cross arch: static, stripped, that arch, the config's applets" {
	local arch cc qemu words c b applets a
	while read -r arch cc qemu words; do
		for c in "$top"/configs/*; do
			b=$BATS_TEST_TMPDIR/$arch-${c##*/}
			make -s -j2 -C "$top" ARCH="$arch" CONFIG="configs/${c##*/}" BUILD="$b" >/dev/null
			run file "$b/ctrbox"
			[[ "$output" == *"$words"* ]]
			[[ "$output" == *"statically linked"* ]]
			[[ "$output" == *", stripped"* ]]
			run "$qemu" "$b/ctrbox" --list
			[ "$status" -eq 0 ]
			applets=$(sed -n 's/^APPLETS *:= *//p' "$c")
			for a in $applets; do
				grep -qx "$a" <<<"$output"
			done
			# Nothing the config leaves out (aliases such as pivot_root aside).
			[ "$(grep -cvx "$(printf '%s\n' $applets pivot_root)" <<<"$output")" = 0 ]
			echo "# size $arch ${c##*/}: $(stat -c %s "$b/ctrbox") bytes" >&3
		done
	done < <(cross_archs)
}

@test "cross: --list, --version, --help and every applet's --help are the host build's, under qemu-user" {
	local a
	both --list
	both --version
	both --help
	both nosuchapplet
	for a in $("$CTRBOX" --list); do
		both "$a" --help
		both "$a" --version
	done
}

@test "cross: usage errors are the host build's (message and status), under qemu-user" {
	both unshare --bogus
	both unshare --map-user
	both unshare --propagation nowhere true
	both nsenter -t abc true
	both nsenter --bogus
	both lsns -o NOSUCHCOLUMN
	both lsns -t nosuchtype
	both cgset -r
	both cgset -r novalue grp
	both cgget
	both cgexec
	both cgcreate -g
	both cgdelete
	both ovlmount
	both ovlmount -l a -u b /tmp/x
	both pivot
}

@test "cross: cgcreate, cgset, cgget and cgdelete of the cross builds work on the host's cgroup files, under qemu-user" {
	require_root
	local G=ctrbox-test-cross-$$ d
	defer "$CTRBOX" cgdelete -r -g pids:$G
	qemu-aarch64-static "$A64" cgcreate -g pids:$G
	d=$("$CTRBOX" cgget -n -v -r pids.max $G)
	[ "$d" = max ]
	qemu-aarch64-static "$A64" cgset -r pids.max=7 $G
	[ "$("$CTRBOX" cgget -n -v -r pids.max $G)" = 7 ]
	both cgget -r pids.max $G
	both cgget -n -v -r pids.max -r pids.current $G
	both cgget -r pids.nosuch $G
	qemu-aarch64-static "$A64" cgdelete -g pids:$G
	run "$CTRBOX" cgget -r pids.max $G
	[ "$status" -ne 0 ]
}

@test "cross: lsns of the cross builds lists a process's namespaces as the host build does, under qemu-user" {
	require_root
	both lsns -n -o NS,TYPE,PID -p $$
	both lsns -p $$ -J -o NS,TYPE
}

@test "cross: compat.h defines only syscall numbers every architecture shares, and they match musl's tables" {
	local name nr hdr n seen=0
	while read -r name nr; do
		# Numbers below 424 differ between architectures: they must come
		# from the libc's per-architecture headers, never from compat.h.
		[ "$nr" -ge 424 ] || { echo "compat.h: SYS_$name $nr is architecture-specific"; return 1; }
		for hdr in /usr/include/*-linux-musl*/bits/syscall.h; do
			n=$(sed -n "s/^#define SYS_$name[[:space:]]*\([0-9]*\)$/\1/p" "$hdr")
			[ -z "$n" ] && continue
			seen=$((seen + 1))
			[ "$n" = "$nr" ] || { echo "compat.h: SYS_$name $nr, $hdr: $n"; return 1; }
		done
	done < <(sed -n 's/^#define SYS_\([a-z0-9_]*\) \([0-9]*\)$/\1 \2/p' "$top/include/ctr/compat.h")
	[ "$seen" -gt 0 ]
	ls /usr/include/aarch64-linux-musl/bits/syscall.h
}
