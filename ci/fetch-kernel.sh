#!/bin/bash
# fetch-kernel.sh NAME CACHE_DIR
# Download a lab kernel (image + headers + kbuild) from Debian's archive,
# unpack it under CACHE_DIR/kernels/<release>/, make the headers usable from
# there, and print that directory.  Idempotent: a complete cache entry is
# reused without touching apt.
# Which release: the newest in the archive; with ALLOCREPRO_KERNEL_PINNED=1
# (the test suite) the release kernels.conf pins, from the cache or the
# archive, else the newest with a warning.  When the archive cannot be
# reached (or its index is broken) the release cached last is used.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
name=${1:?usage: fetch-kernel.sh NAME CACHE_DIR}
# The headers keep absolute paths into the cache.
cache=$(realpath -m "${2:?usage: fetch-kernel.sh NAME CACHE_DIR}")
# ALLOCREPRO_KERNELS_CONF: another catalogue (the tests use their own)
conf=${ALLOCREPRO_KERNELS_CONF:-$here/kernels.conf}

line=$(awk -v n="$name" '$1 == n' "$conf")
if [ -z "$line" ]; then
    echo "fetch-kernel: unknown kernel '$name' (known: $(awk '!/^#/ && NF {printf "%s ", $1}' "$conf"))" >&2
    exit 2
fi
arch=$(echo "$line" | awk '{print $2}')
regex=$(echo "$line" | awk '{print $3}')
pin=$(echo "$line" | awk '{print $4}')
mkdir -p "$cache/kernels"
pointer="$cache/kernels/$name.release"

apt_names() {
    apt-cache pkgnames linux-headers- 2>/dev/null | grep -E "$regex" | sort -V
}

if [ "$arch" != amd64 ] && ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
    dpkg --add-architecture "$arch"
    apt-get update -qq >&2 || true
fi
cached() {  # a complete cache entry for release $1
    [ -n "$1" ] && [ -f "$cache/kernels/$1/.complete" ]
}
use() {  # release $1 from the cache
    echo "$1" > "$pointer"
    echo "$cache/kernels/$1"
    exit 0
}
if [ "${ALLOCREPRO_KERNEL_PINNED:-0}" = 1 ] && [ -n "$pin" ] && cached "$pin"; then
    use "$pin"
fi
hdr=$(apt_names | tail -n 1 || true)
if [ -z "$hdr" ]; then
    apt-get update -qq >&2 || echo "fetch-kernel: apt-get update reported errors; using the lists it has" >&2
    hdr=$(apt_names | tail -n 1 || true)
fi
if [ "${ALLOCREPRO_KERNEL_PINNED:-0}" = 1 ] && [ -n "$pin" ]; then
    if apt_names | grep -qx "linux-headers-$pin"; then
        hdr="linux-headers-$pin"
    else
        echo "fetch-kernel: $name is pinned to $pin, which neither the archive nor the cache has; using ${hdr#linux-headers-} (move the pins: ci/kernel-pins.sh update)" >&2
    fi
fi
last=$(cat "$pointer" 2>/dev/null || true)
if [ -z "$hdr" ]; then
    if cached "$last"; then
        echo "fetch-kernel: apt has no $name, using cached $last" >&2
        use "$last"
    fi
    echo "fetch-kernel: no package matching $regex in the archive" >&2
    exit 3
fi
rel=${hdr#linux-headers-}
dir="$cache/kernels/$rel"
cached "$rel" && use "$rel"

img="linux-image-$rel-unsigned"
apt-cache show "$img:$arch" >/dev/null 2>&1 || img="linux-image-$rel"
deps=$(apt-cache depends "$hdr:$arch" | awk '/Depends: <?linux-(headers|kbuild)-/ {gsub(/[<>]/, "", $2); print $2}' | sed 's/:.*//' | sort -u)
tmp="$dir.tmp"
rm -rf "$tmp"
mkdir -p "$tmp/debs" "$tmp/root"
if ! (
    cd "$tmp/debs"
    # kbuild tools must run on this host: take them for the host architecture.
    for p in $deps; do
        case "$p" in
            linux-kbuild-*) apt-get download -q "$p" ;;
            # the common headers are Architecture: all
            *) apt-get download -q "$p:$arch" 2>/dev/null || apt-get download -q "$p" ;;
        esac
    done
    apt-get download -q "$img:$arch" "$hdr:$arch"
) >&2; then
    rm -rf "$tmp"
    if cached "$last"; then
        echo "fetch-kernel: downloading $rel failed; using cached $last" >&2
        use "$last"
    fi
    echo "fetch-kernel: downloading $rel failed and nothing of $name is cached" >&2
    exit 3
fi
for d in "$tmp"/debs/*.deb; do dpkg-deb -x "$d" "$tmp/root"; done

# The headers' Makefile includes the common tree by absolute path; point it
# at the unpacked copy.  Everything else in the tree links relatively.
hdir="$tmp/root/usr/src/linux-headers-$rel"
sed -i "s#/usr/src/#$dir/root/usr/src/#" "$hdir/Makefile"
# i386 headers name an i386 kbuild package; the amd64 one has the same tools.
kb=$(ls -d "$tmp"/root/usr/lib/linux-kbuild-* | head -n 1)
for l in scripts tools; do
    ln -sfn "../../lib/$(basename "$kb")/$l" "$hdir/$l"
done
vml=$(ls "$tmp"/root/boot/vmlinuz-* | head -n 1)
rm -rf "$tmp/debs"
cat > "$tmp/kernel.env" <<ENV
NAME=$name
RELEASE=$rel
ARCH=$arch
VMLINUZ=$dir/root/boot/$(basename "$vml")
HEADERS=$dir/root/usr/src/linux-headers-$rel
MODULES=$dir/root/lib/modules/$rel
ENV
rm -rf "$dir"
mv "$tmp" "$dir"
touch "$dir/.complete"
echo "$rel" > "$pointer"
echo "$dir"
