#!/bin/bash
# The faithful seed003 in the independent design, on its own plan, as the
# other seeds (tests/lib-seeds.sh), but outside the CI tiers (make
# check-nightly): its paired variant judges the same claim on the same
# state in lab-paired.t and make demo.  Its guest hung once in 26 with one
# writer (a soft lockup of both CPUs in allocrepro tasks, recorded as the
# outcome hang: an ERROR), not since.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-seeds.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT

# the write-up's state: small files, most deleted, page cache and partly
# used slab left in every order-4 block; the actions repair it
seed seed003-order4-kernel-fragmented.yaml alloc_failure drop_caches-compact_memory=PASS
jq -s -e '[.[] | select(.kind == "snapshot" and .name == "before") | .unusable_index.DMA32 >= 0.8
           and .like_unusable_index.Normal > 0.99] | length > 0 and all' \
    "$r"/boots/*/phases.jsonl >/dev/null
ok $? "seed003: before the actions the lab is fragmented as the write-up's host (index >= 0.8 at order 4)"
jq -s -e '[.[] | select(.kind == "snapshot" and .name == "after" and .arm != "baseline")
           | .unusable_index.DMA32 <= 0.5 and .like_unusable_index.Normal < 0.5] | length > 0 and all' \
    "$r"/boots/*/phases.jsonl >/dev/null
ok $? "seed003: after drop_caches + compact_memory the high orders are back, as in the write-up"
done_testing
