#!/bin/sh
# cu-report usage --by project --period month on N spans (default 10^7)
# against the same table from DuckDB (npm @duckdb/node-api, one SQL query)
# and from gawk + GNU datamash (gawk splits the spans at month boundaries,
# datamash groups and sums), alternated over ROUNDS rounds; prints each
# one's best wall time, CPU time and peak RSS, and the ratios. The three
# tables are compared first (instances and hours per month and project).
#   bench/cu-report-bench.sh [N] [ROUNDS]   (cu-report on PATH)
# Needs node and npm (DuckDB is installed under $CU_BENCH_DIR on first
# use), gawk, datamash and GNU time. Goal (#14): >= 3x DuckDB and >= 10x
# datamash in wall time, peak RSS <= 64 MB.
set -eu
if [ "${1:-}" = --one ]; then # a timed run: --one TOOL SPANS
    mode=$2 spans=$3
else
    mode=""
fi
n=${1:-10000000}
rounds=${2:-3}
here=$(cd "$(dirname "$0")" && pwd)
work=${CU_BENCH_DIR:-${TMPDIR:-/tmp}/cu-report-bench}
mkdir -p "$work"
cd "$work"

run_cu() {
    cu-report usage --by project --period month --no-trailers "$spans" > cu.out
}
run_duckdb() {
    node cu-report-duckdb.mjs "$spans" duckdb.out
}
# gawk: the counted active instance spans, each piece of a month as
# "month project id seconds vcpu-s memory-s disk-s" (open spans end at the
# latest time of the input, so they wait for the end); datamash groups.
run_datamash() {
    TZ=UTC gawk -F '\t' -v OFS='\t' '
        function t(s) { return mktime(substr(s, 1, 4) " " substr(s, 6, 2) " " \
            substr(s, 9, 2) " " substr(s, 12, 2) " " substr(s, 15, 2) " " substr(s, 18, 2)) }
        function emit(p, id, s, e, v, m, d,   y, mo, ms, me, a, b, us) {
            y = strftime("%Y", s, 1) + 0; mo = strftime("%m", s, 1) + 0
            for (ms = mktime(y " " mo " 1 0 0 0"); ms < e; ms = me) {
                me = mktime(y " " (mo + 1) " 1 0 0 0"); mo++
                a = s > ms ? s : ms; b = e < me ? e : me; us = b - a
                print strftime("%Y-%m", ms, 1), p, id, us, us * v, us * m / 1024, us * d
            } }
        NR == 1 { next }
        { s = t($5); if (s > tmax) tmax = s
          if ($6 != "\\N") { e = t($6); if (e > tmax) tmax = e } else e = -1 }
        $2 != "instance" || $3 != "active" || $18 !~ /^(ok|clipped|fallback|inferred)$/ { next }
        e < 0 { open[++no] = $8 "\t" $4 "\t" s "\t" $15 "\t" $16 "\t" $17; next }
        e > s { emit($8, $4, s, e, $15, $16, $17) }
        END { for (i = 1; i <= no; i++) { split(open[i], f, "\t")
                  if (tmax > f[3]) emit(f[1], f[2], f[3], tmax, f[4], f[5], f[6]) } }
        ' "$spans" |
        datamash -s -g 1,2 countunique 3 sum 4 sum 5 sum 6 sum 7 > datamash.out
}
if [ -n "$mode" ]; then
    "run_$mode"
    exit
fi

for t in cu-report node npm gawk datamash /usr/bin/time cc; do
    command -v "$t" >/dev/null || { echo "cu-report-bench: needs $t" >&2; exit 2; }
done
[ -d node_modules/@duckdb/node-api ] ||
    { npm init -y >/dev/null && npm install --silent @duckdb/node-api >/dev/null; }
cp "$here/cu-report-duckdb.mjs" .
spans="spans-$n.tsv"
if [ ! -s "$spans" ]; then
    cc -O2 -o cu-report-gen "$here/cu-report-gen.c" -lm
    ./cu-report-gen "$n" > "$spans"
fi
echo "input: $spans, $(($(wc -l < "$spans") - 601)) instance spans after 600 hosts, $(du -m "$spans" | cut -f1) MB"

: > times
for r in $(seq "$rounds"); do
    for tool in cu duckdb datamash; do
        /usr/bin/time -f "$tool %e %U %S %M" -a -o times \
            sh "$here/cu-report-bench.sh" --one "$tool" "$spans" ||
            { echo "cu-report-bench: $tool failed" >&2; exit 1; }
    done
    echo "round $r: $(awk -v r="$r" '{ w[$1] = $2 } END { printf "cu-report %ss, DuckDB %ss, datamash %ss", w["cu"], w["duckdb"], w["datamash"] }' times)"
done

# the same table from all three: instances and hours (2 decimals)
awk -F '\t' 'NR > 1 { printf "%s\t%s\t%s\t%.2f\n", substr($1, 1, 7), $3, $4, $5 }' cu.out > a
awk -F '\t' 'NR > 1 { printf "%s\t%s\t%s\t%.2f\n", $1, $2, $3, $4 }' duckdb.out > b
awk -F '\t' '{ printf "%s\t%s\t%s\t%.2f\n", $1, $2, $3, $4 / 3600 }' datamash.out > c
if cmp -s a b && cmp -s a c; then
    echo "the three tables agree ($(wc -l < a) rows: month, project, instances, hours)"
else
    echo "cu-report-bench: the tables differ" >&2
    diff a b | head -5 >&2
    diff a c | head -5 >&2
    exit 1
fi

# best wall time of each, its CPU time, the peak RSS over the rounds
awk '{ cpu = $3 + $4
       if (!($1 in w) || $2 < w[$1]) { w[$1] = $2; c[$1] = cpu }
       if ($5 > m[$1]) m[$1] = $5 }
     END {
       printf "%-10s %8s %8s %10s\n", "", "wall s", "cpu s", "peak RSS"
       split("cu duckdb datamash", k, " ")
       for (i = 1; i <= 3; i++)
           printf "%-10s %8.2f %8.2f %7.1f MB\n", k[i], w[k[i]], c[k[i]], m[k[i]] / 1024
       printf "cu-report is %.1fx DuckDB and %.1fx datamash in wall time (goal 3x, 10x),\n",
           w["duckdb"] / w["cu"], w["datamash"] / w["cu"]
       printf "%.1fx and %.1fx in CPU time; peak RSS %.1f MB (goal <= 64 MB)\n",
           c["duckdb"] / c["cu"], c["datamash"] / c["cu"], m["cu"] / 1024 }' times
