#!/bin/bash
# kernel-pins.sh [show|update]
# The releases the test suite boots (kernels.conf's last column).
#   show     each kernel's pin, and the archive's newest release
#   update   move every pin to the archive's newest; say what changed
# The cache keeps the old releases, so runs pinned to them still work
# until the pins move.  Exit 3 when the archive cannot be read.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
conf="$here/kernels.conf"
cmd=${1:-show}
case "$cmd" in show|update) ;; *) echo "usage: kernel-pins.sh [show|update]" >&2; exit 2 ;; esac

newest() {  # arch regex
    if [ "$1" != amd64 ] && ! dpkg --print-foreign-architectures | grep -qx "$1"; then
        dpkg --add-architecture "$1"
    fi
    apt-cache pkgnames linux-headers- 2>/dev/null | grep -E "$2" | sort -V | tail -n 1 |
        sed 's/^linux-headers-//'
}

[ "$cmd" = update ] && { apt-get update -qq >&2 || echo "kernel-pins: apt-get update reported errors; using the lists it has" >&2; }
changed=0
tmp=$(mktemp "$conf.XXXXXX")
trap 'rm -f "$tmp"' EXIT
while IFS= read -r line; do
    case "$line" in \#*|"") echo "$line" >> "$tmp"; continue ;; esac
    read -r name arch regex pin <<< "$line"
    new=$(newest "$arch" "$regex")
    if [ -z "$new" ]; then
        echo "kernel-pins: the archive has no $name ($regex)" >&2
        exit 3
    fi
    if [ "$cmd" = show ]; then
        printf '%-16s pinned %-24s newest %s\n' "$name" "${pin:--}" "$new"
        echo "$line" >> "$tmp"
        continue
    fi
    if [ "$new" != "${pin:-}" ]; then
        echo "$name: ${pin:-(none)} -> $new"
        changed=1
    fi
    printf '%-15s %-6s %-44s %s\n' "$name" "$arch" "$regex" "$new" >> "$tmp"
done < "$conf"
if [ "$cmd" = update ]; then
    if [ $changed = 0 ]; then
        echo "kernel-pins: every pin is the archive's newest already"
    else
        cat "$tmp" > "$conf"
    fi
fi
