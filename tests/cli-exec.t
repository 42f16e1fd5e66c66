#!/bin/bash
# exec steps, natively on this machine (--destructive stands in for a lab
# mark): the exit status is a verdict, the output lands in exec-N.log.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
printf 'name: ex\nsteps:\n  - exec: "echo hello from $ALLOCREPRO_KMOD"\n  - exec: "exit 3"\n' > "$t/ex.yaml"
$ALLOCREPRO run "$t/ex.yaml" --destructive --kmod /nonexistent.ko --results "$t/r" > "$t/tap" 2>"$t/err"
rc=$?
ok $([ $rc -eq 1 ] && echo 0 || echo 1) "a failing exec step fails the run (exit 1, got $rc)"
grep -q '^ok 1 - ex.step0_exec' "$t/tap"; ok $? "exit 0: ok in TAP"
grep -q '^not ok 2 - ex.step1_exec' "$t/tap"; ok $? "exit 3: not ok in TAP"
[ "$(jq '.verdicts[] | select(.id == "ex.step1_exec") | .measure.exit_status' "$t/r/summary.json")" = 3 ]
ok $? "the exit status is the verdict's measure"
grep -qx 'hello from /nonexistent.ko' "$t/r/exec-0.log"; ok $? "output in exec-0.log, module path in the environment"
[ "$(jq -r '.phases[1].outcome' "$t/r/summary.json")" = failed ]; ok $? "the phase outcome is failed"
$ALLOCREPRO run "$t/ex.yaml" --destructive --repeat 2 --kmod /nonexistent.ko --results "$t/r" > "$t/tap" 2>"$t/err"
[ "$(grep -c hello "$t/r/exec-0.log")" = 1 ] && [ "$(grep -c hello "$t/r/exec-3.log")" = 1 ]
ok $? "a second run into the same directory replaces the first's files (phase 2 ends repetition 0)"
grep -q '^not ok 4 - ex.step1_exec.rep1' "$t/tap"; ok $? "repetitions have their own verdict ids"
done_testing
