#!/bin/sh
# Benchmark cu-spans on the synthetic cloud: cu-testcloud writes N instances
# (default 10^5; 10^6 takes a long MariaDB load), they are loaded into a
# throwaway MariaDB and read back with cu-dump, then cu-spans is timed on
# the dump (tests/cu-spans-testcloud.sh checks the results against the
# generator's truth). Run from a build dir (needs cu-testcloud, cu-dump,
# cu-spans there) with top_srcdir set, or from the source tree's parent.
# Usage: bench/cu-spans-testcloud-bench.sh [N]
set -eu
n=${1:-100000}
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
export top_srcdir
PATH=$(pwd):$PATH
. "$top_srcdir/tests/lib/testdb.sh"
testdb_available || { echo "mariadbd not installed" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/cu-spans-tcb.XXXXXX")
trap 'testdb_cleanup; rm -rf "$work"' EXIT HUP INT TERM

cu-testcloud -o "$work/cloud" -n "$n" >/dev/null
testdb_start blazar-chameleon
trap 'testdb_cleanup; rm -rf "$work"' EXIT HUP INT TERM
(cd "$work/cloud/site1" && mariadb --defaults-file="$TESTDB_CNF" --local-infile=1 < load.sql)
cu-dump --defaults-file="$TESTDB_CNF" > "$work/dump.tsv"
testdb_stop

/usr/bin/time -f '%e %U %S %M' -o "$work/time" \
    cu-spans --site site1 --stats "$work/dump.tsv" > "$work/spans.tsv" 2> "$work/stats"
read -r secs user sys kb < "$work/time"
bytes=$(wc -c < "$work/dump.tsv")
rows=$(awk -F '\t' '$1 == "rows" { r += $3 } END { print r }' "$work/stats")
events=$(awk -F '\t' '$1 == "rows" && $2 ~ /instance_actions_events$/ { r += $3 } END { print r }' "$work/stats")
awk -v b="$bytes" -v r="$rows" -v ev="$events" -v s="$secs" -v u="$user" -v y="$sys" -v kb="$kb" -v n="$n" 'BEGIN {
    printf "instances %d, rows %d (event rows %d), dump %.1f MB\n", n, r, ev, b / 1e6
    printf "wall %.2f s, cpu %.2f s: %.2f M rows per cpu second\n", s, u + y, r / (u + y) / 1e6
    printf "peak RSS %.1f MB (%.2f x input)\n", kb / 1024, kb * 1024 / b
}'
