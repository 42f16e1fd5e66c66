#!/bin/bash
# The five seed scenarios, reduced to 3 repetitions per arm, on their default
# lab settings: the baseline must reproduce the seed's failure from the
# kernel's own log; every mitigation arm must be judged (PASS or FAIL with
# its p-value and effect size: a mitigation that does not help is reported,
# not hidden); the exit code follows the verdicts.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT

seed() {  # scenario, event type, arms...
    local f=$1 type=$2 name
    shift 2
    name=$(basename "$f" .yaml)
    lab_run "$ROOT/scenarios/$f" --repeat 3
    s="$r/summary.json"
    ok $([ $rc -le 1 ] && echo 0 || echo 1) "$name: ran (exit $rc: 0 or 1, by the verdicts)"
    want=$(jq -r '[.verdicts[] | select(.status != "PASS" and .status != "SKIP")] | if length == 0 then 0 else 1 end' "$s")
    [ "$rc" = "$want" ]; ok $? "$name: exit code $rc follows the verdicts"
    jq -e ".verdicts[] | select(.id == \"$name.baseline.reproduces\" and .status == \"PASS\")" "$s" >/dev/null
    ok $? "$name: baseline reproduces ($(jq -r "[.verdicts[] | select(.id == \"$name.baseline.reproduces\") | .measure | \"\(.baseline_failed)/\(.baseline_repetitions)\"] | first" "$s"))"
    for arm in "$@"; do
        v=$(jq -c ".verdicts[] | select(.id == \"$name.mitigation.$arm.suppresses\")" "$s")
        echo "$v" | jq -e '(.status == "PASS" or .status == "FAIL") and (.measure.p_value | type) == "number" and .measure.mitigation_repetitions == 3' >/dev/null
        ok $? "$name: mitigation $arm judged: $(echo "$v" | jq -r '"\(.status) \(.measure.mitigation_failed)/\(.measure.mitigation_repetitions) p=\(.measure.p_value)"')"
    done
    jq -e "select(.type == \"$type\" and (.kernel | length) > 0)" "$r/events.jsonl" >/dev/null 2>&1
    ok $? "$name: events.jsonl holds the kernel's $type reports"
    [ "$(jq -r '[.boots[] | select(.outcome != "completed")] | length' "$s")" = 0 ]
    ok $? "$name: every guest completed"
}

seed seed000-atomic-order3-numa.yaml alloc_failure min_free_kbytes
jq -e '[.boots[0].topology] == ["numa2"]' "$r/summary.json" >/dev/null; ok $? "seed000: on numa2"
seed seed001-atomic-order1-softirq-numa.yaml alloc_failure zone_reclaim_mode min_free_kbytes
jq -e 'select(.type == "alloc_failure" and .order == 1)' "$r/events.jsonl" >/dev/null
ok $? "seed001: the kernel reported order-1 failures"
jq -e '[.verdicts[] | select(.id | test("baseline.reproduces")) | .measure.baseline_probe_failures > 0] == [true]' \
    "$r/summary.json" >/dev/null
ok $? "seed001: the module counted failed atomic allocations"
seed seed002-atomic-order3-movable.yaml alloc_failure movablecore-10pct
grep -q "movablecore=10%" "$r"/boots/*movablecore-10pct/qemu.cmdline; ok $? "seed002: the mitigation booted with movablecore=10%"
grep -q "movablecore=50%" "$r"/boots/00-main/qemu.cmdline; ok $? "seed002: the baseline with movablecore=50%"
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
