#!/bin/bash
# Settings a scenario changes: --dry-run shows them and changes nothing; a
# machine not marked as a lab refuses them without --destructive; an unknown
# arm is a usage error; a requirement the machine lacks makes every verdict
# a SKIP (exit 0) without touching anything.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
export ALLOCREPRO_STATE_DIR="$t/state"
S="$ROOT/scenarios/native-hugetlb.yaml"
before=$(cat /proc/sys/vm/compaction_proactiveness /proc/sys/vm/min_free_kbytes /proc/sys/vm/nr_hugepages)

(cd "$t" && ALLOCREPRO_LAB=0 $ALLOCREPRO run "$S" --dry-run > "$t/plan" 2>&1)
ok $? "--dry-run: exit 0"
grep -q "would set vm.min_free_kbytes = 524288 (now $(cat /proc/sys/vm/min_free_kbytes))" "$t/plan"
ok $? "--dry-run names the sysctl, its new and its current value"
grep -q "would write /proc/sys/vm/compact_memory" "$t/plan"; ok $? "--dry-run lists the actions"
grep -q "would raise vm.nr_hugepages by 1024" "$t/plan"; ok $? "--dry-run lists the huge pages"
grep -q "not a lab machine" "$t/plan"; ok $? "--dry-run says a real run would need --destructive"
[ ! -e "$t/state" ] && [ ! -e "$t/runs" ]; ok $? "--dry-run: no journal, no results"

ALLOCREPRO_LAB=0 $ALLOCREPRO run "$S" --results "$t/r" 2> "$t/err"
ok $([ $? -eq 2 ] && echo 0 || echo 1) "settings on a machine not marked as a lab: exit 2"
grep -q "changes sysctls .*not marked as a lab.*--destructive" "$t/err"; ok $? "the refusal says why and how"
[ ! -e "$t/r" ] && [ ! -e "$t/state" ]; ok $? "refused: nothing written"

ALLOCREPRO_LAB=1 $ALLOCREPRO run "$S" --arm nosuch --results "$t/r" 2> "$t/err"
ok $([ $? -eq 2 ] && echo 0 || echo 1) "--arm nosuch: exit 2"
grep -q "has no arm 'nosuch'" "$t/err"; ok $? "--arm nosuch: says so"

# HighMem exists only on 32-bit kernels: this x86_64 machine lacks it
sed 's/^sysctls:/requires:\n  zone: HighMem\nsysctls:/' "$S" > "$t/hm.yaml"
ALLOCREPRO_LAB=1 $ALLOCREPRO run "$t/hm.yaml" --results "$t/skip" > "$t/tap" 2> "$t/err"
ok $? "requirement unmet: exit 0"
[ "$(grep -c '# SKIP needs a HighMem zone' "$t/tap")" -eq 3 ]; ok $? "all three verdicts SKIP with the reason"
jq -e '.outcome == "skipped" and (.phases | length) == 0' "$t/skip/summary.json" >/dev/null
ok $? "summary: outcome skipped, no phase run"
after=$(cat /proc/sys/vm/compaction_proactiveness /proc/sys/vm/min_free_kbytes /proc/sys/vm/nr_hugepages)
[ "$before" = "$after" ]; ok $? "no sysctl changed by any of these"
done_testing
