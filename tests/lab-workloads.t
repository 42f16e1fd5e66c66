#!/bin/bash
# Each workload's lab scenario (scenarios/workloads/) reaches its target:
# `lab run` exits 0, every target is a PASS verdict that carries the
# measured value, the workload ran fenced in its own memory cgroup, and the
# cgroup is gone afterwards.  numa-local runs again on four nodes.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
S="$ROOT/scenarios/workloads"

# verdict ID: its status, and its measured value and threshold
verdict() { jq -r --arg id "$1" '.verdicts[] | select(.id == $id) |
    "\(.status) \(.measure.measured) \(.measure.threshold)"' "$r/summary.json" 2>/dev/null; }
targets_pass() {  # scenario name, then the verdict ids its targets make
    local name=$1; shift
    for id in "$@"; do
        set -- $(verdict "$id")
        [ "$1" = PASS ] && [ -n "$2" ] && [ "$2" != null ]
        ok $? "$name: $id PASS with its measured value ($*)"
    done
    jq -e '[.phases[] | select(.kind == "workload") | .cgroup | test("^/sys/fs/cgroup/.*allocrepro-")] | all and length > 0' \
        "$r/summary.json" >/dev/null
    ok $? "$name: the workload ran in a cgroup of its own"
    jq -e '[.phases[] | select(.kind == "workload_stop") | .memcg.version] | all(. == 1 or . == 2)' \
        "$r/summary.json" >/dev/null
    ok $? "$name: memcg events recorded at the stop"
}

run() {  # scenario file, extra lab flags
    lab_run "$S/$1.yaml" "${@:2}"
    ok $rc "$1 ${*:2}: lab run exits 0 (got $rc)"
}

run fragment
targets_pass fragment workload-fragment.step0_fragment.unusable_index.DMA32
v=$(verdict workload-fragment.step0_fragment.unusable_index.DMA32 | cut -d' ' -f2)
awk -v v="$v" 'BEGIN { exit !(v >= 0.9) }'; ok $? "fragment: unusable index at order 3 is $v >= 0.9"

run pagecache
targets_pass pagecache workload-pagecache.step0_pagecache.pagecache_share
grep -aq 'EXT4-fs (vda): mounted' "$r/kmsg.txt"; ok $? "pagecache: the files are on the ext4 scratch disk"

run slab
targets_pass slab workload-slab.step0_slab.sreclaimable_growth_mb workload-slab.step0_slab.sunreclaim_growth_mb

run numa-local
targets_pass numa-local workload-numa-local.step0_numa-local.node_below_low \
    workload-numa-local.step0_numa-local.others_free_share
jq -e '.phases[] | select(.kind == "probe") | .metrics' "$r/summary.json" >/dev/null
ok $? "numa-local: the node-local probe ran"
run numa-local --topology numa4
targets_pass "numa-local numa4" workload-numa-local.step0_numa-local.node_below_low \
    workload-numa-local.step0_numa-local.others_free_share
true &&
    [ "$(grep -o 'memory-backend-ram' "$r/qemu.cmdline" | wc -l)" -eq 4 ]
ok $? "numa-local numa4: four QEMU memory backends"

run stress-ng
targets_pass stress-ng workload-stress-ng.step0_stress-ng.used_share workload-stress-ng.step0_stress-ng.bogo_ops \
    workload-stress-ng.step3_stress-ng.memcg_oom_kills_min
[ -s "$r/workload-0-stress-ng.yaml" ] && grep -q 'bogo-ops:' "$r/workload-0-stress-ng.yaml"
ok $? "stress-ng: its --metrics --yaml report is in the results"
[ "$(verdict workload-stress-ng.memcg_oom_logged | cut -d' ' -f1)" = PASS ]
ok $? "stress-ng: the memcg OOM kill is in the kernel log as an event"
grep -q 'exit_status' "$r/summary.json" &&
    jq -e '[.phases[] | select(.kind == "workload_stop") | .metrics.exit_status] | any(. == 0)' "$r/summary.json" >/dev/null
ok $? "stress-ng: it exited 0 although its workers were OOM-killed"

run lowmem
targets_pass lowmem workload-lowmem.step0_lowmem.normal_free_over_min workload-lowmem.step0_lowmem.highmem_free_share
done_testing
