#!/bin/bash
# Lab runs side by side share the cache (a nightly machine, the parallel
# guests of lab-kmod-contexts.t): two preparations of the same kernel at once,
# on a cache with no module and no initramfs yet, must both succeed and agree;
# a broken cached image is rebuilt.
# (Before the lock, the second one's rename of the shared temp image failed.)
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
cache=${ALLOCREPRO_CACHE:?the lab cache (make check sets it)}
bin=${ALLOCREPRO_GUEST_BIN:-$ROOT/build/allocrepro}
kernel=${LAB_KERNEL:-debian-6.1}
mkdir -p "$t/cache"
ln -s "$cache/kernels" "$t/cache/kernels"	# the kernel itself is not rebuilt
pids=()
for i in 1 2; do
    "$ROOT/ci/lab-prepare.sh" "$kernel" "$t/cache" "$bin" > "$t/out$i" 2> "$t/err$i" &
    pids+=($!)
done
wait "${pids[0]}"; rc1=$?
wait "${pids[1]}"; rc2=$?
[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ]
ok $? "two preparations of $kernel at once both succeed (exit $rc1 and $rc2)"
[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] || sed 's/^/# /' "$t/err1" "$t/err2" | tail -20
i1=$(sed -n 's/^INITRD=//p' "$t/out1") i2=$(sed -n 's/^INITRD=//p' "$t/out2")
[ -n "$i1" ] && [ "$i1" = "$i2" ]; ok $? "both use one initramfs ($(basename "${i1:-none}"))"
gzip -t "$i1" 2>/dev/null && gzip -dc "$i1" | cpio -it --quiet 2>/dev/null | grep -qx 'allocrepro/allocrepro_helper.ko'
ok $? "it is a whole archive, with the module"
m1=$(sed -n 's/^MODULE=//p' "$t/out1")
modinfo -F vermagic "$m1" 2>/dev/null | grep -q "^$(sed -n 's/^RELEASE=//p' "$t/out1") "
ok $? "the module was built for $(sed -n 's/^RELEASE=//p' "$t/out1")"
[ -z "$(find "$t/cache/initramfs" -name '*.tmp*' -o -name 'root.*')" ]
ok $? "no temporary files are left behind"
# an image broken by an older, unlocked preparer (seen: "Initramfs unpacking
# failed: invalid magic") is rebuilt, not booted
head -c 100000 "$i1" > "$t/half" && cat "$t/half" > "$i1"
"$ROOT/ci/lab-prepare.sh" "$kernel" "$t/cache" "$bin" > "$t/out3" 2> "$t/err3"
[ "$(sed -n 's/^INITRD=//p' "$t/out3")" = "$i1" ] && gzip -t "$i1" 2>/dev/null
ok $? "a truncated cached image is rebuilt"
done_testing
