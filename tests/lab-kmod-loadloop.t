#!/bin/bash
# Loading, running and unloading the helper module 100 times leaks nothing:
# free pages (buddy plus per-CPU lists) and Slab end within the range they
# had after the warm-up cycles, give or take a slack far below what one
# leaked block, pin or run per cycle would add up to over 100 cycles.
# The range is taken after 25 warm-up cycles, once slab caches have grown.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
PAGE_SLACK=200	# pages; one leaked order-1 block per cycle would be 200
SLAB_SLACK=96	# kB; 6.12's slab wanders by up to ~64 kB (measured), a leaked
		# 1 KiB object per cycle would be 100; kmalloc caches are checked
		# object by object below
OBJ_MEDIAN=4	# objects per 10 cycles, the median over ten intervals of one
		# kmalloc cache; one leaked per cycle would be 10.  A single
		# delta cannot tell: SLUB counts a CPU's fresh slab as active
		# (+128 objects of kmalloc-32, seen in 1 CI run of 3), a leak
		# grows the cache in every interval
for k in ${LAB_KERNELS:-debian-6.1 debian-6.12 debian-6.1-pae}; do
    lab_run "$TESTS/scenarios/kmod-loadloop.yaml" --kernel "$k"
    ok $rc "$k: 130 load/run/unload cycles (exit $rc)"
    log=$(ls "$r"/exec-*.log 2>/dev/null | head -n 1)
    [ -n "$log" ] && sed 's/^/# /' "$log" | tail -12
    # free pages = nr_free_pages + per-CPU lists + user memory (4 kB pages):
    # the guest's harness buffers (a realloc doubling) and result files grow
    read -r fmin fmax smin smax <<< "$(awk '$1 == "base" {f = $2 + $3 + int($5 / 4); s = $4
        if (!n++ || f < fmin) fmin = f; if (f > fmax) fmax = f
        if (n == 1 || s < smin) smin = s; if (s > smax) smax = s}
        END {print fmin, fmax, smin, smax}' "$log")"
    # the best of the three end samples: a leak lowers all of them, buffers
    # in flight at one sample do not
    grep -E '^(base|end) ' "$log" | tr '\n' ';' | sed 's/^/# /; s/$/\n/'
    read -r fend send <<< "$(awk '$1 == "end" {f = $2 + $3 + int($5 / 4); if (!n++ || f > fbest) fbest = f; s = $4} END {print fbest, s}' "$log")"
    [ -n "$fend" ] && [ "$fend" -ge $((fmin - PAGE_SLACK)) ]
    ok $? "$k: free pages back in range: $fend after 100 cycles, $fmin..$fmax after warm-up"
    [ -n "$send" ] && [ "$send" -le $((smax + SLAB_SLACK)) ]
    ok $? "$k: Slab back in range: $send kB after 100 cycles, $smin..$smax kB after warm-up"
    ncaches=$(awk '$1 == "kmalloc"' "$log" | wc -l)
    [ "$ncaches" -ge 5 ]; ok $? "$k: kmalloc caches compared over the 100 cycles: $ncaches"
    # the largest median, ties to the largest total growth
    worst=$(awk '$1 == "kmalloc" && (!n++ || $3 > w || ($3 == w && $4 > tot)) {w = $3; c = $2; tot = $4}
                 END {print (n ? w : 0), c, "total", tot}' "$log")
    [ -n "$log" ] && awk -v w="${worst%% *}" -v m=$OBJ_MEDIAN 'BEGIN {exit !(w <= m)}'
    ok $? "$k: no kmalloc cache grows steadily: median per 10 cycles at most $OBJ_MEDIAN (largest: $worst)"
    # a guest that died before it sent its log is no clean one
    [ -s "$r/kmsg.txt" ] && ! grep -aE 'BUG:|Oops|WARNING:|soft lockup|blocked for more than|general protection' \
        "$r/kmsg.txt" >/dev/null
    ok $? "$k: no BUG, Oops, WARNING, soft lockup or hung task"
done
done_testing
