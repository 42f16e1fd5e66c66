#!/bin/bash
# build-initramfs.sh KERNEL_DIR MODULE BINARY OUT_DIR
# Assemble the base initramfs of a lab guest: busybox, the allocrepro binary
# with the shared libraries it needs, the helper module, the init script,
# and the kernel's own modules for the scratch disk (virtio_blk, ext4 and
# what they need, in load order, decompressed for busybox insmod).
# Cached by the content of all of these; prints the cpio path.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kdir=${1:?} ko=${2:?} bin=${3:?} out=${4:?}
bb=${BUSYBOX:-/bin/busybox}	# the guest's architecture (lab-prepare.sh chooses)
[ -x "$bb" ] || { echo "build-initramfs: $bb missing (apt-get install busybox-static)" >&2; exit 3; }
# A static program (the i386 guest) needs no libraries.
# shellcheck source=ci/initramfs-lib.sh
. "$here/initramfs-lib.sh"
libs=$(shared_libs "$bin")
# shellcheck disable=SC1091
. "$kdir/kernel.env"
mroot=${MODULES%/lib/modules/*}
[ -f "$MODULES/modules.dep" ] || depmod -b "$mroot" "$RELEASE"
# the disk's modules in load order, each once ("builtin" lines skipped)
mods=$(modprobe -d "$mroot" -S "$RELEASE" --show-depends -a virtio_pci virtio_blk ext4 crc32c_generic |
       awk '$1 == "insmod" && !seen[$2]++ {print $2}')
key=$(cat "$bb" "$bin" $libs "$ko" "$here/guest-init" $mods | sha256sum | cut -c1-16)
img="$out/base-$key.cpio.gz"
# an image a crash or an older, unlocked preparer left broken is rebuilt
if [ -f "$img" ] && gzip -t "$img" 2>/dev/null; then echo "$img"; exit 0; fi
mkdir -p "$out"
# every build of the program makes a new image: keep the newest few
{ ls -t "$out"/base-*.cpio.gz 2>/dev/null || true; } | tail -n +4 | xargs -r rm -f
root=$(mktemp -d "$out/root.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp,etc,allocrepro,sys/kernel/debug}
cp "$bb" "$root/bin/busybox"
cp "$here/guest-init" "$root/init"
chmod 755 "$root/init"
cp "$bin" "$root/allocrepro/allocrepro"
cp "$ko" "$root/allocrepro/allocrepro_helper.ko"
mkdir -p "$root/allocrepro/modules"
i=10
for m in $mods; do
    out="$root/allocrepro/modules/$i-$(basename "${m%%.ko*}").ko"
    case "$m" in
        *.xz) xz -dc "$m" > "$out" ;;
        *.zst) zstd -qdc "$m" > "$out" ;;
        *) cp "$m" "$out" ;;
    esac
    i=$((i + 1))
done
# /lib64 may be a link on the host; the loader path must exist in the guest.
# shellcheck disable=SC2086
copy_libs "$root" $libs
pack_cpio "$root" "$img"
