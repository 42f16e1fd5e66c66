#!/bin/bash
# The libFuzzer target over every parser and the model, for a bounded time,
# starting from the real logs (seed cases, lab capture, era excerpts, /proc).
. "$(dirname "$0")/lib.sh"
BUILD=${BUILD:-$ROOT/build}
SEEDLOGS=${SEEDLOGS:-$TESTS/fixtures/seed-logs}
fuzzer=$(cd "$BUILD" && pwd)/fuzz/fuzz_parsers
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
[ -x "$fuzzer" ]; ok $? "fuzz target built ($fuzzer)"
mkdir -p "$t/corpus"
cp "$SEEDLOGS"/* "$TESTS"/fixtures/explain/* "$TESTS"/fixtures/*.txt "$TESTS"/fixtures/*.kmsg \
    "$TESTS"/fixtures/stress-ng/*.yaml "$t/corpus/"
(cd "$t" && "$fuzzer" -max_total_time="${FUZZ_SECONDS:-30}" -max_len=65536 -timeout=5 \
    -rss_limit_mb=2048 corpus > log 2>&1)
rc=$?
ok $rc "no crash, hang, leak or UB in ${FUZZ_SECONDS:-30} s of fuzzing"
[ $rc -eq 0 ] || { grep -E "ERROR|runtime error|SUMMARY" "$t/log" | head -5 | sed 's/^/# /'; cp "$t"/crash-* "$t"/timeout-* /tmp/ 2>/dev/null; }
runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$t/log")
[ "${runs:-0}" -gt 1000 ]; ok $? "the fuzzer really ran (${runs:-0} inputs)"
done_testing
