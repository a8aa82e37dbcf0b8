#!/bin/sh
# bench/run.sh CTRBOX: every bench/<part>.sh in turn (BENCH="ns pivot" narrows).
# Installs the peers from Debian's packages when run as root.
set -e
CTRBOX=${1:?usage: bench/run.sh CTRBOX}
export CTRBOX
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
peers="hyperfine jq time busybox-static toybox util-linux bubblewrap crun runc cgroup-tools"
missing=""
for p in $peers; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ] && [ "$(id -u)" = 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
echo "# ctrbox $("$CTRBOX" --version | cut -d' ' -f2): $(stat -c %s "$CTRBOX") bytes, $(uname -r), $(nproc) CPUs"
for part in ${BENCH:-$(ls bench/*.sh | sed -n 's|bench/\(.*\)\.sh|\1|p' | grep -vx 'lib\|run')}; do
	sh "bench/$part.sh"
done
