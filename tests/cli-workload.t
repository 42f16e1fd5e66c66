#!/bin/bash
# allocrepro workload and allocrepro restore on this machine: bad input is
# refused with exit 2 before anything changes; a journal of a dead run is
# undone (its marked directories only), a live run's is left alone; and,
# where this machine has a memory cgroup, a real slab workload runs fenced,
# is killed with -9, and restore leaves nothing behind.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
export ALLOCREPRO_STATE_DIR="$t/state"
trap 'ALLOCREPRO_LAB= $ALLOCREPRO restore --force >/dev/null 2>&1; rm -rf "$t"' EXIT

out=$($ALLOCREPRO workload --list 2>&1); rc=$?
ok $rc "workload --list exits 0"
for w in fragment pagecache slab numa-local lowmem stress-ng; do
    echo "$out" | grep -q "^$w: "; ok $? "--list names $w"
done

refused() {  # regex, args...
    local re=$1; shift
    out=$(ALLOCREPRO_LAB=1 $ALLOCREPRO workload "$@" 2>&1); rc=$?
    [ $rc -eq 2 ]; ok $? "workload $*: exit 2 (got $rc)"
    echo "$out" | grep -Eq -e "$re"; ok $? "workload $*: says '$re'"
    [ ! -e "$ALLOCREPRO_STATE_DIR" ]; ok $? "workload $*: no journal, nothing changed"
}
refused "unknown workload 'shred'" shred
refused "recipe=peel: not one of the choices" fragment recipe=peel
refused "order=12: out of range" fragment order=12
refused "argument 1 'order': expected KEY=VALUE" fragment order
refused "unknown parameter 'colour'" slab colour=red
refused "--hold: 'soon' is not a valid number" slab --hold soon
out=$(ALLOCREPRO_LAB= $ALLOCREPRO workload slab 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "marked as a lab"
ok $? "not a lab machine and no --destructive: refused (got $rc)"
[ ! -e "$ALLOCREPRO_STATE_DIR" ]; ok $? "refused: nothing changed"

out=$($ALLOCREPRO restore 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q "nothing to restore"; ok $? "restore with no journal: nothing to do"
out=$($ALLOCREPRO restore --now 2>&1); [ $? -eq 2 ]; ok $? "restore --now: exit 2"

# a dead run's journal: its marked directory goes, an unmarked one stays
mkdir -p "$ALLOCREPRO_STATE_DIR" "$t/made/sub" "$t/foreign"
touch "$t/made/.allocrepro-workdir" "$t/made/sub/file" "$t/foreign/keep"
boot=$(cat /proc/sys/kernel/random/boot_id)
printf 'owner\t999999999\t%s\ndir\t%s\t\ndir\t%s\t\ncgroup\t%s\t\n' "$boot" "$t/made" "$t/foreign" \
    "$t/no-such-cgroup" > "$ALLOCREPRO_STATE_DIR/journal-999999999"
# a live run's journal (an allocrepro waiting on its input)
# (its pid from $!, not pgrep: right after '&' the process may not have
# exec'd yet, and pgrep would find nothing or another one)
mkfifo "$t/in"
( exec $ALLOCREPRO explain - < "$t/in" >/dev/null 2>&1 ) &
live=$!
exec 7> "$t/in"	# keeps explain waiting on its input until we close it
printf 'owner\t%s\t%s\ndir\t%s\t\n' "$live" "$boot" "$t/made-live" > "$ALLOCREPRO_STATE_DIR/journal-$live"
mkdir -p "$t/made-live" && touch "$t/made-live/.allocrepro-workdir"
out=$($ALLOCREPRO restore 2>&1); rc=$?
echo "$out" | sed 's/^/# /'
[ ! -e "$t/made" ]; ok $? "restore removed the run's marked directory"
[ -e "$t/foreign/keep" ]; ok $? "restore kept a directory allocrepro did not make"
[ ! -e "$ALLOCREPRO_STATE_DIR/journal-999999999" ] || [ $rc -ne 0 ]
ok $? "the dead run's journal is gone once undone (or restore says it failed)"
[ -e "$t/made-live" ] && [ -e "$ALLOCREPRO_STATE_DIR/journal-$live" ]
ok $? "a live run's journal is left alone"
exec 7>&-
kill "$live" 2>/dev/null
wait "$live" 2>/dev/null
rm -f "$ALLOCREPRO_STATE_DIR"/journal-*

# a real workload here, fenced, killed with -9, restored
if ! grep -qE '^cgroup2? .*(memory|cgroup2)' /proc/mounts; then
    echo "ok $((n + 1)) # SKIP no memory cgroup hierarchy on this machine"; n=$((n + 1))
else
    mkdir -p "$t/dir"
    $ALLOCREPRO workload slab reclaimable_mb=8 unreclaimable_mb=8 dir="$t/dir" --destructive \
        --limit-mb 512 > "$t/wl.json" 2> "$t/wl.err" &
    pid=$!
    for i in $(seq 1 100); do grep -q '"state":"holding"' "$t/wl.json" && break; sleep 0.2; done
    jq -e '.targets | length == 2 and all(.reached)' "$t/wl.json" >/dev/null
    ok $? "slab reached both targets here ($(jq -c '[.targets[].measured]' "$t/wl.json" 2>/dev/null))"
    cg=$(jq -r .cgroup "$t/wl.json")
    [ -d "$cg" ] && [ -n "$(cat "$cg/cgroup.procs")" ]; ok $? "its process is fenced in $cg"
    kill -9 $pid; wait $pid 2>/dev/null
    [ -d "$cg" ] && ls -d "$t"/dir/allocrepro-* >/dev/null 2>&1
    ok $? "after kill -9 its cgroup and workdir are left"
    $ALLOCREPRO restore | sed 's/^/# /'
    [ ! -d "$cg" ]; ok $? "restore removed the cgroup"
    ! ls -d "$t"/dir/allocrepro-* >/dev/null 2>&1; ok $? "restore removed the workdir"
    [ -z "$(ls "$ALLOCREPRO_STATE_DIR")" ]; ok $? "no journal left"
    ! pgrep -f "allocrepro workload slab" >/dev/null; ok $? "no workload process left"
    # SIGTERM instead: the workload cleans up after itself, nothing for restore
    $ALLOCREPRO workload slab reclaimable_mb=4 unreclaimable_mb=4 dir="$t/dir" --destructive \
        > "$t/wl2.json" 2> "$t/wl2.err" &
    pid=$!
    for i in $(seq 1 100); do grep -q '"state":"holding"' "$t/wl2.json" && break; sleep 0.2; done
    cg=$(jq -r .cgroup "$t/wl2.json" 2>/dev/null | head -n 1)
    kill -TERM $pid; wait $pid; rc=$?
    [ $rc -eq 0 ] && grep -q '"state":"stopped"' "$t/wl2.json"; ok $? "SIGTERM: it stops, reports and exits 0 (got $rc)"
    [ -n "$cg" ] && [ ! -d "$cg" ] && [ -z "$(ls "$ALLOCREPRO_STATE_DIR")" ] && ! ls -d "$t"/dir/allocrepro-* >/dev/null 2>&1
    ok $? "SIGTERM: its cgroup, workdir and journal are gone"
fi
done_testing
