#!/bin/bash
# A mitigation that hangs its guest: the repetition is recorded with the
# outcome hang and makes the arm's verdict ERROR (not a smaller sample, not
# a FAIL), the arm is not booted again, and the run exits 3.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
lab_run "$TESTS/scenarios/arm-hangs.yaml"
s="$r/summary.json"
ok $([ $rc -eq 3 ] && echo 0 || echo 1) "a hung arm: exit 3 (got $rc)"
v=$(jq -c '.verdicts[] | select(.id == "arm-hangs.mitigation.hangs.suppresses")' "$s")
[ "$(echo "$v" | jq -r .status)" = ERROR ]; ok $? "its verdict is ERROR ($(echo "$v" | jq -r .status))"
echo "$v" | jq -r .reason | grep -q "did not finish"; ok $? "saying its repetition did not finish"
[ "$(echo "$v" | jq .measure.mitigation_unfinished)" = 1 ]; ok $? "one unfinished repetition counted"
jq -e '[.repetitions[] | select(.arm == "hangs") | .outcome] == ["hang"]' "$s" >/dev/null
ok $? "the repetition is in the records with outcome hang"
[ "$(jq '[.boots[] | select(.arm == "hangs")] | length' "$s")" = 1 ]
ok $? "the hung arm is not booted again"
[ "$(jq '[.boots[] | select(.arm == "baseline")] | length' "$s")" = 2 ]
ok $? "the baseline ran both its repetitions"
# its guest never reaches the point where it would be saved: that arm's
# guests boot instead, and the hang is recorded the same way
jq -e '[.plan.templates[] | .made] | sort == [false, true]' "$s" >/dev/null
ok $? "the hung arm's machine could not be saved, the baseline's was"
jq -e '[.boots[] | select(.arm == "hangs") | .start] == ["boot"]' "$s" >/dev/null
ok $? "the hung arm's guest booted instead"
grep -q '^not ok .*arm-hangs.mitigation.hangs.suppresses' "$t/tap"; ok $? "TAP: not ok"
done_testing
