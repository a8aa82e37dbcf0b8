#!/bin/bash
# tests/fuzz-args.sh CTRBOX [N]: throw N (default 2000) random argument
# vectors, drawn from a table of options, odd values and paths, at random
# applets of a sanitizer build (make fuzz builds one). A run is suspicious
# when the applet dies of a signal, times out, or a sanitizer speaks; each is
# printed with its arguments. Every run is in a private mount namespace of
# its own (pivot --no-unshare and pivot_root may switch it), in a scratch
# directory; cgroups it may create are named ctrbox-fz and removed at the end.
# Exit 1 when anything was suspicious.
B=${1:?usage: tests/fuzz-args.sh CTRBOX [N]}
N=${2:-2000}
scratch=$(mktemp -d)
cleanup() {
	local c
	for c in /sys/fs/cgroup/*/; do
		[ -d "$c/ctrbox-fz" ] && find "$c/ctrbox-fz" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	rm -rf "$scratch"
}
trap cleanup EXIT
cd "$scratch" || exit 1
mkdir -p l1 l2 m u w r
tokens=(-a -b -c -d -e -f -g -h -i -l -m -n -o -p -r -s -t -u -w -x -C -F -G -H -J -N -P -Q -R -S -T -U -V -W
	-- - --all --fork --kill-child --kill-child=TERM --kill-child=NOPE --mount-proc --mount-proc= --propagation
	--propagation=slave --map-user=abc --map-users=0:0:1 --map-users=1:2 --setgroups=deny --root=/nonexistent
	--wd=/ --monotonic=5 --boottime=-1 --uts=/nonexistent/x --output=NS,TYPE --output=+FOO --filter 'NPROCS >'
	'NPROCS > 1 and (TYPE == "net"' '=~' '"' "'" '(' ')' --tree=owner --tree=bad --json --raw --lower l1:l2 -u u
	-w w m --inspect --list --diff --umount --lazy --ro --legacy -o index=on,,, --no-unshare --proc --dev
	--bind /tmp:/x:ro --keep-old old --chroot r /bin/true true false 0 1 -1 999999999999 4194304 abc '' ' '
	$'\n' %s%n%p cpu:ctrbox-fz/../.. cpu:ctrbox-fz cpu,cpuacct:ctrbox-fz/a pids:ctrbox-fz nosuch:ctrbox-fz
	cpu: :x cpu.shares= =1 cpu.cfs_quota_us=500 memory.max=-5 cpu.weight=0 --copy-from --sticky --variable
	--values-only --install)
applets=(unshare nsenter lsns pivot pivot_root ovlmount cgcreate cgget cgset cgexec cgdelete ctrbox)
bad=0
for ((i = 0; i < N; i++)); do
	a=${applets[RANDOM % ${#applets[@]}]}
	args=()
	for ((j = RANDOM % 6; j > 0; j--)); do
		args+=("${tokens[RANDOM % ${#tokens[@]}]}")
	done
	out=$(ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1 timeout 5 \
		/usr/bin/unshare -m --propagation private "$B" "$a" "${args[@]}" 2>&1 </dev/null)
	rc=$?
	# 124 timeout, > 128 a signal; a shell started by unshare -p without
	# --fork may fail its own forks (util-linux behaves the same): not ours.
	# The cg* applets exit 129 on wrong input (libcgroup 3.x's EXIT_BADARGS).
	[[ $a == cg* && $rc -eq 129 && $out == *"Wrong input parameters"* ]] && rc=1
	if { [ "$rc" -eq 124 ] || [ "$rc" -gt 128 ] && [ "$rc" -ne 254 ]; } ||
		[[ "$out" == *Sanitizer* || "$out" == *"runtime error"* ]]; then
		bad=$((bad + 1))
		printf 'suspicious: rc=%s %s %q\n%s\n' "$rc" "$a" "${args[*]}" "$(head -n 5 <<<"$out")"
	fi
done
echo "fuzz: $N runs, $bad suspicious"
[ "$bad" -eq 0 ]
