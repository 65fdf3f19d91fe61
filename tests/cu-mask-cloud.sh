#!/bin/sh
# cu-mask on a generated cloud: dump a throwaway MariaDB loaded with the
# cu-testcloud generator's cloud (odd names included: tabs, newlines,
# backslashes, non-ASCII), mask the dump and its trace with the default
# preset, then search the masked output for every identifying value taken
# straight from the database: none may be left. Also: the joins cu-spans
# needs still match as many rows as before.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib/testdb.sh"
. "$top_srcdir/tests/lib/tap.sh"

for t in cu-dump cu-testcloud cu-mask; do
    command -v "$t" > /dev/null 2>&1 ||
        { echo "1..0 # SKIP $t not built"; exit 0; }
done
testdb_available || { echo "1..0 # SKIP mariadbd not installed"; exit 0; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cu-mask-cloud.XXXXXX") || exit 99
cleanup() { testdb_cleanup; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
cd "$tmp" || exit 99

echo "1..16"
testdb_start blazar-chameleon > start.log 2>&1 || {
    echo "Bail out! testdb_start failed"; sed 's/^/# /' start.log; exit 1; }
cu-testcloud -o cloud -n 300 --quirks odd-names --start 2024-01-01 \
    --end 2024-04-01 > gen.log 2>&1 || {
    echo "Bail out! cu-testcloud failed"; sed 's/^/# /' gen.log; exit 1; }
(cd cloud/site1 && mariadb --defaults-file="$TESTDB_CNF" --local-infile=1 \
    < load.sql) > load.log 2>&1 || {
    echo "Bail out! loading the cloud failed"; sed 's/^/# /' load.log; exit 1; }

(umask 077 && echo 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f > key)
cu-dump --defaults-file="$TESTDB_CNF" > dump.tsv 2> dump.err
cu-dump --defaults-file="$TESTDB_CNF" --trace > trace.tsv 2>> dump.err
{ cu-mask --key-file key dump.tsv && cu-mask --key-file key trace.tsv; } > masked.tsv 2> mask.err
is "dump, trace and mask succeed" "$?:$(wc -l < dump.err | tr -d ' '):$(wc -c < mask.err | tr -d ' ')" "0:0:0"
[ -s dump.err ] && sed 's/^/# /' dump.err | head -5

# Every identifying value, as mariadb --batch escapes it (the same four
# escapes as cu TSV), from the columns the preset is there for.
q() { mariadb --defaults-file="$TESTDB_CNF" --batch --skip-column-names -e "$1"; }
q "
SELECT user_id FROM nova.instances UNION SELECT project_id FROM nova.instances
UNION SELECT hostname FROM nova.instances UNION SELECT display_name FROM nova.instances
UNION SELECT host FROM nova.instances UNION SELECT node FROM nova.instances
UNION SELECT launched_on FROM nova.instances UNION SELECT uuid FROM nova.instances
UNION SELECT user_id FROM nova.instance_actions UNION SELECT project_id FROM nova.instance_actions
UNION SELECT host FROM nova.instance_actions_events
UNION SELECT host FROM nova.compute_nodes UNION SELECT hypervisor_hostname FROM nova.compute_nodes
UNION SELECT hypervisor_hostname FROM blazar.computehosts UNION SELECT service_name FROM blazar.computehosts
UNION SELECT id FROM blazar.leases UNION SELECT name FROM blazar.leases
UNION SELECT user_id FROM blazar.leases UNION SELECT project_id FROM blazar.leases
UNION SELECT id FROM keystone.project WHERE id <> '<<keystone.domain.root>>'
UNION SELECT name FROM keystone.project WHERE id <> '<<keystone.domain.root>>'
" | grep -v -x -e NULL -e '' > ids
nids=$(wc -l < ids | tr -d ' ')
if [ "$nids" -gt 500 ]; then ok "collected $nids identifiers"; else
    not_ok "collected $nids identifiers, expected more than 500"; fi
odd=$(grep -c -e '\\t' -e '\\n' -e '\\\\' -e "$(printf '[\200-\377]')" ids)
if [ "$odd" -gt 0 ]; then ok "$odd of them with tabs, newlines, backslashes or non-ASCII"; else
    not_ok "no odd names among the identifiers"; fi

# Each one searched for as a substring of the whole masked output.
found=$(grep -F -f ids masked.tsv | head -3)
is "no identifier of the generated cloud in the masked output" "$found" ""
# ... and, as a check of the check, all of them can be found unmasked.
missing=$(grep -F -o -f ids dump.tsv trace.tsv | cut -d: -f2- | sort -u | wc -l | tr -d ' ')
if [ "$missing" -gt 0 ]; then ok "the same search finds $missing of them in the unmasked dump"; else
    not_ok "the search finds nothing even unmasked"; fi

# A sweep by shape, whatever the column: every UUID-shaped, 32-hex and
# req- value of the dump, with or without --all-columns, and every host
# name of the generator (site1-...), also inside other values (Blazar's
# reservation:<uuid> flavor names, the Chameleon fork's deleted = id):
# none is left after the default preset.
cu-dump --defaults-file="$TESTDB_CNF" --all-columns > dumpall.tsv 2>> dump.err
cu-mask --key-file key dumpall.tsv > maskedall.tsv 2>> mask.err
shapes='[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|(^|[^0-9a-f])[0-9a-f]{32}([^0-9a-f]|$)|req-[0-9a-f-]{36}|site1-[^	\\,"]+'
grep -v '^#' dump.tsv dumpall.tsv trace.tsv | cut -d: -f2- | grep -oE "$shapes" |
    sed -E 's/^[^0-9a-fA-Fr s]//; s/[^0-9a-zA-Z]$//' | sort -u > shaped
nshaped=$(wc -l < shaped | tr -d ' ')
if [ "$nshaped" -gt 3000 ] && grep -q '^req-' shaped && grep -q '^site1-' shaped; then
    ok "$nshaped identifier-shaped values in the dumps (uuids, 32-hex, req-, hosts)"
else
    not_ok "only $nshaped identifier-shaped values found in the dumps"
fi
is "none of them survives the default mask, --all-columns included" \
    "$(cat masked.tsv maskedall.tsv | grep -F -o -f shaped | sort -u | head -3)" ""
# People's and projects' names (keystone local_user and project): none left.
awk -F '\t' '/^#table/ { t = $2; getline; for (i = 1; i <= NF; i++) c[i] = $i; next }
    /^#/ { next }
    (t == "keystone.local_user" || t == "keystone.project") {
        for (i = 1; i <= NF; i++) if (c[i] == "name" && length($i) > 3) print $i }' \
    dump.tsv | sort -u > names
nnames=$(wc -l < names | tr -d ' ')
check "the dump names users and projects ($nnames names)" [ "$nnames" -gt 20 ]
is "no user or project name survives the default mask" \
    "$(grep -v '^#' masked.tsv | grep -F -o -f names | sort -u | head -3)" ""

# The same for the JSONS dump and the legacy Star Compactor CSV trace.
cu-dump --defaults-file="$TESTDB_CNF" --jsons | cu-mask --key-file key > masked.jsons
cu-dump --defaults-file="$TESTDB_CNF" --trace --csv --starcompactor |
    cu-mask --key-file key --from csv > masked.csv
is "JSONS dump: masked, no identifier left" \
    "$(grep -c . masked.jsons | awk '{ print ($1 > 1000) }'):$(grep -F -f ids masked.jsons | head -3)" "1:"
is "legacy CSV trace: masked, no identifier left" \
    "$(grep -c . masked.csv | awk '{ print ($1 > 1000) }'):$(grep -F -f ids masked.csv | head -3)" "1:"

# A cu-dump archive in, a masked archive out: same manifest columns and
# row counts, and its content is the masked stream.
cu-dump --defaults-file="$TESTDB_CNF" -o arch > /dev/null 2>&1
cu-mask --key-file key -o march arch 2> march.err
is "archive: same manifest columns, tables, statuses and row counts" \
    "$(head -1 march/MANIFEST.tsv; cut -f1,3,4 march/MANIFEST.tsv | md5sum)" \
    "$(head -1 arch/MANIFEST.tsv; cut -f1,3,4 arch/MANIFEST.tsv | md5sum)"
cu-mask --key-file key --keep 1- march 2> /dev/null | sort > a.sorted
cu-mask --key-file key dump.tsv | sort > b.sorted
if [ -s a.sorted ] && cmp -s a.sorted b.sorted; then ok "archive: content = the masked stream"
else not_ok "archive: content = the masked stream"; fi

# Joins: events -> actions -> instances -> compute_nodes, as cu-spans does.
joins() { # rows of instances whose node is a compute node, and actions
          # whose instance exists
    awk -F '\t' '
        /^#table\t/ { t = $2; hdr = 1; next }
        hdr { hdr = 0; delete c; for (i = 1; i <= NF; i++) c[$i] = i; next }
        t ~ /\.compute_nodes$/ { hh[$c["hypervisor_hostname"]]; next }
        t ~ /\.instances$/ { inst[$c["uuid"]]; node[NR] = $c["node"]; next }
        t ~ /\.instance_actions$/ { act[NR] = $c["instance_uuid"]; next }
        END { for (k in node) if (node[k] in hh) a++
              for (k in act) if (act[k] in inst) b++
              print a + 0, b + 0 }' "$1"
}
before=$(joins dump.tsv)
case $before in
    "0 "* | *" 0") not_ok "the joins match rows before masking: $before" ;;
    *) is "join row counts unchanged by masking ($before)" "$(joins masked.tsv)" "$before" ;;
esac

# Masking commutes with cu-spans: spans of the masked dump are the masked
# spans of the dump (the preset masks every join key cu-spans uses the same
# way in both streams). Sorted, since cu-spans orders by id.
if command -v cu-spans > /dev/null 2>&1; then
    cu-spans dump.tsv > spans.tsv 2> spans.err
    cu-mask --key-file key spans.tsv | sort > a.tsv
    cu-mask --key-file key dump.tsv | cu-spans 2> spans2.err | sort > b.tsv
    is "cu-spans ran on the dump" "$(wc -c < spans.err | tr -d ' '):$(grep -c . spans.tsv)" "0:$(grep -c . spans.tsv)"
    if [ "$(grep -c . a.tsv)" -gt 100 ] && cmp -s a.tsv b.tsv; then
        ok "mask(spans(dump)) = spans(mask(dump)) ($(grep -c . a.tsv) lines)"
    else
        not_ok "mask(spans(dump)) = spans(mask(dump))"
        diff a.tsv b.tsv | head -5 | sed 's/^/# /'
    fi
else
    skip "cu-spans not built"
    skip "cu-spans not built"
fi
