#!/bin/bash
# Robustness of the helper module's interface in a guest: every invalid
# write is refused (the scenario's exec step checks each one), random ones
# are refused or run, and the kernel log shows no BUG, Oops, WARNING (page
# allocation failure reports aside), soft lockup or hung task.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
for k in ${LAB_KERNELS:-debian-6.1 debian-6.12 debian-6.1-pae}; do
    lab_run "$TESTS/scenarios/kmod-robust.yaml" --kernel "$k"
    ok $rc "$k: lab run exits 0 (got $rc)"
    log=$(ls "$r"/exec-*.log 2>/dev/null | head -n 1)
    [ -n "$log" ] && sed 's/^/# /' "$log" | tail -15
    line=$(grep '^refused=' "$log" 2>/dev/null)
    refused=$(echo "$line" | sed -n 's/.*refused=\([0-9]*\) .*/\1/p')
    [ "${refused:-0}" -ge 300 ]; ok $? "$k: hundreds of writes refused ($line)"
    echo "$line" | grep -q 'not_refused=0$'; ok $? "$k: no invalid write was accepted"
    grep -aq 'allocrepro_helper: refused: ' "$r/kmsg.txt"; ok $? "$k: refusals are explained in the kernel log"
    ! grep -aE 'BUG:|Oops|WARNING:|soft lockup|blocked for more than|general protection|UBSAN|list_(add|del) corruption' \
        "$r/kmsg.txt" >/dev/null
    ok $? "$k: no BUG, Oops, WARNING, soft lockup or hung task"
    [ "$(jq -r .outcome "$r/summary.json")" = completed ]; ok $? "$k: the guest completed"
done
done_testing
