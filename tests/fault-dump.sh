#!/bin/sh
# Fault injection for cu-dump (tests/lib/fault.sh): an archive dump of a
# throwaway MariaDB, every write, read, fsync, rename and malloc call of
# cu-dump failed in turn (Connector/C talks to the server with send and
# recv, which the shim leaves alone: a server that dies is
# cu-dump-kill.sh's). Each faulted run must exit non-zero with a message
# naming the file or the server and leave no MANIFEST.tsv, or else write
# the same archive as a run without faults.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=.}"
. "$top_srcdir/tests/lib/testdb.sh"
. "$top_srcdir/tests/lib/tap.sh"
shim=$(cd "$top_builddir" && pwd)/tests/fault/fault.so
[ -f "$shim" ] || { echo "1..0 # SKIP tests/fault/fault.so not built"; exit 0; }
testdb_available || { echo "1..0 # SKIP mariadbd not installed"; exit 0; }
testdb_start blazar > /dev/null 2>&1 || bail_out "no test database"
tmp=$TESTDB_DIR/t
mkdir -p "$tmp"
cd "$tmp" || exit 99
sed -e '/^-- cell 1/,/^-- blazar/d' -e '/^INSERT INTO blazar/,/;$/d' \
    "$top_srcdir/tests/data/cu-dump/cloud.sql" |
    mariadb --defaults-file="$TESTDB_CNF" || bail_out cloud.sql
funcs="write read fsync rename malloc"
if ldd "$(command -v cu-dump)" 2>/dev/null | grep -q libasan; then
    funcs="write read fsync rename"
    ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
    export ASAN_OPTIONS
fi
fault_files='arch|MariaDB|server|connection|Lost|memory|\(stdout\)'
. "$top_srcdir/tests/lib/fault.sh"
# the archive's times (started, finished) differ from run to run: compare
# what it holds
run_dump() {
    cu-dump --defaults-file="$TESTDB_CNF" --no-progress -t nova.instances \
        -t nova.compute_nodes -t keystone.project -o arch &&
        cut -f 1-8 arch/MANIFEST.tsv > arch/manifest.cut &&
        rm arch/MANIFEST.tsv && mv arch/manifest.cut arch/MANIFEST.tsv.cut
}
run "cu-dump -o" archive run_dump
tap_done
