#!/bin/bash
# make upgrade-demo: validate a kernel upgrade, debian-6.1 (A, the
# baseline) against debian-6.12 (B): the seed scenarios on both kernels
# with a fixed, reduced number of repetitions, then compare (a table per
# scenario and one JSON), merge and report.  seed004 is left out: its
# baseline needs the 32-bit PAE kernel, which only 6.1 has here.
# usage: ci/upgrade-demo.sh ALLOCREPRO RUNS_DIR [REPS]
set -u
bin=$1 runs=$2 reps=${3:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
scenarios="seed000-atomic-order3-numa seed001-atomic-order1-softirq-numa
    seed002-atomic-order3-movable seed003-order4-kernel-fragmented-paired
    seed003-order4-kernel-pinned"
rm -rf "$runs"
mkdir -p "$runs/debian-6.1" "$runs/debian-6.12"
start=$(date +%s)
for name in $scenarios; do
    for k in debian-6.1 debian-6.12; do
        "$bin" lab run "$here/scenarios/$name.yaml" --kernel "$k" --repeat "$reps" \
            --results "$runs/$k/$name" > "$runs/$k/$name.tap" 2> "$runs/$k/$name.log"
        echo "$name on $k: exit $? ($(( $(date +%s) - start )) s so far)" >&2
    done
done
worst=0
: > "$runs/compare.txt"
for name in $scenarios; do
    "$bin" compare "$runs/debian-6.1/$name" "$runs/debian-6.12/$name" \
        --html "$runs/compare-$name.html" >> "$runs/compare.txt"
    rc=$?
    [ "$rc" -gt "$worst" ] && worst=$rc
    echo >> "$runs/compare.txt"
done
for k in debian-6.1 debian-6.12; do
    "$bin" merge "$runs/$k"/seed00* -o "$runs/merged-$k" > /dev/null
done
"$bin" report "$runs/merged-debian-6.12" -o "$runs/report.html" > /dev/null
cat "$runs/compare.txt"
echo "total: $(( $(date +%s) - start )) s; compare pages $runs/compare-*.html, runs in $runs/debian-6.1*/"
exit "$worst"
