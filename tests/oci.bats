#!/usr/bin/env bats
# ocirun driven directly, as containerd's shim and conmon drive runc: the
# lifecycle (created/running/stopped, the exec fifo), hooks with the state
# on stdin, the console socket, pause/resume, resources, seccomp, errors in
# --log, and what is left behind (nothing) after delete, a failed create and
# a creator killed mid-create. Checks read the kernel's view: /proc/PID,
# namespaces, cgroup files.

load helpers
load oci-lib

setup() {
	require_root
	require_busybox
	require_cmd jq
	ROOT="$BATS_TEST_TMPDIR/state"
	B="$BATS_TEST_TMPDIR/bundle"
	OCI="$OCIRUN --root $ROOT"
}

teardown() {
	run_deferred
}

@test "ocirun: --version is runc's three lines, --help, unknown commands and --systemd-cgroup refused" {
	run "$OCIRUN" --version
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[0]}" == "ocirun version "* ]]
	[[ "${lines[1]}" == "commit: "* ]]
	[[ "${lines[2]}" == "spec: 1."* ]]
	run "$OCIRUN" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"create"*"--console-socket"* ]]
	run "$OCIRUN" frobnicate
	[ "$status" -ne 0 ]
	run "$OCIRUN" --systemd-cgroup list
	[ "$status" -ne 0 ]
	[[ "$output" == *"--systemd-cgroup is not supported"* ]]
	run "$OCIRUN" checkpoint x
	[ "$status" -ne 0 ]
	[[ "$output" == *"not supported"* ]]
}

@test "ocirun: spec writes runc's default config.json, refuses to overwrite; features is JSON" {
	mkdir -p "$B"
	(cd "$B" && "$OCIRUN" spec)
	jq -e '.ociVersion and .process.args == ["sh"] and .root.path == "rootfs"' "$B/config.json"
	run "$OCIRUN" spec --bundle "$B"
	[ "$status" -ne 0 ]
	[[ "$output" == *"exists"* ]]
	"$OCIRUN" features | jq -e '.linux.namespaces | index("pid")'
	"$OCIRUN" features | jq -e '.linux.cgroup.systemd == false'
}

@test "ocirun: create parks init before the program; start runs it; kill; delete leaves nothing" {
	make_bundle "$B"
	defer "$OCI delete --force c1"
	$OCI create --bundle "$B" --pid-file "$BATS_TEST_TMPDIR/pid" c1
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	[ "$(oci_status c1)" = created ]
	[ "$($OCI state c1 | jq -r .pid)" = "$pid" ]
	[ -p "$ROOT/c1/exec.fifo" ]
	# parked: still ctrbox, not sleep, and in namespaces of its own
	[ "$(readlink /proc/$pid/exe)" != "$(readlink -f /usr/bin/busybox)" ]
	[ "$(ns_ino $pid pid)" != "$(ns_ino self pid)" ]
	[ "$(ns_ino $pid mnt)" != "$(ns_ino self mnt)" ]
	[ "$(ns_ino $pid net)" != "$(ns_ino self net)" ]
	$OCI start c1
	[ "$(oci_status c1)" = running ]
	[ ! -e "$ROOT/c1/exec.fifo" ]
	wait_for 5 sh -c "grep -q sleep /proc/$pid/comm"
	[ "$(cat /proc/$pid/cmdline | tr '\0' ' ')" = "sleep 100 " ]
	run $OCI start c1
	[ "$status" -ne 0 ]
	$OCI list | grep -q "^c1 .*running"
	$OCI list --format json | jq -e '.[0].id == "c1"'
	$OCI ps --format json c1 | jq -e "index($pid)"
	cgs=$(cgroup_dirs "ctrbox-test-oci-$$-$BATS_TEST_NUMBER")
	[ -n "$cgs" ]
	run $OCI delete c1
	[ "$status" -ne 0 ]
	[[ "$output" == *"not stopped"* ]]
	$OCI kill c1 KILL
	wait_for 5 sh -c "[ \"\$($OCI state c1 | jq -r .status)\" = stopped ]"
	run $OCI kill c1 9
	[ "$status" -ne 0 ]
	[[ "$output" == *"not running"* ]]
	$OCI delete c1
	[ ! -e "$ROOT/c1" ]
	[ -z "$(cgroup_dirs "ctrbox-test-oci-$$-$BATS_TEST_NUMBER")" ]
	run $OCI state c1
	[ "$status" -ne 0 ]
	[[ "$output" == *"does not exist"* ]]
	$OCI delete --force c1
}

@test "ocirun: run returns the program's status; -d detaches; delete --force kills" {
	make_bundle "$B" '.process.args = ["sh", "-c", "echo out; exit 7"]'
	run $OCI run --bundle "$B" r1
	[ "$status" -eq 7 ]
	[ "$output" = out ]
	[ ! -e "$ROOT/r1" ]
	make_bundle "$B" '.process.args = ["sleep", "100"]'
	defer "$OCI delete --force r2"
	$OCI run -d --bundle "$B" --pid-file "$BATS_TEST_TMPDIR/pid" r2 </dev/null
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	[ "$(oci_status r2)" = running ]
	$OCI delete --force r2
	wait_for 5 sh -c "! kill -0 $pid"
	[ ! -e "$ROOT/r2" ]
	[ -z "$(cgroup_dirs "ctrbox-test-oci-$$-$BATS_TEST_NUMBER")" ]
}

@test "ocirun: hooks run where the runtime spec says, with the state on stdin" {
	h="$BATS_TEST_TMPDIR/hooks"
	mkdir -p "$h"
	hook() { jq -n --arg n "$1" --arg d "$h" \
		'{path: "/bin/sh", args: ["sh", "-c", "cat > \($d)/\($n).json"]}'; }
	make_bundle "$B" ".hooks = {prestart: [$(hook prestart)], createRuntime: [$(hook createRuntime)],
		poststart: [$(hook poststart)], poststop: [$(hook poststop)]} |
		.annotations = {\"org.test\": \"yes\"}"
	defer "$OCI delete --force k1"
	$OCI create --bundle "$B" k1
	jq -e '.id == "k1" and .status == "creating" and .pid > 0' "$h/createRuntime.json"
	jq -e '.annotations["org.test"] == "yes" and (.bundle | length > 0)' "$h/prestart.json"
	[ ! -e "$h/poststart.json" ]
	$OCI start k1
	jq -e '.status == "running"' "$h/poststart.json"
	[ ! -e "$h/poststop.json" ]
	$OCI delete --force k1
	jq -e '.status == "stopped" and .id == "k1"' "$h/poststop.json"
	# a failing createRuntime hook fails create, leaving nothing
	make_bundle "$B" '.hooks = {createRuntime: [{path: "/bin/false"}]}'
	run $OCI create --bundle "$B" k2
	[ "$status" -ne 0 ]
	[[ "$output" == *"hook"* ]]
	[ ! -e "$ROOT/k2" ]
	[ -z "$(cgroup_dirs "ctrbox-test-oci-$$-$BATS_TEST_NUMBER")" ]
}

@test "ocirun: errors go to --log as JSON lines with level error; bad configs are refused by name" {
	make_bundle "$B" '.linux.intelRdt = {closID: "x"}'
	run $OCI --log "$BATS_TEST_TMPDIR/log.json" --log-format json create --bundle "$B" e1
	[ "$status" -ne 0 ]
	[[ "$output" == *"linux.intelRdt: not supported"* ]]
	tail -1 "$BATS_TEST_TMPDIR/log.json" | jq -e '.level == "error" and (.msg | test("intelRdt"))'
	[ ! -e "$ROOT/e1" ]
	make_bundle "$B" '.linux.cgroupsPath = "system.slice:ctrbox:e1"'
	run $OCI create --bundle "$B" e1
	[[ "$output" == *"systemd form"* ]]
	make_bundle "$B" '.process.rlimits = [{type: "RLIMIT_NOPE", hard: 1, soft: 1}]'
	run $OCI create --bundle "$B" e1
	[[ "$output" == *"process.rlimits.type: unknown: RLIMIT_NOPE"* ]]
	make_bundle "$B" '.linux.resources.memory.limit = 1.5'
	run $OCI create --bundle "$B" e1
	[[ "$output" == *"linux.resources.memory.limit: not an integer"* ]]
	printf '{"ociVersion": "1.0.2", "process": ' >"$B/config.json"
	run $OCI create --bundle "$B" e1
	[ "$status" -ne 0 ]
	[[ "$output" == *"config.json: line 1"* ]]
	make_bundle "$B" '.mounts += [{destination: "/x", type: "bind", source: "/no/such/dir"}]'
	run $OCI create --bundle "$B" e1
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/e1" ]
	[ -z "$(cgroup_dirs "ctrbox-test-oci-$$-$BATS_TEST_NUMBER")" ]
}

@test "ocirun: a creator killed mid-create leaves a state the next call removes" {
	make_bundle "$B" '.hooks = {createRuntime: [{path: "/bin/sleep", args: ["sleep", "30"]}]}'
	$OCI create --bundle "$B" m1 &
	cpid=$!
	defer "kill -9 $cpid"
	wait_for 5 sh -c "pgrep -f 'sleep 30' >/dev/null"
	[ "$(oci_status m1)" = creating ]
	kill -9 $cpid
	wait $cpid || true
	pkill -9 -f '^sleep 30$' || true
	run $OCI state m1
	[ "$status" -ne 0 ]
	[[ "$output" == *"does not exist"* ]]
	[ ! -e "$ROOT/m1" ]
	wait_for 5 sh -c "[ -z \"\$(cgroup_dirs ctrbox-test-oci-$$-$BATS_TEST_NUMBER)\" ]"
}

@test "ocirun: --console-socket receives the pty master by SCM_RIGHTS" {
	require_cmd python3
	make_bundle "$B" '.process.terminal = true | .process.args = ["sh", "-c", "tty; echo cols=$(stty size)"] |
		.process.consoleSize = {height: 30, width: 100}'
	sock="$BATS_TEST_TMPDIR/console.sock"
	python3 - "$sock" >"$BATS_TEST_TMPDIR/console.out" <<'PY' &
import array, socket, sys, os
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1)
c, _ = s.accept()
fds = array.array("i")
msg, anc, _, _ = c.recvmsg(4096, socket.CMSG_LEN(fds.itemsize))
for lvl, typ, data in anc:
    if lvl == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
        fds.frombytes(data[:fds.itemsize])
print("name=" + msg.decode())
out = b""
while True:
    try:
        d = os.read(fds[0], 4096)
    except OSError:
        break
    if not d:
        break
    out += d
print(out.decode(errors="replace"))
PY
	py=$!
	defer "kill $py"
	wait_for 5 test -S "$sock"
	defer "$OCI delete --force t1"
	$OCI create --bundle "$B" --console-socket "$sock" t1
	$OCI start t1
	wait $py
	grep -q '^name=/dev/pts/' "$BATS_TEST_TMPDIR/console.out"
	grep -q '^/dev/pts/0' "$BATS_TEST_TMPDIR/console.out"
	grep -q 'cols=30 100' "$BATS_TEST_TMPDIR/console.out"
	run $OCI create --bundle "$B" t2
	[ "$status" -ne 0 ]
	[[ "$output" == *"console socket"* ]]
}

@test "ocirun: pause and resume freeze the cgroup; kill --all signals every process" {
	require_cgroup_v1 freezer
	make_bundle "$B" '.process.args = ["sh", "-c", "sleep 100 & sleep 101 & wait"]'
	defer "$OCI delete --force p1"
	$OCI run -d --bundle "$B" p1 </dev/null
	f=$(cgroup_dirs "ctrbox-test-oci-$$-$BATS_TEST_NUMBER" | grep /freezer/)
	$OCI pause p1
	[ "$(cat $f/freezer.state)" = FROZEN ]
	[ "$(oci_status p1)" = paused ]
	run $OCI pause p1
	[ "$status" -ne 0 ]
	$OCI resume p1
	[ "$(cat $f/freezer.state)" = THAWED ]
	[ "$(oci_status p1)" = running ]
	wait_for 5 sh -c "[ \$(wc -l < $f/cgroup.procs) -eq 3 ]"
	$OCI kill --all p1 KILL
	wait_for 5 sh -c "[ \$(wc -l < $f/cgroup.procs) -eq 0 ]"
	$OCI delete p1
	[ -z "$(cgroup_dirs "ctrbox-test-oci-$$-$BATS_TEST_NUMBER")" ]
}

@test "ocirun: resources reach the cgroup files; hostname, rlimits, user, caps, no_new_privs" {
	make_bundle "$B" '.linux.resources = {cpu: {quota: 20000, period: 100000, shares: 512},
		memory: {limit: 67108864}, pids: {limit: 64}} |
		.process.user = {uid: 1000, gid: 1000, additionalGids: [5, 7]} |
		.process.rlimits = [{type: "RLIMIT_NOFILE", hard: 2048, soft: 1024}] |
		.hostname = "box1" | .process.noNewPrivileges = true |
		.process.args = ["sh", "-c", "hostname; id -u; id -G; ulimit -n; grep -E \"^(CapEff|NoNewPrivs)\" /proc/self/status"]'
	run $OCI run --bundle "$B" q1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = box1 ]
	[ "${lines[1]}" = 1000 ]
	[ "${lines[2]}" = "1000 5 7" ]
	[ "${lines[3]}" = 1024 ]
	[[ "$output" == *"CapEff:	0000000000000000"* ]]
	[[ "$output" == *"NoNewPrivs:	1"* ]]
	make_bundle "$B" '.linux.resources = {cpu: {quota: 20000, period: 100000, shares: 512},
		memory: {limit: 67108864}, pids: {limit: 64}}'
	defer "$OCI delete --force q2"
	$OCI create --bundle "$B" q2
	g="ctrbox-test-oci-$$-$BATS_TEST_NUMBER"
	[ "$("$CTRBIN/cgget" -nv -r cpu.cfs_quota_us "$g")" = 20000 ]
	[ "$("$CTRBIN/cgget" -nv -r cpu.cfs_period_us "$g")" = 100000 ]
	[ "$("$CTRBIN/cgget" -nv -r cpu.shares "$g")" = 512 ]
	[ "$("$CTRBIN/cgget" -nv -r memory.limit_in_bytes "$g")" = 67108864 ]
	[ "$("$CTRBIN/cgget" -nv -r pids.max "$g")" = 64 ]
}

@test "ocirun: linux.seccomp (the spec's JSON) is compiled and enforced" {
	make_bundle "$B" '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86_64"],
		syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 13}]} |
		.process.args = ["sh", "-c", "grep ^Seccomp: /proc/self/status; mkdir /tmp/x || echo denied"]'
	run $OCI run --bundle "$B" s1
	[ "$status" -eq 0 ]
	[[ "$output" == *"Seccomp:	2"* ]]
	[[ "$output" == *"Permission denied"* ]]
	[[ "$output" == *denied* ]]
	[ ! -d "$BATS_FILE_TMPDIR/rootfs/tmp/x" ]
	make_bundle "$B" '.linux.seccomp = {defaultAction: "SCMP_ACT_NOTIFY"}'
	run $OCI run --bundle "$B" s2
	[ "$status" -ne 0 ]
	[[ "$output" == *"SCMP_ACT_NOTIFY not supported"* ]]
}

# The file of a knob in the group of process $1 (from /proc/PID/cgroup):
# cg_file PID CONTROLLER FILE (CONTROLLER "" = the cgroup2 tree).
cg_file() {
	local line mnt
	if [ -n "$2" ]; then
		line=$(grep -E "^[0-9]+:([^:]*,)?$2(,[^:]*)?:" /proc/$1/cgroup)
		mnt=$(awk -v c="$2" '$9 == "cgroup" && (","$NF",") ~ ","c"," { print $5; exit }' /proc/self/mountinfo)
	else
		line=$(grep '^0::' /proc/$1/cgroup)
		mnt=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
	fi
	echo "$mnt${line#*:*:}/$3"
}

@test "ocirun: blockIO, hugepageLimits, network reach their groups where the host has them, else a clear error; delete removes them" {
	local dev g="ctrbox-test-oci-$$-$BATS_TEST_NUMBER" f
	dev=$(cat /sys/dev/block/"$(awk '$5 == "/" { print $3; exit }' /proc/self/mountinfo)"/dev 2>/dev/null) ||
		dev=$(cat "$(ls -d /sys/block/*/dev | grep -v -e loop -e ram | head -1)")
	make_bundle "$B" '.linux.resources.blockIO = {weight: 500,
		throttleReadBpsDevice: [{major: '"${dev%:*}"', minor: '"${dev#*:}"', rate: 1048576}],
		throttleWriteIOPSDevice: [{major: '"${dev%:*}"', minor: '"${dev#*:}"', rate: 300}]}'
	defer "$OCI delete --force b1"
	$OCI create --bundle "$B" --pid-file "$BATS_TEST_TMPDIR/pid" b1
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	if grep -q '^[0-9]*:blkio:' /proc/$pid/cgroup; then
		# v1; BFQ's weight where CFQ's blkio.weight is gone (this host)
		[ "$(cat "$(cg_file $pid blkio blkio.throttle.read_bps_device)")" = "$dev 1048576" ]
		[ "$(cat "$(cg_file $pid blkio blkio.throttle.write_iops_device)")" = "$dev 300" ]
		f=$(cg_file $pid blkio blkio.weight)
		[ -e "$f" ] || f=$(cg_file $pid blkio blkio.bfq.weight)
		[ "$(cat "$f")" = 500 ]
	else
		grep -q "^$dev rbps=1048576 wbps=max riops=max wiops=300" "$(cg_file $pid "" io.max)"
	fi
	$OCI delete b1
	[ -z "$(cgroup_dirs "$g")" ]
	# a value the host cannot take: an error naming it, nothing left
	make_bundle "$B" '.linux.resources.blockIO = {leafWeight: 300}'
	run $OCI create --bundle "$B" b2
	[ "$status" -ne 0 ]
	[[ "$output" == *"leaf_weight"* ]]
	[ -z "$(cgroup_dirs "$g")" ]
	[ ! -e "$ROOT/b2" ]
	# hugetlb: on a hybrid host (this one) it is only in the cgroup2 tree,
	# which the engine does not enable controllers in
	make_bundle "$B" '.linux.resources.hugepageLimits = [{pageSize: "2MB", limit: 4194304}]'
	run $OCI create --bundle "$B" --pid-file "$BATS_TEST_TMPDIR/pid" b3
	if grep -qw hugetlb /proc/self/mounts; then
		[ "$status" -eq 0 ]
		[ "$(cat "$(cg_file "$(cat "$BATS_TEST_TMPDIR/pid")" hugetlb hugetlb.2MB.limit_in_bytes)")" = 4194304 ]
		$OCI delete --force b3
	else
		[ "$status" -ne 0 ]
		[[ "$output" == *"controller only in cgroup2 (hybrid host): hugetlb"* ]]
	fi
	[ -z "$(cgroup_dirs "$g")" ]
	[ ! -e "$ROOT/b3" ]
	make_bundle "$B" '.linux.resources.network = {classID: 1048577, priorities: [{name: "lo", priority: 5}]}'
	run $OCI create --bundle "$B" --pid-file "$BATS_TEST_TMPDIR/pid" b4
	if grep -qw net_cls /proc/self/mounts; then
		[ "$status" -eq 0 ]
		pid=$(cat "$BATS_TEST_TMPDIR/pid")
		[ "$(cat "$(cg_file $pid net_cls net_cls.classid)")" = 1048577 ]
		grep -qx "lo 5" "$(cg_file $pid net_prio net_prio.ifpriomap)"
		$OCI delete --force b4
	else
		[ "$status" -ne 0 ]
		[[ "$output" == *"controller not available: net_cls"* ]]
	fi
	[ -z "$(cgroup_dirs "$g")" ]
	[ ! -e "$ROOT/b4" ]
}

@test "ocirun: seccomp flags reach seccomp(2) (LOG, SPEC_ALLOW); WAIT_KILLABLE_RECV needs a listener: dropped" {
	require_cmd strace
	make_bundle "$B" '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		flags: ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
		syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 13}]} |
		.process.args = ["sh", "-c", "grep -E \"^(Seccomp|Speculation_Store_Bypass):\" /proc/self/status; mkdir /tmp/y || echo denied"]'
	# (LeakSanitizer cannot run under a tracer: nolsan)
	run nolsan strace -f -qq -e trace=seccomp -o "$BATS_TEST_TMPDIR/trace" $OCI run --bundle "$B" f1
	[ "$status" -eq 0 ]
	[[ "$output" == *"Seccomp:	2"* ]]
	[[ "$output" == *denied* ]]
	[[ "$output" == *"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV dropped (no listener)"* ]]
	grep -q 'seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG|SECCOMP_FILTER_FLAG_SPEC_ALLOW, .*= 0$' "$BATS_TEST_TMPDIR/trace"
	# SPEC_ALLOW: the store-bypass state is the one without a filter (ours)
	[[ "$output" == *"$(grep ^Speculation_Store_Bypass: /proc/self/status)"* ]]
	"$OCIRUN" features | jq -e '.linux.seccomp.supportedFlags | index("SECCOMP_FILTER_FLAG_LOG")'
}

@test "ocirun: a relative cgroupsPath is under the caller's own group in each hierarchy (runc's cgroupfs); a caller split across groups is refused" {
	local g="ctrbox-test-oci-$$-$BATS_TEST_NUMBER" pid
	defer "$CTRBIN/cgdelete -r -g '*:$g'"
	"$CTRBIN/cgcreate" -g "*:$g"
	make_bundle "$B" ".linux.cgroupsPath = \"rel\""
	defer "$OCI delete --force r1"
	"$CTRBIN/cgexec" -g "*:$g" $OCI create --bundle "$B" --pid-file "$BATS_TEST_TMPDIR/pid" r1
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	grep -q "^[0-9]*:memory:/$g/rel\$" /proc/$pid/cgroup
	grep -q "^[0-9]*:pids:/$g/rel\$" /proc/$pid/cgroup
	$OCI delete --force r1
	[ -z "$(cgroup_dirs "$g/rel")" ]
	# in a group of its own for pids only: one name cannot serve every hierarchy
	"$CTRBIN/cgcreate" -g "pids:$g-2"
	defer "$CTRBIN/cgdelete -g 'pids:$g-2'"
	run "$CTRBIN/cgexec" -g "pids:$g-2" $OCI create --bundle "$B" r2
	[ "$status" -ne 0 ]
	[[ "$output" == *"relative cgroup path"* ]]
	[ ! -e "$ROOT/r2" ]
}

# exec's middle process exits inside the container's pid namespace, where
# LeakSanitizer cannot stop the world: nolsan (no effect on a normal build).
@test "ocirun: exec joins the running container (namespaces, cgroup, user, env, cwd, --process)" {
	make_bundle "$B"
	defer "$OCI delete --force x1"
	$OCI run -d --bundle "$B" --pid-file "$BATS_TEST_TMPDIR/pid" x1 </dev/null
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	run nolsan $OCI exec --env FOO=bar --cwd /tmp --user 1000:1000 x1 sh -c \
		'echo $FOO; pwd; id -u; cat /proc/1/comm; readlink /proc/self/ns/pid; exit 6'
	[ "$status" -eq 6 ]
	[ "${lines[0]}" = bar ]
	[ "${lines[1]}" = /tmp ]
	[ "${lines[2]}" = 1000 ]
	[ "${lines[3]}" = sleep ]
	[ "${lines[4]}" = "$(readlink /proc/$pid/ns/pid)" ]
	jq -n '{args: ["sh", "-c", "echo via-process; grep -c ctrbox-test-oci /proc/self/cgroup"],
		cwd: "/", env: ["PATH=/bin"], user: {uid: 0, gid: 0}}' >"$BATS_TEST_TMPDIR/p.json"
	run nolsan $OCI exec --process "$BATS_TEST_TMPDIR/p.json" x1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = via-process ]
	[ "${lines[1]}" -ge 1 ]
	nolsan $OCI exec -d --pid-file "$BATS_TEST_TMPDIR/epid" x1 sleep 50
	epid=$(cat "$BATS_TEST_TMPDIR/epid")
	[ "$(ns_ino $epid mnt)" = "$(ns_ino $pid mnt)" ]
	[ "$(ns_ino $epid net)" = "$(ns_ino $pid net)" ]
	run -127 nolsan $OCI exec x1 /no/such/program
	$OCI kill x1 KILL
	wait_for 5 sh -c "[ \"\$($OCI state x1 | jq -r .status)\" = stopped ]"
	run nolsan $OCI exec x1 true
	[ "$status" -ne 0 ]
	[[ "$output" == *"stopped"* ]]
}

@test "ocirun: namespaces joined by path; go-runc's single-dash options; kill SIGKILL" {
	make_bundle "$B"
	defer "$OCI delete --force j1"
	$OCI run -d -no-subreaper --bundle "$B" --pid-file "$BATS_TEST_TMPDIR/pid" j1 </dev/null
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	b2="$BATS_TEST_TMPDIR/b2"
	make_bundle "$b2" ".linux.cgroupsPath += \"-2\" | .process.args = [\"sh\", \"-c\", \"readlink /proc/self/ns/net; readlink /proc/self/ns/ipc\"] |
		.linux.namespaces |= map(if .type == \"network\" or .type == \"ipc\"
			then . + {path: \"/proc/$pid/ns/\\(if .type == \"network\" then \"net\" else \"ipc\" end)\"} else . end)"
	run $OCI run -bundle "$b2" j2
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(readlink /proc/$pid/ns/net)" ]
	[ "${lines[1]}" = "$(readlink /proc/$pid/ns/ipc)" ]
	$OCI kill j1 SIGKILL
	wait_for 5 sh -c "! kill -0 $pid"
}

@test "ocirun: a user namespace: uid/gid maps, /dev nodes bound from the host, the host sees the mapped uid" {
	# container 0..65535 is host 100000..165535; the root owned by its root
	make_rootfs "$BATS_TEST_TMPDIR/urootfs"
	chown -R 100000:100000 "$BATS_TEST_TMPDIR/urootfs"
	# the child resolves the root as that root: the path must let it through (runc too)
	local d=$BATS_TEST_TMPDIR
	while [ "$d" != / ]; do chmod o+x "$d"; d=$(dirname "$d"); done
	local m='[{containerID: 0, hostID: 100000, size: 65536}]'
	make_bundle "$B" ".linux.namespaces += [{type: \"user\"}] |
		.linux.uidMappings = $m | .linux.gidMappings = $m | .hostname = \"ubox\" |
		.process.args = [\"sh\", \"-c\", \"cat /proc/self/uid_map /proc/self/gid_map; echo x >/dev/null && head -c 4 /dev/zero | wc -c; id -u; hostname; touch /tmp/f && stat -c %u /tmp/f; ls /sys/class/net\"]"
	ln -sfn "$BATS_TEST_TMPDIR/urootfs" "$B/rootfs"
	run $OCI run --bundle "$B" u1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo ${lines[0]})" = "0 100000 65536" ]
	[ "$(echo ${lines[1]})" = "0 100000 65536" ]
	[ "${lines[2]}" = 4 ]
	[ "${lines[3]}" = 0 ]
	[ "${lines[4]}" = ubox ]
	[ "${lines[5]}" = 0 ]
	[ "${lines[6]}" = lo ]
	[ "$(stat -c %u "$BATS_TEST_TMPDIR/urootfs/tmp/f")" = 100000 ]
	# from outside: the process runs as the mapped host ids
	make_bundle "$B" ".linux.namespaces += [{type: \"user\"}, {type: \"cgroup\"}] |
		.linux.uidMappings = $m | .linux.gidMappings = $m"
	ln -sfn "$BATS_TEST_TMPDIR/urootfs" "$B/rootfs"
	defer "$OCI delete --force u2"
	$OCI run -d --bundle "$B" --pid-file "$BATS_TEST_TMPDIR/pid" u2 </dev/null
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	[ "$(awk '/^Uid:/ { print $2, $3, $4, $5 }' /proc/$pid/status)" = "100000 100000 100000 100000" ]
	[ "$(awk '/^Gid:/ { print $2, $3, $4, $5 }' /proc/$pid/status)" = "100000 100000 100000 100000" ]
	[ "$(readlink /proc/$pid/ns/user)" != "$(readlink /proc/self/ns/user)" ]
	[ "$(stat -c %t:%T /proc/$pid/root/dev/null)" = 1:3 ]
	run $OCI exec u2 sh -c 'id -u; cat /proc/self/uid_map'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[ "$(echo ${lines[1]})" = "0 100000 65536" ]
	$OCI delete --force u2
	wait_for 5 sh -c "! kill -0 $pid"
}
