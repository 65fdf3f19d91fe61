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

# distinct instances: in cu-spans order (by site and id) they are counted
# without sets; shuffled, with them: both give the same table, with and
# without --end (spans still open are counted last, after their instance's
# others)
{ head -1 "$spans"; tail -n +2 "$spans" | grep -v '^#' |
    LC_ALL=C sort -t "$(printf '\t')" -k1,1 -k4,4 -k5,5; } > sorted.tsv
{ head -1 "$spans"; tail -n +2 "$spans" | grep -v '^#' |
    awk 'BEGIN { srand(7) } { print rand() "\t" $0 }' | LC_ALL=C sort -n | cut -f2-; } > shuffled.tsv
for w in "$window" "--start 2024-03-01"; do
    cu-report usage $w --by project,flavor --period month --states active,stopped \
        --total --check --no-trailers sorted.tsv > d-sorted.tsv 2>&1
    cu-report usage $w --by project,flavor --period month --states active,stopped \
        --total --check --no-trailers shuffled.tsv > d-shuffled.tsv 2>&1
    rows=$(wc -l < d-sorted.tsv | tr -d ' ')
    if [ "$rows" -gt 1000 ] && cmp -s d-sorted.tsv d-shuffled.tsv; then
        ok "instances in cu-spans order = instances shuffled ($w, $rows rows)"
    else
        not_ok "instances in cu-spans order = instances shuffled ($w, $rows rows)"
        diff d-sorted.tsv d-shuffled.tsv | head -5 | sed 's/^/# /'
    fi
done
# a sorted input that leaves the order after 65,536 instances is refused
awk 'BEGIN { OFS = "\t"
    print "site", "kind", "state", "id", "start", "end", "host", "project", "user",
          "reservation", "lease", "flavor", "booking", "nodes", "vcpus",
          "memory_mb", "disk_gb", "audit"
    for (i = 1; i <= 70000; i++)
        print "s", "instance", "active", sprintf("i%06d", i), "2024-01-01T00:00:00Z",
              "2024-01-01T01:00:00Z", "h", "p", "u", "\\N", "\\N", "f", "ondemand",
              "1", "1", "1", "1", "ok"
    print "s", "instance", "active", "i000001", "2024-01-02T00:00:00Z",
          "2024-01-02T01:00:00Z", "h", "p", "u", "\\N", "\\N", "f", "ondemand",
          "1", "1", "1", "1", "ok" }' > late.tsv
cu-report usage late.tsv > /dev/null 2> late.err
check "an input out of order after 65,536 instances: exit 1, said" \
    sh -c "[ $? -eq 1 ] && grep -q 'leave cu-spans order' late.err"
head -60000 late.tsv > early.tsv; tail -1 late.tsv >> early.tsv
is "out of order within the first 65,536: counted exactly (59,999 instances)" \
    "$(cu-report usage --no-trailers early.tsv | awk -F '\t' 'NR == 2 { print $4 " " $5 }')" \
    "59999 60000"

# invoices against the usage report (another path: groups and periods
# there, instance-months and sizes here), with one SU = one vCPU
printf 'su_type\tflavors\tvcpus\tmemory_mb\tgpus\trate\tfrom\nCPU\t*\t1\t0\t0\t0.013\t2024-01\n' > rates.tsv
cu-report invoice $window --rates rates.tsv --rounding none --check --tsv \
    --no-trailers "$spans" > inv-exact.tsv 2> inv-exact.err
check "invoice --rounding none --check holds on the generator's cloud" [ $? -eq 0 ]
cu-report usage $window --by project --period month --no-trailers "$spans" |
    awk -F '\t' 'NR > 1 && $7 != "0" { print substr($1, 1, 7) "\t" $3 "\t" $7 }' |
    sort > usage-vcpu.tsv
awk -F '\t' 'NR > 1 { print $1 "\t" $5 "\t" $12 }' inv-exact.tsv | sort > inv-su.tsv
nrows=$(wc -l < inv-su.tsv | tr -d ' ')
if [ "$nrows" -gt 50 ] && cmp -s usage-vcpu.tsv inv-su.tsv; then
    ok "exact invoice SU-hours = usage vCPU-hours per project and month ($nrows rows)"
else
    not_ok "exact invoice SU-hours = usage vCPU-hours per project and month ($nrows rows)"
    diff usage-vcpu.tsv inv-su.tsv | head -5 | sed 's/^/# /'
fi
# whole hours: each instance's hours at each size in each month rounded
# up, worked out in awk from usage --by instance,flavor per month
cu-report invoice $window --rates rates.tsv --check --tsv --no-trailers \
    "$spans" > inv-ceil.tsv 2> inv-ceil.err
check "invoice --check holds on the generator's cloud" [ $? -eq 0 ]
cu-report usage $window --by project,instance,flavor --period month \
    --no-trailers "$spans" |
    awk -F '\t' 'NR > 1 && $7 != "0" {
            h = $7; c = (h == int(h)) ? h : int(h) + 1
            su[substr($1, 1, 7) "\t" $3] += c * int($9 / h + 0.5) }
        END { for (k in su) print k "\t" su[k] }' | sort > usage-ceil.tsv
awk -F '\t' 'NR > 1 { print $1 "\t" $5 "\t" $12 }' inv-ceil.tsv | sort > inv-ceil-su.tsv
if [ "$nrows" -gt 50 ] && cmp -s usage-ceil.tsv inv-ceil-su.tsv; then
    ok "invoice SU-hours = hours rounded up per instance-month x vCPUs, worked out apart"
else
    not_ok "invoice SU-hours = hours rounded up per instance-month x vCPUs, worked out apart"
    diff usage-ceil.tsv inv-ceil-su.tsv | head -5 | sed 's/^/# /'
fi

# institutions: the generator's file (projects in one or two institutions);
# the sum over institutions is the sum over projects, column by column
cu-report usage $window --institutions cloud/institutions.tsv \
    --by institution --total --check --no-trailers "$spans" > inst.tsv 2> inst.err
check "usage --by institution --check holds on the generator's cloud" [ $? -eq 0 ]
cu-report usage $window --by project --total --no-trailers "$spans" > proj.tsv
is "the institutions' rows add up to the projects' total (vCPU-hours)" \
    "$(awk -F '\t' 'NR > 1 && $3 != "(total)" { s += $7 } END { printf "%.2f", s }' inst.tsv)" \
    "$(awk -F '\t' '$3 == "(total)" { printf "%.2f", $7 }' proj.tsv)"
ninst=$(awk -F '\t' 'NR > 1 && $3 != "(total)"' inst.tsv | wc -l | tr -d ' ')
check "several institutions report ($ninst)" [ "$ninst" -gt 2 ]
tap_done
