#!/bin/bash
# make deb builds both packages lintian-clean; installed into a scratch
# root (dpkg --root: nothing on this machine changes) the program runs from
# there; DKMS builds the packaged module source against a lab kernel's
# headers (its own trees, not this machine's); and a lab guest booted by
# the installed program with that DKMS-built module reproduces the smoke
# failure, where `allocrepro doctor` finds everything a native run needs.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
make -C "$ROOT" -s deb > "$t/deb.log" 2>&1
rc=$?
ok $rc "make deb builds and lintian passes (exit $rc)"
[ $rc -eq 0 ] || tail -20 "$t/deb.log" | sed 's/^/# /'
ver=$(sed -n 's/.*ALLOCREPRO_VERSION "\(.*\)"/\1/p' "$ROOT/results/manifest.h")
main=$ROOT/build/deb/allocrepro_${ver}_$(dpkg --print-architecture).deb
dkms_deb=$ROOT/build/deb/allocrepro-dkms_${ver}_all.deb
[ -f "$main" ] && [ -f "$dkms_deb" ]; ok $? "both packages, version $ver"
dpkg-deb -c "$main" | grep -q './usr/share/man/man5/allocrepro-scenario.5.gz'
ok $? "allocrepro(1) and allocrepro-scenario(5) are in the package"

root=$t/root
mkdir -p "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/info"
touch "$root/var/lib/dpkg/status"
dpkg --root="$root" --force-depends --force-not-root -i "$main" > "$t/dpkg.log" 2>&1
ok $? "dpkg --root installs allocrepro into a scratch root"
dpkg --root="$root" -s allocrepro 2>/dev/null | grep -q '^Status: install ok installed'
ok $? "its status database says installed"
[ "$("$root/usr/bin/allocrepro" --version)" = "allocrepro $ver" ]
ok $? "the installed program runs: $("$root/usr/bin/allocrepro" --version)"
LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -l "$root/usr/share/man/man1/allocrepro.1.gz" \
    2>"$t/man.err" | grep -q 'doctor'
[ $? -eq 0 ] && [ ! -s "$t/man.err" ]; ok $? "allocrepro(1) renders without warnings"
words=$(bash -c ". /usr/share/bash-completion/bash_completion
    . '$root/usr/share/bash-completion/completions/allocrepro'
    COMP_WORDS=(allocrepro lab ''); COMP_CWORD=2; _allocrepro; echo \"\${COMPREPLY[*]}\"")
[ "$words" = "run kernels" ]; ok $? "bash completion completes 'allocrepro lab ' to: $words"

# DKMS builds the packaged source for a cached lab kernel
dpkg-deb -x "$dkms_deb" "$root"
. "$(ls -d "${ALLOCREPRO_CACHE:-/var/cache/allocrepro}"/kernels/"$(cat "${ALLOCREPRO_CACHE:-/var/cache/allocrepro}/kernels/debian-6.1.release")")/kernel.env"
mkdir -p "$t/dkms"
dkms build -m allocrepro-helper -v "$ver" -k "$RELEASE" --kernelsourcedir "$HEADERS" \
    --dkmstree "$t/dkms" --sourcetree "$root/usr/src" > "$t/dkms.log" 2>&1
rc=$?
ok $rc "dkms build for $RELEASE against the lab kernel's headers (exit $rc)"
[ $rc -eq 0 ] || tail -20 "$t/dkms.log" | sed 's/^/# /'
ko=$(find "$t/dkms/allocrepro-helper/$ver/$RELEASE" -name allocrepro_helper.ko | head -n 1)
[ "$(modinfo -F vermagic "$ko" 2>/dev/null | cut -d' ' -f1)" = "$RELEASE" ]
ok $? "the DKMS module's vermagic is $RELEASE"

# the installed program boots the lab with the DKMS-built module
r=$t/res
"$root/usr/bin/allocrepro" lab run "$TESTS/scenarios/dkms-smoke.yaml" --kernel debian-6.1 \
    --kmod "$ko" --results "$r" > "$t/tap" 2> "$t/err"
rc=$?
lab_said "$t/err" "dkms-smoke (installed program, DKMS module)"
ok $rc "lab run by the installed program with --kmod exits 0 (got $rc)"
[ "$(jq -r .lab.module_sha256 "$r/manifest.json")" = "$(sha256sum < "$ko" | cut -d' ' -f1)" ]
ok $? "the guest booted the DKMS-built module (its sha256 in the manifest)"
[ "$(jq -r '.verdicts[] | select(.id == "dkms-smoke.atomic_order3_failure") | .status' "$r/summary.json")" = PASS ]
ok $? "the kernel reported the order-3 GFP_ATOMIC failure"
d=$(sed -n '/^{/,/^}/p' "$r"/exec-*.log)
[ "$(echo "$d" | jq .native_module_runs)" = true ]
ok $? "doctor in the guest: native runs with the module can go ahead"
echo "$d" | jq -e '[.checks[] | select(.name == "helper module" or .name == "modules" or .name == "lab machine") | .ok] == [true, true, true]' >/dev/null
ok $? "doctor found the module, module support and the lab mark"
"$root/usr/bin/allocrepro" lab run "$TESTS/scenarios/dkms-smoke.yaml" --kernel debian-6.12 \
    --kmod "$ko" --results "$t/wrong" > /dev/null 2> "$t/err2"
rc=$?
[ $rc -eq 2 ] && grep -q "built for '$RELEASE'" "$t/err2"
ok $? "a module built for another kernel: exit 2 naming both (got $rc)"
[ ! -e "$t/wrong/summary.json" ]; ok $? "and nothing was booted"
done_testing
