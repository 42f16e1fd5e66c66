#!/bin/bash
# What one repetition costs in the lab, from a statistical lab run's
# results (each repetition a guest of its own): the host's wall time per
# guest; how it got a fresh kernel (START: a boot, whose cost is the kernel's
# time up to the first step - the phases' t_start_s counts from the guest
# kernel's boot - or a restored copy of a saved guest, whose cost is QEMU's
# start until the copy runs); each kind of step; and what is left (QEMU's
# start and firmware for a boot, the judging, the power-off, the host's
# side).  Then what each saved guest cost: its boot and its save.
# usage: bench/lab-repetition-cost.sh RESULTS_DIR...
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 RESULTS_DIR..." >&2; exit 2; }
printf '%-34s %-26s %6s %-8s %7s  %s\n' SCENARIO ARM WALL_S START START_S "STEPS (s) / REST_S"
for d in "$@"; do
    s="$d/summary.json"
    [ -f "$s" ] || { echo "$0: $s: no such file" >&2; exit 2; }
    name=$(jq -r .scenario "$s")
    jq -r '.boots[] | [.dir, .arm, .wall_s, (.start // "boot"), (.restore_s // 0)] | @tsv' "$s" |
    while IFS=$'\t' read -r dir arm wall start restore; do
        p="$d/$dir/phases.jsonl"
        [ -s "$p" ] || { printf '%-34s %-26s %6.1f %-8s %7s  %s\n' "$name" "$arm" "$wall" "$start" - "(no phases)"; continue; }
        jq -rs --argjson wall "$wall" --arg start "$start" --argjson restore "$restore" '
            map(select(.t_start_s != null and .t_end_s != null)) as $ph
            | if ($ph | length) == 0 then "-\t(phases without times: an older guest)" else
              ($ph | first | .t_start_s) as $first | ($ph | last | .t_end_s) as $fin
              | (if $start == "snapshot" then $restore else $first end) as $cost
              | (if $start == "snapshot" then $wall - $restore - ($fin - $first)
                 else $wall - $fin end) as $rest
              | ($ph | group_by(.kind) | map(select(.[0].kind != "repetition_end")
                  | "\(.[0].kind)=\(map(.t_end_s - .t_start_s) | add * 10 | round / 10)")
                | join(" ")) as $steps
              | "\($cost * 10 | round / 10)\t\($steps) / \($rest * 10 | round / 10)" end' "$p" |
        while IFS=$'\t' read -r cost rest; do
            printf '%-34s %-26s %6.1f %-8s %7s  %s\n' "$name" "$arm" "$wall" "$start" "$cost" "$rest"
        done
    done
done
echo
printf '%-34s %-44s %7s %7s %9s\n' SCENARIO "SAVED GUEST (machine)" BOOT_S SAVE_S IMAGE_MB
for d in "$@"; do
    s="$d/summary.json"
    name=$(jq -r .scenario "$s")
    jq -r '(.plan.templates // [])[] | [.machine, .boot_s, .save_s, .image_mb, .made] | @tsv' "$s" |
    while IFS=$'\t' read -r machine boot save mb made; do
        [ "$made" = true ] || machine="$machine (failed: guests booted)"
        printf '%-34s %-44s %7.1f %7.1f %9s\n' "$name" "$machine" "$boot" "$save" "$mb"
    done
done
