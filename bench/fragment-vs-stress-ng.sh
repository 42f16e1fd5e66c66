#!/bin/bash
# bench/fragment-vs-stress-ng.sh ALLOCREPRO OUT_DIR
# Time for the fragment workload to reach an unusable index of 0.9 at
# order 3 in a 1 GiB lab guest, against stress-ng recipes a user would try,
# in the same guest.  Prints a table and writes OUT_DIR/fragment-vs-stress-ng.txt.
set -euo pipefail
bin=${1:?usage: fragment-vs-stress-ng.sh ALLOCREPRO OUT_DIR} out=${2:?}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
res="$out/fragment-vs-stress-ng"
"$bin" lab run "$here/fragment-vs-stress-ng.yaml" --results "$res" >/dev/null 2>&1 || true
{
    printf '%-72s %-16s %s\n' "recipe (1 GiB guest, DMA32, order 3)" "seconds to 0.9" "best index"
    grep -h '^BENCH ' "$res"/exec-*.log | sed 's/^BENCH //' |
        awk -F'|' '{ printf "%-72s %-16s %s\n", $1, ($2 == "-" ? "not reached" : $2), $3 }'
} | tee "$out/fragment-vs-stress-ng.txt"
