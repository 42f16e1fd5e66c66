#!/bin/bash
# A guest that dies mid-scenario loses nothing it emitted: kill QEMU with
# SIGKILL once the failure is on the host, and make another guest panic
# with sysrq-c; the events are there and summary.json names the outcome.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null' EXIT

r="$t/killed"
$ALLOCREPRO lab run "$TESTS/scenarios/smoke-then-wait.yaml" --results "$r" > "$t/tap1" 2> "$t/err1" &
pid=$!
for _ in $(seq 1 240); do
    grep -q '"alloc_failure"' "$r/events.jsonl" 2>/dev/null && break
    sleep 0.5
done
grep -q '"alloc_failure"' "$r/events.jsonl" 2>/dev/null
ok $? "the event reached the host while the guest still runs"
kill -KILL "$(cat "$r/qemu.pid")"
wait $pid
rc=$?
pid=
ok $([ $rc -eq 1 ] && echo 0 || echo 1) "a killed guest is a failed run: exit 1 (got $rc)"
[ "$(jq -r .outcome "$r/summary.json")" = killed ]; ok $? "summary outcome is killed"
jq -e 'select(.type == "alloc_failure" and .order == 3)' "$r/events.jsonl" >/dev/null
ok $? "events emitted before the kill are kept"
[ "$(jq -r '.verdicts[] | select(.id == "smoke-then-wait.atomic_order3_failure") | .status' "$r/summary.json")" = PASS ]
ok $? "the host judged the expectation from what reached it"
grep -q '^not ok .* smoke-then-wait.outcome' "$t/tap1"; ok $? "TAP reports the outcome as not ok"

r="$t/panic"
$ALLOCREPRO lab run "$TESTS/scenarios/smoke-then-panic.yaml" --results "$r" > "$t/tap2" 2> "$t/err2"
rc=$?
ok $([ $rc -eq 1 ] && echo 0 || echo 1) "a panicked guest is a failed run: exit 1 (got $rc)"
[ "$(jq -r .outcome "$r/summary.json")" = panic ]; ok $? "summary outcome is panic"
grep -q 'Kernel panic - not syncing' "$r/console.log"; ok $? "the panic is in the console log"
jq -e 'select(.type == "alloc_failure" and .order == 3)' "$r/events.jsonl" >/dev/null
ok $? "events emitted before the panic are kept"
grep -q '"kind":"sysrq"' "$r/phases.jsonl"; ok $? "the phase that triggered it was recorded first"
done_testing
