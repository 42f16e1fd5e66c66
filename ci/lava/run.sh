#!/bin/sh
# run.sh MODE KERNEL DEBS ALLOCREPRO SCENARIO...: the step of ci/lava/
# allocrepro.yaml, run by LAVA's test shell on the device.  Each scenario's
# verdicts become test cases (allocrepro --lava calls lava-test-case); a
# scenario that could not run at all is a failed case of its own.
mode=${1:-native} kernel=${2:-debian-6.1} debs=${3:-} bin=${4:-}
shift 4 2>/dev/null || shift $#
case=lava-test-case
command -v "$case" >/dev/null 2>&1 || case='echo'	# outside LAVA: plain lines
if [ -n "$debs" ]; then
    apt-get install -y "$debs"/allocrepro_*.deb "$debs"/allocrepro-dkms_*.deb ||
        { $case allocrepro-install --result fail; exit 0; }
fi
bin=${bin:-allocrepro}
if ! "$bin" --version; then
    $case allocrepro-present --result fail
    exit 0
fi
data=$(dirname "$(dirname "$(command -v "$bin")")")/share/allocrepro
if [ "$mode" = native ]; then
    # a LAVA device is a lab machine: native runs may change its settings
    mkdir -p /etc/allocrepro && touch /etc/allocrepro/lab
    "$bin" doctor || true
fi
# beside the test definition, in the overlay LAVA made for the job
out=${ALLOCREPRO_RESULTS:-$PWD/allocrepro-results}
mkdir -p "$out"
for s in "$@"; do
    case $s in /*) p=$s ;; *) p=$data/$s ;; esac
    name=$(basename "$s" .yaml)
    if [ "$mode" = lab ]; then
        "$bin" lab run "$p" --kernel "$kernel" --results "$out/$name" --lava
    else
        "$bin" run "$p" --results "$out/$name" --lava
    fi
    rc=$?
    # exit 2 or 3: the scenario did not run to its verdicts
    if [ $rc -eq 2 ] || [ $rc -eq 3 ]; then
        $case "$name.run" --result fail
    else
        $case "$name.run" --result pass
    fi
done
exit 0
