# Shared by build-initramfs.sh and build-stressng-cpio.sh (sourced, not run).

# The shared libraries a program needs, one path per line (none if static).
shared_libs() {
    ldd "$1" 2>/dev/null | awk '/=> \// {print $3} /^\t\/lib/ {print $1}' || true
}

# Copy libraries into an image root at their own paths.
copy_libs() {  # root lib...
    local root=$1 l
    shift
    for l in "$@"; do
        mkdir -p "$root$(dirname "$l")"
        cp -L "$l" "$root$l"
    done
}

# Pack a root into a gzip'd newc cpio (written aside, then renamed) and print it.
pack_cpio() {  # root img
    (cd "$1" && find . | cpio -o -H newc --quiet | gzip -1 > "$2.tmp.$$")
    mv "$2.tmp.$$" "$2"
    echo "$2"
}
