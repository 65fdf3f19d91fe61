#!/bin/sh
# Micro-benchmark of the lib's TSV writer and reader (bench/lib-tsv-bench.c)
# for one or more build directories, run alternately ROUNDS times (default
# 3); prints each run and the best CPU time of each build and mode.
# Usage: bench/lib-tsv-bench.sh [-r ROUNDS] [-n ROWS] [-f TSVFILE] BUILDDIR...
# Without -f the reader reads a generated file of ROWS rows (default 3*10^6)
# shaped like the writer benchmark's rows (times, NULLs, a text column).
set -eu
rounds=3 rows=3000000 file=
while getopts r:n:f: o; do
    case $o in
    r) rounds=$OPTARG ;;
    n) rows=$OPTARG ;;
    f) file=$OPTARG ;;
    *) exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: $0 [-r ROUNDS] [-n ROWS] [-f TSVFILE] BUILDDIR..." >&2; exit 2; }
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/lib-tsv-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT HUP INT TERM
i=0
for b in "$@"; do
    i=$((i + 1))
    ${CC:-cc} -O2 -I"$src/lib" -I"$b" -o "$work/bench$i" \
        "$src/bench/lib-tsv-bench.c" "$b/libcu.a" -lz -lzstd -lcsv -lcrypto -lm
done
if [ -z "$file" ]; then
    file=$work/rows.tsv
    # rows shaped like those of the writer benchmark
    awk -v n="$rows" 'BEGIN {
        OFS = "\t"
        print "id", "action_id", "event", "start_time", "finish_time", "result", "host", "created_at", "updated_at", "deleted_at", "deleted", "details"
        for (i = 0; i < n; i++) {
            t = sprintf("2024-%02d-%02dT%02d:%02d:%02dZ", 1 + i % 12, 1 + i % 28, i % 24, i % 60, (i * 7) % 60)
            print i + 1, i + 1, "compute_start_instance", t, (i % 3 ? t : "\\N"), "Success", "cmp" (i % 400), t, t, "\\N", 0, (i % 16 ? "plain text of a detail column, some sixty bytes long, no escape" : "with\\ta tab\\nand a newline")
        }
    }' >"$file"
fi
echo "# lib TSV micro-benchmark, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# read input: $file ($(wc -c <"$file") bytes)"
r=0
while [ $r -lt "$rounds" ]; do
    i=0
    for b in "$@"; do
        i=$((i + 1))
        printf '%s ' "$b"; "$work/bench$i" write "$rows"
        printf '%s ' "$b"; "$work/bench$i" read "$file"
    done
    r=$((r + 1))
done | tee "$work/out"
echo "# best CPU seconds:"
awk '{ k = $1 " " $2; s = $(NF - 0); for (j = 1; j <= NF; j++) if ($j == "CPU") s = $(j - 1)
       if (!(k in best) || s < best[k]) best[k] = s }
     END { for (k in best) printf "%s %.3f\n", k, best[k] }' "$work/out" | sort
