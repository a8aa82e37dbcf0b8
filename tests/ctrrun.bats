#!/usr/bin/env bats
# ctrrun: docker run on ctrbox. Each test checks the kernel's view: the
# container's /proc/1/status, ns inodes, mountinfo, cgroup files, and what
# is left on the host afterwards. Layout-agnostic (v1, v2, hybrid): cgroup
# values are read with ctrbox's cgget, which translates v1 names on v2.

load helpers
load ctrrun-lib

setup() {
	require_ctrrun_image
}

teardown() {
	run_deferred
	rmdir /sys/fs/cgroup/*/"$CGP" /sys/fs/cgroup/"$CGP" 2>/dev/null || true
}

@test "ctrrun: exit statuses are docker's (0, N, 125, 126, 127, 128+N)" {
	run $CR --rm "$IMG" true
	[ "$status" -eq 0 ]
	run $CR --rm "$IMG" sh -c 'exit 3'
	[ "$status" -eq 3 ]
	run -127 $CR --rm "$IMG" /no/such/file

	run -127 $CR --rm "$IMG" nosuchcommand

	[[ "$output" == *"executable file not found in \$PATH"* ]]
	run $CR --rm "$IMG" /etc/passwd
	[ "$status" -eq 126 ]
	run $CR --rm --init "$IMG" sh -c 'kill -KILL $$'
	[ "$status" -eq 137 ]
	run $CR --rm --no-such-flag "$IMG" true
	[ "$status" -eq 125 ]
	run $CR --rm --publish 80:80 "$IMG" true
	[ "$status" -eq 125 ]
	[[ "$output" == *"--publish is not supported"* ]]
	run $CR --rm /no/such/image true
	[ "$status" -eq 125 ]
	run $CR --rm "$IMG"
	[ "$status" -eq 125 ]
}

@test "ctrrun: new mnt uts ipc pid net cgroup namespaces, pid 1, loopback up, hostname" {
	run $CR --rm -h box1 "$IMG" sh -c 'for t in mnt uts ipc pid net cgroup user; do echo "$t $(stat -L -c %i /proc/self/ns/$t)"; done; echo "pid $$"; hostname; cat /etc/hostname; cat /sys/class/net/lo/operstate /sys/class/net/lo/flags; ls /sys/class/net'
	[ "$status" -eq 0 ]
	for t in mnt uts ipc pid net cgroup; do
		inner=$(echo "$output" | awk -v t="$t" '$1 == t { print $2 }')
		[ -n "$inner" ]
		[ "$inner" != "$(ns_ino self "$t")" ]
	done
	# no user namespace (docker's default)
	[ "$(echo "$output" | awk '$1 == "user" { print $2 }')" = "$(ns_ino self user)" ]
	[[ "$output" == *"pid 1"* ]]
	[ "$(echo "$output" | grep -c '^box1$')" -eq 2 ]
	echo "$output" | grep -q '^0x9$'     # IFF_UP|IFF_LOOPBACK
	[ "$(echo "$output" | tail -1)" = "lo" ]
}

@test "ctrrun: docker's capability sets, seccomp filter, no_new_privs on request" {
	run $CR --rm "$IMG" cat /proc/1/status
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '^CapEff:[[:space:]]*00000000a80425fb$'
	echo "$output" | grep -q '^CapPrm:[[:space:]]*00000000a80425fb$'
	echo "$output" | grep -q '^CapBnd:[[:space:]]*00000000a80425fb$'
	echo "$output" | grep -q '^CapInh:[[:space:]]*0000000000000000$'
	echo "$output" | grep -q '^CapAmb:[[:space:]]*0000000000000000$'
	echo "$output" | grep -q '^Seccomp:[[:space:]]*2$'
	echo "$output" | grep -q '^NoNewPrivs:[[:space:]]*0$'
	run $CR --rm --security-opt no-new-privileges --cap-drop ALL --cap-add NET_RAW "$IMG" cat /proc/1/status
	echo "$output" | grep -q '^NoNewPrivs:[[:space:]]*1$'
	echo "$output" | grep -q '^CapEff:[[:space:]]*0000000000002000$'
	echo "$output" | grep -q '^CapBnd:[[:space:]]*0000000000002000$'
	run $CR --rm --security-opt seccomp=unconfined --cap-add SYS_ADMIN "$IMG" cat /proc/1/status
	echo "$output" | grep -q '^Seccomp:[[:space:]]*0$'
	echo "$output" | grep -q '^CapEff:[[:space:]]*00000000a82425fb$'
	# the filter: unshare and mount are refused with the default caps
	run $CR --rm "$IMG" unshare -n true
	[ "$status" -ne 0 ]
	# --privileged: the caller's bounding set, no filter
	run $CR --rm --privileged "$IMG" cat /proc/1/status
	echo "$output" | grep -q "^CapBnd:[[:space:]]*$(awk '/^CapBnd/ { print $2 }' /proc/self/status)$"
	echo "$output" | grep -q '^Seccomp:[[:space:]]*0$'
}

@test "ctrrun: -u USER[:GROUP] from the image's passwd and group" {
	run $CR --rm -u u1 "$IMG" sh -c 'id -u; id -g; id -G; echo $HOME; grep CapEff /proc/self/status'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 1000 ]
	[ "${lines[2]}" = "1000 2000" ]
	[ "${lines[3]}" = /home/u1 ]
	[[ "${lines[4]}" == *0000000000000000 ]]
	run $CR --rm -u 1000:g2 "$IMG" sh -c 'id -u; id -g'
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 2000 ]
	run $CR --rm -u nosuchuser "$IMG" true
	[ "$status" -eq 125 ]
}

@test "ctrrun: overlay root on the image, pivot_root, no host mount, nothing shared" {
	before=$(img_sum)
	run $CR --rm "$IMG" sh -c 'echo x >/newfile; rm /bin/true; cat /proc/self/mountinfo'
	[ "$status" -eq 0 ]
	root=$(echo "$output" | awk '$5 == "/"')
	[[ "$root" == *" - overlay overlay "* ]]
	[[ "$root" == *"$IMG"* ]]
	! echo "$output" | grep -q 'shared:'
	# nothing of the host's tree: no mount from outside the container
	! echo "$output" | awk '{ print $5 }' | grep -qE '^/(home|boot|var|usr|work)'
	[ "$(img_sum)" = "$before" ]
	[ -e "$IMG/bin/true" ] && [ ! -e "$IMG/newfile" ]
}

@test "ctrrun: /dev is docker's minimal set, /sys read-only, masked and read-only /proc paths" {
	run $CR --rm "$IMG" sh -c 'ls /dev | tr "\n" " "; echo; stat -c "%n %t:%T %a" /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty; touch /sys/x 2>&1; echo 1 > /proc/sys/kernel/domainname 2>&1; stat -c "%t:%T" /proc/keys; ls /sys/firmware | wc -l; awk "\$5 == \"/dev/pts\"" /proc/self/mountinfo'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero " ]
	echo "$output" | grep -q '^/dev/null 1:3 666$'
	echo "$output" | grep -q '^/dev/tty 5:0 666$'
	echo "$output" | grep -q 'Read-only file system'
	[ "$(echo "$output" | grep -c 'Read-only file system')" -eq 2 ]
	echo "$output" | grep -q '^1:3$'
	echo "$output" | grep -q '^0$'
	echo "$output" | grep -q 'devpts.*ptmxmode=666'
}

@test "ctrrun: a device node made with CAP_MKNOD does not open unless allowed" {
	run $CR --rm "$IMG" sh -c 'mknod /tmp/mem c 1 1 && head -c1 /tmp/mem; echo "rc=$?"; mknod /tmp/n c 1 3 && echo ok >/tmp/n && echo null-ok'
	[ "$status" -eq 0 ]
	echo "$output" | grep -q 'rc=1'
	echo "$output" | grep -q 'null-ok'
}

@test "ctrrun: cgroup limits land in the container's group (v1 names, any layout)" {
	defer "$CR rm -f cglim"
	run $CR -d --name cglim --cpu-quota 10000 --cpu-period 50000 -c 512 -m 64m --pids-limit 50 \
		--cpuset-cpus 0 "$IMG" sleep 60
	[ "$status" -eq 0 ]
	g=$(cg_of cglim)
	run cgget -n -v -r cpu.cfs_quota_us -r cpu.cfs_period_us -r cpu.shares \
		-r memory.limit_in_bytes -r pids.max -r cpuset.cpus "$g"
	[ "$status" -eq 0 ]
	[ "${lines[*]}" = "10000 50000 512 67108864 50 0" ]
	pid=$($CR inspect -f '{{.State.Pid}}' cglim)
	grep -q "ctrbox/" "/proc/$pid/cgroup"
	# the container sees its own group as / (cgroup namespace)
	run $CR exec cglim cat /proc/self/cgroup 2>/dev/null || true
	run $CR inspect -f '{{.HostConfig.CpuQuota}} {{.HostConfig.CpuPeriod}} {{.HostConfig.CpuShares}} {{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.CpusetCpus}}' cglim
	[ "$output" = "10000 50000 512 67108864 50 0" ]
}

@test "ctrrun: --rm and a failed start leave no state dir, cgroup or mount" {
	$CR --rm "$IMG" true
	before=$(leftovers)
	$CR --rm "$IMG" true
	run -127 $CR --rm "$IMG" nosuchcommand

	run $CR --rm --cpu-quota 10 "$IMG" true    # the kernel refuses a quota < 1 ms
	[ "$status" -eq 125 ]
	[ "$(leftovers)" = "$before" ]
}

@test "ctrrun: SIGKILL of ctrrun takes the container down, the next call cleans up" {
	$CR --rm --cgroup-parent $CGP "$IMG" true
	before=$(leftovers)
	$CR --rm --cgroup-parent $CGP --name sk "$IMG" sleep 7777 >/dev/null 2>&1 3>&- &
	crpid=$!
	defer "kill -KILL $crpid"
	wait_for 5 sh -c "$CR inspect -f '{{.State.Pid}}' sk | grep -qv '^0$'"
	cpid=$($CR inspect -f '{{.State.Pid}}' sk)
	[ -d "/proc/$cpid" ]
	kill -KILL "$crpid"
	wait "$crpid" || true
	wait_for 5 sh -c "! kill -0 $cpid"
	! grep -qs 7777 /proc/[0-9]*/cmdline
	# the stale state is still there until any ctrrun call
	[ -n "$(ls -A "$ROOT")" ]
	$CR ps -a >/dev/null
	after=$(leftovers)
	diff <(echo "$before") <(echo "$after") || true
	[ "$after" = "$before" ]
}

@test "ctrrun: -d, ps, logs, inspect, stop, wait, rm" {
	defer "$CR rm -f dd"
	run $CR -d --name dd "$IMG" sh -c 'echo hello; trap "echo bye; exit 7" TERM; while :; do sleep 0.1; done'
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^[0-9a-f]{64}$ ]]
	id=$output
	run $CR ps
	[[ "$output" == *"${id:0:12}"*dd* ]]
	run $CR ps -q
	[ "$output" = "${id:0:12}" ]
	wait_for 5 sh -c "$CR logs dd | grep -q hello"
	[ "$($CR inspect -f '{{.State.Status}} {{.State.Running}} {{.Name}} {{.Config.Image}}' dd)" = "running true /dd $IMG" ]
	# docker-shaped JSON, valid for jq
	if command -v jq >/dev/null; then
		[ "$($CR inspect dd | jq -r '.[0].State.Pid')" = "$($CR inspect -f '{{.State.Pid}}' dd)" ]
		[ "$($CR inspect dd | jq -r '.[0].GraphDriver.Name')" = overlay2 ]
		[ "$($CR inspect -f '{{json .Config.Cmd}}' dd | jq -r '.[0]')" = sh ]
	fi
	# logs -f follows until the container ends
	$CR logs -f dd >"$BATS_TEST_TMPDIR/follow" 3>&- &
	fpid=$!
	run $CR stop dd
	[ "$output" = dd ]
	run $CR wait dd
	[ "$output" = 7 ]
	wait_for 5 sh -c "! kill -0 $fpid"
	[ "$(cat "$BATS_TEST_TMPDIR/follow")" = "$(printf 'hello\nbye')" ]
	run $CR logs dd
	[ "$output" = "$(printf 'hello\nbye')" ]
	run $CR ps
	[[ "$output" != *dd* ]]
	run $CR ps -a
	[[ "$output" == *"Exited (7)"* ]]
	[ "$($CR inspect -f '{{.State.ExitCode}}' dd)" = 7 ]
	run $CR rm dd
	[ "$status" -eq 0 ]
	run $CR inspect dd
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$id" ]
}

@test "ctrrun: kill -s, rm refuses a running container, rm -f removes it" {
	$CR -d --name kk "$IMG" sleep 100
	defer "$CR rm -f kk"
	run $CR rm kk
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot remove a running container"* ]]
	run $CR kill -s KILL kk
	[ "$status" -eq 0 ]
	[ "$($CR wait kk)" = 137 ]
	run $CR kill kk
	[ "$status" -ne 0 ]
	$CR -d --name kk2 "$IMG" sleep 100
	id=$($CR inspect -f '{{.Id}}' kk2)
	run $CR rm -f kk2
	[ "$status" -eq 0 ]
	[ ! -e "$ROOT/$id" ]
	! ls -d /sys/fs/cgroup/*/ctrbox/"$id" 2>/dev/null
}

@test "ctrrun: -e, --env-file, -w, --entrypoint, -v, --tmpfs, --read-only" {
	printf 'A=1\n# comment\nB=two\n' >"$BATS_TEST_TMPDIR/env"
	mkdir -p "$BATS_TEST_TMPDIR/vol"
	echo data >"$BATS_TEST_TMPDIR/vol/f"
	run $CR --rm -e X=y --env-file "$BATS_TEST_TMPDIR/env" -w /work/dir \
		-v "$BATS_TEST_TMPDIR/vol:/mnt/v:ro" --tmpfs /scratch --read-only \
		--entrypoint /bin/sh "$IMG" -c 'echo "$X $A $B $(pwd)"; cat /mnt/v/f; touch /mnt/v/g 2>&1; touch /scratch/ok && echo tmpfs-ok; touch /rootfile 2>&1; awk "\$5 == \"/scratch\" { print \$6 }" /proc/self/mountinfo'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "y 1 two /work/dir" ]
	[ "${lines[1]}" = data ]
	[[ "${lines[2]}" == *"Read-only file system"* ]]
	[ "${lines[3]}" = tmpfs-ok ]
	[[ "${lines[4]}" == *"Read-only file system"* ]]
	[[ "${lines[5]}" == *nosuid,nodev,noexec* ]]
	[ ! -e "$BATS_TEST_TMPDIR/vol/g" ]
}

@test "ctrrun: --ulimit, --network host and none, --init reaps and forwards" {
	run $CR --rm --ulimit nofile=100:200 "$IMG" sh -c 'ulimit -n; ulimit -Hn'
	[ "${lines[0]}" = 100 ] && [ "${lines[1]}" = 200 ]
	run $CR --rm --network host "$IMG" stat -L -c %i /proc/self/ns/net
	[ "$output" = "$(ns_ino self net)" ]
	run $CR --rm --network none "$IMG" ls /sys/class/net
	[ "$output" = lo ]
	run $CR --rm --network bridge "$IMG" true
	[ "$status" -eq 125 ]
	run $CR --rm --init "$IMG" sh -c 'cat /proc/1/cmdline | tr "\0" " "; echo; echo $$'
	[ "${lines[1]}" = 2 ]
	# CVE-2019-5736: init is ctrbox, non-dumpable: its exe cannot be reached
	run $CR --rm --init "$IMG" sh -c 'readlink /proc/1/exe || echo denied; cat /proc/1/exe >/dev/null 2>&1 || echo denied'
	[ "$output" = "$(printf 'denied\ndenied')" ]
	# SIGTERM reaches the command through init
	$CR -d --init --name ini "$IMG" sh -c 'trap "exit 9" TERM; while :; do sleep 0.1; done'
	defer "$CR rm -f ini"
	$CR stop -t 5 ini
	[ "$($CR wait ini)" = 9 ]
}

@test "ctrrun: -t gives a pty (console, TERM), the caller's terminal is restored on every path" {
	require_cmd script
	run script -qec "stty -g; $CR --rm -t $IMG sh -c 'tty; ls -l /dev/console; echo \$TERM; exit 4'; echo rc=\$?; stty -g" /dev/null
	[ "$status" -eq 0 ]
	out=$(echo "$output" | tr -d '\r')
	first=$(echo "$out" | head -1)
	last=$(echo "$out" | tail -1)
	[ "$first" = "$last" ]
	echo "$out" | grep -q '^/dev/pts/0$'
	echo "$out" | grep -q '^c.* 136, *0 .*/dev/console$'
	echo "$out" | grep -q '^xterm$'
	echo "$out" | grep -q '^rc=4$'
	# a failed start restores it too
	run script -qec "stty -g; $CR --rm -it $IMG nosuchcommand; echo rc=\$?; stty -g" /dev/null
	out=$(echo "$output" | tr -d '\r')
	[ "$(echo "$out" | head -1)" = "$(echo "$out" | tail -1)" ]
	echo "$out" | grep -q '^rc=127$'
}

@test "ctrrun: -i keeps stdin open, without it stdin is empty" {
	run sh -c "echo hello | $CR --rm -i $IMG cat"
	[ "$output" = hello ]
	run sh -c "echo hello | $CR --rm $IMG cat"
	[ "$output" = "" ]
}

@test "ctrrun exec: all namespaces and cgroups joined, same caps, seccomp, user; -u -w -e" {
	$CR -d --name ex -u u1 --security-opt no-new-privileges "$IMG" sleep 60 >/dev/null
	defer "$CR rm -f ex"
	pid=$($CR inspect -f '{{.State.Pid}}' ex)
	run $CR exec ex sh -c 'for t in mnt uts ipc pid net cgroup; do echo "$t $(stat -L -c %i /proc/self/ns/$t)"; done; id -u; grep -E "^(CapEff|CapBnd|Seccomp|NoNewPrivs):" /proc/self/status'
	[ "$status" -eq 0 ]
	for t in mnt uts ipc pid net cgroup; do
		[ "$(echo "$output" | awk -v t=$t '$1 == t { print $2 }')" = "$(ns_ino "$pid" "$t")" ]
	done
	echo "$output" | grep -q '^1000$'
	echo "$output" | grep -q '^Seccomp:[[:space:]]*2$'
	echo "$output" | grep -q '^NoNewPrivs:[[:space:]]*1$'
	echo "$output" | grep -q '^CapBnd:[[:space:]]*00000000a80425fb$'
	# the exec'd process is in the container's cgroups (seen from the host)
	$CR exec -d ex sleep 33
	# (a loop, not grep over /proc/*/cmdline: a process that exits between
	# the glob and the read makes grep fail on a busy machine)
	wait_for 10 sh -c 'for p in /proc/[0-9]*; do tr "\0" " " <$p/cmdline 2>/dev/null | grep -qx "sleep 33 " && exit 0; done; exit 1'
	epid=$(for p in /proc/[0-9]*; do tr '\0' ' ' <$p/cmdline 2>/dev/null | grep -qx 'sleep 33 ' && basename $p; done | head -1)
	[ -n "$epid" ]
	[ "$(grep -v '^0::' /proc/$epid/cgroup | sort)" = "$(grep -v '^0::' /proc/$pid/cgroup | sort)" ]
	run $CR exec -u root -w /tmp -e A=b ex sh -c 'id -u; pwd; echo $A'
	[ "$output" = "$(printf '0\n/tmp\nb')" ]
	run -127 $CR exec ex nosuch
	run $CR exec ex sh -c 'exit 5'
	[ "$status" -eq 5 ]
	$CR stop -t 0 ex >/dev/null
	run $CR exec ex true
	[ "$status" -ne 0 ]
}

# pid_in GROUP CMD...: the process whose command line is exactly CMD and
# that is in the cgroup GROUP (so a stray one of an earlier run never counts)
pid_in() {
	local g=$1 p
	shift
	for p in /proc/[0-9]*; do
		[ "$(tr "\\0" " " 2>/dev/null <"$p/cmdline")" = "$* " ] &&
			grep -qs "/$g\$" "$p/cgroup" && { echo "${p#/proc/}"; return 0; }
	done
	return 1
}

# "MOUNTPOINT FSTYPE" of each mount of process $1
mounts_of() {
	awk '{ for (i = 7; $i != "-"; i++); print $5, $(i + 1) }' "/proc/$1/mountinfo" | sort
}

@test "ctrrun: the README's sh composition (examples/container.sh) gives the same namespaces, mounts, cgroup values" {
	local g=ctrbox-test-engine-sh-$$ shpid p1 p2 id
	sh "$BATS_TEST_DIRNAME/../examples/container.sh" "$IMG" "$g" sleep 4242 >/dev/null 2>&1 3>&- &
	shpid=$!
	defer "kill $shpid; cgdelete -g cpu,cpuacct,cpuset,memory,pids:$g"
	defer "$CR rm -f cmp"
	$CR -d --name cmp --cpuset-cpus 0 --cpu-quota 10000 --cpu-period 50000 "$IMG" sleep 4343 >/dev/null
	wait_for 10 pid_in "$g" sleep 4242
	p1=$(pid_in "$g" sleep 4242)
	defer "kill -KILL $p1"
	p2=$($CR inspect -f '{{.State.Pid}}' cmp)
	id=$($CR inspect -f '{{.Id}}' cmp)
	for t in mnt uts ipc net pid cgroup; do
		[ "$(ns_ino "$p1" $t)" != "$(ns_ino self $t)" ]
		[ "$(ns_ino "$p2" $t)" != "$(ns_ino self $t)" ]
	done
	# both are pid 1 of their pid namespace
	grep -q '^NSpid:.*[[:space:]]1$' /proc/$p1/status
	grep -q '^NSpid:.*[[:space:]]1$' /proc/$p2/status
	# every mount of the sh container is in ctrrun's, with the same type
	# (ctrrun adds /sys, /dev/mqueue, /sys/fs/cgroup, /etc files, masks)
	[ "$(mounts_of $p1 | comm -23 - <(mounts_of $p2))" = "" ]
	for p in $p1 $p2; do
		root=$(awk '$5 == "/"' /proc/$p/mountinfo)
		echo "$p: $root"
		[[ "$root" == *" - overlay overlay "*"lowerdir"*"=$IMG,"* ]]
	done
	for k in cpu.cfs_quota_us cpu.cfs_period_us cpuset.cpus; do
		[ "$(cgget -n -v -r $k "$g")" = "$(cgget -n -v -r $k "ctrbox/$id")" ]
	done
	kill -KILL "$p1"
	wait "$shpid" || true
}

@test "ctrrun: no fd of ours reaches the container; a /proc/self/fd cwd is refused (CVE-2024-21626)" {
	exec 7</dev/null
	run $CR --rm "$IMG" ls /proc/self/fd
	exec 7<&-
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "0 1 2 3" ]
	run $CR --rm -w /proc/self/fd/3 "$IMG" pwd
	[ "$status" -eq 125 ]
}

@test "ctrrun: a mount target through an image symlink that points out of the root stays inside" {
	local L="$BATS_TEST_TMPDIR/layer" T=/tmp/ctrrun-symlink-target-$$
	defer "rm -rf $T"
	mkdir -p "$L" "$BATS_TEST_TMPDIR/vol"
	echo data >"$BATS_TEST_TMPDIR/vol/f"
	ln -s "/../../../..$T" "$L/escape"
	run $CR --rm -v "$BATS_TEST_TMPDIR/vol:/escape/x" "$L:$IMG" sh -c "cat /escape/x/f; ls -d $T/x"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = data ]
	[ "${lines[1]}" = "$T/x" ]
	# nothing was made or mounted on the host's side of the link
	[ ! -e "$T" ]
}

@test "ctrrun wait: a --rm container's own exit code, also when its state is gone before wait reads it" {
	$CR -d --rm --name wr "$IMG" sh -c 'sleep 0.3; exit 5'
	defer "$CR rm -f wr"
	run $CR wait wr
	[ "$output" = 5 ]
	wait_for 5 sh -c "! $CR inspect wr >/dev/null 2>&1"
	# several waiters at once, one started after the end was recorded
	$CR -d --rm --name wr2 "$IMG" sh -c 'sleep 0.5; exit 9'
	$CR wait wr2 >"$BATS_TEST_TMPDIR/w1" &
	$CR wait wr2 >"$BATS_TEST_TMPDIR/w2" &
	wait
	[ "$(cat "$BATS_TEST_TMPDIR/w1" "$BATS_TEST_TMPDIR/w2")" = "$(printf '9\n9')" ]
	# killed by a signal: 128+N
	$CR -d --rm --init --name wr3 "$IMG" sh -c 'sleep 0.3; kill -KILL $$'
	[ "$($CR wait wr3)" = 137 ]
	# ended at once: gone before wait looked (docker: No such container)
	# or its code, never another
	$CR -d --rm --name wr4 "$IMG" sh -c 'exit 4'
	run $CR wait wr4
	[ "$status" -ne 0 ] || [ "$output" = 4 ]
}
