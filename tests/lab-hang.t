#!/bin/bash
# A guest that stops answering is an outcome, not a lost run: the host-side
# timeout kills QEMU and summary.json says "hang", when the guest's whole time
# is up or when no step has ended for a repetition's time.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
# both guests only wait for the host to give up on them: side by side
lab_start never "$TESTS/scenarios/never-ends.yaml" --timeout 1
lab_start stalls "$TESTS/scenarios/stalls.yaml"
lab_wait never
ok $([ $rc -eq 1 ] && echo 0 || echo 1) "a hung guest is a failed run: exit 1 (got $rc)"
[ "$(jq -r .outcome "$r/summary.json")" = hang ]; ok $? "summary outcome is hang"
[ -s "$r/manifest.json" ]; ok $? "what the guest emitted before (manifest) is kept"
! kill -0 "$(cat "$r/qemu.pid" 2>/dev/null || echo 999999)" 2>/dev/null; ok $? "QEMU is gone"
grep -q '^not ok .* never-ends.outcome' "$t/tap"; ok $? "TAP reports the outcome as not ok"
# a guest that stops ending steps is hung long before its total time is up
lab_wait stalls
[ "$(jq -r '.boots[0].outcome' "$r/summary.json")" = hang ]
ok $? "a stalled guest is hung ($(jq -r '.boots[0].outcome' "$r/summary.json"))"
grep -q 'stalls: no step ended for 35 s' "$t/err"; ok $? "after 35 s without a step (timeout_s 5 + 30), not 530 s"
[ "$(jq -s 'map(.kind) | join(",")' "$r/boots/000-main/phases.jsonl")" = '"exec"' ]
ok $? "the step that ended is kept"
done_testing
