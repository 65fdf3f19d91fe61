#!/bin/sh
# Benchmark cu-spans on the synthetic cloud: cu-testcloud writes N instances
# (default 10^5; 10^6 takes a long MariaDB load), they are loaded into a
# throwaway MariaDB and read back with cu-dump, then cu-spans is timed on
# the dump (tests/cu-spans-testcloud.sh checks the results against the
# generator's truth). Peers, run alternately on the same dump: one awk pass
# that only counts the rows of each table (the least any script over this
# dump pays) and `wc -l`. CPU time (user + system) of cu-spans alone, best of
# ROUNDS: once writing its output (1.2 GB at 10^6) to a new file (the last
# round's file is removed first, outside the timing: truncating it is no
# part of the run), and once to /dev/null, which leaves out the file
# system's share (about 1 s of system time here; a pipe to the next tool
# costs about half of that).
# Run from a build dir (needs cu-testcloud, cu-dump, cu-spans there) with
# top_srcdir set, or from the source tree's parent.
# Usage: bench/cu-spans-testcloud-bench.sh [N] [ROUNDS]
#   CU_BENCH_DUMP=FILE  reuse a dump made before (N is then only a label);
#                       without it the dump is made and kept there if set
#                       to a path that does not exist yet.
set -eu
n=${1:-100000}
rounds=${2:-3}
. "$(dirname "$0")/from-build-dir.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/cu-spans-tcb.XXXXXX")
dump=${CU_BENCH_DUMP:-$work/dump.tsv}

if [ ! -s "$dump" ]; then
    . "$top_srcdir/tests/lib/testdb.sh"
    testdb_available || { echo "mariadbd not installed" >&2; exit 1; }
    trap 'testdb_cleanup; rm -rf "$work"' EXIT HUP INT TERM
    cu-testcloud -o "$work/cloud" -n "$n" >/dev/null
    testdb_start blazar-chameleon
    trap 'testdb_cleanup; rm -rf "$work"' EXIT HUP INT TERM
    (cd "$work/cloud/site1" && mariadb --defaults-file="$TESTDB_CNF" --local-infile=1 < load.sql)
    cu-dump --defaults-file="$TESTDB_CNF" > "$dump"
    testdb_stop
    rm -rf "$work/cloud"
else
    trap 'rm -rf "$work"' EXIT HUP INT TERM
fi

# cpu_of NAME OUT CMD...: run CMD with stdout to OUT and stderr to
# $work/err.NAME; keep the best CPU seconds (user + system), the peak RSS
# and the user and system seconds in $work/NAME
cpu_of() {
    name=$1
    out=$2
    shift 2
    /usr/bin/time -f '%U %S %M' -o "$work/t" "$@" > "$out" 2> "$work/err.$name"
    read -r u s kb < "$work/t"
    c=$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')
    if [ ! -f "$work/$name" ] || awk -v c="$c" -v b="$(cut -d' ' -f1 "$work/$name")" 'BEGIN { exit !(c < b) }'; then
        echo "$c $kb $u $s" > "$work/$name"
    fi
}

i=0
while [ $i -lt "$rounds" ]; do
    i=$((i + 1))
    rm -f "$work/spans.tsv"
    cpu_of spans "$work/spans.tsv" cu-spans --site site1 --stats "$dump"
    cpu_of null /dev/null cu-spans --site site1 "$dump"
    cpu_of awk /dev/null awk -F '\t' '/^#table/ { t = $2; next } { n[t]++ } END { for (t in n) print t, n[t] }' "$dump"
    cpu_of wc /dev/null wc -l "$dump"
done

bytes=$(wc -c < "$dump")
rows=$(awk -F '\t' '$1 == "rows" { r += $3 } END { print r }' "$work/err.spans")
events=$(awk -F '\t' '$1 == "rows" && $2 ~ /instance_actions_events$/ { r += $3 } END { print r }' "$work/err.spans")
actions=$(awk -F '\t' '$1 == "rows" && $2 ~ /instance_actions$/ { r += $3 } END { print r }' "$work/err.spans")
read -r cpu kb u s < "$work/spans"
read -r ncpu _ nu ns < "$work/null"
read -r awkcpu _ < "$work/awk"
read -r wccpu _ < "$work/wc"
awk -v b="$bytes" -v r="$rows" -v ev="$events" -v ac="$actions" -v c="$cpu" \
    -v kb="$kb" -v n="$n" -v a="$awkcpu" -v w="$wccpu" -v rounds="$rounds" \
    -v u="$u" -v s="$s" -v nc="$ncpu" -v nu="$nu" -v ns="$ns" 'BEGIN {
    printf "instances %d: %d rows, %d instance_actions + %d instance_actions_events, dump %.1f MB\n", n, r, ac, ev, b / 1e6
    printf "cu-spans to a file   %.2f s CPU (%.2f user + %.2f system; best of %d): %.2f M rows/s, %.2f M event rows/s, %.2f M action+event rows/s\n", c, u, s, rounds, r / c / 1e6, ev / c / 1e6, (ac + ev) / c / 1e6
    printf "cu-spans > /dev/null %.2f s CPU (%.2f user + %.2f system; best of %d): %.2f M rows/s, %.2f M event rows/s, %.2f M action+event rows/s\n", nc, nu, ns, rounds, r / nc / 1e6, ev / nc / 1e6, (ac + ev) / nc / 1e6
    printf "peak RSS  %.1f MB (%.2f x input)\n", kb / 1024, kb * 1024 / b
    printf "awk row count %.2f s CPU (cu-spans %.2fx its time), wc -l %.2f s (%.1fx)\n", a, c / a, w, c / w
}'
