#!/bin/bash
# install-deps.sh: the Debian 12 packages allocrepro builds, tests and runs
# its lab with (gnuplot draws the report's plots; Chromium, html5lib and
# PIL only check the report in tests/report-browser.t, jsonschema the KCIDB
# export in tests/kcidb-export.t; debhelper, DKMS and lintian make and check
# the packages, make deb).  Installs only what
# is missing; needs root (or sudo).
set -euo pipefail
pkgs=(build-essential pkg-config libyaml-dev libjson-c-dev libssl-dev libcgroup-dev libnuma-dev
      stress-ng e2fsprogs xz-utils
      qemu-system-x86 busybox-static cpio gzip kmod bc flex bison libelf-dev
      perl cppcheck jq clang dwarves gcc-i686-linux-gnu libc6-dev-i386-cross shellcheck
      gnuplot-nox python3-scipy python3-statsmodels
      chromium python3-html5lib python3-pil python3-jsonschema
      debhelper dh-dkms dkms lintian bash-completion fakeroot)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "install-deps: installing ${missing[*]}" >&2
# A mirror caught mid-sync serves an index that does not match ("File has
# unexpected size ... Mirror sync in progress?"), often for an architecture
# we do not need: install from the lists apt has rather than fail here.
$SUDO apt-get update -qq ||
    echo "install-deps: apt-get update reported errors; installing from the lists it has" >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
