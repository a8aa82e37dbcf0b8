#!/bin/sh
# container.sh IMAGE GROUP CMD [ARG...]: the container `ctrrun --rm
# --cpuset-cpus 0 --cpu-quota 10000 --cpu-period 50000 IMAGE CMD` sets up,
# composed by hand from ctrbox applets in POSIX sh:
#   cgcreate/cgset   the group and its limits (v1 names, translated on v2)
#   cgexec           CMD's process tree born in the group
#   unshare          new mount, UTS, IPC, network, PID (+fork) and cgroup ns
#   ovlmount         the image as the lower layer, a fresh upper and work dir
#   pivot            /proc, a minimal /dev, pivot_root, the old root detached
# The state dir and the group are removed when CMD ends.
set -eu
img=$1 g=$2
shift 2
st=$(mktemp -d "${TMPDIR:-/tmp}/container-sh.XXXXXX")
trap 'cgdelete -g cpu,cpuacct,cpuset,memory,pids:"$g" 2>/dev/null; rm -rf "$st"' EXIT
trap 'exit 129' HUP INT TERM
cgcreate -g cpu,cpuacct,cpuset,memory,pids:"$g"
cgset -r cpuset.cpus=0 -r cpu.cfs_quota_us=10000 -r cpu.cfs_period_us=50000 "$g"
hn=$(basename "$st" | tr -dc 'a-z0-9' | cut -c1-12)
cgexec -g cpu,cpuacct,cpuset,memory,pids:"$g" \
	unshare -m -u -i -n -p -f -C sh -c '
		st=$1 img=$2 hn=$3
		shift 3
		hostname "$hn"
		ovlmount -l "$img" -u "$st/upper" -w "$st/work" "$st/merged"
		exec pivot --proc --dev "$st/merged" "$@"
	' container "$st" "$img" "$hn" "$@"
