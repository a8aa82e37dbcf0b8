#!/bin/sh
# bench/ctrrun-leaks.sh CTRBOX [SEQ] [PAR]: SEQ (1000) sequential and PAR (50)
# parallel `ctrrun --rm IMAGE /bin/true`, then the same snapshot as before:
# mount table, cgroup directories under the run's --cgroup-parent, state dirs,
# ctrbox processes; the system's open file count (/proc/sys/fs/file-nr) is
# shown, not compared (the rest of the machine moves it). Exits 1 on a
# difference or a failed run.
CTRBOX=${1:-${CTRBOX:?usage: ctrrun-leaks.sh CTRBOX [SEQ] [PAR]}}
SEQ=${2:-1000}
PAR=${3:-50}
t=$(mktemp -d)
st=$(mktemp -d /dev/shm/ctrrun-leaks.XXXXXX)
trap 'rm -rf "$t" "$st"; rmdir /sys/fs/cgroup/*/ctrbox-leaks-$$ 2>/dev/null' EXIT
mkdir -p "$t/img/bin"
cp "$(command -v busybox)" "$t/img/bin/busybox"
ln -s busybox "$t/img/bin/true"
# a cgroup parent of our own: other users of ctrbox/ on this machine do
# not count
cgp=ctrbox-leaks-$$
CR="$CTRBOX ctrrun --root $st"
RUN="$CR --rm --cgroup-parent $cgp --cpu-quota 50000"

snap() {
	echo "mounts: $(awk '{ print $5 }' /proc/self/mountinfo | sort | md5sum | cut -c1-12) ($(wc -l </proc/self/mountinfo))"
	echo "cgroups: $(find /sys/fs/cgroup/*/$cgp -mindepth 1 -type d 2>/dev/null | wc -l)"
	echo "state dirs: $(ls -A "$st" | wc -l)"
	echo "ctrbox processes: $(for p in /proc/[0-9]*; do [ "$(readlink $p/exe 2>/dev/null)" = "$CTRBOX" ] && echo; done | wc -l)"
}
files() { cut -f1 /proc/sys/fs/file-nr; }

$RUN "$t/img" /bin/true    # the parent groups exist from here on
before=$(snap)
f0=$(files)
s0=$(date +%s%N)
i=0
fail=0
while [ $i -lt "$SEQ" ]; do
	$RUN "$t/img" /bin/true || fail=$((fail + 1))
	i=$((i + 1))
done
s1=$(date +%s%N)
i=0
pids=""
while [ $i -lt "$PAR" ]; do
	$RUN "$t/img" /bin/true &
	pids="$pids $!"
	i=$((i + 1))
done
for p in $pids; do wait $p || fail=$((fail + 1)); done
s2=$(date +%s%N)
after=$(snap)
f1=$(files)
echo "$SEQ sequential runs: $(( (s1 - s0) / 1000000 )) ms ($(( (s1 - s0) / 1000 / SEQ )) us each); $PAR parallel: $(( (s2 - s1) / 1000000 )) ms; failed runs: $fail"
echo "before: $(echo "$before" | tr '\n' ';')"
echo "after:  $(echo "$after" | tr '\n' ';')"
echo "open files (system, for information): $f0 -> $f1"
[ "$before" = "$after" ] && [ "$fail" = 0 ] &&
	echo "OK: nothing left behind" && exit 0
echo "LEAK or failure"
exit 1
