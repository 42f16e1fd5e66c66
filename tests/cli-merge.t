#!/bin/bash
# allocrepro merge of real runs (tests/fixtures/runs/): each run kept as it
# was under OUT/runs/<run_id>/, indexed in OUT/merged.json by host, kernel
# and scenario; merging again changes nothing; two runs with one id and
# different content are refused with nothing written; report and compare
# read merged directories (a matrix; run against run of the same scenario,
# host and kernel).
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
F="$TESTS/fixtures/runs"
tree() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum; }

$ALLOCREPRO merge "$F/seed002-6.1" "$F/seed002-6.12" "$F/smoke-6.1" -o "$t/m" > "$t/said"
ok $? "merge three runs: exit 0"
grep -qx "$t/m: 3 runs" "$t/said"; ok $? "says how many runs it holds"
jq -e '.results_format == 1 and (.runs | length) == 3 and
       ([.runs[].kernel_release] | sort) == ["6.1.0-57-amd64", "6.1.0-57-amd64", "6.12.118+deb12-amd64"]
       and all(.runs[]; (.host | length) > 0 and .scenario and .id and .dir == "runs/" + .id)' \
    "$t/m/merged.json" >/dev/null
ok $? "the index names each run's host, kernel and scenario, under runs/<id>"
id=$(jq -r '.runs[] | select(.scenario == "smoke-atomic-order3") | .id' "$t/m/merged.json")
diff -r "$F/smoke-6.1" "$t/m/runs/$id" >/dev/null; ok $? "a run is kept as it was, every file"
[ "$id" = "$(jq -r .run_id "$F/smoke-6.1/manifest.json")" ]; ok $? "its id is its manifest's run_id"
before=$(tree "$t/m")
$ALLOCREPRO merge "$F/seed002-6.1" "$t/m" -o "$t/m" > /dev/null
ok $? "merging a run and the merged directory into itself: exit 0"
[ "$(tree "$t/m")" = "$before" ]; ok $? "merging again changes nothing (idempotent)"

cp -r "$F/smoke-6.1" "$t/forged"
jq '.exit_code = 9' "$F/smoke-6.1/summary.json" > "$t/forged/summary.json"
$ALLOCREPRO merge "$t/forged" -o "$t/m" > /dev/null 2> "$t/err"
ok "$([ $? -eq 2 ] && echo 0 || echo 1)" "another run under an id already merged: exit 2"
grep -q "holds a run with the id $id and different content" "$t/err"; ok $? "says so ($(head -c 120 "$t/err"))"
[ "$(tree "$t/m")" = "$before" ]; ok $? "and wrote nothing"
$ALLOCREPRO merge "$F/smoke-6.1" "$t/forged" -o "$t/m2" > /dev/null 2> "$t/err"
ok "$([ $? -eq 2 ] && echo 0 || echo 1)" "two inputs with one id and different content: exit 2"
[ ! -e "$t/m2" ]; ok $? "nothing written"
mkdir -p "$t/busy" && touch "$t/busy/x"
$ALLOCREPRO merge "$F/smoke-6.1" -o "$t/busy" > /dev/null 2> "$t/err"
ok "$([ $? -eq 2 ] && echo 0 || echo 1)" "into a directory that holds other files: exit 2"
grep -q "holds files and is not a merged directory" "$t/err"; ok $? "says why"
mkdir -p "$t/empty"
$ALLOCREPRO merge "$t/empty" -o "$t/m3" > /dev/null 2> "$t/err"
ok "$([ $? -eq 2 ] && echo 0 || echo 1)" "a directory that is not a results directory: exit 2"
[ ! -e "$t/m3" ]; ok $? "nothing written"

out=$($ALLOCREPRO report "$t/m")
ok $? "report of a merged directory: exit 0"
echo "$out" | grep -q "3 runs (scenario x host x kernel)" &&
    [ "$(echo "$out" | grep -c 'seed002-atomic-order3-movable .* completed  PASS 3')" = 2 ]
ok $? "the matrix lists each run with its verdicts"
$ALLOCREPRO report "$t/m" -o "$t/m.html" > /dev/null && grep -q '<th>kernel</th>' "$t/m.html"
ok $? "and as a page"

$ALLOCREPRO merge "$F/seed002-6.1" -o "$t/old" > /dev/null
$ALLOCREPRO compare "$t/old" "$t/m" > "$t/cmp"
ok $? "compare two merged directories: exit 0 (no regression)"
grep -q '^0 of 1 runs compared regressed' "$t/cmp"; ok $? "the run of the same scenario, host and kernel compared"
[ "$(grep -c '^new, nothing to compare with' "$t/cmp")" = 2 ]; ok $? "the runs new to it listed"
done_testing
