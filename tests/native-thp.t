#!/bin/bash
# The THP probe on this machine's own kernel (no guest, no module): a child
# faults 2 MiB-aligned pages with MADV_HUGEPAGE; what the probe counts as
# huge pages obtained must be what the kernel counted (thp_fault_alloc).
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
if grep -q '\[never\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null ||
   [ ! -e /sys/kernel/mm/transparent_hugepage/enabled ]; then
    echo "1..0 # SKIP transparent huge pages are off on this kernel"
    exit 0
fi
cat > "$t/thp.yaml" <<'Y'
name: native-thp
steps:
  - probe: thp
    pages: 64
Y
vm() { awk -v k="$1" '$1 == k {print $2}' /proc/vmstat; }
a0=$(vm thp_fault_alloc); f0=$(vm thp_fault_fallback)
$ALLOCREPRO run "$t/thp.yaml" --results "$t/r" > "$t/tap" 2> "$t/err"
ok $? "run exits 0"
a1=$(vm thp_fault_alloc); f1=$(vm thp_fault_fallback)
m=$(jq -c 'select(.kind == "probe") | .metrics' "$t/r/phases.jsonl")
echo "# probe: $m; kernel: thp_fault_alloc +$((a1 - a0)), thp_fault_fallback +$((f1 - f0))"
got=$(jq -r .successes <<< "$m"); lost=$(jq -r .failures <<< "$m")
[ "$(jq -r .attempts <<< "$m")" = 64 ]; ok $? "64 attempts"
[ $((got + lost)) -eq 64 ]; ok $? "successes + failures = attempts"
[ "$got" -gt 0 ]; ok $? "huge pages obtained on a machine with free memory ($got)"
# other processes may fault THPs meanwhile: the kernel counts at least ours
[ $((a1 - a0)) -ge "$got" ]; ok $? "the kernel allocated at least as many ($((a1 - a0)) >= $got)"
[ "$lost" -eq 0 ] || [ $((f1 - f0)) -gt 0 ]; ok $? "a probe failure is a kernel fallback"
done_testing
