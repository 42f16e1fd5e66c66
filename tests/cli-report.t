#!/bin/bash
# allocrepro report on real lab runs (tests/fixtures/runs/, README there):
# the terminal summary and the HTML page of a single run and of a
# statistical one; and what it does with bad input: a directory that is
# not a results directory, a run killed before its summary, a truncated
# file, a newer format: exit 2, saying which file, nothing written.  A run
# that did not complete is reported as partial.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
F="$TESTS/fixtures/runs"

out=$($ALLOCREPRO report "$F/smoke-6.1")
ok $? "report of a run: exit 0"
echo "$out" | grep -q '^smoke-atomic-order3: completed, exit code 0'; ok $? "names the scenario and its outcome"
echo "$out" | grep -q 'PASS .*smoke-atomic-order3.atomic_order3_failure'; ok $? "lists the verdicts"
echo "$out" | grep -q 'alloc_failure order 3 GFP_ATOMIC x1: fragmented'
ok $? "diagnoses the kernel's report as explain does (fragmented)"
$ALLOCREPRO report "$F/smoke-6.1" -o "$t/smoke.html" > "$t/said"
ok $? "report -o: exit 0"
[ "$(cat "$t/said")" = "$t/smoke.html" ]; ok $? "says where the page is"
grep -c '<svg' "$t/smoke.html" | grep -qx 5; ok $? "five plots: free, orders, unusable index, the module, reclaim"
grep -q 'Unusable free space index at order 3' "$t/smoke.html"; ok $? "the index at the probe's order"
grep -q 'Cause <strong>fragmented</strong>' "$t/smoke.html"; ok $? "the diagnosis on the page"
grep -q '<th>settings</th>' "$t/smoke.html" && grep -q '6.1.0-57-amd64' "$t/smoke.html"
ok $? "the machine, the kernel and the settings"

s="$F/seed002-6.1"
$ALLOCREPRO report "$s" -o "$t/stat.html" >/dev/null; ok $? "report of a statistical lab run: exit 0"
grep -q 'Failed attempts of the helper module in each repetition' "$t/stat.html"
ok $? "its repetitions, plotted"
grep -q 'movablecore-10pct.suppresses' "$t/stat.html" && grep -q 'baseline_rate_ci95' "$t/stat.html"
ok $? "the arm's verdict with its intervals"
[ "$(grep -c '<h3>baseline: guest\|<h3>movablecore-10pct: guest' "$t/stat.html")" = 2 ]
ok $? "the first guest of each arm plotted"
$ALLOCREPRO report "$s" | grep -q 'baseline 3/3, mitigation 0/3'; ok $? "terminal: the failure counts of both arms"

bad() {  # name, directory, regex of the message
    rm -f "$t/bad.html"
    $ALLOCREPRO report "$2" -o "$t/bad.html" > /dev/null 2> "$t/err"
    rc=$?
    ok "$([ "$rc" -eq 2 ] && echo 0 || echo 1)" "$1: exit 2 (got $rc)"
    grep -Eq "$3" "$t/err"; ok $? "$1: says '$3' ($(head -c 160 "$t/err"))"
    [ ! -e "$t/bad.html" ] && ! ls "$t"/bad.html.tmp.* >/dev/null 2>&1; ok $? "$1: nothing written"
}
bad "no such directory" "$t/nothing" "$t/nothing: No such file"
mkdir -p "$t/empty"
bad "not a results directory" "$t/empty" "$t/empty/manifest.json: missing: not a results directory"
cp -r "$F/smoke-6.1" "$t/killed" && rm "$t/killed/summary.json"
bad "a run killed before its end" "$t/killed" "$t/killed/summary.json: missing .*killed before its end"
cp -r "$F/smoke-6.1" "$t/cut" && head -c 700 "$F/smoke-6.1/summary.json" > "$t/cut/summary.json"
bad "a truncated summary" "$t/cut" "$t/cut/summary.json: not a JSON object .*truncated"
cp -r "$F/smoke-6.1" "$t/cutl" && head -c 3000 "$F/smoke-6.1/samples.jsonl" > "$t/cutl/samples.jsonl"
bad "a truncated line" "$t/cutl" "$t/cutl/samples.jsonl:[0-9]+: not a JSON object"
cp -r "$F/smoke-6.1" "$t/newer" && jq '.results_format = 7' "$F/smoke-6.1/summary.json" > "$t/newer/summary.json"
bad "a newer format" "$t/newer" "summary.json: results_format 7: written by a newer allocrepro"
$ALLOCREPRO report "$F/smoke-6.1" -o "$t/no/such/dir/x.html" > /dev/null 2> "$t/err"
ok "$([ $? -eq 2 ] && echo 0 || echo 1)" "-o into a directory that does not exist: exit 2"
$ALLOCREPRO report > /dev/null 2>&1; ok "$([ $? -eq 2 ] && echo 0 || echo 1)" "no directory: exit 2"

cp -r "$F/smoke-6.1" "$t/partial" && jq '.outcome = "hang"' "$F/smoke-6.1/summary.json" > "$t/partial/summary.json"
$ALLOCREPRO report "$t/partial" | grep -q 'did not complete: what follows is partial'
ok $? "a run that did not complete: the summary says partial"
$ALLOCREPRO report "$t/partial" -o "$t/partial.html" > /dev/null && grep -q 'class="partial"' "$t/partial.html"
ok $? "and so does the page"
done_testing
