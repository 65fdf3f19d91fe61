#!/bin/sh
# What a JSON library (jansson) would cost cu against its one hand-written
# JSON scanner (lib/json), on the generator's cloud: the JSONS reader on
# cu-spans --jsons output, and the reduction of Nova's request_specs blobs
# to the columns cu-dump derives (its own list, catalog.c) (bench/json-bench.c). Needs
# libjansson-dev (not a dependency of cu: only this benchmark links it).
# Run from a build dir (cu-testcloud, cu-spans and libcu.a there) with
# top_srcdir set, or from the source tree's parent.
# Usage: bench/json-bench.sh [N] [ROUNDS]
set -eu
n=${1:-100000}
rounds=${2:-3}
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
work=$(mktemp -d "${TMPDIR:-/tmp}/cu-json-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT HUP INT TERM
pkg-config --exists jansson || { echo "libjansson-dev is not installed" >&2; exit 1; }
# shellcheck disable=SC2046
cc -O2 -std=c11 -I. -I"$top_srcdir/lib" -I"$top_srcdir/tools/cu-dump" \
    $(pkg-config --cflags libmariadb jansson) -o "$work/json-bench" \
    "$top_srcdir/bench/json-bench.c" "$top_srcdir/tools/cu-dump/json.c" \
    "$top_srcdir/tools/cu-dump/strings.c" \
    "$top_srcdir/tools/cu-dump/catalog.c" libcu.a \
    $(pkg-config --libs jansson) -lz -lzstd -lcrypto -lcsv -lm
./cu-testcloud -o "$work/cloud" -n "$n" > /dev/null
cut -f5 "$work/cloud/site1/nova_api.request_specs.tsv" > "$work/blobs.txt"
# the generator's true span stream as JSONS (cu-mask keeping every column
# is the format converter at hand)
./cu-mask --jsons --keep site,kind,state,id,start,end,host,project,user,reservation,lease,flavor,booking,nodes,vcpus,memory_mb,disk_gb,audit \
    "$work/cloud/truth/spans.tsv" > "$work/spans.jsons"
"$work/json-bench" jsons "$work/spans.jsons" "$rounds"
"$work/json-bench" blobs "$work/blobs.txt" "$rounds"
