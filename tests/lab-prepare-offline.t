#!/bin/bash
# Preparing a lab kernel when Debian's archive misbehaves, and the pins the
# test suite boots.  apt-get and apt-cache are stand-ins on PATH that play
# the archive (its package list, a failing `update` as a mirror mid-sync
# gives, downloads that fail); the kernels are the real cached ones.
#  - an archive that lists nothing, or whose downloads fail: the release
#    cached last is used, with a warning;
#  - pinned (ALLOCREPRO_KERNEL_PINNED=1): the pinned release from the cache,
#    without asking apt; a pin nobody has: the newest, and lab-prepare says
#    so (PIN_NOTE, which goes into the manifest);
#  - unpinned: the archive's newest, as users get;
#  - install-deps survives a failing `apt-get update`.
. "$(dirname "$0")/lib.sh"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
cache=${ALLOCREPRO_CACHE:?the lab cache (make check sets it)}
kernel=${LAB_KERNEL:-debian-6.1}
rel=$(cat "$cache/kernels/$kernel.release" 2>/dev/null)
[ -n "$rel" ] && [ -f "$cache/kernels/$rel/.complete" ]
ok $? "$kernel is cached (${rel:-none}): make lab-prepare first" || { done_testing; exit 1; }

mkdir -p "$t/bin" "$t/cache/kernels"
ln -s "$cache/kernels/$rel" "$t/cache/kernels/$rel"
# The stand-ins: FAKE_LIST is what the archive lists; every call is logged.
cat > "$t/bin/apt-cache" <<'EOF'
#!/bin/bash
echo "apt-cache $*" >> "$FAKE_LOG"
[ "$1" = pkgnames ] && [ -n "${FAKE_LIST:-}" ] && printf '%s\n' $FAKE_LIST
exit 0
EOF
cat > "$t/bin/apt-get" <<'EOF'
#!/bin/bash
echo "apt-get $*" >> "$FAKE_LOG"
case "$1" in
update) echo "E: Failed to fetch .../binary-i386/Packages.xz  File has unexpected size (1234 != 5678). Mirror sync in progress?" >&2; exit 100 ;;
install) exit 0 ;;
*) echo "E: Failed to fetch $*: connection refused" >&2; exit 100 ;;
esac
EOF
chmod +x "$t/bin/apt-cache" "$t/bin/apt-get"
export FAKE_LOG="$t/apt.log"
fetch() {  # name; stdout in $t/out, stderr in $t/err, exit code in $frc
    : > "$FAKE_LOG"
    PATH="$t/bin:$PATH" "$ROOT/ci/fetch-kernel.sh" "$1" "$t/cache" > "$t/out" 2> "$t/err"
    frc=$?
}
conf() {  # the catalogue with kernel's pin set to $1
    awk -v n="$kernel" -v p="$1" '$1 == n {$4 = p} {print}' "$ROOT/ci/kernels.conf" > "$t/kernels.conf"
}
export ALLOCREPRO_KERNELS_CONF="$t/kernels.conf"
conf ""

echo "$rel" > "$t/cache/kernels/$kernel.release"
FAKE_LIST="" ALLOCREPRO_KERNEL_PINNED=0 fetch "$kernel"
[ $frc -eq 0 ] && [ "$(cat "$t/out")" = "$t/cache/kernels/$rel" ]
ok $? "the archive lists nothing and update fails: the cached $rel is used (exit $frc)"
grep -q "using cached $rel" "$t/err"; ok $? "... and it says so"

newer="linux-headers-${rel/-[0-9]*-/-9999-}"
FAKE_LIST="linux-headers-$rel $newer" ALLOCREPRO_KERNEL_PINNED=0 fetch "$kernel"
[ $frc -eq 0 ] && [ "$(cat "$t/out")" = "$t/cache/kernels/$rel" ]
ok $? "a newer release whose download fails: the cached $rel is used (exit $frc)"
grep -q "apt-get download .*${newer#linux-headers-}" "$FAKE_LOG"; ok $? "unpinned, the newest (${newer#linux-headers-}) was tried first"
grep -q "downloading ${newer#linux-headers-} failed; using cached $rel" "$t/err"; ok $? "... and the fallback is said"
[ -z "$(find "$t/cache/kernels" -maxdepth 1 -name '*.tmp')" ]; ok $? "a failed download leaves no partial kernel"

conf "$rel"
FAKE_LIST="linux-headers-$rel $newer" ALLOCREPRO_KERNEL_PINNED=1 fetch "$kernel"
[ $frc -eq 0 ] && [ "$(cat "$t/out")" = "$t/cache/kernels/$rel" ]
ok $? "pinned to the cached $rel while the archive has a newer one: the pin is used"
[ ! -s "$FAKE_LOG" ]; ok $? "... without asking apt"

conf "6.1.0-1-amd64"
FAKE_LIST="linux-headers-$rel" ALLOCREPRO_KERNEL_PINNED=1 fetch "$kernel"
[ $frc -eq 0 ] && [ "$(cat "$t/out")" = "$t/cache/kernels/$rel" ]
ok $? "pinned to a release nobody has: the newest ($rel) instead"
grep -q "pinned to 6.1.0-1-amd64, which neither the archive nor the cache has" "$t/err"
ok $? "... with a warning that names the pin"

# lab-prepare passes the pin and the note on (the module and images are
# the real cache's: nothing is rebuilt)
for d in kmod initramfs sysroot-i386; do [ -e "$cache/$d" ] && ln -s "$cache/$d" "$t/cache/$d"; done
PATH="$t/bin:$PATH" ALLOCREPRO_KERNEL_PINNED=1 FAKE_LIST="linux-headers-$rel" \
    "$ROOT/ci/lab-prepare.sh" "$kernel" "$t/cache" "${ALLOCREPRO_GUEST_BIN:-$ROOT/build/allocrepro}" \
    > "$t/prep" 2> "$t/err"
grep -qx "PINNED=6.1.0-1-amd64" "$t/prep" && grep -q "^PIN_NOTE=pinned release 6.1.0-1-amd64 .*$rel was booted" "$t/prep"
prc=$?
ok $prc "lab-prepare reports the pin and that another release was booted"
[ $prc -eq 0 ] || sed 's/^/# /' "$t/err" | tail -5

: > "$FAKE_LOG"
cat > "$t/bin/dpkg-query" <<'EOF'
#!/bin/bash
exit 1
EOF
chmod +x "$t/bin/dpkg-query"
PATH="$t/bin:$PATH" "$ROOT/ci/install-deps.sh" > /dev/null 2> "$t/err"
drc=$?
[ $drc -eq 0 ] && grep -q "apt-get install" "$FAKE_LOG"
ok $? "install-deps goes on to install when apt-get update fails (exit $drc)"
grep -q "update reported errors" "$t/err"; ok $? "... and says the update failed"
done_testing
