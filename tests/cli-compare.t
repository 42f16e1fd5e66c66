#!/bin/bash
# allocrepro compare on real lab runs (tests/fixtures/runs/): seed002 on
# 6.1 against 6.12; a real significant difference (a run's baseline
# against the same scenario's working mitigation arm, DIR:ARM) and the
# exit code CI gates on; the JSON and the HTML page; refusals.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
F="$TESTS/fixtures/runs"

$ALLOCREPRO compare "$F/seed002-6.1" "$F/seed002-6.12" > "$t/out"
ok $? "6.1 against 6.12: exit 0, no regression"
grep -q "A  $F/seed002-6.1 (debian-6.1 6.1.0-57-amd64)  (the baseline)" "$t/out" &&
    grep -q "B  $F/seed002-6.12 (debian-6.12 6.12.118+deb12-amd64)" "$t/out"
ok $? "names the runs by directory and kernel"
grep -Eq '^  baseline: repetitions that reproduced +3/3 \[29-100%\] +3/3 \[29-100%\] \+0pp' "$t/out"
ok $? "the baseline's failure counts side by side, with their 95% intervals"
grep -Eq '^  report alloc_failure order 3 GFP_ATOMIC\|__GFP_COMP: fragmented +3 +3 \(1.00x\)' "$t/out"
ok $? "the kernel's reports by type, order, flags and the cause diagnosed"
grep -Eq '^geometric mean of the measured values, B against A: [0-9.]+x' "$t/out"; ok $? "a geometric mean"
grep -q '^0 regressions, 0 improvements' "$t/out"; ok $? "no regression, no improvement"

r5="$F/seed002-6.1-r5"
$ALLOCREPRO compare "$r5:movablecore-10pct" "$r5" --json > "$t/reg.json"
rc=$?
ok "$([ "$rc" -eq 1 ] && echo 0 || echo 1)" "the arm that works against the baseline: a regression, exit 1 (got $rc)"
jq -e '.regressions == 1 and (.rows[0] | .label == "baseline: repetitions that reproduced"
       and .change == "regressions" and .runs[0].reproduced == 0 and .runs[1].reproduced == 5
       and (.runs[1].rate_ci95[0] - 0.4782 | fabs) < 1e-4
       and .runs[1].change == "regression" and (.runs[1].p - 2 / 252 | fabs) < 1e-12)' \
    "$t/reg.json" >/dev/null
ok $? "first row: 0/5 against 5/5, Fisher two-sided p = 2/252 (SciPy's), marked a regression"
$ALLOCREPRO compare "$r5:movablecore-10pct" "$r5" | grep -Eq '0/5 \[0-52%\] +5/5 \[48-100%\] \*\+100pp\*'
ok $? "the table marks it inline (*+100pp*)"
$ALLOCREPRO compare "$r5" "$r5:movablecore-10pct" > "$t/imp"
ok $? "the other way: an improvement, exit 0"
grep -q '^0 regressions, 1 improvement' "$t/imp"; ok $? "counted as an improvement"

$ALLOCREPRO compare "$F/seed002-6.1" "$F/seed002-6.12" --html "$t/c.html" > /dev/null
ok $? "--html: exit 0"
[ "$(grep -c '<svg' "$t/c.html")" = 2 ]; ok $? "the page overlays the runs in two plots"
/usr/bin/python3 -c 'import html5lib, sys; html5lib.HTMLParser(strict=True).parse(open(sys.argv[1]).read())' \
    "$t/c.html"
ok $? "the page is strict HTML5"

bad() {  # name, message regex, args...
    local name=$1 re=$2
    shift 2
    $ALLOCREPRO compare "$@" > /dev/null 2> "$t/err"
    rc=$?
    ok "$([ "$rc" -eq 2 ] && echo 0 || echo 1)" "$name: exit 2 (got $rc)"
    grep -Eq "$re" "$t/err"; ok $? "$name: says '$re' ($(head -c 160 "$t/err"))"
}
bad "different scenarios" "ran smoke-atomic-order3 .* and .* ran seed002-atomic-order3-movable .*different scenarios are not compared \(--force" \
    "$F/smoke-6.1" "$F/seed002-6.1"
$ALLOCREPRO compare "$F/smoke-6.1" "$F/seed002-6.1" --force > /dev/null
ok "$([ $? -le 1 ] && echo 0 || echo 1)" "--force compares them anyway"
bad "one run" "a baseline and 1 to 7 candidates" "$F/seed002-6.1"
bad "an arm the run lacks" "seed002-6.1:nosuch: the run has no repetition of arm 'nosuch'" \
    "$F/seed002-6.1:nosuch" "$F/seed002-6.12"
bad "not a results directory" "$t/none: No such file" "$F/seed002-6.1" "$t/none"
cp -r "$F/seed002-6.12" "$t/killed" && rm "$t/killed/summary.json"
bad "a killed run" "killed/summary.json: missing" "$F/seed002-6.1" "$t/killed"
done_testing
