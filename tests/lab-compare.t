#!/bin/bash
# compare, merge and export on two real runs made here: seed002 on
# debian-6.1 and on debian-6.12, 5 repetitions per arm.  What holds
# whatever the kernels do: compare's exit code follows the regressions it
# reports, both kernels are named, every arm's failure counts are rows;
# and the arm known to work (movablecore, PASS in lab-seed-smoke.t)
# against its own run's baseline is a significant regression, exit 1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-seeds.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
S="$ROOT/scenarios/seed002-atomic-order3-movable.yaml"

lab_start a "$S" --kernel debian-6.1 --repeat 5
lab_wait a
ok "$([ "$rc" -le 1 ] && echo 0 || echo 1)" "seed002 on 6.1: ran (exit $rc)"
lab_start b "$S" --kernel debian-6.12 --repeat 5
lab_wait b
ok "$([ "$rc" -le 1 ] && echo 0 || echo 1)" "seed002 on 6.12: ran (exit $rc)"
A="$t/a/res" B="$t/b/res"

$ALLOCREPRO compare "$A" "$B" --json > "$t/c.json"
rc=$?
ok "$([ "$rc" -le 1 ] && echo 0 || echo 1)" "6.1 against 6.12: exit 0 or 1 (got $rc)"
[ "$rc" = "$(jq 'if .regressions > 0 then 1 else 0 end' "$t/c.json")" ]
ok $? "the exit code follows the regressions reported ($(jq .regressions "$t/c.json"))"
jq -e '(.runs[0].kernel_release | startswith("6.1.")) and (.runs[1].kernel_release | startswith("6.12."))' \
    "$t/c.json" >/dev/null
ok $? "the runs are named by their kernels"
jq -e '([.rows[] | select(.kind == "rate") | .label] | sort) ==
       ["baseline: repetitions that reproduced", "movablecore-10pct: repetitions that reproduced"]
       and all(.rows[] | select(.kind == "rate") | .runs[]; .repetitions == 5)' "$t/c.json" >/dev/null
ok $? "each arm's failure counts, 5 repetitions on each kernel"

$ALLOCREPRO compare "$B:movablecore-10pct" "$B" --json > "$t/arm.json"
rc=$?
ok "$([ "$rc" -eq 1 ] && echo 0 || echo 1)" "6.12: the working arm against its baseline is a regression, exit 1 (got $rc)"
jq -e '.rows[0] | .label == "baseline: repetitions that reproduced" and .runs[0].reproduced == 0
       and .runs[1].reproduced == 5 and (.runs[1].p - 2 / 252 | fabs) < 1e-12' "$t/arm.json" >/dev/null
ok $? "0 of 5 against 5 of 5, p = 2/252"

$ALLOCREPRO merge "$A" "$B" -o "$t/m" > /dev/null
ok $? "merge both"
$ALLOCREPRO report "$t/m" | grep -c 'seed002-atomic-order3-movable' | grep -qx 2
ok $? "the merged report lists both kernels' runs"
$ALLOCREPRO export --kcidb "$t/m" | jq -e '(.checkouts | length) == 2 and (.builds | length) == 2' >/dev/null
ok $? "KCIDB: a checkout and a build per kernel"
done_testing
