#!/bin/sh
# The sample files of examples/ stay valid: cu-report reads each of them
# (rates, institutions, outages) and the sites file has its columns.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib/tap.sh"
ex="$top_srcdir/examples"
spans="$top_srcdir/tests/data/cu-report/billing.tsv"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cu-examples.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

# the billing spans are of 2024; the sample rates start in 2025
sed 's/\t2024-/\t2025-/g' "$spans" > "$tmp/spans.tsv"
cu-report invoice --rates "$ex/rates.tsv" --outages "$ex/outages.tsv" \
    --institutions "$ex/institutions.tsv" --check "$tmp/spans.tsv" \
    > "$tmp/inv.csv" 2> "$tmp/inv.err"
check "examples/rates.tsv, outages.tsv and institutions.tsv drive an invoice" [ $? -eq 0 ]
is "the CPU SU of the sample rates: 1 vCPU or 4 GiB (m1.big: 8 SUs, 1 h in January)" \
    "$(awk -F, '$1 == "2025-01" { print $12 " " $13 " " $15 }' "$tmp/inv.csv")" \
    "8 OpenStack CPU 0.10"
is "its price changes in July" \
    "$(awk -F '\t' 'NR > 1 && $7 >= "2025-07" { print $6 }' "$ex/rates.tsv")" "0.015"
cu-report usage --institutions "$ex/institutions.tsv" --by institution \
    "$tmp/spans.tsv" > /dev/null 2> "$tmp/inst.err"
check "examples/institutions.tsv: every project's shares sum to 100" [ $? -eq 0 ]
header=$(head -1 "$ex/sites.tsv")
is "examples/sites.tsv has cu-dump's and cu-pipeline's columns" "$header" \
    "$(printf 'site\tname\tgroup\tdir\tdefaults_file\trates\tinstitutions')"
is "every row of examples/sites.tsv has every column" \
    "$(awk -F '\t' 'NF != 7' "$ex/sites.tsv")" ""
tap_done
