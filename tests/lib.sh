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
    rm -rf "$r"	# a run refused at the door must not leave the last one's files
    $ALLOCREPRO lab run "$@" --results "$r" > "$t/tap" 2> "$t/err"
    rc=$?
    lab_said "$t/err" "$*"
}
# A failed run says why in the test's own output (CI shows only that).
lab_said() {  # stderr file, what ran; uses $rc and $r
    if [ $rc -ne 0 ]; then
        echo "# lab run $2 exited $rc; its stderr ends with:"
        tail -n 25 "$1" | sed 's/^/#   /'
        [ -f "$r/summary.json" ] && echo "# outcome: $(jq -c '[.outcome, .exit_code]' "$r/summary.json")"
        # a panic or hang is explained by the guest's console, not by us:
        # that of every boot that did not complete (boots/* for arms)
        local d
        for d in "$r" "$r"/boots/*; do
            [ -f "$d/console.log" ] || continue
            # a paired design's prepared guest is saved at its fork, not ended
            jq -e --arg d "${d#"$r"/}" '.boots[]? | select(.dir == $d and .outcome == "prepared")' \
                "$r/summary.json" >/dev/null 2>&1 && continue
            # a hung boot has no summary of its own: not completed either
            grep -aqE 'Kernel panic|BUG:|Oops|RIP:' "$d/console.log" ||
                ! jq -e '.outcome == "completed"' "$d/summary.json" >/dev/null 2>&1 || continue
            echo "# ${d#"$r"/}: the guest's console ends with:"
            tail -n 40 "$d/console.log" | sed 's/^/#   /'
        done
    fi
    return 0
}
# Guests that mostly wait (warn_alloc's 10 s rate limit) run side by side:
# lab_start NAME SCENARIO [ARGS...] boots in the background into $t/NAME;
# lab_wait NAME then sets $r, $rc and the files as lab_run does.
lab_start() {
    local name=$1
    shift
    mkdir -p "$t/$name"
    echo "$*" > "$t/$name/args"
    ( $ALLOCREPRO lab run "$@" --results "$t/$name/res" > "$t/$name/tap" 2> "$t/$name/err"
      echo $? > "$t/$name/rc" ) &
    echo $! > "$t/$name/pid"
}
lab_wait() {
    local name=$1
    wait "$(cat "$t/$name/pid")"
    r="$t/$name/res" rc=$(cat "$t/$name/rc" 2>/dev/null || echo 125)
    cp "$t/$name/tap" "$t/tap"; cp "$t/$name/err" "$t/err"
    lab_said "$t/err" "$(cat "$t/$name/args")"
}
