#!/bin/bash
# The helper module refuses a request that would sleep in atomic context
# with -EINVAL: the run reports an error (exit 3), the guest does not crash.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
lab_run "$TESTS/scenarios/kmod-refused.yaml"
ok $([ $rc -eq 3 ] && echo 0 || echo 1) "refused probe: exit 3 (got $rc)"
[ "$(jq -r '.phases[] | select(.kind == "probe") | .error' "$r/summary.json")" = "Invalid argument" ]
ok $? "the probe phase records EINVAL"
grep -aq 'allocrepro_helper: refused: gfp 0xcc0 may sleep, context softirq is atomic' "$r/kmsg.txt"
ok $? "the module says why in the kernel log"
[ "$(jq -r .outcome "$r/summary.json")" = completed ]; ok $? "the guest completed (no crash)"
! grep -aE 'BUG:|Oops|WARNING:' "$r/kmsg.txt" >/dev/null; ok $? "no BUG, Oops or WARNING"
done_testing
