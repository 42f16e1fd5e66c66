#!/bin/bash
# A kernel that dies before the guest program begins is booted again, up
# to three times, and each failed boot's console is kept: once as the
# template the arm would be saved from, once as the arm's own guest.  One
# that never comes up is the arm's ERROR and the run's exit 3, as before.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
lab_run "$TESTS/scenarios/arm-cannot-boot.yaml"
s="$r/summary.json"
ok $([ $rc -eq 3 ] && echo 0 || echo 1) "an arm that cannot boot: exit 3 (got $rc)"
v=$(jq -r '.verdicts[] | select(.id == "arm-cannot-boot.mitigation.noinit.suppresses") | .status' "$s")
[ "$v" = ERROR ]; ok $? "its verdict is ERROR ($v)"
b=$(jq -c '[.boots[] | select(.arm == "noinit")]' "$s")
[ "$(echo "$b" | jq length)" = 1 ]; ok $? "the arm's guest is one boot record ($(echo "$b" | jq length))"
[ "$(echo "$b" | jq -r '.[0].boot_attempts')" = 3 ]
ok $? "booted three times ($(echo "$b" | jq -r '.[0].boot_attempts'))"
[ "$(echo "$b" | jq -r '.[0].outcome')" = panic ]; ok $? "its outcome is the panic"
d=$(ls -d "$r"/boots/*-noinit* | head -n 1)
for f in console.boot-1.log console.boot-2.log console.log; do
    grep -q 'Kernel panic - not syncing' "$d/$f" 2>/dev/null
    ok $? "the attempt's console $f says why: the kernel's panic"
done
grep -c 'booting again, attempt' "$t/err" | grep -qx 4
ok $? "each boot again is said on stderr (template and guest: 4 lines)"
jq -e '[.plan.templates[] | select(.made == false) | .boot_attempts] == [3]' "$s" >/dev/null
ok $? "the arm's template was booted three times too, then not made"
jq -e '[.boots[] | select(.arm == "baseline") | has("boot_attempts")] == [false, false]' "$s" >/dev/null
ok $? "the baseline's guests came up at once: no attempts recorded"
done_testing
