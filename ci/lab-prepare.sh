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
# the module's build dir is keyed by its sources: clones of different
# versions share the cache without rebuilding each other's module
src=$(cat "$here"/../kmod-helpers/*.[ch] "$here/../kmod-helpers/Kbuild" | sha256sum | cut -c1-12)
if [ -n "${ALLOCREPRO_LAB_KMOD:-}" ]; then
    # a module built elsewhere (DKMS, a customer's build): for this kernel only
    ko=$(readlink -f "$ALLOCREPRO_LAB_KMOD")
    vm=$(modinfo -F vermagic "$ko" 2>/dev/null | cut -d' ' -f1) || vm=
    if [ "$vm" != "$RELEASE" ]; then
        echo "lab-prepare: --kmod $ALLOCREPRO_LAB_KMOD: built for '${vm:-not a module}'," \
             "kernel $name is $RELEASE" >&2
        exit 2
    fi
else
    ko=$("$here/build-kmod.sh" "$kdir" "$cache/kmod/$RELEASE-$src") || exit 3
    { ls -dt "$cache/kmod/$RELEASE"-* 2>/dev/null || true; } | tail -n +4 | xargs -r rm -rf
fi
initrd=$("$here/build-initramfs.sh" "$kdir" "$ko" "$bin" "$cache/initramfs/$RELEASE") || exit 3
echo "RELEASE=$RELEASE"
echo "ARCH=$ARCH"
echo "VMLINUZ=$VMLINUZ"
echo "INITRD=$initrd"
echo "MODULE=$ko"
if [ "${ALLOCREPRO_KERNEL_PINNED:-0}" = 1 ]; then
    pin=$(awk -v n="$name" '$1 == n {print $4}' "${ALLOCREPRO_KERNELS_CONF:-$here/kernels.conf}")
    if [ -n "$pin" ]; then
        echo "PINNED=$pin"
        [ "$pin" = "$RELEASE" ] ||
            echo "PIN_NOTE=pinned release $pin is neither cached nor in the archive; $RELEASE was booted instead"
    fi
fi
# stress-ng for the guest: the host's binary fits amd64 guests only
if [ "$ARCH" = amd64 ] && command -v stress-ng >/dev/null; then
    echo "STRESSNG=$("$here/build-stressng-cpio.sh" "$cache/initramfs")"
fi
