#!/bin/sh
# Fault injection (tests/fault/fault.c, LD_PRELOAD): for each of write,
# read, fsync, rename and malloc, fail its 1st, 2nd, ... call in a small
# run of each filter until a run no longer reaches that call, so every call
# site fails once. Each faulted run must exit non-zero with a message that
# names the file (or (stdout)/(stdin)), leave no output that looks complete
# (no #eof on a stream, no MANIFEST.tsv in an archive) and, in the ASan
# build, no sanitizer report (leaks included). malloc is faulted only where
# no sanitizer owns the allocator. cu-dump's faults need a server: its
# kill, privilege and I/O-fault cases are in cu-dump-kill.sh and
# cu-dump-privs.sh.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=.}"
. "$top_srcdir/tests/lib/tap.sh"
shim=$(cd "$top_builddir" && pwd)/tests/fault/fault.so
[ -f "$shim" ] || { echo "1..0 # SKIP tests/fault/fault.so not built"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cu-fault.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
cd "$tmp" || exit 99
funcs="write read fsync rename malloc"
if ldd "$(command -v cu-spans)" 2>/dev/null | grep -q libasan; then
    funcs="write read fsync rename"
    ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
    export ASAN_OPTIONS
fi
cp "$top_srcdir/tests/cases/cu-spans/booking/input.tsv" tables.tsv
(umask 077 && echo 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f > key)
cu-spans tables.tsv > spans.tsv || bail_out "cu-spans without faults"

fault_files='tables\.tsv|spans\.tsv|: key: |\(stdout\)|\(stdin\)|arch|memory'
. "$top_srcdir/tests/lib/fault.sh"

run cu-spans stream cu-spans tables.tsv
run cu-timeline stream cu-timeline --step 1h spans.tsv
run "cu-mask (stream)" stream cu-mask --key-file key tables.tsv
run "cu-mask -o" archive cu-mask --key-file key -o arch tables.tsv
tap_done
