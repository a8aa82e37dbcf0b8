#!/bin/sh
# bench/floor-build.sh OUT CTRRUN-COMMAND...: builds bench/floor-ctrrun.c
# into OUT (static, musl-gcc where there is one) with the seccomp program
# that CTRRUN-COMMAND (a `ctrbox ctrrun ... IMAGE /bin/true` that succeeds)
# loads: run once under strace, whose raw dump of the program
# (BPF_STMT(0x6|0, 0x7fff0000), ...) is C for linux/filter.h's macros.
# Writes OUT.bpf.h beside OUT. Used by bench/ctrrun.sh and tests/floor.bats.
set -e
out=$1
shift
src=$(cd "$(dirname "$0")" && pwd)/floor-ctrrun.c
command -v strace >/dev/null 2>&1 || { echo "floor-build: needs strace (to dump ctrrun's seccomp program)" >&2; exit 1; }
strace -f -qq -e trace=seccomp -e signal=none -X raw -s 65536 -v -o "$out.strace" "$@" >/dev/null
sed -n 's/.*seccomp(0x1, 0, {len=[0-9]*, filter=\[\(.*\)\]}) = 0$/\1/p' "$out.strace" >"$out.bpf.h"
rm -f "$out.strace"
[ "$(wc -l <"$out.bpf.h")" = 1 ] && ! grep -q '\.\.\.' "$out.bpf.h" ||
	{ echo "floor-build: no complete seccomp program in ctrrun's trace" >&2; exit 1; }
cc=cc
command -v musl-gcc >/dev/null 2>&1 && cc=musl-gcc
$cc -static -Os -s -Wall -Wextra -Werror -Wno-format-truncation -DFLOOR_BPF="\"$out.bpf.h\"" -o "$out" "$src" "${src%/*}/floor-container.c"
