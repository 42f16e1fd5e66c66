#!/bin/bash
# SIGKILL of a run holding every kind of workload state, then `allocrepro
# restore`: no workload process, cgroup, file, pinned page or changed sysctl
# is left (tests/scenarios/kill-restore.yaml does it in a guest, on cgroup
# v2 and again on v1).
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
for v in ${CGROUP_VERSIONS:-v2 v1}; do
    sed "s/^  disk_mb: 512/  disk_mb: 512\n  cgroup: $v/" "$TESTS/scenarios/kill-restore.yaml" > "$t/kill-restore-$v.yaml"
    lab_run "$t/kill-restore-$v.yaml"
    log=$(ls "$r"/exec-*.log 2>/dev/null | head -n 1)
    [ -n "$log" ] && grep -E '^(while|after|restore|MemFree)' "$log" | sed 's/^/# /'
    for c in holding four_cgroups_while_holding sysctls_changed leftovers_after_kill no_workload_process \
             no_cgroup no_files no_pinned_pages sysctls_restored no_journal_of_the_killed_run memory_back restore_idempotent; do
        grep -q "^CHECK ok $c\$" "$log" 2>/dev/null
        ok $? "cgroup $v: $c"
    done
    [ "$(jq -r .outcome "$r/summary.json")" = completed ]; ok $? "cgroup $v: the guest completed"
done
done_testing
