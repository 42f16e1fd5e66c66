#!/bin/bash
# The source tree keeps the shape docs/architecture.md describes: every
# include points down the pipeline's layers (never up, never through ../),
# no file or function outgrows what a reader can hold, and nothing in the
# build or the code points outside the repository.
. "$(dirname "$0")/lib.sh"

# Layers, top first: a folder may include its own headers and those of the
# folders below it.  Keep in step with docs/architecture.md.
layers="cmd lab runner record results verdict scenario workloads safety model parse util"
rank() {
    local i=0 l
    for l in $layers; do
        [ "$l" = "$1" ] && { echo $i; return; }
        i=$((i + 1))
    done
    echo -1
}
folder() {  # harness/parse/x.c -> parse, results/x.c -> results
    case $1 in
    harness/*/*) local f=${1#harness/}; echo "${f%%/*}" ;;
    *) echo "${1%%/*}" ;;
    esac
}

cd "$ROOT" || exit 1
srcs=$(git ls-files 'harness/*.[ch]' 'results/*.[ch]' 'workloads/*.[ch]')
[ -n "$srcs" ]; ok $? "source files found"

bad=""
for f in $srcs; do
    [ "$(rank "$(folder "$f")")" -ge 0 ] || bad="$bad $f"
done
[ -z "$bad" ]; ok $? "every source file sits in a known layer${bad:+ (not:$bad)}"

up=""
parent=""
while IFS=: read -r f inc; do
    case $inc in ../*|*/../*) parent="$parent $f:$inc"; continue ;; esac
    case $inc in */*) to=${inc%%/*} ;; *) to=$(folder "$f") ;; esac
    from=$(folder "$f")
    [ "$(rank "$to")" -ge "$(rank "$from")" ] || up="$up $f->$inc"
done < <(grep -oE '^#include "[^"]+"' $srcs | sed 's/#include "\(.*\)"/\1/')
[ -z "$parent" ]; ok $? "no include climbs out with ../${parent:+ (${parent# })}"
[ -z "$up" ]; ok $? "includes point down the layers${up:+ (up:$up)}"

# Every quoted include names a file that exists, from its own folder or
# from one of the two include roots (-Iharness -I.).
missing=""
while IFS=: read -r f inc; do
    [ -f "$(dirname "$f")/$inc" ] || [ -f "harness/$inc" ] || [ -f "$inc" ] ||
        missing="$missing $f:$inc"
done < <(grep -oE '^#include "[^"]+"' $srcs | sed 's/#include "\(.*\)"/\1/')
[ -z "$missing" ]; ok $? "every include resolves${missing:+ (not:$missing)}"

# Files and functions a reader can hold: no source file over 500 lines, no
# function over 80 (from its opening brace in column 0 to its closing one).
big=""
for f in $srcs; do
    lines=$(wc -l < "$f")
    [ "$lines" -le 500 ] || big="$big $f:$lines"
done
[ -z "$big" ]; ok $? "no source file over 500 lines${big:+ (over:$big)}"
long=$(awk 'FNR == 1 { start = 0 }
            /^\{/ { start = FNR }
            /^\}/ && start { if (FNR - start - 1 > 80) printf " %s:%d(%d)", FILENAME, start, FNR - start - 1; start = 0 }' \
        $(echo "$srcs" | grep '\.c$'))
[ -z "$long" ]; ok $? "no function over 80 lines${long:+ (over:$long)}"

# Nothing the build or the sources read lives outside the clone.
out=$(git grep -nE '\.\./shared|\.\./\.\./' -- Makefile '*.sh' '*.[ch]' '*.t' ci .ci 2>/dev/null |
      grep -v '^tests/src-layout.t:' | grep -v '^ci/fetch-kernel.sh:.*ln -sfn')
[ -z "$out" ]; ok $? "no path or comment points outside the repository${out:+: $out}"

done_testing
