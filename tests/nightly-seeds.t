#!/bin/bash
# seed000 and seed001 on their own plan, as the other seeds
# (tests/lib-seeds.sh), but outside the CI tiers (make check-nightly): their
# baselines race kswapd, kcompactd and the flushers, and reproduced in 4 of
# 5 and 6 of 10 repetitions under TCG (scenarios/README.md), so "baseline
# reproduces" and a mitigation's PASS would fail runs without a defect.
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
