#!/bin/bash
# build-stressng-cpio.sh OUT_DIR
# stress-ng and its shared libraries as an initramfs overlay, appended to a
# guest's initrd only when its scenario runs the stress-ng workload (it is
# 30 MB unpacked).  amd64 guests only: it is the host's own stress-ng.
# Cached by content; prints the cpio path.
set -euo pipefail
out=${1:?usage: build-stressng-cpio.sh OUT_DIR}
bin=$(command -v stress-ng) || { echo "build-stressng-cpio: stress-ng missing (apt-get install stress-ng)" >&2; exit 3; }
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=ci/initramfs-lib.sh
. "$here/initramfs-lib.sh"
libs=$(shared_libs "$bin")
key=$(cat "$bin" $libs | sha256sum | cut -c1-16)
img="$out/stress-ng-$key.cpio.gz"
if [ -f "$img" ] && gzip -t "$img" 2>/dev/null; then echo "$img"; exit 0; fi
mkdir -p "$out"
root=$(mktemp -d "$out/root.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin"
cp "$bin" "$root/bin/stress-ng"
# shellcheck disable=SC2086
copy_libs "$root" $libs
pack_cpio "$root" "$img"
