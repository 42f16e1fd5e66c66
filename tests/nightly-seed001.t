#!/bin/bash
# seed001 reduced, as the other seeds (tests/lib-seeds.sh), but outside the
# CI tiers (make check-nightly): its baseline reproduces in about half of
# its repetitions under TCG (1 of 3 in one guest, 2 of 3 and 1 of 3 with a
# fresh guest per repetition, 640 MiB asked instead of 512: measured
# 2026-11-29), so "baseline reproduces" (2 of 3) fails a run without a
# defect as often as not.  Whether kswapd and the flushers keep up with the
# order-1 bursts decides it; making that reliable is issue 13's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-seeds.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT

seed seed001-atomic-order1-softirq-numa.yaml alloc_failure zone_reclaim_mode min_free_kbytes
jq -e 'select(.type == "alloc_failure" and .order == 1)' "$r/events.jsonl" >/dev/null
ok $? "seed001: the kernel reported order-1 failures"
jq -e '[.verdicts[] | select(.id | test("baseline.reproduces")) | .measure.baseline_probe_failures > 0] == [true]' \
    "$r/summary.json" >/dev/null
ok $? "seed001: the module counted failed atomic allocations"
done_testing
