#!/bin/sh
# tests/vm/vmlinux.sh BZIMAGE OUT: write the uncompressed ELF kernel held in a
# bzImage to OUT, so that qemu can boot it directly through PVH (no in-guest
# decompression: about 6 s less a boot under TCG).
#
# The x86 boot protocol (Documentation/x86/boot.rst) says where the payload is:
# the setup code is (setup_sects + 1) sectors of 512 bytes (setup_sects is the
# byte at 0x1f1; 0 means 4), then the protected-mode part, in which the
# compressed kernel starts at payload_offset (u32 at 0x248) and is
# payload_length bytes long (u32 at 0x24c). Both exist from protocol 2.08 on
# (u16 at 0x206), and the header is tagged "HdrS" at 0x202. The payload's first
# bytes tell its compression. Exit 1, writing nothing, on anything unexpected.
set -eu
img=$1 out=$2

# u BYTES OFFSET: unsigned little-endian integer of 1, 2 or 4 bytes at OFFSET.
u() { od -An -t "u$1" -j "$2" -N "$1" "$img" | tr -d ' '; }
die() { echo "vmlinux.sh: $img: $*" >&2; exit 1; }

[ "$(od -An -c -j 514 -N 4 "$img" | tr -d ' ')" = HdrS ] || die "not a bzImage"
[ "$(u 2 518)" -ge 520 ] || die "boot protocol older than 2.08"
sects=$(u 1 497)
[ "$sects" -ne 0 ] || sects=4
start=$(( (sects + 1) * 512 + $(u 4 584) ))
len=$(u 4 588)

payload() { tail -c "+$((start + 1))" "$img" | head -c "$len"; }
magic=$(payload | od -An -t x1 -N 6 | tr -d ' ')
case $magic in
fd377a585a00) unpack="xz -dc --single-stream" ;;
1f8b*)        unpack="gzip -dc" ;;
28b52ffd*)    unpack="zstd -dcq" ;;
*)            die "payload compression not handled (magic $magic)" ;;
esac
command -v "${unpack%% *}" >/dev/null 2>&1 || die "needs ${unpack%% *}"

tmp=$out.tmp.$$
trap 'rm -f "$tmp"' EXIT
# gzip and zstd warn about the 4-byte size the kernel build appends: judge
# the result by its ELF magic, not the tool's status.
payload | $unpack >"$tmp" 2>/dev/null || true
[ "$(od -An -c -N 4 "$tmp" | tr -d ' ')" = 177ELF ] || die "payload did not unpack to an ELF file"
mv "$tmp" "$out"
trap - EXIT
