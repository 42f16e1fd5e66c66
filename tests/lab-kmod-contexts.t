#!/bin/bash
# The helper module on every lab kernel: each context really runs where it
# says (the module observes it, the kernel's report shows it), on the CPU it
# was pinned to, and the module's counters match the reports the kernel
# logged for each phase.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
ctxs="process irqoff softirq tasklet hardirq workqueue"
# the context a kernel report's stack shows for each module context
declare -A seen=([process]=task [irqoff]=task [softirq]=softirq [tasklet]=softirq
                 [hardirq]=hardirq [workqueue]=workqueue)
declare -A obs=([process]=task [irqoff]=irqoff [softirq]=softirq [tasklet]=softirq
                [hardirq]=hardirq [workqueue]=task)
kernels=${LAB_KERNELS:-debian-6.1 debian-6.12 debian-6.1-pae}
# the guests spend most of their time in 10 s waits: all kernels at once
for k in $kernels; do
    lab_start "$k" "$TESTS/scenarios/kmod-contexts.yaml" --kernel "$k"
done
for k in $kernels; do
    lab_wait "$k"
    ok $rc "$k: lab run exits 0 (got $rc)"
    [ $rc -eq 0 ] || sed 's/^/# /' "$t/err" "$t/tap" | tail -20
    S="$r/summary.json"
    ph() { jq -c ".phases[] | select(.index == $1)" "$S"; }
    i=0
    for c in $ctxs; do
        m=$(ph $i | jq -c .metrics)
        [ "$(echo "$m" | jq '.successes')" = 16 ] && [ "$(echo "$m" | jq '[.pages[].pages] | add')" = 64 ]
        ok $? "$k: $c: 16 order-2 blocks obtained, 64 pages placed in zones ($(echo "$m" | jq -c .pages))"
        [ "$(echo "$m" | jq ".observed.${obs[$c]}")" = 16 ] && [ "$(echo "$m" | jq .wrong_cpu)" = 0 ]
        ok $? "$k: $c: all 16 attempts ran as ${obs[$c]} on CPU 1 ($(echo "$m" | jq -c .observed))"
        i=$((i + 1))
    done
    [ "$(ph 0 | jq '[.metrics.pages[] | select(.node != 0)] | length')" = 0 ]
    ok $? "$k: node=0 placed every page on node 0"
    [ "$(ph 6 | jq .metrics.pinned_pages)" -gt 1000 ]
    ok $? "$k: unmovable pin holds $(ph 6 | jq .metrics.pinned_pages) pages in $(ph 6 | jq .metrics.unmovable_blocks) blocks"
    i=7
    for c in $ctxs; do
        f=$(ph $i | jq .metrics.failures)
        nev=$(jq -c "select(.type == \"alloc_failure\" and .phase == $i)" "$r/events.jsonl" | wc -l)
        a=$(ph $i | jq .metrics.attempts) g=$(ph $i | jq .metrics.successes)
        [ "$f" = 1 ] && [ "$nev" = 1 ] && [ "$a" = $((g + 1)) ]
        ok $? "$k: $c: module counted $f failure after $g blocks (until_fail, $a attempts), kernel reported $nev"
        ev=$(jq -c "select(.type == \"alloc_failure\" and .phase == $i)" "$r/events.jsonl" | head -n 1)
        [ "$(echo "$ev" | jq -r .context)" = "${seen[$c]}" ] && [ "$(echo "$ev" | jq -r .cpu)" = 1 ] &&
            [ "$(echo "$ev" | jq -r .order)" = 5 ] && [ "$(echo "$ev" | jq -r .caller)" = helper_burst ]
        ok $? "$k: $c: the report shows order 5 from helper_burst in ${seen[$c]} context on CPU 1 ($(echo "$ev" | jq -c '{context, cpu, caller, workqueue, in_irq}'))"
        i=$((i + 2))
    done
    # the kernel guarantees silence for every failure, not how many of the
    # 32 fail: kcompactd may rebuild a block or two after the pin
    f19=$(ph 19 | jq .metrics.failures)
    [ "$f19" -ge 1 ] && [ "$(ph 19 | jq '.metrics.attempts == 32 and .metrics.successes + .metrics.failures == 32')" = true ] &&
        [ "$(jq -c 'select(.phase == 19)' "$r/events.jsonl" | wc -l)" = 0 ]
    ok $? "$k: __GFP_NOWARN: $f19 of 32 attempts failed, none reported"
    [ "$(ph 19 | jq .metrics.bursts)" = 4 ]; ok $? "$k: 32 attempts in bursts of 8 are 4 bursts"
    [ "$(ph 20 | jq .metrics.successes)" = 256 ] && [ "$(ph 20 | jq .metrics.held_max_pages)" = 0 ] &&
        [ "$(ph 22 | jq .metrics.held_max_pages)" = 128 ]
    ok $? "$k: free=immediate holds nothing, free=end held 4 order-5 blocks (128 pages)"
    [ "$(ph 21 | jq .metrics.pinned_pages)" = 0 ] && [ "$(ph 22 | jq .metrics.successes)" = 4 ]
    ok $? "$k: after release the pins are gone and order-5 blocks are obtained again"
    [ "$(ph 23 | jq -r .outcome)" = done ]; ok $? "$k: start, running, stop (EINTR), idle"
    [ "$(jq -r .kernel_release "$r/manifest.json")" = "$(jq -r .lab.release "$S")" ]
    ok $? "$k: the guest ran $(jq -r .lab.release "$S")"
    [ -s "$r/kmsg.txt" ] && ! grep -aE 'BUG:|Oops|WARNING:|soft lockup|blocked for more than' "$r/kmsg.txt" >/dev/null
    ok $? "$k: no BUG, Oops, WARNING, soft lockup or hung task"
    cp -r "$r" "${KEEP_RESULTS:-/nonexistent}/$k" 2>/dev/null
done
done_testing
