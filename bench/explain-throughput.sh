#!/bin/bash
# Benchmark (not a test): allocrepro explain over a 1 GiB syslog made of the
# real seed reports and ordinary noise, against grep -c on the same file.
# usage: bench/explain-throughput.sh ALLOCREPRO SEEDLOGS WORKDIR [SIZE_MB]
set -euo pipefail
bin=$1 seeds=$2 work=$3 size_mb=${4:-1024}
mkdir -p "$work"
log=$work/syslog-${size_mb}M.log
if [ ! -s "$log" ]; then
    # one block: the four seed reports, each followed by 400 noise lines
    blk=$work/block.log
    : > "$blk"
    for f in "$seeds"/seed00[0124]*.log; do
        cat "$f" >> "$blk"
        for i in $(seq 1 100); do
            echo "Mar  1 14:52:3$((i % 10)) host sshd[$((2000 + i))]: Accepted publickey for deploy from 10.0.$((i % 7)).$i port 5$i ssh2"
            echo "Mar  1 14:52:3$((i % 10)) host systemd[1]: Started Session $i of user deploy."
            echo "Mar  1 14:52:3$((i % 10)) host kernel: [1234$i.000$i] IPv4: martian source 10.0.0.$i from 10.0.0.1, on dev eth0"
            echo "Mar  1 14:52:3$((i % 10)) host CRON[$((3000 + i))]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)"
        done >> "$blk"
    done
    target=$((size_mb * 1024 * 1024))
    bs=$(stat -c %s "$blk")
    n=$((target / bs + 1))
    # doubling copies keeps this fast
    cp "$blk" "$log"
    while [ "$(stat -c %s "$log")" -lt "$target" ]; do cat "$log" "$log" > "$log.tmp"; mv "$log.tmp" "$log"; done
    truncate -s "$target" "$log"
    echo "built $log ($n blocks worth)" >&2
fi
cat "$log" > /dev/null   # both runs start from the page cache
t0=$(date +%s.%N); c=$(grep -c 'allocation failure' "$log" || true); t1=$(date +%s.%N)
"$bin" explain "$log" > "$work/explain.out"; t2=$(date +%s.%N)
g=$(echo "$t1 - $t0" | bc); e=$(echo "$t2 - $t1" | bc)
reports=$(grep -c '^\[' "$work/explain.out" || true)
printf 'file %s MiB, grep -c: %s lines in %.2f s (%.0f MiB/s)\n' "$size_mb" "$c" "$g" "$(echo "$size_mb / $g" | bc -l)"
printf 'explain: %s reports in %.2f s (%.0f MiB/s), %.2fx grep\n' "$reports" "$e" \
    "$(echo "$size_mb / $e" | bc -l)" "$(echo "$e / $g" | bc -l)"
