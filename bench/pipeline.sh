#!/bin/bash
# The nightly run against the same work done by hand: a generated cloud of N
# instances (10^5 by default; 10^6 takes a long MariaDB load and about 5 GB of
# scratch space) in a throwaway MariaDB, then, alternated in each of ROUNDS
# rounds (best wall time kept):
#   plain   cu-dump -o (uncompressed members), cu-spans > spans.tsv,
#           cu-timeline > timeline.tsv: the chain an operator would write,
#           every file uncompressed
#   pipe    cu-dump | cu-spans | cu-timeline > timeline.tsv, one pipe
#   hourly  the plain chain writing what cu-pipeline writes by default: the
#           hourly and daily timelines instead of the full one
#   pipeline  cu-pipeline with its defaults (zstd archive, spans and the
#           hourly and daily timelines, the check, the monthly reports)
#   before  (with CU_BENCH_BEFORE=DIR, the build dir of an earlier cu
#           whose top dir holds its scripts/: git worktree add, configure,
#           make) that cu's cu-pipeline, with its tools, on the same database
# and prints the stage seconds of the pipeline's log, output sizes, and the
# ratio pipeline / plain chain (the goal of issue #18: at most 1.5).
# Run from a build dir (the tools and cu-testcloud there) with top_srcdir set,
# or from the source tree's parent.
# Usage: bench/pipeline.sh [N] [ROUNDS]
set -euo pipefail
n=${1:-100000}
rounds=${2:-3}
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
export top_srcdir
PATH=$(pwd):$top_srcdir/scripts:$PATH
work=$(mktemp -d "${TMPDIR:-/tmp}/cu-pipeline-bench.XXXXXX")

. "$top_srcdir/tests/lib/testdb.sh"
testdb_available || { echo "mariadbd not installed" >&2; exit 1; }
trap 'testdb_cleanup; rm -rf "$work"' EXIT HUP INT TERM
cu-testcloud -o "$work/cloud" -n "$n" --site-names b1 >/dev/null
testdb_start blazar-chameleon
trap 'testdb_cleanup; rm -rf "$work"' EXIT HUP INT TERM
testdb_load "$work/cloud/b1"
rm -rf "$work/cloud"
printf 'site\tname\tgroup\tdir\tdefaults_file\nb1\tBench\t\t\t%s\n' "$TESTDB_CNF" >"$work/sites.tsv"
rows=$(mariadb --defaults-file="$TESTDB_CNF" -N -e "SELECT SUM(TABLE_ROWS) FROM information_schema.TABLES WHERE TABLE_SCHEMA IN ('nova','nova_cell1','nova_api','blazar','keystone')")

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
best() { # NAME SECONDS: keep the smallest
    if [ ! -f "$work/best.$1" ] || awk -v a="$2" -v b="$(cat "$work/best.$1")" 'BEGIN { exit !(a < b) }'; then
        echo "$2" >"$work/best.$1"
    fi
}
win=(--end 2025-01-01)

plain() {
    rm -rf "$work/plain"; mkdir "$work/plain"
    local t; t=$(now)
    cu-dump --no-progress --sites "$work/sites.tsv" --site b1 "${win[@]}" --compress none -o "$work/plain/archive" 2>/dev/null
    cu-spans --site b1 "${win[@]}" "$work/plain/archive" >"$work/plain/spans.tsv"
    cu-timeline "${win[@]}" "$work/plain/spans.tsv" >"$work/plain/timeline.tsv"
    best plain "$(since "$t")"
}
pipe() {
    rm -rf "$work/pipe"; mkdir "$work/pipe"
    local t; t=$(now)
    cu-dump --no-progress --sites "$work/sites.tsv" --site b1 "${win[@]}" 2>/dev/null |
        cu-spans --site b1 "${win[@]}" | cu-timeline "${win[@]}" >"$work/pipe/timeline.tsv"
    best pipe "$(since "$t")"
}
hourly() {
    rm -rf "$work/hourly"; mkdir "$work/hourly"
    local t; t=$(now)
    cu-dump --no-progress --sites "$work/sites.tsv" --site b1 "${win[@]}" --compress none -o "$work/hourly/archive" 2>/dev/null
    cu-spans --site b1 "${win[@]}" "$work/hourly/archive" >"$work/hourly/spans.tsv"
    cu-timeline "${win[@]}" --step 1h "$work/hourly/spans.tsv" >"$work/hourly/timeline-1h.tsv"
    cu-timeline "${win[@]}" --step 1d "$work/hourly/spans.tsv" >"$work/hourly/timeline-1d.tsv"
    best hourly "$(since "$t")"
}
pipeline() {
    rm -rf "$work/runs"
    local t; t=$(now)
    cu-pipeline --sites "$work/sites.tsv" --out "$work/runs" --run-id r "${win[@]}" 2>/dev/null >/dev/null
    best pipeline "$(since "$t")"
    cp "$work/runs/r/pipeline.log" "$work/pipeline.log.last"
}

before() {
    rm -rf "$work/runs-before"
    local t; t=$(now)
    PATH=$CU_BENCH_BEFORE:$CU_BENCH_BEFORE/../scripts:$PATH \
        cu-pipeline --sites "$work/sites.tsv" --out "$work/runs-before" --run-id r "${win[@]}" 2>/dev/null >/dev/null
    best before "$(since "$t")"
}
variants="plain pipe hourly pipeline"
[ -z "${CU_BENCH_BEFORE:-}" ] || variants="$variants before"

for ((i = 1; i <= rounds; i++)); do
    for v in $variants; do "$v"; done
done

size() { du -sb "$1" | cut -f1; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
echo "cu-pipeline bench: $n instances, $rows rows in the database, best of $rounds rounds ($(nproc) CPUs)"
printf '%-10s %8s\n' variant seconds
for v in $variants; do printf '%-10s %8s\n' "$v" "$(cat "$work/best.$v")"; done
echo
echo "pipeline stages (last round; the tools' own seconds):"
sed -n 's/.* site=b1 stage=\([a-z]*\) rows=\([0-9]*\) bytes=\([0-9]*\) stored=\([0-9]*\) seconds=\([0-9.]*\)$/\1 \2 \3 \4 \5/p' "$work/pipeline.log.last" |
    awk '{ printf "  %-9s %10d rows %9.1f MB -> %8.1f MB %8.2f s\n", $1, $2, $3 / 1e6, $4 / 1e6, $5 }'
echo
echo "sizes:"
echo "  plain archive $(mb "$(size "$work/plain/archive")"), spans $(mb "$(size "$work/plain/spans.tsv")"), full timeline $(mb "$(size "$work/plain/timeline.tsv")")"
echo "  hourly + daily timelines $(mb $(( $(size "$work/hourly/timeline-1h.tsv") + $(size "$work/hourly/timeline-1d.tsv") )))"
r="$work/runs/r/b1"
echo "  pipeline archive $(mb "$(size "$r/archive")") (zstd), spans $(mb "$(size "$r/spans.tsv.zst")"), timelines $(mb $(( $(size "$r/timeline-1h.tsv.zst") + $(size "$r/timeline-1d.tsv.zst") )))"
gz=$(for f in "$work/plain/archive"/*.tsv; do gzip -6 -c "$f" | wc -c; done | awk '{ s += $1 } END { print s }')
echo "  the plain archive as gzip -6 (the old default): $(mb "$gz")"
if [ -n "${CU_BENCH_BEFORE:-}" ]; then
    echo "  before: run directory $(mb "$(size "$work/runs-before/r")"), now $(mb "$(size "$work/runs/r")")"
fi
echo
awk -v p="$(cat "$work/best.pipeline")" -v c="$(cat "$work/best.plain")" -v h="$(cat "$work/best.hourly")" 'BEGIN {
    printf "pipeline / plain chain: %.2f (goal <= 1.5); pipeline / plain chain with the same timelines: %.2f\n", p / c, p / h }'
