#!/bin/bash
# Bad scenario files and flags: exit 2, a message naming file:line and what
# was expected, and nothing started (no results directory, no guest).
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT

expect_error() {  # name, yaml, regex of the message
    printf '%s' "$2" > "$t/$1.yaml"
    for verb in run "lab run"; do
        out=$($ALLOCREPRO $verb "$t/$1.yaml" --results "$t/res-$1" 2>&1)
        rc=$?
        ok $([ $rc -eq 2 ] && echo 0 || echo 1) "$verb $1: exit 2 (got $rc)"
        echo "$out" | grep -Eq "$3"
        ok $? "$verb $1: message matches '$3'"
        [ "$rc" -eq 2 ] || echo "# $out"
        [ ! -e "$t/res-$1" ]
        ok $? "$verb $1: nothing written"
    done
}

expect_error syntax $'name: x\nsteps:\n  - probe: kmod\n   order: 3\n' \
    "$t/syntax.yaml:[0-9]+:[0-9]+: YAML syntax error"
expect_error unknown-key $'name: x\nsteps:\n  - probe: kmod\n    ordre: 3\n' \
    "$t/unknown-key.yaml:4:5: unknown key 'ordre' in probe step"
expect_error order-range $'name: x\nsteps:\n  - probe: kmod\n    order: 12\n' \
    "$t/order-range.yaml:4:12: order: 12 is out of range 0..10"
expect_error bad-workload $'name: x\nsteps:\n  - workload: nosuch\n' \
    "unknown workload 'nosuch'"
expect_error bad-param $'name: x\nsteps:\n  - workload: fragment\n    params: {fill: 2}\n' \
    "fill: 2 is out of range"
expect_error bad-recipe $'name: x\nsteps:\n  - workload: fragment\n    params: {recipe: shred}\n' \
    "bad-recipe.yaml:4:22: recipe: 'shred' is not one of movable\\|mlock\\|pinned\\|pipe\\|files"
expect_error empty-args $'name: x\nsteps:\n  - workload: stress-ng\n    params: {args: ""}\n' \
    "args: expected a non-empty string"
expect_error limit-range $'name: x\nsteps:\n  - workload: slab\n    limit_mb: 1\n' \
    "limit_mb: 1 is out of range 16"
expect_error workload-key $'name: x\nsteps:\n  - workload: slab\n    limit: 64\n' \
    "unknown key 'limit' in workload step \\(expected: params, limit_mb"
expect_error bad-topology $'name: x\nlab:\n  topology: numa8\nsteps:\n  - sleep_ms: 1\n' \
    "topology: 'numa8' is not one of"
expect_error bad-cgroup $'name: x\nlab:\n  cgroup: v3\nsteps:\n  - sleep_ms: 1\n' \
    "cgroup: expected v1 or v2"
expect_error bad-cpu-node $'name: x\nsteps:\n  - probe: kmod\n    cpu_node: near\n' \
    "cpu_node: expected a number or 'any'"
expect_error no-steps $'name: x\n' "'steps' must list at least one step"
expect_error bad-context $'name: x\nsteps:\n  - probe: kmod\n    context: nmi\n' \
    "context: 'nmi' is not one of"
expect_error bad-gfp $'name: x\nsteps:\n  - probe: kmod\n    gfp: GFP_ATOMIC|__GFP_NOWRAN\n' \
    "bad-gfp.yaml:4:10: gfp: '__GFP_NOWRAN' is neither a GFP flag name nor a hex mask"
expect_error bad-cpu $'name: x\nsteps:\n  - probe: kmod\n    cpu: first\n' \
    "cpu: expected a number or 'any'"
expect_error bad-free $'name: x\nsteps:\n  - probe: kmod\n    free: later\n' \
    "free: expected 'end' \\(hold all\\) or 'immediate'"
expect_error bad-pin $'name: x\nsteps:\n  - pin: movable\n' "pin: expected 'unmovable' or 'lowmem'"
expect_error pin-key $'name: x\nsteps:\n  - pin: lowmem\n    blocks: 3\n' \
    "unknown key 'blocks' in pin step \\(expected one of: pin, node, zone, margin_kb\\)"
expect_error pin-zone $'name: x\nsteps:\n  - pin: lowmem\n    zone: HighMem\n' \
    "zone: 'HighMem' is not a lowmem zone"
expect_error pin-orders $'name: x\nsteps:\n  - pin: unmovable\n    block_order: 3\n    break_order: 5\n' \
    "pin: break_order 5 is above block_order 3"
expect_error bad-release $'name: x\nsteps:\n  - release: all\n' "release: expected 'pins'"
expect_error empty-exec $'name: x\nsteps:\n  - exec: ""\n' "exec: expected a non-empty string"
S=$'name: x\nsteps:\n  - sleep_ms: 1\n'
E=$'expect:\n  - {id: f, probe_failures: 1}\n'
M=$'mitigations:\n  - '
expect_error sysctl-name "${S}sysctls: {vm/min: 1}"$'\n' "sysctls: 'vm/min' is not a sysctl name"
expect_error sysctl-value "${S}sysctls: {vm.min_free_kbytes: lots}"$'\n' \
    "sysctl-value.yaml:4:31: sysctls: vm.min_free_kbytes: expected numbers"
expect_error arm-no-name "${S}${E}${M}sysctls: {vm.min_free_kbytes: 1}"$'\n' \
    "mitigation: 'name' is required"
expect_error arm-nothing "${S}${E}${M}name: m"$'\n' "mitigation m: changes nothing"
expect_error arm-baseline "${S}${E}${M}{name: baseline, boot: mem=1G}"$'\n' \
    "not 'baseline'"
expect_error arm-twice "${S}${E}${M}{name: m, boot: mem=1G}"$'\n  - {name: m, boot: mem=2G}\n' \
    "mitigation m: the name is used twice"
expect_error arm-action "${S}${E}${M}{name: m, actions: [reboot]}"$'\n' \
    "actions: 'reboot' is not drop_caches or compact_memory"
expect_error arm-no-step "${S}${E}${M}{name: m, actions: [drop_caches]}"$'\n' \
    "arm-no-step.yaml:7:1: mitigation m has actions but no step says where"
expect_error arm-boot "${S}${E}${M}{name: m, boot: 'init=/bin/sh;reboot'}"$'\n' \
    "boot: kernel parameters only"
expect_error stat-no-expect "${S}repetitions: 3"$'\n' "judged by 'expect'; it lists nothing"
expect_error expect-both "${S}"$'expect:\n  - {id: f, event: oom, probe_failures: 1}\n' \
    "expect entry f: give either 'event' or 'probe_failures'"
expect_error expect-scope "${S}"$'expect:\n  - {id: f, event: oom, scope: all}\n' \
    "scope: expected 'repetition'"
expect_error bad-probe $'name: x\nsteps:\n  - probe: ftrace\n' "probe: expected kmod, hugetlb or thp"
expect_error hugetlb-key $'name: x\nsteps:\n  - {probe: hugetlb, order: 9}\n' \
    "unknown key 'order' in probe step \\(expected one of: probe, pages, hold_ms, repeat\\)"
expect_error bad-actions $'name: x\nsteps:\n  - actions: now\n' "actions: expected 'mitigation'"
expect_error bad-requires "${S}requires: {zone: High}"$'\n' "zone: 'High' is not one of"
expect_error bad-alpha "${S}alpha: 0.9"$'\n' "alpha: expected a number from"
expect_error both-reps "${S}repetitions: 3"$'\nmax_repetitions: 9\n' \
    "max_repetitions: give either repetitions \\(a fixed number\\) or max_repetitions"
expect_error min-over-max "${S}max_repetitions: 4"$'\nmin_repetitions: 5\nexpect:\n  - {id: f, event: oom}\n' \
    "min_repetitions \\(5\\) is more than max_repetitions \\(4\\)"
expect_error bad-like $'name: x\nsteps:\n  - snapshot: a\n    like: "no buddyinfo here"\n' \
    "bad-like.yaml:4:11: like: expected /proc/buddyinfo text"
expect_error bad-effect "${S}min_effect: 0"$'\n' "min_effect: expected a number from"
expect_error bad-fresh $'name: x\nlab:\n  fresh: thaw\nsteps:\n  - sleep_ms: 1\n' \
    "bad-fresh.yaml:3:10: fresh: expected snapshot or boot"
expect_error bad-outcome "${S}failure_outcomes: [panic, oops]"$'\n' \
    "failure_outcomes: 'oops' is not one of panic, hang, killed, guest_exit"
# the paired design: a fork, and arms that only act after it
P=$'name: x\ndesign: paired\nrepetitions: 3\nsteps:\n  - sleep_ms: 1\n  - probe: kmod\n'
expect_error bad-design "${S}design: crossover"$'\n' "bad-design.yaml:4:9: design: expected independent or paired"
expect_error paired-no-arm "${P}${E}" "paired-no-arm.yaml:2:1: design: paired compares mitigations"
expect_error paired-boot-arm "${P}${E}${M}{name: mc, boot: movablecore=10%}"$'\n' \
    "paired-boot-arm.yaml:10:1: mitigation mc changes the machine \\(boot, kernel, topology or memory_mb\\)"
expect_error paired-no-fork $'name: x\ndesign: paired\nrepetitions: 3\nsteps:\n  - sleep_ms: 1\n'"${E}${M}{name: m, sysctls: {vm.stat_interval: 2}}"$'\n' \
    "paired-no-fork.yaml:2:1: design: paired needs a point where the arms part"
expect_error fork-twice "${P}  - fork: arms"$'\n  - fork: arms\n'"${E}${M}{name: m, sysctls: {vm.stat_interval: 2}}"$'\n' \
    "fork-twice.yaml:8:1: step: a scenario forks once"
expect_error fork-word $'name: x\nsteps:\n  - fork: here\n' "fork-word.yaml:3:11: fork: expected 'arms'"

$ALLOCREPRO run "$t/missing.yaml" >/dev/null 2>&1
ok $([ $? -eq 2 ] && echo 0 || echo 1) "missing scenario file: exit 2"
$ALLOCREPRO run "$ROOT/scenarios/smoke-atomic-order3.yaml" --repeat 0 >/dev/null 2>&1
ok $([ $? -eq 2 ] && echo 0 || echo 1) "--repeat 0: exit 2"
$ALLOCREPRO lab run "$ROOT/scenarios/smoke-atomic-order3.yaml" --topology torus >/dev/null 2>&1
ok $([ $? -eq 2 ] && echo 0 || echo 1) "unknown topology: exit 2"
$ALLOCREPRO lab run "$ROOT/scenarios/smoke-atomic-order3.yaml" --fresh thaw \
    --results "$t/f" 2>"$t/err"
ok $([ $? -eq 2 ] && echo 0 || echo 1) "--fresh thaw: exit 2"
grep -q "fresh: 'thaw' is not boot or snapshot" "$t/err"; ok $? "--fresh thaw: says what it expects"
[ ! -e "$t/f" ]; ok $? "--fresh thaw: nothing written"
$ALLOCREPRO lab run "$ROOT/scenarios/smoke-atomic-order3.yaml" --kernel debian-0.1 \
    --results "$t/k" >/dev/null 2>&1
ok $([ $? -eq 2 ] && echo 0 || echo 1) "unknown kernel: exit 2"
[ ! -e "$t/k" ]; ok $? "unknown kernel: nothing written"
# --fork is the lab's: a guest of a paired design, told its arm at the fork
$ALLOCREPRO run "$ROOT/scenarios/seed000-atomic-order3-numa.yaml" --fork /dev/null \
    --results "$t/fk" 2>"$t/err"
ok $([ $? -eq 2 ] && echo 0 || echo 1) "--fork on a scenario that is not paired: exit 2"
grep -q "the scenario is not paired" "$t/err"; ok $? "--fork: says why"
[ ! -e "$t/fk" ]; ok $? "--fork: nothing written"
$ALLOCREPRO frobnicate >/dev/null 2>&1
ok $([ $? -eq 2 ] && echo 0 || echo 1) "unknown command: exit 2"
ALLOCREPRO_LAB=0 $ALLOCREPRO run "$TESTS/scenarios/smoke-then-panic.yaml" --results "$t/p" 2>"$t/err"
ok $([ $? -eq 2 ] && echo 0 || echo 1) "sysrq step on a machine not marked as a lab: refused"
grep -q "marked as a lab" "$t/err"; ok $? "sysrq refusal says why"
printf 'name: x\nsteps:\n  - exec: "true"\n' > "$t/exec.yaml"
ALLOCREPRO_LAB=0 $ALLOCREPRO run "$t/exec.yaml" --results "$t/e" 2>"$t/err"
ok $([ $? -eq 2 ] && echo 0 || echo 1) "exec step on a machine not marked as a lab: refused"
grep -q "$t/exec.yaml:3: sysrq, exec and 'pin: lowmem' steps run only" "$t/err"; ok $? "exec refusal names the step"
[ ! -e "$t/e" ]; ok $? "exec refusal: nothing written"
for f in "$ROOT"/scenarios/*.yaml "$TESTS"/scenarios/*.yaml; do
    out=$($ALLOCREPRO lab run "$f" --kernel debian-0.1 2>&1)
    # a highmem baseline refuses a kernel that is not 32-bit first
    echo "$out" | grep -Eq "unknown kernel 'debian-0.1'|topology highmem needs a 32-bit kernel"
    ok $? "$(basename "$f") loads (reaches kernel lookup)"
done
done_testing
