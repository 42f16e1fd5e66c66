#!/bin/bash
# LAVA for real, with Debian's lava-dispatcher and no server: the device
# dictionaries are rendered from lava-server's device-type templates
# (ci/lava/device-dict.sh), both example jobs pass `lava-run --validate`,
# and the ssh job runs: the dispatcher reaches a loopback sshd (keys made
# here), copies its overlay there, runs ci/lava/allocrepro.yaml from this
# repository with the installed program (a package unpacked here), and
# records every verdict of the smoke scenario as a test case.
# lava-dispatcher 2023.01's ssh device unpacks its overlay into the
# device's / (/lava-<job id>): this test removes what its job left there.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
job=$((70000 + $$ % 10000))
trap 'kill "$(cat "$t/sshd.pid" 2>/dev/null)" 2>/dev/null; rm -rf "$t" /lava-$job /lava-$job-overlay-*' EXIT
cache=${ALLOCREPRO_CACHE:-/var/cache/allocrepro}
lava=$ROOT/ci/lava
results() {  # the lava-run log's result records: "case result [measurement units]"
    python3 -c '
import json, sys
for line in open(sys.argv[1]):
    try:
        r = json.loads(line.replace(": !", ":"))
    except ValueError:
        continue
    if r.get("lvl") == "results":
        m = r["msg"]
        print(m["definition"], m["case"], m["result"], m.get("measurement", ""), m.get("units", ""))
' "$1"
}

# the example image need not exist for validation to read a file:// URL: a scratch one
touch "$t/image.qcow2"
sed "s|file:///var/lib/lava/images/debian-12-allocrepro-amd64.qcow2|file://$t/image.qcow2|" \
    "$lava/jobs/qemu.yaml" > "$t/qemu.yaml"
"$lava/device-dict.sh" "$cache" "$lava/devices/qemu01.jinja2" "$t/qemu.yaml" "$t/qemu01.yaml"
ok $? "the qemu device dictionary renders from lava-server's templates"
lava-run --validate --job-id 1 --output-dir "$t/q" --device "$t/qemu01.yaml" "$t/qemu.yaml" > "$t/q.log" 2>&1
results "$t/q.log" | grep -x 'lava validate pass  ' >/dev/null; ok $? "the qemu job validates"
[ $? -eq 0 ] || results "$t/q.log" | sed 's/^/# /'

ssh-keygen -q -t ed25519 -N '' -f "$t/client" && cp "$t/client.pub" "$t/authorized_keys"
ssh-keygen -q -t ed25519 -N '' -f "$t/hostkey"
mkdir -p /run/sshd
cat > "$t/sshd.conf" <<CONF
ListenAddress 127.0.0.2
Port ${LAVA_SSH_PORT:-2223}
HostKey $t/hostkey
PidFile $t/sshd.pid
AuthorizedKeysFile $t/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
CONF
/usr/sbin/sshd -f "$t/sshd.conf" -E "$t/sshd.log"
ok $? "an sshd on 127.0.0.2 is the ssh device"
sed -e "s|numa-box-1.lab.example.org|127.0.0.2|; s|ssh_port = 22 |ssh_port = ${LAVA_SSH_PORT:-2223} |" \
    -e "s|/etc/lava-dispatcher/keys/numa-box-1|$t/client|" "$lava/devices/ssh01.jinja2" > "$t/ssh01.jinja2"
"$lava/device-dict.sh" "$cache" "$t/ssh01.jinja2" "$lava/jobs/ssh.yaml" "$t/ssh01.yaml"
lava-run --validate --job-id 2 --output-dir "$t/s" --device "$t/ssh01.yaml" "$lava/jobs/ssh.yaml" > "$t/sv.log" 2>&1
results "$t/sv.log" | grep -x 'lava validate pass  ' >/dev/null; ok $? "the ssh job validates"

ver=$(sed -n 's/.*ALLOCREPRO_VERSION "\(.*\)"/\1/p' "$ROOT/results/manifest.h")
deb=$ROOT/build/deb/allocrepro_${ver}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || make -C "$ROOT" -s deb > "$t/deb.log" 2>&1
dpkg-deb -x "$deb" "$t/pkg"
# the job as a lab would run it, but on this repository and this package
sed -e "s|repository: https://git.example.org/allocrepro.git|repository: $ROOT|" \
    -e "s|SCENARIOS: scenarios/smoke-atomic-order3.yaml|&\n            ALLOCREPRO: $t/pkg/usr/bin/allocrepro|" \
    "$lava/jobs/ssh.yaml" > "$t/ssh.yaml"
timeout 900 lava-run --job-id $job --output-dir "$t/run" --device "$t/ssh01.yaml" "$t/ssh.yaml" > "$t/run.log" 2>&1
ok $? "lava-run ran the ssh job"
results "$t/run.log" > "$t/results"
sed 's/^/# /' "$t/results" | grep -v ' lava ' | head -12
grep -x 'lava job pass  ' "$t/results" >/dev/null; ok $? "the job passed"
grep -q '^0_allocrepro smoke-atomic-order3.atomic_order3_failure pass [1-9][0-9.]* events$' "$t/results"
ok $? "the kernel's failure report is a passed test case, measured in events"
grep -q '^0_allocrepro smoke-atomic-order3.outcome pass' "$t/results"; ok $? "the guest's outcome is a test case"
grep -q '^0_allocrepro smoke-atomic-order3.run pass' "$t/results"; ok $? "the scenario ran (run.sh's own case)"
ncases=$(grep -c '^0_allocrepro ' "$t/results")
v=$(jq '.verdicts | length' "$(find /lava-$job -path '*/allocrepro-results/smoke-atomic-order3/summary.json' | head -n 1)")
[ -n "$v" ] && [ "$ncases" -eq $((v + 1)) ]; ok $? "every verdict of the run is a test case ($ncases cases, $v verdicts + run)"
done_testing
