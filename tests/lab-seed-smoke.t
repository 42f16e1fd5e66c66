#!/bin/bash
# One seed scenario in the first tier: seed002 (order-3 atomic failing while
# the free high orders are all in ZONE_MOVABLE) on its own plan, judged as
# tests/lib-seeds.sh says.  Its baseline reproduced 5 of 5 and its
# mitigation 0 of 5 in every run so far (PASS after 5 rounds); the others
# are in lab-seeds.t.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-seeds.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT

seed seed002-atomic-order3-movable.yaml alloc_failure movablecore-10pct=PASS
grep -q "movablecore=10%" "$r"/boots/*movablecore-10pct-rep0/qemu.cmdline; ok $? "seed002: the mitigation booted with movablecore=10%"
grep -q "movablecore=50%" "$r"/boots/*-baseline-rep0/qemu.cmdline; ok $? "seed002: the baseline with movablecore=50%"
done_testing
