#!/bin/bash
# device-dict.sh CACHE_DIR DEVICE.jinja2 JOB.yaml OUT.yaml
# A LAVA device configuration without a LAVA server: lava-server's
# device-type templates (from Debian's package, unpacked into the cache,
# never installed) render DEVICE.jinja2 (a device dictionary: "extends" a
# device type, "set"s its variables) with JOB's context, as the server
# does before it hands a job to lava-run.
set -euo pipefail
cache=$(realpath -m "${1:?usage: device-dict.sh CACHE_DIR DEVICE.jinja2 JOB.yaml OUT.yaml}")
dict=${2:?} job=${3:?} out=${4:?}
dir="$cache/lava-server"
if [ ! -f "$dir/.complete" ]; then
    tmp="$dir.tmp"
    rm -rf "$tmp" && mkdir -p "$tmp"
    # a mirror mid-sync: the lists apt already has are enough
    (cd "$tmp" && apt-get download -q lava-server) >&2 || {
        apt-get update -qq >&2 || true
        (cd "$tmp" && apt-get download -q lava-server) >&2
    }
    dpkg-deb --fsys-tarfile "$tmp"/lava-server_*.deb |
        tar -x -C "$tmp" ./usr/share/lava-server/device-types
    rm -rf "$dir" && mv "$tmp/usr/share/lava-server/device-types" "$dir" && rm -rf "$tmp"
    touch "$dir/.complete"
fi
python3 - "$dir" "$dict" "$job" "$out" <<'PY'
import sys
import jinja2
import yaml
templates, dict_path, job_path, out = sys.argv[1:5]
with open(job_path) as f:
    context = (yaml.safe_load(f) or {}).get("context") or {}
env = jinja2.Environment(loader=jinja2.FileSystemLoader([templates]), autoescape=False,
                         trim_blocks=True)
with open(dict_path) as f:
    text = env.from_string(f.read()).render(**context)
yaml.safe_load(text)  # what lava-run will read must be YAML
with open(out, "w") as f:
    f.write(text)
PY
