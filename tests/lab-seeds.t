#!/bin/bash
# Four of the five seed scenarios, reduced (tests/lib-seeds.sh says how they
# are judged); seed002 runs in the first tier, lab-seed-smoke.t.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-seeds.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT

seed seed000-atomic-order3-numa.yaml alloc_failure min_free_kbytes
jq -e '[.boots[0].topology] == ["numa2"]' "$r/summary.json" >/dev/null; ok $? "seed000: on numa2"
seed seed001-atomic-order1-softirq-numa.yaml alloc_failure zone_reclaim_mode min_free_kbytes
jq -e 'select(.type == "alloc_failure" and .order == 1)' "$r/events.jsonl" >/dev/null
ok $? "seed001: the kernel reported order-1 failures"
jq -e '[.verdicts[] | select(.id | test("baseline.reproduces")) | .measure.baseline_probe_failures > 0] == [true]' \
    "$r/summary.json" >/dev/null
ok $? "seed001: the module counted failed atomic allocations"
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
