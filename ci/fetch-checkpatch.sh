#!/bin/bash
# fetch-checkpatch.sh CACHE_DIR
# checkpatch.pl and the files it reads, from Debian's linux-source package
# (the script is not packaged on its own).  Cached; prints the script path.
set -euo pipefail
cache=$(realpath -m "${1:?usage: fetch-checkpatch.sh CACHE_DIR}")
dir="$cache/checkpatch"
if [ -f "$dir/.complete" ]; then echo "$dir/checkpatch.pl"; exit 0; fi
pkg=$(apt-cache pkgnames linux-source- 2>/dev/null | grep -E '^linux-source-[0-9.]+$' | sort -V | tail -n 1 || true)
if [ -z "$pkg" ]; then
    apt-get update -qq >&2 || true
    pkg=$(apt-cache pkgnames linux-source- | grep -E '^linux-source-[0-9.]+$' | sort -V | tail -n 1)
fi
tmp="$dir.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
(cd "$tmp" && apt-get download -q "$pkg") >&2
dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$tmp" --wildcards './usr/src/linux-source-*.tar.xz'
tarball=$(ls "$tmp"/usr/src/linux-source-*.tar.xz)
top=$(basename "$tarball" .tar.xz)
tar -xJf "$tarball" -C "$tmp" "$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
    "$top/scripts/const_structs.checkpatch"
mkdir -p "$tmp/out"
mv "$tmp/$top/scripts/"* "$tmp/out/"
rm -rf "$dir"
mv "$tmp/out" "$dir"
rm -rf "$tmp"
touch "$dir/.complete"
echo "$dir/checkpatch.pl"
