# Shared helpers of the shell tests: TAP output and the binary under test.
ALLOCREPRO=${ALLOCREPRO:-$(cd "$(dirname "$0")/.." && pwd)/build/asan/allocrepro}
TESTS=${TESTS:-$(cd "$(dirname "$0")" && pwd)}
ROOT=$(cd "$TESTS/.." && pwd)
n=0
failed=0
ok() {
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
done_testing() { echo "1..$n"; [ "$failed" -eq 0 ]; }
tmpdir() { mktemp -d "${TMPDIR:-/tmp}/allocrepro-test.XXXXXX"; }
# lab_run SCENARIO [ARGS...]: boot it into $t/res; TAP in $t/tap, stderr in $t/err,
# exit code in $rc.  The caller creates $t.
lab_run() {
    r="$t/res"
    $ALLOCREPRO lab run "$@" --results "$r" > "$t/tap" 2> "$t/err"
    rc=$?
    # A failed run says why in the test's own output (CI shows only that).
    if [ $rc -ne 0 ]; then
        echo "# lab run $* exited $rc; its stderr ends with:"
        tail -n 25 "$t/err" | sed 's/^/#   /'
        [ -f "$r/summary.json" ] && echo "# outcome: $(jq -c '[.outcome, .exit_code]' "$r/summary.json")"
    fi
    return 0
}
