#!/bin/sh
# cu-spans against the synthetic cloud's ground truth: cu-testcloud writes a
# cloud history and what it was built from; the rows go through MariaDB and
# cu-dump like a real cloud's, and the seconds per instance and state that
# cu-spans finds inside the truth window must agree exactly with the truth.
# Both Blazar variants; every data-quality quirk in the second run.
# CU_SPANS_TESTCLOUD_N sets the instances per site (default 10000).
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/testdb.sh"
. "$top_srcdir/tests/lib/tap.sh"
testdb_available || { echo "1..0 # SKIP mariadbd not installed"; exit 0; }
for prog in cu-testcloud cu-dump cu-spans; do
    command -v $prog >/dev/null 2>&1 || { echo "1..0 # SKIP $prog not built"; exit 0; }
done
ninst=${CU_SPANS_TESTCLOUD_N:-10000}
work=$(mktemp -d "${TMPDIR:-/tmp}/cu-spans-tc.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT

# instance seconds per state of a span stream: site uuid active stopped
# error shelved (instances with no seconds in the window left out, as in the
# truth)
seconds() {
    awk -F '\t' -v OFS='\t' "$(cat "$top_srcdir/tests/lib/epoch.awk")"'
    BEGIN { st["active"] = 1; st["stopped"] = 2; st["error"] = 3; st["shelved"] = 4 }
    NR > 1 && $2 == "instance" {
        k = $1 OFS $4; seen[k] = 1; sec[k, st[$3]] += epoch($6) - epoch($5)
    }
    END {
        for (k in seen)
            if (sec[k, 1] + sec[k, 2] + sec[k, 3] + sec[k, 4] > 0)
                print k, sec[k, 1] + 0, sec[k, 2] + 0, sec[k, 3] + 0, sec[k, 4] + 0
    }' | sort
}

echo 1..10
for variant in chameleon upstream; do
    quirks=none
    [ $variant = upstream ] && quirks=all
    dir="$work/$variant"
    cu-testcloud -o "$dir" -n "$ninst" --start 2024-01-01 --end 2024-07-01 \
        --truth-start 2024-02-01 --truth-end 2024-06-01 \
        --blazar $variant --quirks $quirks >/dev/null 2>"$work/err" ||
        { cat "$work/err"; exit 99; }
    schema=blazar
    [ $variant = chameleon ] && schema=blazar-chameleon
    testdb_start $schema || exit 99
    trap 'testdb_cleanup; rm -rf "$work"' EXIT
    (cd "$dir/site1" && mariadb --defaults-file="$TESTDB_CNF" --local-infile=1 < load.sql) ||
        { echo "Bail out! loading the test cloud failed"; exit 99; }
    # one variant through a JSONS stream, the other through an archive dir
    if [ $variant = chameleon ]; then
        cu-dump --defaults-file="$TESTDB_CNF" --jsons > "$work/dump" 2>"$work/err"
    else
        rm -rf "$work/dump" &&
        cu-dump --defaults-file="$TESTDB_CNF" -o "$work/dump" 2>"$work/err"
    fi
    if [ $? -eq 0 ]; then
        ok "$variant: cu-dump"
    else
        not_ok "$variant: cu-dump failed: $(head -3 "$work/err")"
    fi
    testdb_stop
    if cu-spans --no-trailers --site site1 --start 2024-02-01T00:00:00Z --end 2024-06-01T00:00:00Z \
        --stats "$work/dump" > "$work/spans.tsv" 2>"$work/stats"; then
        ok "$variant: cu-spans"
    else
        not_ok "$variant: cu-spans failed: $(head -3 "$work/stats")"
    fi
    seconds < "$work/spans.tsv" > "$work/mine"
    awk -F '\t' -v OFS='\t' 'NR > 1 && $10 + $11 + $12 + $13 > 0 {
        print $1, $2, $10, $11, $12, $13 }' "$dir/truth/instance_seconds.tsv" |
        sort > "$work/truth"
    # The host spans over the whole history, nodes to 9 decimals; spans of
    # reservations whose allocations upstream Blazar deleted (host unknown,
    # audit null_key) are cu-spans' own audit rows, not in the truth.
    cu-spans --no-trailers --site site1 "$work/dump" > "$work/all.tsv" 2>>"$work/stats"
    hostspans() {
        awk -F '\t' -v OFS='\t' 'NR > 1 && $2 != "instance" && $18 != "null_key" {
            $14 = sprintf("%.9f", $14); print }' "$1" | sort
    }
    hostspans "$dir/truth/spans.tsv" > "$work/truth-hosts"
    hostspans "$work/all.tsv" > "$work/mine-hosts"
    if [ -s "$work/truth-hosts" ] && cmp -s "$work/truth-hosts" "$work/mine-hosts"; then
        ok "$variant: $(wc -l < "$work/truth-hosts") total, reservable and committed spans agree"
    else
        not_ok "$variant: total, reservable or committed spans differ from the truth"
        diff "$work/truth-hosts" "$work/mine-hosts" | head -10 | sed 's/^/# /'
    fi
    # Instance spans over the whole history, hosts and sizes included:
    # every stretch on the host the truth put it on. Left out: reserved
    # instances the truth leaves open past their lease, which cu-spans ends
    # with the lease (its documented clamp).
    { echo id; awk -F '\t' '$2 == "instance" && $6 == "\\N" && $13 == "reservation" {
        print $4 }' "$dir/truth/spans.tsv"; } > "$work/open-reserved"
    instspans() {
        awk -F '\t' -v OFS='\t' 'NR == FNR { skip[$1] = 1; next }
            FNR > 1 && $2 == "instance" && !($4 in skip) {
                $14 = sprintf("%.9f", $14); NF = 17; print }' "$work/open-reserved" "$1" | sort
    }
    instspans "$dir/truth/spans.tsv" > "$work/truth-inst"
    instspans "$work/all.tsv" > "$work/mine-inst"
    if [ -s "$work/truth-inst" ] && cmp -s "$work/truth-inst" "$work/mine-inst"; then
        ok "$variant: $(wc -l < "$work/truth-inst") instance spans agree, hosts and sizes too"
    else
        not_ok "$variant: instance spans differ from the truth"
        diff "$work/truth-inst" "$work/mine-inst" | head -10 | sed 's/^/# /'
    fi
    if cmp -s "$work/truth" "$work/mine"; then
        ok "$variant: seconds per instance and state agree for $(wc -l < "$work/truth") instances"
    else
        not_ok "$variant: seconds per instance and state differ from the truth"
        diff "$work/truth" "$work/mine" | head -10 | sed 's/^/# /'
    fi
done
rm -rf "$work"
