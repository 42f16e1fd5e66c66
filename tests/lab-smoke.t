#!/bin/bash
# The lab backbone end to end: boot Debian's 6.1 kernel in QEMU, fragment,
# drive order-3 GFP_ATOMIC allocations from a timer softirq, and find the
# kernel's own failure report among the events that reached the host.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
lab_run "$ROOT/scenarios/smoke-atomic-order3.yaml"
ok $rc "lab run exits 0 (got $rc)"
[ $rc -eq 0 ] || sed 's/^/# /' "$t/err" "$t/tap"
for f in manifest.json events.jsonl summary.json kmsg.txt; do
    [ -s "$r/$f" ]; ok $? "results hold $f"
done
ev=$(jq -c 'select(.type == "alloc_failure" and .order == 3 and (.gfp_flags | index("GFP_ATOMIC")) and (.kernel | startswith("6.1.")))' "$r/events.jsonl" | head -n 1)
[ -n "$ev" ]; ok $? "an order-3 GFP_ATOMIC alloc_failure from kernel 6.1.x was parsed"
echo "# $ev" | cut -c1-300
# The event came from the guest kernel's log: its header is in kmsg.txt.
grep -aq 'page allocation failure: order:3, mode:0x[0-9a-f]*(GFP_ATOMIC' "$r/kmsg.txt"
ok $? "kmsg.txt holds the kernel's report"
# softirq context: on the way out of an interrupt (<IRQ> in the trace) or,
# when softirqs back up (a loaded host), in ksoftirqd: the kernel chooses
[ "$(echo "$ev" | jq -r .context)" = softirq ]
ok $? "the failure happened in softirq context ($(echo "$ev" | jq -r '.context, .in_irq' | tr '\n' ' '))"
[ "$(echo "$ev" | jq '[.zones[] | select(.buddy != null)] | length')" -ge 1 ]
ok $? "the event carries the zone dump with buddy counts"
[ "$(jq -r .outcome "$r/summary.json")" = completed ]; ok $? "summary outcome is completed"
[ "$(jq -r '.verdicts[] | select(.id == "smoke-atomic-order3.atomic_order3_failure") | .status' "$r/summary.json")" = PASS ]
ok $? "the verdict is PASS in summary.json"
[ "$(jq -r '.phases[] | select(.kind == "probe") | .metrics.failures' "$r/summary.json")" -gt 0 ]
ok $? "the module counted failures too"
jq -e '.kernel_release | startswith("6.1.")' "$r/manifest.json" >/dev/null
ok $? "manifest names the guest kernel release"
jq -e '.lab.accel and .machine == "vm" and .scenario.sha256' "$r/manifest.json" >/dev/null
ok $? "manifest records accel, vm and the scenario hash"
# the state over time: samples every 500 ms, every 50 ms while the probe
# ran (with the module's counters), the zones' watermarks and buddy lists
ns=$(wc -l < "$r/samples.jsonl")
[ "$ns" = "$(jq .sampler.samples "$r/summary.json")" ]; ok $? "samples.jsonl holds every sample ($ns)"
jq -s -e 'length > 3 and ([.[].t] | . == sort) and all(.zones | any(.zone == "DMA32"
          and .min_kb < .low_kb and .low_kb < .high_kb and (.buddy | length) == 11))' \
    "$r/samples.jsonl" >/dev/null
ok $? "each sample has the zones' free memory, watermarks and 11 orders of free blocks, in time order"
jq -s -e '[.[] | select(.kmod)] as $k | ($k | length) >= 5 and
          ([range(1; $k | length) | $k[.].t - $k[. - 1].t] | sort | .[length / 2 | floor] <= 0.1)' \
    "$r/samples.jsonl" >/dev/null
ok $? "while the probe ran: at least 10 samples a second (median spacing), with the module's counters"
jq -s -e '[.[] | select(.kmod) | .kmod.failures] | last > 0' "$r/samples.jsonl" >/dev/null
ok $? "the samples saw the module's failures grow"
[ "$(jq .recorder.kmsg_lost "$r/summary.json")" = 0 ]; ok $? "and no /dev/kmsg record was lost"
grep -q '^ok 1 - smoke-atomic-order3.atomic_order3_failure' "$t/tap"; ok $? "TAP on stdout"
! grep -aE 'BUG:|Oops|soft lockup|hung_task' "$r/kmsg.txt" >/dev/null; ok $? "no BUG, Oops, soft lockup or hung task"
done_testing
