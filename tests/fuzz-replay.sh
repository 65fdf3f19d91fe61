#!/bin/sh
# The fuzz harnesses (fuzz/) built as plain replay programs with this
# build's compiler and sanitizers, run on the regression inputs in
# tests/fuzz/TARGET/ (crashes the fuzzers found once) and on every input
# of the golden cases as seeds: each must end without a crash or a
# sanitizer report (a tool may reject an input: exit 1 or 2 is fine).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=.}"
. "$top_srcdir/tests/lib/tap.sh"
targets="tsv jsons csv time cu-spans cu-timeline cu-mask"
seeds=$(find "$top_srcdir/tests/cases" "$top_srcdir/tests/data" -type f \
    \( -name 'input*' -o -name stdin -o -name '*.tsv' -o -name '*.jsons' -o -name '*.csv' -o -name '*.gz' \) |
    sort | head -400)
for t in $targets; do
    prog="$top_builddir/fuzz/replay-$t"
    regress=$(find "$top_srcdir/tests/fuzz/$t" -type f 2>/dev/null | sort)
    # shellcheck disable=SC2086
    "$prog" $regress $seeds > /dev/null 2> "replay-$t.err"
    status=$?
    count=$(echo $regress $seeds | wc -w)
    if [ "$status" -eq 0 ]; then ok "fuzz replay $t: $count inputs, no crash"
    else not_ok "fuzz replay $t: exit status $status"; sed 's/^/# /' "replay-$t.err" | head -20; fi
done
tap_done
