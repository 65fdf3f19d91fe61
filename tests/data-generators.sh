#!/bin/sh
# The test data made by generators stay what the generators make: each
# generator runs into a scratch tree, whose output must equal the files
# committed (hand-worked expectations cannot drift from their data).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib/tap.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cu-gen.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
command -v python3 >/dev/null || bail_out "python3 is needed (scripts/install-deps)"

python3 "$top_srcdir/tests/data/cu-timeline/make-cases.py" "$tmp" > "$tmp/gen.log" 2>&1
check "tests/data/cu-timeline/make-cases.py runs" [ $? -eq 0 ]
for d in tests/cases/cu-timeline tests/data/cu-timeline; do
    # what the generator writes, against the same files in the tree
    bad=$(cd "$tmp/$d" && find . -type f | sort | while read -r f; do
        cmp -s "$f" "$top_srcdir/$d/$f" || echo "$f"; done)
    nfiles=$(cd "$tmp/$d" && find . -type f | wc -l | tr -d ' ')
    is "$d: the $nfiles files the generator writes are the committed ones" "$bad" ""
done
tap_done
