#!/bin/bash
# The smoke scenario on the other lab kernels: 6.12 prints GFP_ATOMIC as
# 0x820 (__GFP_HIGH moved), and the 32-bit PAE kernel with a HighMem zone,
# where an atomic request may not use HighMem however much of it is free.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
lab_run "$ROOT/scenarios/smoke-atomic-order3.yaml" --kernel debian-6.12
ok $rc "6.12: lab run exits 0 (got $rc)"
[ $rc -eq 0 ] || sed 's/^/# /' "$t/err" | tail -5
ev=$(jq -c 'select(.type == "alloc_failure" and .order == 3 and (.kernel | startswith("6.12.")))' "$r/events.jsonl" | head -n 1)
[ "$(echo "$ev" | jq -r .gfp_mask)" = 0x820 ]; ok $? "6.12: GFP_ATOMIC is printed as mode:0x820"
echo "$ev" | jq -e '.gfp_flags | index("GFP_ATOMIC")' >/dev/null; ok $? "6.12: and decoded as GFP_ATOMIC"
grep -aq 'page allocation failure: order:3, mode:0x820(GFP_ATOMIC)' "$r/kmsg.txt"; ok $? "6.12: the kernel's own report"
[ "$(jq -r '.verdicts[] | select(.id == "smoke-atomic-order3.atomic_order3_failure") | .status' "$r/summary.json")" = PASS ]
ok $? "6.12: verdict PASS"
"$ALLOCREPRO" explain "$r/kmsg.txt" --json > "$t/explain.json" 2>/dev/null
jq -e '.diagnoses[0].cause' "$t/explain.json" >/dev/null
ok $? "6.12: explain diagnoses the captured failure ($(jq -r '.diagnoses[0].cause' "$t/explain.json"))"

lab_run "$ROOT/scenarios/smoke-atomic-order3.yaml" --kernel debian-6.1-pae --topology highmem
ok $rc "pae: lab run exits 0 (got $rc)"
[ $rc -eq 0 ] || sed 's/^/# /' "$t/err" | tail -5
ev=$(jq -c 'select(.type == "alloc_failure" and .order == 3 and (.kernel | endswith("686-pae")))' "$r/events.jsonl" | head -n 1)
[ "$(echo "$ev" | jq -r .gfp_mask)" = 0xa20 ] && echo "$ev" | jq -e '.gfp_flags | index("GFP_ATOMIC")' >/dev/null
ok $? "pae: an order-3 GFP_ATOMIC failure from the 686-pae kernel"
# show_mem prints only the zones the request may use; the summary counts HighMem.
hm=$(echo "$ev" | jq '.mem_summary.highmem_pages // 0')
[ "$hm" -gt 100000 ] && [ "$(echo "$ev" | jq '[.zones[] | select(.zone == "Normal")] | length')" = 1 ]
ok $? "pae: the failure is in lowmem (Normal) while $hm pages are HighMem"
"$ALLOCREPRO" explain "$r/kmsg.txt" --json > "$t/explain.json" 2>/dev/null
jq -e '.diagnoses[0].cause' "$t/explain.json" >/dev/null; ok $? "pae: explain diagnoses it ($(jq -r '.diagnoses[0].cause' "$t/explain.json"))"
[ "$(jq -r .lab.memory_mb "$r/summary.json")" -ge 2048 ]; ok $? "pae: the highmem topology gave the guest 2 GiB or more"
[ "$(jq -r '.verdicts[] | select(.id == "smoke-atomic-order3.atomic_order3_failure") | .status' "$r/summary.json")" = PASS ]
ok $? "pae: verdict PASS"
! grep -aE 'BUG:|Oops|soft lockup|blocked for more than' "$r/kmsg.txt" >/dev/null; ok $? "pae: no BUG, Oops, soft lockup or hung task"
done_testing
