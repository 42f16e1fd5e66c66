#!/bin/bash
# native-hugetlb on this machine (no guest; tests/scenarios/native-hugetlb-1g.yaml,
# its workload bounded to 1 GiB so the time does not grow with the host), killed with
# SIGKILL while its hugetlb probe holds the pages: every sysctl it changed
# (its own, the fragment workload's, nr_hugepages) is still changed, the
# journal names them, and `allocrepro restore` puts each one back.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
export ALLOCREPRO_STATE_DIR="$t/state"
names="compaction_proactiveness compact_unevictable_allowed max_map_count nr_hugepages min_free_kbytes"
declare -A orig
for s in $names; do orig[$s]=$(cat /proc/sys/vm/$s); done

$ALLOCREPRO run "$TESTS/scenarios/native-hugetlb-1g.yaml" --destructive --repeat 1 \
    --results "$t/r" > "$t/out" 2> "$t/err" &
pid=$!
# the probe raises nr_hugepages and holds the pages 2 s
for i in $(seq 3000); do
    [ "$(cat /proc/sys/vm/nr_hugepages)" != "${orig[nr_hugepages]}" ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
done
mid_hp=$(cat /proc/sys/vm/nr_hugepages)
mid_cp=$(cat /proc/sys/vm/compaction_proactiveness)
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
[ "$mid_hp" != "${orig[nr_hugepages]}" ]; ok $? "mid-run: nr_hugepages raised ($mid_hp)"
[ "$mid_cp" = 0 ]; ok $? "mid-run: vm.compaction_proactiveness 0"
[ "$(cat /proc/sys/vm/nr_hugepages)" != "${orig[nr_hugepages]}" ]
ok $? "after SIGKILL nothing was put back yet"
j=$(ls "$t/state"/journal-* 2>/dev/null | head -1)
[ -n "$j" ]; ok $? "the journal survives the kill"
for s in compaction_proactiveness nr_hugepages compact_unevictable_allowed; do
    grep -q "^sysctl	vm.$s	" "$j"; ok $? "journal holds vm.$s with its old value"
done
sleep 1    # the workload died with its parent (PDEATHSIG)
$ALLOCREPRO restore > "$t/restore" 2>&1
ok $? "allocrepro restore: exit 0"
sed 's/^/# /' "$t/restore"
for s in $names; do
    [ "$(cat /proc/sys/vm/$s)" = "${orig[$s]}" ]; ok $? "vm.$s back to ${orig[$s]}"
done
[ -z "$(ls "$t/state"/journal-* 2>/dev/null)" ]; ok $? "the journal is gone"
[ -z "$(ls -d /sys/fs/cgroup/allocrepro-* /sys/fs/cgroup/memory/allocrepro-* 2>/dev/null)" ]
ok $? "no workload cgroup left"
done_testing
