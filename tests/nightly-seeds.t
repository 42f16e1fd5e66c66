#!/bin/bash
# seed000 and the faithful seed003 on their own plan, as the other seeds
# (tests/lib-seeds.sh), but outside the CI tiers (make check-nightly).
# seed000's baseline reproduces in about 4 of 5 repetitions under TCG
# (scenarios/README.md: its fragmentation sometimes falls short of the
# target), so a mitigation's PASS can take 10 rounds.  seed003's guest hung
# once in 26 with one writer (a soft lockup of both CPUs in allocrepro
# tasks, recorded as the outcome hang: an ERROR), not since.
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
seed seed000-atomic-order3-numa.yaml alloc_failure min_free_kbytes=JUDGED
jq -e '[.boots[0].topology] == ["numa2"]' "$r/summary.json" >/dev/null; ok $? "seed000: on numa2"
done_testing
