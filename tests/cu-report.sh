#!/bin/sh
# cu-report usage against the generator's ground truth: cu-testcloud's
# expected span stream (truth/spans.tsv) of 10^4 instances, reported per
# project for each state over the truth window, must give exactly the
# per-project sums of the truth's instance_seconds.tsv (seconds per state,
# computed by the generator from its own model), at the report's precision.
# Also: --check holds on it, monthly periods add up to the whole window,
# and a planted difference is caught.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=.}"
. "$top_srcdir/tests/lib/tap.sh"
testcloud="$top_builddir/cu-testcloud"
[ -x "$testcloud" ] || { echo "1..0 # SKIP cu-testcloud not built"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cu-report-test.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
cd "$tmp" || exit 99

"$testcloud" -o cloud --sites 1 -n 10000 --start 2024-01-01 --end 2025-01-01 \
    > gen.log 2>&1 || bail_out "cu-testcloud failed"
spans=cloud/truth/spans.tsv
truth=cloud/truth/instance_seconds.tsv
window="--start 2024-01-01 --end 2025-01-01"

# project -> hours of one state, from the truth: its seconds / 3600 to 6
# decimals, trailing zeros dropped, as cu-report prints them
truth_hours() { # COLUMN
    awk -F '\t' -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) k[$i] = i; next }
        { s[$(k["project"])] += $(k[c]) }
        END { for (p in s) if (s[p] > 0) {
                  h = sprintf("%.6f", s[p] / 3600); sub(/0+$/, "", h); sub(/\.$/, "", h)
                  print p "\t" h } }' "$truth" | sort
}
for st in active stopped error shelved; do
    cu-report usage $window --by project --states "$st" --no-trailers "$spans" \
        > "r-$st.tsv" 2> "r-$st.err"
    status=$?
    awk -F '\t' 'NR > 1 && $5 != "0" { print $3 "\t" $5 }' "r-$st.tsv" | sort > got
    truth_hours "${st}_s" > want
    nproj=$(wc -l < want | tr -d ' ')
    if [ "$status" -eq 0 ] && [ "$nproj" -gt 10 ] && cmp -s got want; then
        ok "$st hours per project equal the generator's truth ($nproj projects)"
    else
        not_ok "$st hours per project equal the generator's truth (exit $status, $nproj projects)"
        diff want got | head -5 | sed 's/^/# /'
    fi
done

cu-report usage $window --by project,user --states active,stopped,error,shelved \
    --period month --check --no-trailers "$spans" > month.tsv 2> month.err
check "--check holds on 12 months by project and user" [ $? -eq 0 ]
cu-report usage $window --by site --states active,stopped,error,shelved \
    --no-trailers "$spans" > all.tsv
is "the months add up to the whole window (hours)" \
    "$(awk -F '\t' 'NR > 1 { h += $6 } END { printf "%.3f", h }' month.tsv)" \
    "$(awk -F '\t' 'NR > 1 { printf "%.3f", $5 }' all.tsv)"
CU_REPORT_PLANT_DIFFERENCE=1 cu-report usage $window --check "$spans" > /dev/null 2> planted.err
check "--check catches a difference planted in the rows (exit 1, the column named)" \
    sh -c "[ $? -eq 1 ] && grep -q 'check: vcpu_hours: ' planted.err"
# sessions: their wall hours per project are the active hours of usage,
# computed apart (sessions merge spans, usage sums them); --check holds
cu-report sessions $window --by project --check --no-trailers "$spans" \
    > sess.tsv 2> sess.err
check "sessions --check holds on the generator's cloud" [ $? -eq 0 ]
awk -F '\t' 'NR > 1 && $7 != "0" { print $3 "\t" $7 }' sess.tsv | sort > sess.hours
awk -F '\t' 'NR > 1 && $5 != "0" { print $3 "\t" $5 }' r-active.tsv | sort > usage.hours
nsess=$(awk -F '\t' 'NR > 1 { n += $4 } END { print n + 0 }' sess.tsv)
if [ "$nsess" -gt 1000 ] && cmp -s sess.hours usage.hours; then
    ok "sessions' wall hours per project = usage's active hours ($nsess sessions)"
else
    not_ok "sessions' wall hours per project = usage's active hours ($nsess sessions)"
    diff sess.hours usage.hours | head -5 | sed 's/^/# /'
fi

# utilisation: each site, month, resource and metric equals cu-timeline's
# integral over that month (its independent sweep)
cu-report utilisation $window --period month \
    --resources nodes,vcpus,memory_mb,disk_gb,instances --check --no-trailers \
    "$spans" > util.tsv 2> util.err
check "utilisation --check holds on the generator's cloud" [ $? -eq 0 ]
awk -F '\t' 'NR == 1 { for (i = 5; i <= 13; i++) m[i] = $i; next }
    { for (i = 5; i <= 13; i++) if ($i != "\\N") print $3 "\t" $1 "\t" $4 "\t" m[i] "\t" $i }' \
    util.tsv | sort > util.long
cu-timeline $window --step 1mo --agg integral --no-trailers "$spans" |
    awk -F '\t' 'NR > 1 && $4 !~ /^(active|stopped|error)_/' | sort > tl.long
nvalues=$(wc -l < tl.long | tr -d ' ')
if [ "$nvalues" -gt 400 ] && cmp -s util.long tl.long; then
    ok "utilisation equals cu-timeline --agg integral per month ($nvalues values)"
else
    not_ok "utilisation equals cu-timeline --agg integral per month ($nvalues values)"
    diff util.long tl.long | head -5 | sed 's/^/# /'
fi
tap_done
