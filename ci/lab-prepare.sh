#!/bin/bash
# lab-prepare.sh KERNEL_NAME CACHE_DIR GUEST_BINARY
# Everything a lab boot needs, fetched or built once and cached:
# kernel + headers, the helper module for that kernel, the base initramfs.
# Prints KEY=value lines for allocrepro.  Exit 2: unknown kernel; 3: failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
name=${1:?} cache=${2:?} bin=${3:?}
kdir=$("$here/fetch-kernel.sh" "$name" "$cache") || exit $?
# shellcheck disable=SC1091
. "$kdir/kernel.env"
ko=$("$here/build-kmod.sh" "$kdir" "$cache/kmod/$RELEASE") || exit 3
initrd=$("$here/build-initramfs.sh" "$kdir" "$ko" "$bin" "$cache/initramfs/$RELEASE") || exit 3
echo "RELEASE=$RELEASE"
echo "ARCH=$ARCH"
echo "VMLINUZ=$VMLINUZ"
echo "INITRD=$initrd"
echo "MODULE=$ko"
