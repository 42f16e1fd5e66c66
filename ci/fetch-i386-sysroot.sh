#!/bin/bash
# fetch-i386-sysroot.sh CACHE_DIR
# The i386 headers and static libraries the 32-bit guest binary links with,
# and the i386 busybox of its initramfs (the debian-6.1-pae lab kernel
# cannot run amd64 programs).  Unpacked from
# Debian's archive into CACHE_DIR/sysroot-i386 rather than installed, so the
# host's amd64 -dev packages never have to match their versions.  Prints
# the directory; reuses a complete one without touching apt.
set -euo pipefail
cache=$(realpath -m "${1:?usage: fetch-i386-sysroot.sh CACHE_DIR}")
dir="$cache/sysroot-i386"
pkgs=(libyaml-dev libjson-c-dev libssl-dev libcgroup-dev libnuma-dev busybox-static)
# .complete lists the packages: a sysroot from an older list is refetched
if [ "$(cat "$dir/.complete" 2>/dev/null)" = "${pkgs[*]}" ]; then echo "$dir"; exit 0; fi
if ! dpkg --print-foreign-architectures | grep -qx i386; then
    dpkg --add-architecture i386
    apt-get update -qq >&2 || true
fi
apt-cache show libyaml-dev:i386 >/dev/null 2>&1 || apt-get update -qq >&2 || true
tmp="$dir.tmp"
rm -rf "$tmp"
mkdir -p "$tmp/debs"
(cd "$tmp/debs" && for p in "${pkgs[@]}"; do apt-get download -q "$p:i386"; done) >&2
for d in "$tmp"/debs/*.deb; do dpkg-deb -x "$d" "$tmp"; done
rm -rf "$tmp/debs"
for a in usr/lib/i386-linux-gnu/libyaml.a usr/lib/i386-linux-gnu/libjson-c.a \
         usr/lib/i386-linux-gnu/libcrypto.a usr/lib/i386-linux-gnu/libnuma.a bin/busybox; do
    [ -f "$tmp/$a" ] || { echo "fetch-i386-sysroot: $a missing" >&2; exit 3; }
done
rm -rf "$dir"
mv "$tmp" "$dir"
echo "${pkgs[*]}" > "$dir/.complete"
echo "$dir"
