#!/bin/bash
# The sampler on this machine's own kernel: a run that only waits takes a
# sample every 500 ms into samples.jsonl (zones with their watermarks and
# free blocks per order, vmstat's reclaim and compaction counters), in
# time order, and says what it cost.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
printf 'name: wait\nsteps:\n  - sleep_ms: 1600\n' > "$t/wait.yaml"
$ALLOCREPRO run "$t/wait.yaml" --results "$t/r" > "$t/tap" 2> "$t/err"
rc=$?
ok "$([ "$rc" -eq 0 ] && echo 0 || echo 1)" "a run that waits: exit 0 (got $rc)"
ns=$(wc -l < "$t/r/samples.jsonl")
[ "$ns" -ge 4 ]; ok $? "1.6 s took at least 4 samples ($ns)"
[ "$ns" = "$(jq .sampler.samples "$t/r/summary.json")" ]; ok $? "summary.json counts them all"
jq -s -e '[.[].t] | . == sort and (last - first) >= 1.5' "$t/r/samples.jsonl" >/dev/null
ok $? "in time order, over the run"
jq -s -e 'all(.zones | length > 0 and all(.free_kb >= 0 and .min_kb <= .low_kb and .low_kb <= .high_kb
          and (.buddy | length) >= 11))' "$t/r/samples.jsonl" >/dev/null
ok $? "every sample has each zone's free memory, watermarks and free blocks per order"
jq -s -e 'all(.vmstat | has("pgscan_kswapd") and has("compact_stall") and has("nr_free_pages"))' \
    "$t/r/samples.jsonl" >/dev/null
ok $? "and vmstat's reclaim and compaction counters"
jq -s -e 'all(has("kmod") | not)' "$t/r/samples.jsonl" >/dev/null; ok $? "no module counters without a probe"
jq -e '.sampler | .cpu_s >= 0 and .cpu_share < 0.05' "$t/r/summary.json" >/dev/null
ok $? "the sampler says what it cost ($(jq -c .sampler.cpu_share "$t/r/summary.json") of a core)"
done_testing
