#!/bin/sh
# ctrrun-cpu (issue 10, STUDY-SESSION 2.3 with ctrrun, run from the
# initramfs root): (1) --cpuset-cpus 0 --cpu-quota 10000 --cpu-period 50000
# caps a busy loop at ~20% of CPU 0; (2) --cpu-shares 1024 / 1536 / 2560 on
# CPU 0 split it ~20 / 30 / 50%. CPU time from the containers' own cgroup
# accounting (v2 cpu.stat usage_usec, v1 cpuacct.usage) over 4 s of the
# guest's clock; the bounds are cgroup-quota.sh's and cgroup-shares.sh's
# (TCG: the guest sees 206-346 ms per 1 s, VM-RIG-NOTES).
# vm-timeout: 90
set -u
fail() { echo "ctrrun-cpu: FAIL: $*"; cleanup; exit 1; }
names=
cleanup() {
	for n in $names; do ctrrun rm -f "$n" >/dev/null 2>&1; done
	names=
}
# Without a seccomp syscall table (armhf: ctrrun-seccomp.sh) run unconfined.
case $(uname -m) in x86_64|aarch64) sec= ;; *) sec="--security-opt seccomp=unconfined" ;; esac
path_of() {
	for d in $(echo "$PATH" | tr : ' '); do
		[ -x "$d/$1" ] && [ ! -d "$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	return 1
}
bb=$(path_of busybox) || { echo "ctrrun-cpu: no busybox"; exit 77; }
cgp0=$(find /sys/fs/cgroup -name ctrbox -type d)
mnt() { awk -v t="$1" -v c="${2:-}" '$9 == t && (c == "" || (","$NF",") ~ ","c",") { print $5; exit }' /proc/self/mountinfo; }
# The container's group directory for controller $2.
dir() {
	g=ctrbox/$(ctrrun inspect -f '{{.Id}}' "$1")
	if [ "$CGROUP_VERSION" = 2 ]; then echo "$(mnt cgroup2)/$g"; else echo "$(mnt cgroup "${2:-}")/$g"; fi
}
# CPU time of a container in microseconds.
usage() {
	if [ "$CGROUP_VERSION" = 2 ]; then
		awk '$1 == "usage_usec" { print $2 }' "$(dir "$1")/cpu.stat"
	else
		echo $(( $(cat "$(dir "$1" cpuacct)/cpuacct.usage") / 1000 ))
	fi
}
now() { awk '{ sub(/\./, "", $1); print $1 + 0 }' /proc/uptime; }

img=$(pwd)/img
mkdir -p "$img/bin" "$img/etc"
cp "$bb" "$img/bin/busybox"
ln -s busybox "$img/bin/sh"
loop='while :; do :; done'

# (1) the quota.
ctrrun $sec -d --name q --cpuset-cpus 0 --cpu-quota 10000 --cpu-period 50000 "$img" sh -c "$loop" >/dev/null ||
	fail "ctrrun -d --cpu-quota"
names=q
if [ "$CGROUP_VERSION" = 2 ]; then
	[ "$(cat "$(dir q)/cpu.max")" = "10000 50000" ] || fail "cpu.max: $(cat "$(dir q)/cpu.max")"
else
	[ "$(cat "$(dir q cpu)/cpu.cfs_quota_us") $(cat "$(dir q cpu)/cpu.cfs_period_us")" = "10000 50000" ] ||
		fail "cfs_quota_us / cfs_period_us"
fi
[ "$(cat "$(dir q cpuset)/cpuset.cpus")" = 0 ] || fail "cpuset.cpus: $(cat "$(dir q cpuset)/cpuset.cpus")"
sleep 1
for try in 1 2; do
	u0=$(usage q) t0=$(now)
	sleep 4
	u1=$(usage q) t1=$(now)
	pct=$(( (u1 - u0) / (t1 - t0) / 10 ))
	echo "measured: v$CGROUP_VERSION ctrrun quota 10000/50000: $((pct / 10)).$((pct % 10))% of CPU 0 over $((t1 - t0)) cs"
	[ "$pct" -ge 120 ] && break
done
cleanup
[ "$pct" -ge 120 ] && [ "$pct" -le 380 ] || fail "$((pct / 10))% is not ~20%"

# (2) the shares.
for s in 1024 1536 2560; do
	ctrrun $sec -d --name s$s --cpuset-cpus 0 --cpu-shares $s "$img" sh -c "$loop" >/dev/null ||
		fail "ctrrun -d --cpu-shares $s"
	names="$names s$s"
	if [ "$CGROUP_VERSION" = 2 ]; then
		w=$(cat "$(dir s$s)/cpu.weight")
		case $s in 1024) [ $w = 100 ] ;; 1536) [ $w = 138 ] ;; 2560) [ $w = 208 ] ;; esac ||
			fail "cpu.weight $w for shares $s"
	else
		[ "$(cat "$(dir s$s cpu)/cpu.shares")" = $s ] || fail "cpu.shares of s$s"
	fi
done
sleep 1
for try in 1 2; do
	a0=$(usage s1024) b0=$(usage s1536) c0=$(usage s2560) t0=$(now)
	sleep 4
	a1=$(usage s1024) b1=$(usage s1536) c1=$(usage s2560) t1=$(now)
	echo "usage (us): $a0..$a1 $b0..$b1 $c0..$c1 in $((t1 - t0)) cs"
	[ $(( (a1 - a0 + b1 - b0 + c1 - c0) / 100 )) -ge $(( (t1 - t0) * 25 )) ] && break
	echo "the guest got little CPU: measuring again"
done
cleanup
sum=$(( a1 - a0 + b1 - b0 + c1 - c0 ))
[ $sum -gt 0 ] || fail "no CPU used"
set -- 20 30 50
for d in "1024 $((a1 - a0))" "1536 $((b1 - b0))" "2560 $((c1 - c0))"; do
	pct=$(( ${d#* } * 1000 / sum ))
	echo "measured: v$CGROUP_VERSION ctrrun --cpu-shares ${d% *}: $((pct / 10)).$((pct % 10))% (want $1%)"
	[ $pct -ge $(( ($1 - 8) * 10 )) ] && [ $pct -le $(( ($1 + 8) * 10 )) ] || fail "$((pct / 10))% is not ~$1%"
	shift
done
[ -z "$(ls -A /run/ctrbox 2>/dev/null)" ] || fail "state left: $(ls -A /run/ctrbox)"
find /sys/fs/cgroup -path '*/ctrbox/*' -type d | grep . && fail "container cgroups left"
for d in $(find /sys/fs/cgroup -name ctrbox -type d); do
	echo "$cgp0" | grep -qx "$d" || rmdir "$d" || fail "rmdir $d"
done
exit 0
