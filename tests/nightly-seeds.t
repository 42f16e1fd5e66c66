#!/bin/bash
# seed000 and seed001 reduced, as the other seeds (tests/lib-seeds.sh), but
# outside the CI tiers (make check-nightly): under TCG their baselines
# reproduce in about half of the repetitions, so "baseline reproduces" (2 of
# 3) fails a run without a defect as often as not.  Measured 2026-11-29 with
# a fresh guest per repetition: seed000 2/3, 1/3, 2/3 at its 8192 order-3
# blocks, and 3/3, 2/3, 3/7 at 12288 (one repetition had reproduced with a
# single failure in 8192); seed001 1/3 in one guest, 2/3, and 1/3 asking
# 640 MiB instead of 512.  Whether kswapd, kcompactd and the flushers keep
# up with the bursts decides it; making that reliable is issue 13's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-seeds.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT

seed seed000-atomic-order3-numa.yaml alloc_failure min_free_kbytes=JUDGED
jq -e '[.boots[0].topology] == ["numa2"]' "$r/summary.json" >/dev/null; ok $? "seed000: on numa2"
# atomic allocations may not reclaim: zone_reclaim_mode cannot help them
seed seed001-atomic-order1-softirq-numa.yaml alloc_failure zone_reclaim_mode=NOT_PASS min_free_kbytes=JUDGED
jq -e 'select(.type == "alloc_failure" and .order == 1)' "$r/events.jsonl" >/dev/null
ok $? "seed001: the kernel reported order-1 failures"
jq -e '[.verdicts[] | select(.id | test("baseline.reproduces")) | .measure.baseline_probe_failures > 0] == [true]' \
    "$r/summary.json" >/dev/null
ok $? "seed001: the module counted failed atomic allocations"
done_testing
