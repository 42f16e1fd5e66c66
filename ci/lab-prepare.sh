#!/bin/bash
# lab-prepare.sh KERNEL_NAME CACHE_DIR GUEST_BINARY [GUEST_BINARY_I386]
# Everything a lab boot needs, fetched or built once and cached:
# kernel + headers, the helper module for that kernel, the base initramfs.
# A 32-bit kernel gets the i386 guest program (make guest-i386).
# Prints KEY=value lines for allocrepro.  Exit 2: unknown kernel; 3: failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
name=${1:?} cache=${2:?} bin=${3:?} bin32=${4:-}
# Lab runs side by side (a nightly machine, the parallel test guests) share
# the cache: one prepares at a time, the others then find it ready.
mkdir -p "$cache"
exec 9>"$cache/.prepare.lock"
flock 9
kdir=$("$here/fetch-kernel.sh" "$name" "$cache") || exit $?
# shellcheck disable=SC1091
. "$kdir/kernel.env"
if [ "$ARCH" = i386 ]; then
    if [ -z "$bin32" ] || [ ! -x "$bin32" ]; then
        echo "lab-prepare: $name is 32-bit and needs the i386 guest program;" \
             "build it with 'make guest-i386' (missing: ${bin32:-allocrepro-i386})" >&2
        exit 3
    fi
    bin=$bin32
    BUSYBOX=$("$here/fetch-i386-sysroot.sh" "$cache")/bin/busybox || exit 3
    export BUSYBOX
fi
ko=$("$here/build-kmod.sh" "$kdir" "$cache/kmod/$RELEASE") || exit 3
initrd=$("$here/build-initramfs.sh" "$kdir" "$ko" "$bin" "$cache/initramfs/$RELEASE") || exit 3
echo "RELEASE=$RELEASE"
echo "ARCH=$ARCH"
echo "VMLINUZ=$VMLINUZ"
echo "INITRD=$initrd"
echo "MODULE=$ko"
# stress-ng for the guest: the host's binary fits amd64 guests only
if [ "$ARCH" = amd64 ] && command -v stress-ng >/dev/null; then
    echo "STRESSNG=$("$here/build-stressng-cpio.sh" "$cache/initramfs")"
fi
