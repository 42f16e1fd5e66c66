# The seed scenarios in the lab, reduced to 3 repetitions per arm (REPS
# says otherwise: enough for a baseline that fails in most repetitions but
# not every one to be judged reliably) on their default lab settings (sourced by lab-seed-smoke.t and lab-seeds.t): the
# baseline must reproduce the seed's failure from the kernel's own log;
# every mitigation arm must be judged (PASS or FAIL with its p-value and
# effect size: a mitigation that does not help is reported, not hidden);
# the exit code follows the verdicts.
# shellcheck shell=bash
seed() {  # scenario, event type, arms...
    local f=$1 type=$2 name
    shift 2
    name=$(basename "$f" .yaml)
    local reps=${REPS:-3}
    lab_run "$ROOT/scenarios/$f" --repeat "$reps"
    s="$r/summary.json"
    ok $([ $rc -le 1 ] && echo 0 || echo 1) "$name: ran (exit $rc: 0 or 1, by the verdicts)"
    want=$(jq -r '[.verdicts[] | select(.status != "PASS" and .status != "SKIP")] | if length == 0 then 0 else 1 end' "$s")
    [ "$rc" = "$want" ]; ok $? "$name: exit code $rc follows the verdicts"
    jq -e ".verdicts[] | select(.id == \"$name.baseline.reproduces\" and .status == \"PASS\")" "$s" >/dev/null
    ok $? "$name: baseline reproduces ($(jq -r "[.verdicts[] | select(.id == \"$name.baseline.reproduces\") | .measure | \"\(.baseline_failed)/\(.baseline_repetitions)\"] | first" "$s"))"
    for arm in "$@"; do
        v=$(jq -c ".verdicts[] | select(.id == \"$name.mitigation.$arm.suppresses\")" "$s")
        echo "$v" | jq -e '(.status == "PASS" or .status == "FAIL") and (.measure.p_value | type) == "number" and .measure.mitigation_repetitions == '"$reps" >/dev/null
        ok $? "$name: mitigation $arm judged: $(echo "$v" | jq -r '"\(.status) \(.measure.mitigation_failed)/\(.measure.mitigation_repetitions) p=\(.measure.p_value)"')"
    done
    jq -e "select(.type == \"$type\" and (.kernel | length) > 0)" "$r/events.jsonl" >/dev/null 2>&1
    ok $? "$name: events.jsonl holds the kernel's $type reports"
    [ "$(jq -r '[.boots[] | select(.outcome != "completed")] | length' "$s")" = 0 ]
    ok $? "$name: every guest completed"
}

