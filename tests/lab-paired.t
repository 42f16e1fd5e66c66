#!/bin/bash
# The paired design in the lab.  paired-fork: each round prepares one guest
# up to its fork and saves it there; each arm continues from a copy.  The
# copies of a round print the token the prepared guest wrote into its
# memory and onto its disk before the fork (they are that guest), every
# round draws its own (each prepared guest reseeds the kernel's generator),
# each copy's results begin with the prepared guest's, and the verdict is
# made on the pairs.  seed003's paired variant: drop_caches +
# compact_memory on the state the baseline continues from PASS (every pair
# discordant).
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT

lab_run "$TESTS/scenarios/paired-fork.yaml"
s="$r/summary.json"
ok "$([ "$rc" -eq 1 ] && echo 0 || echo 1)" "paired-fork: exit 1, the arm does not help (got $rc)"
jq -e '.plan.design == "paired" and .plan.rounds_run == 5 and .plan.fork_step == 2' "$s" >/dev/null
ok $? "the plan is paired: 5 rounds, the arms part at step 2"
prepared=$(jq -r '[.boots[] | select(.arm == "(prepared)")] | length' "$s")
[ "$prepared" = 5 ]; ok $? "one prepared guest per round ($prepared)"
jq -e '[.boots[] | select(.arm == "(prepared)") | .outcome] | all(. == "prepared")' "$s" >/dev/null
ok $? "each was saved at its fork"
jq -e '[.boots[] | select(.arm != "(prepared)")] | length == 10 and
       all(.start == "prepared" and .outcome == "completed")' "$s" >/dev/null
ok $? "10 copies, each continued a prepared guest and completed"
jq -e '[.repetitions[] | .prepared] | group_by(.) | map(length) == [2, 2, 2, 2, 2]' "$s" >/dev/null
ok $? "every record names its prepared guest; two records (baseline, arm) per guest"

same=0 distinct=""
for p in $(jq -r '.boots[] | select(.arm == "(prepared)") | .prepared' "$s"); do
    tokens=$(for d in $(jq -r --arg p "$p" '.boots[] | select(.prepared == $p and .arm != "(prepared)")
                                              | .dir' "$s"); do cat "$r/$d/exec-3.log"; done | sort -u)
    # one line "memory U disk U" with the same uuid twice, the same in both copies
    if [ "$(echo "$tokens" | wc -l)" = 1 ] &&
       echo "$tokens" | grep -Eq '^memory ([0-9a-f-]{36}) disk \1$'; then
        same=$((same + 1))
        distinct="$distinct $(echo "$tokens" | awk '{print $2}')"
    else
        echo "# $p: the copies printed: $tokens"
    fi
done
[ "$same" = 5 ]; ok $? "in every round both copies read the token from memory and disk ($same of 5)"
[ "$(echo "$distinct" | tr ' ' '\n' | grep -c .)" = 5 ] &&
    [ "$(echo "$distinct" | tr ' ' '\n' | sort -u | grep -c .)" = 5 ]
ok $? "each round drew its own token (the restored guests reseeded the generator)"

d=$(jq -r '.boots[] | select(.arm == "baseline") | .dir' "$s" | head -1)
p=$(jq -r --arg d "$d" '.boots[] | select(.dir == $d) | .prepared' "$s")
pk="$r/boots/$p/kmsg.txt"
[ -s "$pk" ] && cmp -s -n "$(stat -c %s "$pk")" "$pk" "$r/$d/kmsg.txt"
ok $? "a copy's kernel log begins with its prepared guest's, byte for byte"
! grep -q '"(prepared)"' "$r/$d/phases.jsonl"
ok $? "a copy names the prepared guest's phases after its own arm"
v=$(jq -c '.verdicts[] | select(.id == "paired-fork.mitigation.stat_interval.suppresses")' "$s")
[ "$(echo "$v" | jq -r .status)" = FAIL ]; ok $? "the arm's verdict is FAIL ($(echo "$v" | jq -r .status))"
echo "$v" | jq -e '.measure.design == "paired" and .measure.pairs == 5 and
                   .measure.pairs_baseline_only == 0 and .measure.pairs_mitigation_only == 0' >/dev/null
ok $? "judged on 5 concordant pairs"
echo "$v" | jq -r .reason | grep -q "does not help"; ok $? "because it does not help"

lab_run "$ROOT/scenarios/seed003-order4-kernel-fragmented-paired.yaml"
s="$r/summary.json"
ok "$([ "$rc" -eq 0 ] && echo 0 || echo 1)" "seed003 paired: exit 0 (got $rc)"
v=$(jq -c '.verdicts[] | select(.id | endswith(".mitigation.drop_caches-compact_memory.suppresses"))' "$s")
[ "$(echo "$v" | jq -r .status)" = PASS ]
ok $? "drop_caches + compact_memory PASS on the pairs ($(echo "$v" | jq -r .reason))"
echo "$v" | jq -e '.measure.design == "paired" and .measure.pairs_mitigation_only == 0' >/dev/null
ok $? "no pair where only the mitigation failed"
# the state both arms of a round met: one buddyinfo, taken before the fork
b=$(jq -r '.boots[] | select(.arm == "baseline") | .dir' "$s" | head -1)
p=$(jq -r --arg d "$b" '.boots[] | select(.dir == $d) | .prepared' "$s")
m=$(jq -r --arg p "$p" '.boots[] | select(.prepared == $p and .arm != "baseline"
                                          and .arm != "(prepared)") | .dir' "$s")
cmp -s "$r/$b"/snapshot-buddyinfo.before-prepared-rep*.txt "$r/$m"/snapshot-buddyinfo.before-prepared-rep*.txt
ok $? "both arms of a round hold the same buddyinfo of the state before the actions"
done_testing
