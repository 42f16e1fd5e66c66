#!/bin/bash
# A requirement the guest lacks: SKIP when the user chose the machine
# (kernel, topology or memory on the command line), an infrastructure
# error when it is the scenario's own machine (the lab is broken).
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
lab_run "$TESTS/scenarios/needs-two-nodes.yaml"
ok $([ $rc -eq 3 ] && echo 0 || echo 1) "the scenario's own machine lacks a requirement: exit 3 (got $rc)"
jq -e '[.verdicts[].status] | length > 0 and all(. == "ERROR")' "$r/summary.json" >/dev/null
ok $? "every verdict is an ERROR"
jq -r '.verdicts[0].reason' "$r/summary.json" | grep -q "own lab machine does not meet its requires"
ok $? "saying the scenario's own machine does not meet its requires"
[ "$(jq '.boots | length' "$r/summary.json")" = 1 ]; ok $? "and no more guests are booted after the first"
lab_run "$TESTS/scenarios/needs-two-nodes.yaml" --topology uma
ok $([ $rc -eq 0 ] && echo 0 || echo 1) "a machine the user chose: exit 0 (got $rc)"
jq -e '[.verdicts[].status] | all(. == "SKIP")' "$r/summary.json" >/dev/null
ok $? "every verdict is a SKIP"
grep -q '# SKIP' "$t/tap"; ok $? "TAP says SKIP"
done_testing
