# tests/demo-study.sh: sourced by tests/demo.sh after the namespace steps:
# the rest of the study session - 2.2 (3) chroot escape vs pivot_root,
# 2.3 quota and shares measured, 2.4 overlay with a whiteout - and ctrrun
# containers on the host's / as a read-only lower layer. Uses demo.sh's
# $tmp, PATH and step/say/show; what it starts is removed by demo_study_cleanup
# (demo.sh's exit trap calls it).

CR="ctrrun --root $tmp/ctrrun"

demo_study_cleanup() {
	[ -d "$tmp/ctrrun" ] || return 0
	for c in $(ctrrun --root "$tmp/ctrrun" ps -a -q 2>/dev/null); do
		ctrrun --root "$tmp/ctrrun" rm -f "$c" >/dev/null 2>&1
	done
}

# cpu_pct GROUP...: each group's CPU use over 2 s, in % of one CPU, from the
# group's own accounting (cpuacct.usage; cpu.stat on cgroup v2, translated).
cpu_pct() {
	_u0=""
	for _g; do _u0="$_u0 $(cgget -n -v -r cpuacct.usage "$_g")"; done
	_t0=$(date +%s%N)
	sleep 2
	_t1=$(date +%s%N)
	_out=""
	for _g; do
		_u0=${_u0# }
		_b=${_u0%% *}
		_u0=${_u0#"$_b"}
		_out="$_out $(( ($(cgget -n -v -r cpuacct.usage "$_g") - _b) * 100 / (_t1 - _t0) ))"
	done
	echo $_out
}

# A small root from what the machine has: a static busybox, or the static
# ctrbox itself as /bin/sh when there is none.
root=$tmp/root
mkdir -p "$root/bin" "$root/tmp"
if command -v busybox >/dev/null 2>&1 && file -L "$(command -v busybox)" 2>/dev/null | grep -q static; then
	cp "$(command -v busybox)" "$root/bin/busybox"
	for a in sh ls cat echo yes hostname ps id; do ln -s busybox "$root/bin/$a"; done
fi
escape=""
for cc in musl-gcc cc; do
	command -v $cc >/dev/null 2>&1 &&
		$cc -static -Os -o "$root/escape" "$(dirname "$0")/escape.c" 2>/dev/null && { escape=1; break; }
done

step "2.2 (3) chroot can be escaped, pivot_root cannot"
if [ -n "$escape" ] && [ -x "$root/bin/ls" ]; then
	m=ctrbox-demo-host-file.$$
	touch "/tmp/$m"
	says() { if grep -q "^$m\$" "$tmp/esc"; then say "    it lists /tmp/$m: the host's /tmp, outside the root"; else say "    it lists /tmp as: [$(tr '\n' ' ' <"$tmp/esc")] - the root's own /tmp: still inside"; fi; }
	say "The handout's program: mkdir .xx; chroot .xx; chdir .. x256; chroot .; exec ls /tmp"
	say "$ chroot ROOT /escape /bin/ls /tmp"
	chroot "$root" /escape /bin/ls /tmp >"$tmp/esc" 2>/dev/null
	says
	rmdir "$root/.xx" 2>/dev/null
	say "$ pivot ROOT /escape /bin/ls /tmp      (pivot_root(2), old root detached)"
	pivot "$root" /escape /bin/ls /tmp >"$tmp/esc" 2>/dev/null
	says
	rmdir "$root/.xx" 2>/dev/null
	say "$ ctrrun --rm ROOT /escape /bin/ls /tmp"
	$CR --rm "$root" /escape /bin/ls /tmp >"$tmp/esc" 2>/dev/null
	says
	rm -f "/tmp/$m"
else
	say "(skipped: needs a static busybox and a C compiler for tests/escape.c)"
fi

step "2.3 (1) CPU ceiling: --cpu-quota 10000 --cpu-period 50000 on CPU 0"
$CR -d --name quota --cpuset-cpus 0 --cpu-quota 10000 --cpu-period 50000 "$root" sh -c 'yes >/dev/null' >/dev/null
g=ctrbox/$($CR inspect -f '{{.Id}}' quota)
show "cgget -r cpu.cfs_quota_us -r cpu.cfs_period_us $g"
say "measured from the group's CPU accounting over 2 s: $(cpu_pct "$g")% of one CPU (handout: ~20%)"
$CR rm -f quota >/dev/null

step "2.3 (2) CPU sharing: --cpu-shares 1024 / 1536 / 2560, all on CPU 0"
gs=""
for s in 1024 1536 2560; do
	$CR -d --name shares$s --cpuset-cpus 0 --cpu-shares $s "$root" sh -c 'yes >/dev/null' >/dev/null
	gs="$gs ctrbox/$($CR inspect -f '{{.Id}}' shares$s)"
done
sleep 0.3
set -- $(cpu_pct $gs)
t=$(($1 + $2 + $3))
[ "$t" -gt 0 ] || t=1
say "cpu.shares: $(for g in $gs; do printf '%s ' "$(cgget -n -v -r cpu.shares "$g")"; done)"
say "split of CPU 0: $(($1 * 100 / t))% / $(($2 * 100 / t))% / $(($3 * 100 / t))% (handout: ~20 / 30 / 50)"
for s in 1024 1536 2560; do $CR rm -f shares$s >/dev/null; done

step "2.4 overlayfs: layers, copy-up, whiteout (in a mount namespace of its own)"
o=$tmp/ovl
mkdir -p "$o/lower1" "$o/lower2" "$o/upper" "$o/work" "$o/merged"
echo abc >"$o/lower1/abc.txt"
echo xyz >"$o/lower2/xyz.txt"
unshare -m sh -c '
	o=$1
	ovlmount -l "$o/lower1:$o/lower2" -u "$o/upper" -w "$o/work" "$o/merged"
	echo "    merged: $(ls "$o/merged" | tr "\n" " ")"
	echo new >"$o/merged/new.txt"; echo changed >>"$o/merged/abc.txt"; rm "$o/merged/xyz.txt"
	echo "    after write, change, rm - merged: $(ls "$o/merged" | tr "\n" " ")"
	ls -l "$o/upper" | sed 1d | sed "s/^/    upper: /"
	echo "    lower2 still holds xyz.txt: $(cat "$o/lower2/xyz.txt")"
	ovlmount --diff -l "$o/lower1:$o/lower2" "$o/upper" | sed "s/^/    diff: /"
' demo "$o"
say "(xyz.txt in upper is the whiteout: a character device 0,0)"

step "ctrrun: containers on the host's / as a read-only lower layer"
say "$ ctrrun --rm --cpus 0.5 --memory 64m / sh -c '...'"
$CR --rm --cpus 0.5 --memory 64m / sh -c 'echo "    $(. /etc/os-release; echo $PRETTY_NAME) inside, hostname $(hostname), pid $$"; echo "    processes: $(ls /proc | grep -c "^[0-9]")"; grep -E "^Cap(Eff|Bnd)|^Seccomp:" /proc/1/status | sed "s/^/    /"; echo "    root: $(awk "\$5 == \"/\" { print \$9 }" /proc/self/mountinfo) over /"'
$CR -d --name web / sh -c 'echo started; while :; do sleep 1; done' >/dev/null
say "$ ctrrun ps"
$CR ps | sed 's/^/    /'
say "$ ctrrun inspect -f '{{.GraphDriver.Data.UpperDir}}' web"
$CR inspect -f '{{.GraphDriver.Data.UpperDir}}' web | sed 's/^/    /'
say "$ ctrrun exec web hostname; ctrrun logs web; ctrrun stop -t 1 web; ctrrun rm web"
$CR exec web hostname | sed 's/^/    /'
$CR logs web | sed 's/^/    /'
$CR stop -t 1 web >/dev/null
$CR rm web >/dev/null
say "    (gone: $($CR ps -a -q | wc -l) containers left, / untouched)"
