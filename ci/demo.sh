#!/bin/bash
# make demo: the five seed scenarios in the QEMU lab on their default
# settings (repetitions as the scenarios say), then one table: did the
# baseline reproduce, and does each mitigation suppress the failure.
# usage: ci/demo.sh ALLOCREPRO KERNEL RUNS_DIR [--repeat N]
set -u
bin=$1 kernel=$2 runs=$3
shift 3
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$runs"
start=$(date +%s)
for f in "$here"/scenarios/seed00[0-4]-*.yaml; do
    name=$(basename "$f" .yaml)
    # a scenario's own kernel (seed004: 686-pae) wins over the default
    kflag=()
    grep -q '^  kernel:' "$f" || kflag=(--kernel "$kernel")
    "$bin" lab run "$f" "${kflag[@]}" --results "$runs/$name" "$@" > "$runs/$name.tap" 2> "$runs/$name.log"
    echo "$name: exit $? ($(( $(date +%s) - start )) s so far)" >&2
done
printf '\n%-36s %-10s %-28s %-10s %-9s %-7s %s\n' SCENARIO REPRODUCED MITIGATION "FAILS" P-VALUE VERDICT RESULTS
for f in "$here"/scenarios/seed00[0-4]-*.yaml; do
    name=$(basename "$f" .yaml)
    s="$runs/$name/summary.json"
    if [ ! -f "$s" ]; then
        printf '%-36s %s\n' "$name" "no results (see $runs/$name.log)"
        continue
    fi
    jq -r --arg n "$name" --arg dir "$runs/$name" '
        (.verdicts[] | select(.id == "\($n).baseline.reproduces")) as $b
        | [.verdicts[] | select(.id | startswith("\($n).mitigation."))][]
        | [$n, "\($b.measure.baseline_failed)/\($b.measure.baseline_repetitions)",
           (.id | ltrimstr("\($n).mitigation.") | rtrimstr(".suppresses")),
           "\(.measure.mitigation_failed)/\(.measure.mitigation_repetitions)",
           (.measure.p_value * 10000 | round / 10000 | tostring), .status, $dir]
        | @tsv' "$s" | while IFS=$'\t' read -r a b c d e g h; do
        printf '%-36s %-10s %-28s %-10s %-9s %-7s %s\n' "$a" "$b" "$c" "$d" "$e" "$g" "$h"
    done
done
echo "total: $(( $(date +%s) - start )) s"
