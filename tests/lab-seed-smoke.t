#!/bin/bash
# One seed scenario in the first tier: seed002 (order-3 atomic failing while
# the free high orders are all in ZONE_MOVABLE) on its own plan, judged as
# tests/lib-seeds.sh says.  Its baseline reproduced 5 of 5 and its
# mitigation 0 of 5 in every run so far (PASS after 5 rounds); the others
# are in lab-seeds.t.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-seeds.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT

seed seed002-atomic-order3-movable.yaml alloc_failure movablecore-10pct=PASS
grep -q "movablecore=10%" "$r"/boots/*movablecore-10pct-rep0/qemu.cmdline; ok $? "seed002: the mitigation booted with movablecore=10%"
grep -q "movablecore=50%" "$r"/boots/*-baseline-rep0/qemu.cmdline; ok $? "seed002: the baseline with movablecore=50%"

# Fresh kernels by restore: one guest saved per machine (the baseline's
# and the mitigation's boot parameters differ), every repetition a copy.
s="$r/summary.json"
jq -e '.plan.templates | length == 2 and all(.made)' "$s" >/dev/null
ok $? "seed002: two saved guests, one per machine"
jq -e '.boots | length > 0 and all(.start == "snapshot" and .restore_s > 0)' "$s" >/dev/null
ok $? "seed002: every repetition restored a copy"
grep -q "allocrepro-guest: ready" "$r"/templates/0/console.log
ok $? "seed002: the saved guest stopped where the scenario starts"
nb=$(jq ".boots | length" "$s")
copies=0 seeds=""
for b in "$r"/boots/*/; do
    # a copy never boots: the boot's last words are in the saved guest's
    # console; its own begins with the restore
    if grep -q "allocrepro-guest: restored" "$b/console.log" &&
       ! grep -q "allocrepro-guest: ready" "$b/console.log" &&
       grep -q "Linux version" "$b/kmsg.txt"; then
        copies=$((copies + 1))
    fi
    seeds+=$(sed -n 's/.*allocrepro-guest: restored (seed \([0-9]*\)).*/\1/p' "$b/console.log")$'\n'
done
[ "$copies" -eq "$nb" ]; ok $? "seed002: $copies of $nb guests are copies that kept the boot's kernel log"
[ "$(printf '%s' "$seeds" | sort -u | grep -c .)" -eq "$nb" ]; ok $? "seed002: each copy got a seed of its own"
done_testing
