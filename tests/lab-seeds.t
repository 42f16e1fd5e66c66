#!/bin/bash
# Three of the five seed scenarios, reduced (tests/lib-seeds.sh says how they
# are judged): seed000, seed003, seed004.  seed002 runs in the first tier
# (lab-seed-smoke.t); seed001's baseline does not reproduce reliably yet
# (nightly-seed001.t, make check-nightly).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-seeds.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT

# seed000's baseline failed in 5 of 6 fresh guests (12288 order-3 blocks):
# with 3 repetitions "2 of 3" would miss about one run in ten, with 7 "4 of
# 7" about one in fifty
REPS=7 seed seed000-atomic-order3-numa.yaml alloc_failure min_free_kbytes
jq -e '[.boots[0].topology] == ["numa2"]' "$r/summary.json" >/dev/null; ok $? "seed000: on numa2"
seed seed003-order4-kernel-fragmented.yaml alloc_failure drop_caches-compact_memory
ls "$r"/boots/00-main/snapshot-buddyinfo.before-baseline-rep0.txt \
    "$r"/boots/00-main/snapshot-buddyinfo.after-drop_caches-compact_memory-rep0.txt >/dev/null
ok $? "seed003: buddyinfo before and after the actions"
seed seed004-lowmem-oom-highmem.yaml oom lowmem_reserve_ratio x86_64-kernel
# 6.1's dump lists only the zones the request may use: Normal below min,
# while the system-wide free pages (HighMem) exceed 1 GB
jq -e 'select(.type == "oom" and .mem_summary.free * 4 > 1000000)
       | .zones[] | select(.zone == "Normal" and .free_kb < .min_kb)' "$r/events.jsonl" >/dev/null
ok $? "seed004: OOM with Normal below min and over 1 GB free elsewhere"
jq -e '[.boots[] | select(.arm == "x86_64-kernel") | .release | test("amd64")] == [true]' "$r/summary.json" >/dev/null
ok $? "seed004: the 64-bit arm booted an amd64 kernel"
done_testing
