#!/bin/sh
# STUDY-SESSION.md 2.3 (2): three transient groups (cgexec -r) with
# cpu.shares 1024 / 1536 / 2560 on CPU 0 split it ~20 / 30 / 50%: v1 names
# on v1 and on v2 (cpu.weight 100 / 138 / 208). Shares of the three groups'
# own usage over 4 s; +-8 points under TCG.
fail() { echo "FAIL: $*"; cleanup; exit 1; }
G=ctrbox-test-shares
cleanup() {
	for p in $pids; do kill -9 $p 2>/dev/null; wait $p 2>/dev/null; done
	for i in 0 1 2; do cgdelete -g cpu:$G-$i 2>/dev/null; done
}
mnt() { awk -v t="$1" -v c="$2" '$9 == t && (c == "" || (","$NF",") ~ ","c",") { print $5; exit }' /proc/self/mountinfo; }
dir() {
	if [ "$CGROUP_VERSION" = 2 ]; then echo "$(mnt cgroup2)/$1"; else echo "$(mnt cgroup "$2")/$1"; fi
}
# The guest's clock in centiseconds.
now() { awk '{ sub(/\./, "", $1); print $1 + 0 }' /proc/uptime; }
usage() {
	if [ "$CGROUP_VERSION" = 2 ]; then
		awk '$1 == "usage_usec" { print $2 }' "$(dir $1)/cpu.stat"
	else
		echo $(( $(cat "$(dir $1 cpuacct)/cpuacct.usage") / 1000 ))
	fi
}

# The same line on v1 and v2 (where "cpuacct" means the v2 tree's cpu.stat).
ctrls=cpu,cpuacct,cpuset
pids=
set -- 1024 1536 2560
i=0
for s in 1024 1536 2560; do
	cgexec -g $ctrls:$G-$i -r cpuset.cpus=0 -r cpu.shares=$s sh -c 'while :; do :; done' &
	pids="$pids $!"
	i=$((i + 1))
done
n=0
while [ $n -lt 100 ]; do
	ok=1
	for i in 0 1 2; do grep -q . "$(dir $G-$i cpu)/cgroup.procs" 2>/dev/null || ok=0; done
	[ $ok = 1 ] && break
	sleep 0.1
	n=$((n + 1))
done
[ $ok = 1 ] || fail "groups not populated"
want="20 30 50"
i=0
for s in 1024 1536 2560; do
	[ "$(cgget -n -v -r cpu.shares $G-$i)" = $s ] || fail "cpu.shares of $G-$i: $(cgget -n -v -r cpu.shares $G-$i)"
	if [ "$CGROUP_VERSION" = 2 ]; then
		w=$(cat "$(dir $G-$i)/cpu.weight")
		case $s in 1024) [ $w = 100 ] ;; 1536) [ $w = 138 ] ;; 2560) [ $w = 208 ] ;; esac ||
			fail "cpu.weight $w for shares $s"
	fi
	i=$((i + 1))
done
sleep 1
# A host busy enough to starve the emulated CPU leaves the loops too little
# time to compare: measure again (once) when they got under a quarter of it.
for try in 1 2; do
	a0=$(usage $G-0) b0=$(usage $G-1) c0=$(usage $G-2) t0=$(now)
	sleep 4
	a1=$(usage $G-0) b1=$(usage $G-1) c1=$(usage $G-2) t1=$(now)
	echo "usage (us): $a0..$a1 $b0..$b1 $c0..$c1 in $((t1 - t0)) cs"
	[ $(( (a1 - a0 + b1 - b0 + c1 - c0) / 100 )) -ge $(( (t1 - t0) * 25 )) ] && break
	echo "the guest got little CPU: measuring again"
done
kill -TERM $pids
for p in $pids; do
	st=0
	wait $p || st=$?
	[ $st = 143 ] || fail "cgexec exited $st, expected 143 (SIGTERM passed on)"
done
pids=
sum=$(( a1 - a0 + b1 - b0 + c1 - c0 ))
[ $sum -gt 0 ] || fail "no CPU used"
i=0
for d in $((a1 - a0)) $((b1 - b0)) $((c1 - c0)); do
	pct=$(( d * 1000 / sum ))
	w=$(echo $want | cut -d' ' -f$((i + 1)))
	echo "shares $(echo 1024 1536 2560 | cut -d' ' -f$((i + 1))): $((pct / 10)).$((pct % 10))%"
	[ $pct -ge $(( (w - 8) * 10 )) ] && [ $pct -le $(( (w + 8) * 10 )) ] || fail "$((pct / 10))% is not ~$w%"
	i=$((i + 1))
done
for i in 0 1 2; do [ -e "$(dir $G-$i cpu)" ] && fail "transient group $G-$i left behind"; done
exit 0
