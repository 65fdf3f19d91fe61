#!/bin/sh
# cu-timeline: what golden transcripts cannot show. Random span streams are
# checked against an independent computation in awk (events, sort -n, a
# running sum; integrals per day), for both layouts of the radix sort; plus
# --help, --version, write errors and --stats counts.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib/tap.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cu-timeline-test.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

echo "1..19"

# gen SEED NSPANS MODE: a random span stream on stdout. MODE "s": times in
# whole seconds over 28 days; "us": microsecond times over 3 hours (the key
# range then needs more than 32 bits: the wide sort layout).
gen() {
    awk -v seed="$1" -v n="$2" -v mode="$3" 'BEGIN {
        srand(seed)
        OFS = "\t"
        print "site", "kind", "state", "id", "start", "end", "host",
              "project", "user", "reservation", "lease", "flavor", "booking",
              "nodes", "vcpus", "memory_mb", "disk_gb", "audit"
        split("active stopped error shelved", states, " ")
        split("reservation ondemand", bookings, " ")
        split("uc tacc", sites, " ")
        split("ok ok ok clipped fallback orphan", audits, " ")
        range = mode == "s" ? 28 * 86400 : 3 * 3600 * 1000000
        for (i = 1; i <= n; i++) {
            a = int(rand() * range); b = a + 1 + int(rand() * range / 4)
            if (rand() < 0.2) a = int(a / 3600) * 3600   # shared instants
            if (rand() < 0.2) b = int(b / 3600) * 3600 + 3600
            end = (rand() < 0.05) ? "\\N" : t(b)
            print sites[1 + int(rand() * 2)], "instance",
                  states[1 + int(rand() * 4)], "i" i, t(a), end, "h", "p",
                  "u", "\\N", "\\N", "f", bookings[1 + int(rand() * 2)],
                  1, 1 + int(rand() * 64), 512 * (1 + int(rand() * 8)), 20,
                  audits[1 + int(rand() * 6)]
        }
    }
    function t(x,   s, us, d) {
        d = int(x / 86400)
        if (mode == "s")
            return sprintf("2024-%02d-%02dT%02d:%02d:%02dZ", d < 31 ? 1 : 2,
                           d < 31 ? d + 1 : d - 30, int(x / 3600) % 24,
                           int(x / 60) % 60, x % 60)
        s = int(x / 1000000); us = x % 1000000
        return sprintf("2024-01-01T%02d:%02d:%02d.%06dZ", int(s / 3600),
                       int(s / 60) % 60, s % 60, us)
    }'
}

# The step function of occupied_ondemand vcpus (active, stopped or error
# on-demand instances with audit ok/clipped/fallback), per site: one line
# "site time value" at the first instant of any counted span for every
# site, then at each change. Times sort as text (one format per stream).
reference_steps() {
    awk -F '\t' 'NR > 1 && $3 != "shelved" && $18 != "orphan" {
        v = $13 == "ondemand" ? $15 : 0
        print $5 "\t" $1 "\t" v
        if ($6 != "\\N") print $6 "\t" $1 "\t" (-v)
    }' "$1" | LC_ALL=C sort -t "$(printf '\t')" -k1,1 -s |
    awk -F '\t' -v OFS='\t' '
    function flush(   i, s, tt) {
        tt = t
        sub(/\.000000Z$/, "Z", tt)
        for (i = 1; i <= ns; i++) {
            s = names[i]
            if (first || v[s] != last[s]) print s, tt, v[s] + 0
            last[s] = v[s]
        }
        first = 0
    }
    BEGIN { first = 1 }
    NR == FNR { names[++ns] = $1; next }
    t != "" && $1 != t { flush() }
    { t = $1; v[$2] += $3 }
    END { flush() }' "$2" -
}

# Sites of a stream in name order (those with counted spans).
sites_of() {
    awk -F '\t' 'NR > 1 && $18 != "orphan" && $3 != "shelved" { print $1 }' "$1" |
    LC_ALL=C sort -u
}

timeline_steps() {
    cu-timeline --no-trailers --resources vcpus --metrics occupied_ondemand "$@" |
    awk -F '\t' 'NR > 1 { print $1 "\t" $2 "\t" $5 }'
}

# 1-2: whole seconds (packed layout)
gen 7 3000 s >"$tmp/s.tsv"
sites_of "$tmp/s.tsv" >"$tmp/s.sites"
reference_steps "$tmp/s.tsv" "$tmp/s.sites" >"$tmp/s.want"
timeline_steps --stats "$tmp/s.tsv" >"$tmp/s.got" 2>"$tmp/s.stats"
same "3000 random spans, whole seconds: steps match awk" "$tmp/s.want" "$tmp/s.got"
grep -q '(packed)' "$tmp/s.stats"
check "whole seconds use the packed sort layout" [ $? -eq 0 ]

# 3-4: microseconds over 3 hours (wide layout)
gen 11 3000 us >"$tmp/u.tsv"
sites_of "$tmp/u.tsv" >"$tmp/u.sites"
reference_steps "$tmp/u.tsv" "$tmp/u.sites" >"$tmp/u.want"
timeline_steps --stats "$tmp/u.tsv" >"$tmp/u.got" 2>"$tmp/u.stats"
same "3000 random spans, microseconds: steps match awk" "$tmp/u.want" "$tmp/u.got"
grep -q '(wide)' "$tmp/u.stats"
check "microsecond times over 3 hours use the wide sort layout" [ $? -eq 0 ]

# 5: the same stream as JSONS gives the same timeline
awk -F '\t' 'NR == 1 { for (i = 1; i <= NF; i++) h[i] = $i; next }
    { printf "{"; for (i = 1; i <= NF; i++) {
        v = $i
        if (v == "\\N") v = "null"
        else if (h[i] !~ /^(nodes|vcpus|memory_mb|disk_gb)$/) v = "\"" v "\""
        printf "%s\"%s\":%s", (i > 1 ? "," : ""), h[i], v }
      print "}" }' "$tmp/s.tsv" >"$tmp/s.jsons"
timeline_steps "$tmp/s.jsons" >"$tmp/s.jgot"
same "JSONS input gives the same steps" "$tmp/s.want" "$tmp/s.jgot"

# 6: two input files are read as one stream
head -1501 "$tmp/s.tsv" >"$tmp/s1.tsv"
{ head -1 "$tmp/s.tsv"; tail -n +1502 "$tmp/s.tsv"; } >"$tmp/s2.tsv"
timeline_steps "$tmp/s1.tsv" "$tmp/s2.tsv" >"$tmp/s.split"
same "the stream split over two files gives the same steps" "$tmp/s.want" "$tmp/s.split"

# 7: time-weighted daily means against exact integrals in awk. Days of
# January 2024 from the first span's day; open spans hold to the end of the
# last day with a change.
cu-timeline --no-trailers --resources vcpus --metrics occupied_ondemand --step 1d \
    --end 2024-02-08T00:00:00Z "$tmp/s.tsv" |
    awk -F '\t' 'NR > 1 { print $1 "\t" $2 "\t" $5 }' >"$tmp/mean.got"
awk -F '\t' '
function secs(s,   d) { # 2024-01-DD or 2024-02-DD, THH:MM:SS
    d = substr(s, 9, 2) + (substr(s, 6, 2) == "02" ? 31 : 0) - 1
    return d * 86400 + substr(s, 12, 2) * 3600 + substr(s, 15, 2) * 60 + substr(s, 18, 2)
}
function add(site, a, b, v,   d, lo, hi) { # v over [a, b) into the days
    for (d = int(a / 86400); d * 86400 < b; d++) {
        lo = a > d * 86400 ? a : d * 86400
        hi = b < (d + 1) * 86400 ? b : (d + 1) * 86400
        if (hi > lo) integ[site, d] += v * (hi - lo)
    }
}
NR > 1 && $3 != "shelved" && $18 != "orphan" {
    a = secs($5); b = $6 == "\\N" ? END_S : secs($6)
    if ($13 == "ondemand") add($1, a, b, $15)
    seen[$1] = 1
    if (first == "" || a < first) first = a
}
BEGIN { END_S = 38 * 86400 }
END {
    n = 0; for (s in seen) names[++n] = s
    if (n == 2 && names[1] > names[2]) { x = names[1]; names[1] = names[2]; names[2] = x }
    for (d = int(first / 86400); d < 38; d++)
        for (i = 1; i <= n; i++) {
            m = sprintf("%.9f", integ[names[i], d] / 86400)
            sub(/0+$/, "", m); sub(/\.$/, "", m)
            printf "%s\t%s\t%s\n", names[i],
                sprintf("2024-%02d-%02dT00:00:00Z", d < 31 ? 1 : 2,
                        d < 31 ? d + 1 : d - 30), m
        }
}' "$tmp/s.tsv" >"$tmp/mean.want"
same "daily time-weighted means match exact integrals in awk" "$tmp/mean.want" "$tmp/mean.got"

# 8: integral over the whole window = sum of value x duration
cu-timeline --no-trailers --resources vcpus --metrics occupied_ondemand --step 1y \
    --agg integral --end 2024-02-08T00:00:00Z --site uc "$tmp/s.tsv" |
    awk -F '\t' 'NR > 1 { print $5 }' >"$tmp/int.got"
awk -F '\t' '
function secs(s,   d) {
    d = substr(s, 9, 2) + (substr(s, 6, 2) == "02" ? 31 : 0) - 1
    return d * 86400 + substr(s, 12, 2) * 3600 + substr(s, 15, 2) * 60 + substr(s, 18, 2)
}
NR > 1 && $1 == "uc" && $13 == "ondemand" && $3 != "shelved" && $18 != "orphan" {
    b = $6 == "\\N" ? 38 * 86400 : secs($6)
    total += $15 * (b - secs($5))
}
END { m = sprintf("%.9f", total / 3600); sub(/0+$/, "", m); sub(/\.$/, "", m); print m }' \
    "$tmp/s.tsv" >"$tmp/int.want"
same "integral over the year = sum of vcpus x hours (site uc)" "$tmp/int.want" "$tmp/int.got"

# 9: --check passes on consistent data with every kind of span
{
    printf 'site\tkind\tstate\tid\tstart\tend\thost\tproject\tuser\treservation\tlease\tflavor\tbooking\tnodes\tvcpus\tmemory_mb\tdisk_gb\taudit\n'
    printf 'uc\ttotal\ttotal\th\t2024-01-01T00:00:00Z\t\\N\th\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t1\t64\t1000\t100\tok\n'
    printf 'uc\treservable\treservable\th\t2024-01-02T00:00:00Z\t\\N\th\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t1\t64\t1000\t100\tok\n'
} >"$tmp/host.tsv"
cu-timeline --check "$tmp/host.tsv" >"$tmp/check.out" 2>"$tmp/check.err"
[ $? -eq 0 ] && [ ! -s "$tmp/check.out" ] && [ ! -s "$tmp/check.err" ]
check "--check is silent and exits 0 on a consistent stack" [ $? -eq 0 ]

# 10: --check on the random data (instances, no hosts) finds violations
cu-timeline --check "$tmp/s.tsv" >/dev/null 2>"$tmp/check2.err"
st=$?
[ $st -eq 1 ] && grep -q 'occupied_ondemand .* > ondemand_capacity 0' "$tmp/check2.err" &&
    tail -1 "$tmp/check2.err" | grep -q 'check: [0-9]* violations$'
check "--check reports instances without capacity and exits 1" [ $? -eq 0 ]

# 11-12: --help and --version
cu-timeline --help >"$tmp/help" 2>&1
st=$?
missing=
for opt in start end step origin agg metrics resources site include-invalid \
           wide check stats tsv jsons csv line-buffered help version; do
    grep -q -- "--$opt" "$tmp/help" || missing="$missing $opt"
done
[ $st -eq 0 ] && [ -z "$missing" ]
check "--help exits 0 and names every option${missing:+ (missing:$missing)}" [ $? -eq 0 ]
cu-timeline --version | grep -q '^cu-timeline (cu) '
check "--version" [ $? -eq 0 ]

# 13: a full disk is an error, not a short output
if [ -w /dev/full ]; then
    cu-timeline "$tmp/s.tsv" >/dev/full 2>"$tmp/full.err"
    st=$?
    [ $st -eq 1 ] && [ -s "$tmp/full.err" ]
    check "writing to /dev/full fails with exit 1 and a message" [ $? -eq 0 ]
else
    skip "no /dev/full"
fi

# 14: a closed pipe ends the run quietly
cu-timeline "$tmp/s.tsv" 2>"$tmp/pipe.err" | head -1 >/dev/null
[ ! -s "$tmp/pipe.err" ]
check "a reader that goes away (| head) ends it quietly" [ $? -eq 0 ]

# 15: --stats counts what was left out
cu-timeline --stats --site uc "$tmp/s.tsv" 2>&1 >/dev/null |
    grep -q 'rows, .* spans counted (.* open), left out: .* invalid, .* other sites, .* shelved, .* empty'
check "--stats reports rows, counted and left-out spans" [ $? -eq 0 ]

# 16: an empty stream gives the header alone, with --step and --end too
printf 'site\tkind\tstate\tid\tstart\tend\thost\tproject\tuser\treservation\tlease\tflavor\tbooking\tnodes\tvcpus\tmemory_mb\tdisk_gb\taudit\n' |
    cu-timeline --no-trailers --step 1h --start 2024-01-01 --end 2024-01-02 >"$tmp/empty.out"
[ "$(cat "$tmp/empty.out")" = "$(printf 'site\ttime\tresource\tmetric\tvalue')" ]
check "an empty stream gives the header alone" [ $? -eq 0 ]

# 17-19: the synthetic cloud's ground truth (cu-testcloud, 2 sites x 5000
# instances, a year): its spans through cu-timeline give its time-weighted
# means per day and per month. The truth prints 6 decimals from doubles, so
# agreement means a difference of at most 5e-7 (exact ties such as
# 735.2140625 may round either way there).
compare_truth() { # TRUTH GOT -> "rows compared, rows beyond 5e-7, missing"
    awk -F '\t' 'NR == FNR { if (FNR > 1) want[$1 FS $2 FS $3 FS $4] = $5; next }
        FNR > 1 { k = $1 FS $2 FS $3 FS $4; n++
                  if (!(k in want)) { miss++; next }
                  d = $5 - want[k]; if (d < 0) d = -d
                  a = $5 < 0 ? -$5 : $5   # awk subtracts in doubles: allow their error
                  if (d > 5e-7 + 1e-13 + a * 1e-15) { bad++; if (bad <= 5) print "# " k ": " $5 " vs " want[k] > "/dev/stderr" } }
        END { print n + 0, bad + 0, miss + 0 }' "$1" "$2"
}
testcloud=
for p in "${top_builddir:-.}/cu-testcloud" "$(command -v cu-testcloud 2>/dev/null)"; do
    [ -n "$p" ] && [ -x "$p" ] && { testcloud=$p; break; }
done
if [ -z "$testcloud" ]; then
    for i in 17 18 19; do skip "cu-testcloud not built"; done
else
    "$testcloud" -o "$tmp/cloud" --sites 2 -n 5000 >/dev/null 2>&1 &&
    "$testcloud" -o "$tmp/cloudm" --sites 2 -n 1000 --truth-step 1mo >/dev/null 2>&1
    check "cu-testcloud writes two clouds with their truth" [ $? -eq 0 ]
    cu-timeline --no-trailers --step 1d --start 2024-01-01 --end 2025-01-01 \
        "$tmp/cloud/truth/spans.tsv" >"$tmp/cloud.tl"
    set -- $(compare_truth "$tmp/cloud/truth/timeline.tsv" "$tmp/cloud.tl")
    [ "${1:-0}" -gt 40000 ] && [ "$2" -eq 0 ] && [ "$3" -eq 0 ]
    check "daily means of 10^4 instances match the generator's truth ($1 rows, $2 differ, $3 missing)" [ $? -eq 0 ]
    cu-timeline --no-trailers --step 1mo --start 2024-01-01 --end 2025-01-01 \
        "$tmp/cloudm/truth/spans.tsv" >"$tmp/cloudm.tl"
    set -- $(compare_truth "$tmp/cloudm/truth/timeline.tsv" "$tmp/cloudm.tl")
    [ "${1:-0}" -gt 1500 ] && [ "$2" -eq 0 ] && [ "$3" -eq 0 ]
    check "monthly means match the generator's truth ($1 rows, $2 differ, $3 missing)" [ $? -eq 0 ]
fi
