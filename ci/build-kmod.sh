#!/bin/bash
# build-kmod.sh KERNEL_DIR OUT_DIR
# Build kmod-helpers against a cached lab kernel's headers in a private copy
# (one per kernel release, so several kernels never share objects) and print
# the path of the module.  Rebuilds only when a source file changed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kdir=${1:?usage: build-kmod.sh KERNEL_DIR OUT_DIR}
out=${2:?usage: build-kmod.sh KERNEL_DIR OUT_DIR}
# shellcheck disable=SC1091
. "$kdir/kernel.env"
src="$here/../kmod-helpers"
mkdir -p "$out"
# a finished build of these very sources is current: make's own check
# costs seconds, and a lab run prepares before every boot
sum=$(cat "$src"/*.[ch] "$src/Kbuild" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$out/.complete" 2>/dev/null)" = "$sum" ] && [ -f "$out/allocrepro_helper.ko" ]; then
    echo "$out/allocrepro_helper.ko"
    exit 0
fi
rm -f "$out/.complete"
for f in "$src"/*.c "$src"/*.h "$src"/Kbuild; do
    cmp -s "$f" "$out/$(basename "$f")" || cp "$f" "$out/"
done
kmake=(make -C "$HEADERS" M="$out")
[ "$ARCH" = i386 ] && kmake+=(ARCH=x86 CROSS_COMPILE= KBUILD_BUILD_ARCH=i386)
if ! "${kmake[@]}" modules >"$out/build.log" 2>&1; then
    cat "$out/build.log" >&2
    echo "build-kmod: module build failed for $RELEASE" >&2
    exit 3
fi
if grep -E 'warning:' "$out/build.log" >&2; then
    echo "build-kmod: warnings building for $RELEASE" >&2
    exit 3
fi
echo "$sum" > "$out/.complete"
echo "$out/allocrepro_helper.ko"
