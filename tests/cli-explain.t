#!/bin/bash
# allocrepro explain and snapshot from the command line: output contract
# (DESIGN.md's JSON), flags, exit codes, and hostile input.
. "$(dirname "$0")/lib.sh"
SEEDLOGS=${SEEDLOGS:-$TESTS/fixtures/seed-logs}
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
X() { timeout 60 "$ALLOCREPRO" "$@"; }

X explain --json "$SEEDLOGS/seed000-x86_64-2.6.32-atomic-order3.log" > "$t/j"; ok $? "explain --json exits 0"
jq -e '.events[0].type == "alloc_failure" and .events[0].order == 3 and .events[0].gfp_mask == "0x20"
       and .events[0].gfp_flags == ["GFP_ATOMIC"] and (.events[0].zones | length) == 4' "$t/j" >/dev/null
ok $? "events[] follows the schema; hex-only mode decoded into gfp_flags"
jq -e '.diagnoses[0].event == 0 and .diagnoses[0].cause == "high_order_watermark"
       and (.diagnoses[0].zones[] | select(.node == 0 and .zone == "Normal") | .verdict == "high_order_watermark"
            and .check.failed_after_order == 2 and .check.loop_free_pages == -414)
       and (.diagnoses[0].mitigations | length) > 0' "$t/j" >/dev/null
ok $? "diagnoses[]: cause, per-zone verdict with numbers, mitigations"

# --kernel-version changes the model: 0x20 on a 6.1 kernel is __GFP_HIGH only
X explain --json --kernel-version 6.1 "$SEEDLOGS/seed000-x86_64-2.6.32-atomic-order3.log" > "$t/k"
jq -e '.diagnoses[0].model.version == "6.1.0" and .diagnoses[0].model.version_source == "--kernel-version"
       and .diagnoses[0].model.watermark_check == "free-list (4.4+)"
       and .diagnoses[0].request.gfp_flags == "__GFP_HIGH"' "$t/k" >/dev/null
ok $? "--kernel-version overrides the era: 6.1 table and free-list check"

X explain --json --buddyinfo "$SEEDLOGS/seed003-buddyinfo-1-fragmented.txt" \
    "$SEEDLOGS/seed003-x86_64-2.6.32-xen-order4.log" > "$t/b"
jq -e '.diagnoses[0].cause == "fragmented"' "$t/b" >/dev/null; ok $? "--buddyinfo: seed003 fragmented"
X explain --json "$SEEDLOGS/seed003-x86_64-2.6.32-xen-order4.log" | jq -e '.diagnoses[0].cause == "insufficient_data"' >/dev/null
ok $? "seed003 without buddyinfo: insufficient_data"

X explain - < "$SEEDLOGS/seed004-i386-3.14-highmem-oom.log" > "$t/h"; ok $? "stdin '-'"
grep -q "cause: exhausted" "$t/h"; ok $? "human report names the cause"
grep -q "HighMem *not_eligible" "$t/h"; ok $? "human report shows HighMem not eligible"

X explain "$SEEDLOGS"/seed00[0124]*.log > "$t/all"; ok $? "several files in one run"
[ "$(grep -c '^\[' "$t/all")" -eq 5 ]; ok $? "five reports from four files"

# errors: exit 2, a message naming what, nothing on stdout
X explain /nonexistent/log > "$t/o" 2> "$t/e"; rc=$?
[ $rc -eq 2 ] && grep -q "/nonexistent/log" "$t/e" && [ ! -s "$t/o" ]; ok $? "unreadable file: exit 2, named"
X explain "$SEEDLOGS/seed000-x86_64-2.6.32-atomic-order3.log" /nonexistent > "$t/o" 2> "$t/e"; rc=$?
[ $rc -eq 2 ] && [ ! -s "$t/o" ]; ok $? "one unreadable file among good ones: exit 2 before any output"
X explain "$t" > /dev/null 2> "$t/e"; [ $? -eq 2 ]; ok $? "a directory: exit 2"
X explain --kernel-version banana x 2> "$t/e"; [ $? -eq 2 ] && grep -q banana "$t/e"; ok $? "bad --kernel-version: exit 2, named"
X explain --buddyinfo "$SEEDLOGS/seed000-x86_64-2.6.32-atomic-order3.log" x 2> "$t/e"; [ $? -eq 2 ]
ok $? "--buddyinfo without buddyinfo lines: exit 2"
X explain --frobnicate x 2> /dev/null; [ $? -eq 2 ]; ok $? "unknown flag: exit 2"
X explain 2> /dev/null; [ $? -eq 2 ]; ok $? "no file: exit 2"

# hostile input: binary, truncated, absurd, one huge line -> exit 0, no hang
head -c 3000000 /dev/urandom > "$t/bin"
X explain "$t/bin" > /dev/null; ok $? "3 MB of random bytes: exit 0"
head -c 1500 "$SEEDLOGS/seed004-i386-3.14-highmem-oom.log" > "$t/trunc"
X explain --json "$t/trunc" | jq -e '.events[0].type == "oom"' > /dev/null; ok $? "truncated report still parsed"
printf 'x: page allocation failure: order:999999999999, mode:0x%s\nNormal free:99999999999999999999kB min:-1kB\nNormal: %s= 1kB\n' \
    "$(printf 'f%.0s' $(seq 40))" "$(printf '9999999999*4kB %.0s' $(seq 30))" > "$t/absurd"
X explain --json "$t/absurd" | jq -e '.diagnoses[0].cause == "insufficient_data"' > /dev/null; ok $? "absurd numbers: no crash, insufficient_data"
{ printf 'kernel: '; head -c 20000000 /dev/zero | tr '\0' 'a'; echo; } > "$t/long"
X explain "$t/long" > /dev/null; ok $? "a 20 MB line: exit 0"
: > "$t/empty"; X explain "$t/empty" | grep -q "no page allocation failure"; ok $? "empty log: says nothing found"

# snapshot on this machine's /proc, and on the captured real files
X snapshot --json > "$t/s"; ok $? "snapshot --json exits 0"
jq -e '(.zones | length) > 0 and (.zones[0].pass.GFP_ATOMIC | length) > 0 and .watermark == "min"' "$t/s" >/dev/null
ok $? "snapshot: per zone and order, per GFP class"
zi=$(ls "$TESTS"/fixtures/zoneinfo-*.txt | head -1); pt=${zi/zoneinfo/pagetypeinfo}
ALLOCREPRO_ZONEINFO=$zi ALLOCREPRO_PAGETYPEINFO=$pt X snapshot --json > "$t/s2"
jq -e '(.zones[] | select(.zone == "DMA") | .verdict.GFP_KERNEL[0]) == "exhausted"
       and (.zones[] | select(.zone == "Normal") | .pass.GFP_ATOMIC[0])' "$t/s2" >/dev/null
ok $? "snapshot of a captured 6.18 /proc: DMA held back by lowmem_reserve, Normal passes"
X snapshot extra 2>/dev/null; [ $? -eq 2 ]; ok $? "snapshot with a stray argument: exit 2"
done_testing
