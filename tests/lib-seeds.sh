# The seed scenarios in the lab on their own plan (each says: at most 10
# repetitions per arm, judged after 5 and 10; REPS=N runs a fixed N
# instead), each repetition in a fresh guest, on their default lab
# settings (sourced by lab-seed-smoke.t, lab-seeds.t and nightly-seeds.t):
# the baseline must reproduce the seed's failure from the kernel's own log;
# every mitigation arm must be judged with its intervals and p-values, and
# an arm known to work here must PASS while one known not to must not; the
# exit code follows the verdicts.
# shellcheck shell=bash

# The exit code the verdicts call for (harness/util: exit_worst).
want_code() {
    jq -r '[.verdicts[].status] as $s
           | if ($s | index("ERROR")) then 3 elif ($s | index("FAIL")) then 1
             elif ($s | index("INCONCLUSIVE")) then 4 else 0 end' "$1"
}

seed() {  # scenario, event type, arm=PASS|NOT_PASS|JUDGED...
    local f=$1 type=$2 name spec arm want v
    shift 2
    name=$(basename "$f" .yaml)
    # shellcheck disable=SC2086
    lab_run "$ROOT/scenarios/$f" ${REPS:+--repeat $REPS}
    s="$r/summary.json"
    ok $(case $rc in 0|1|4) echo 0 ;; *) echo 1 ;; esac) "$name: ran (exit $rc: 0, 1 or 4, by the verdicts)"
    [ "$rc" = "$(want_code "$s")" ]; ok $? "$name: exit code $rc follows the verdicts"
    jq -e ".verdicts[] | select(.id == \"$name.baseline.reproduces\" and .status == \"PASS\")" "$s" >/dev/null
    ok $? "$name: baseline reproduces ($(jq -r "[.verdicts[] | select(.id == \"$name.baseline.reproduces\") | .measure | \"\(.baseline_failed)/\(.baseline_repetitions)\"] | first" "$s"))"
    for spec in "$@"; do
        arm=${spec%=*} want=${spec#*=}
        v=$(jq -c ".verdicts[] | select(.id == \"$name.mitigation.$arm.suppresses\")" "$s")
        echo "$v" | jq -e '(.status | IN("PASS", "FAIL", "INCONCLUSIVE"))
            and (.measure | (.p_value | type) == "number" and (.p_holm | type) == "number"
                 and (.mitigation_rate_ci95 | length) == 2 and (.difference_ci95 | length) == 2
                 and .mitigation_repetitions >= 1)' >/dev/null
        ok $? "$name: $arm judged with intervals: $(echo "$v" | jq -r '"\(.status) \(.measure.mitigation_failed)/\(.measure.mitigation_repetitions) vs \(.measure.baseline_failed)/\(.measure.baseline_repetitions), p_holm=\(.measure.p_holm)"')"
        case $want in
        PASS) echo "$v" | jq -e '.status == "PASS"' >/dev/null
              ok $? "$name: $arm is known to work here: PASS" ;;
        NOT_PASS) echo "$v" | jq -e '.status != "PASS"' >/dev/null
              ok $? "$name: $arm is known not to work here: not PASS" ;;
        esac
    done
    jq -e "select(.type == \"$type\" and (.kernel | length) > 0)" "$r/events.jsonl" >/dev/null 2>&1
    ok $? "$name: events.jsonl holds the kernel's $type reports"
    [ "$(jq -r '[.boots[] | select(.outcome != "completed")] | length' "$s")" = 0 ]
    ok $? "$name: every guest completed"
    [ "$(jq '.boots | length' "$s")" = "$(jq '.repetitions | length' "$s")" ]
    ok $? "$name: a fresh guest for every repetition ($(jq '.boots | length' "$s") boots)"
}
