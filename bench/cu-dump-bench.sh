#!/bin/sh
# Benchmark cu-dump (not a test): a synthetic cloud of N instances (default
# 10^6) from cu-testcloud in a throwaway MariaDB, then the largest table
# (nova.instance_actions_events, the columns cu-dump reads) read by
#   cu-dump -t ... (TSV on stdout)
#   mariadb --batch --quick -e "SELECT ..."
#   bench/cu-dump-bare.c: a bare mysql_use_result loop writing raw fields
# alternately, ROUNDS times each (default 3), output to /dev/null. Prints
# rows, the best wall time and the best client CPU time (user + sys) of
# each, their ratios, and peak RSS (GNU time). The server does most of the
# work, so on a busy machine the CPU ratios are the steadier figures.
# Usage: bench/cu-dump-bench.sh [N] [ROUNDS]   from the build dir (cu-dump
# and cu-testcloud in PATH or ./), with top_srcdir set or guessed.
set -eu
n=${1:-1000000}
rounds=${2:-3}
. "$(dirname "$0")/from-build-dir.sh"
. "$top_srcdir/tests/lib/testdb.sh"
testdb_available || { echo "mariadbd not installed" >&2; exit 1; }
TESTDB_BUFFER_POOL=${TESTDB_BUFFER_POOL:-2G} testdb_start blazar-chameleon
work=$TESTDB_DIR/bench
mkdir -p "$work"

cc -O2 -o "$work/bare" "$top_srcdir/bench/cu-dump-bare.c" \
    $(pkg-config --cflags --libs libmariadb)

t0=$(date +%s)
cu-testcloud -o "$work/cloud" -n "$n" >/dev/null
t1=$(date +%s)
testdb_load "$work/cloud/site1"
t2=$(date +%s)
echo "generated $n instances in $((t1 - t0)) s, loaded in $((t2 - t1)) s"

table=nova.instance_actions_events
cols='`id`,`action_id`,`event`,`start_time`,`finish_time`,`result`,`host`,`created_at`,`updated_at`,`deleted_at`,`deleted`'
sql="SELECT $cols FROM \`nova\`.\`instance_actions_events\`"
rows=$(testdb_sql "SELECT COUNT(*) FROM $table" -N)
# warm the buffer pool
"$work/bare" "$TESTDB_CNF" "$sql" >/dev/null

run() { # run NAME COMMAND...: append "NAME seconds maxrss_kb" to results
    _name=$1; shift
    /usr/bin/time -f "$_name %e %M %U %S" -a -o "$work/results" "$@" >/dev/null
}
: >"$work/results"
i=0
while [ $i -lt "$rounds" ]; do
    run cu-dump cu-dump --defaults-file="$TESTDB_CNF" --no-progress -t "$table"
    run mariadb mariadb --defaults-file="$TESTDB_CNF" --batch --quick -e "$sql"
    run bare "$work/bare" "$TESTDB_CNF" "$sql"
    i=$((i + 1))
done
awk -v rows="$rows" '
    { if (!($1 in best) || $2 < best[$1]) best[$1] = $2
      cpu = $4 + $5
      if (!($1 in bcpu) || cpu < bcpu[$1]) bcpu[$1] = cpu
      if ($3 > rss[$1]) rss[$1] = $3 }
    END {
        printf "%s rows of nova.instance_actions_events, best of each:\n", rows
        for (k in best)
            printf "  %-8s wall %6.2f s (%8.0f rows/s)  cpu %5.2f s  peak RSS %6.1f MB\n", k, best[k], rows / best[k], bcpu[k], rss[k] / 1024
        printf "cu-dump vs mariadb --batch --quick: wall %.2fx, cpu %.2fx faster (goal >= 2)\n", best["mariadb"] / best["cu-dump"], bcpu["mariadb"] / bcpu["cu-dump"]
        printf "cu-dump vs bare use_result loop:    wall %.2fx, cpu %.2fx (goal >= 0.9)\n", best["bare"] / best["cu-dump"], bcpu["bare"] / bcpu["cu-dump"]
    }' "$work/results"
