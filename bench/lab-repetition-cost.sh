#!/bin/bash
# What one repetition costs in the lab, from a statistical lab run's
# results (each repetition a guest of its own): the host's wall time per
# guest, of which the kernel's boot up to the first step (the phases'
# t_start_s counts from the guest kernel's boot), each kind of step, and
# what is left (QEMU's start, the judging, the power-off, the host's side).
# usage: bench/lab-repetition-cost.sh RESULTS_DIR...
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 RESULTS_DIR..." >&2; exit 2; }
printf '%-38s %-28s %6s %6s  %s\n' SCENARIO ARM WALL_S BOOT_S "STEPS (s) / REST_S"
for d in "$@"; do
    s="$d/summary.json"
    [ -f "$s" ] || { echo "$0: $s: no such file" >&2; exit 2; }
    name=$(jq -r .scenario "$s")
    jq -r '.boots[] | [.dir, .arm, .wall_s] | @tsv' "$s" | while IFS=$'\t' read -r dir arm wall; do
        p="$d/$dir/phases.jsonl"
        [ -s "$p" ] || { printf '%-38s %-28s %6.1f %6s  %s\n' "$name" "$arm" "$wall" - "(no phases)"; continue; }
        jq -rs --argjson wall "$wall" '
            map(select(.t_start_s != null and .t_end_s != null)) as $ph
            | if ($ph | length) == 0 then "-\t(phases without times: an older guest)" else
              ($ph | first | .t_start_s) as $boot | ($ph | last | .t_end_s) as $fin
              | ($ph | group_by(.kind) | map(select(.[0].kind != "repetition_end")
                  | "\(.[0].kind)=\(map(.t_end_s - .t_start_s) | add * 10 | round / 10)")
                | join(" ")) as $steps
              | "\($boot * 10 | round / 10)\t\($steps) / \(($wall - $fin) * 10 | round / 10)" end' "$p" |
        while IFS=$'\t' read -r boot rest; do
            printf '%-38s %-28s %6.1f %6s  %s\n' "$name" "$arm" "$wall" "$boot" "$rest"
        done
    done
done
