#!/bin/bash
# allocrepro doctor on this machine: every check is there, each agrees with
# what the machine shows, the verdict follows from the needed checks, and
# the exit code from the verdict.  (Inside a lab guest, where everything
# is there, tests/lab-deb-package.t runs it.)
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
$ALLOCREPRO doctor --json > "$t/d.json" 2> "$t/err"
rc=$?
jq -e . "$t/d.json" >/dev/null; ok $? "doctor --json is JSON (exit $rc)"
names=$(jq -r '[.checks[].name] | join(",")' "$t/d.json")
[ "$names" = "kernel,root,numa,zones,cgroup,modules,helper module,lab machine,kvm,qemu,stress-ng" ]
ok $? "every check: $names"
native=$(jq '[.checks[] | select(.needed and (.ok | not))] | length == 0' "$t/d.json")
[ "$(jq .native_module_runs "$t/d.json")" = "$native" ]
ok $? "the verdict follows from the needed checks ($native)"
[ $rc -eq "$([ "$native" = true ] && echo 0 || echo 1)" ]; ok $? "exit $rc for that verdict"
jq -e '[.checks[] | select(.ok | not) | has("hint")] | all' "$t/d.json" >/dev/null
ok $? "every check that is not ok says what to do"
jq -r '.checks[] | select(.name == "kernel") | .value' "$t/d.json" | grep -q "^$(uname -r) "
ok $? "kernel: $(uname -r)"
m=$(jq '.checks[] | select(.name == "modules") | .ok' "$t/d.json")
[ "$m" = "$([ -e /proc/modules ] && echo true || echo false)" ]
ok $? "modules: $m, as /proc/modules says"
z=$(jq -r '.checks[] | select(.name == "zones") | .value' "$t/d.json")
for zone in $(awk '/^Node .*, zone/ {print $4}' /proc/zoneinfo | sort -u); do
    managed=$(awk -v z="$zone" '$1 == "Node" {cur = $4} cur == z && $1 == "managed" {s += $2} END {print s + 0}' /proc/zoneinfo)
    if [ "$managed" -gt 0 ]; then echo "$z" | grep -q ":$zone"; ok $? "zone $zone with managed pages is listed ($z)"; fi
done
ALLOCREPRO_KMOD="$t/helper.ko" $ALLOCREPRO doctor --json > "$t/d2.json"
jq -e '.checks[] | select(.name == "helper module") | .ok == false and (.hint | test("allocrepro-dkms"))' "$t/d2.json" >/dev/null
ok $? "a module that is not there: not ok, and the hint names allocrepro-dkms"
touch "$t/helper.ko"
ALLOCREPRO_KMOD="$t/helper.ko" $ALLOCREPRO doctor --json > "$t/d3.json"
jq -e --arg p "$t/helper.ko" '.checks[] | select(.name == "helper module") | .ok and .value == $p' "$t/d3.json" >/dev/null
ok $? "ALLOCREPRO_KMOD names the module doctor finds"
ALLOCREPRO_LAB=1 $ALLOCREPRO doctor --json | jq -e '.checks[] | select(.name == "lab machine") | .ok' >/dev/null
ok $? "ALLOCREPRO_LAB=1 marks a lab machine"
$ALLOCREPRO doctor --bogus > /dev/null 2> "$t/err2"
rc=$?
[ $rc -eq 2 ] && grep -q "doctor: unknown argument '--bogus'" "$t/err2"; ok $? "a bad flag: exit 2 naming it (got $rc)"
$ALLOCREPRO doctor > "$t/plain"
grep -q '^native runs with the helper module: ' "$t/plain"; ok $? "the plain report ends with the verdict"
done_testing
