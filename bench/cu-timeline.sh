#!/bin/sh
# Benchmark of cu-timeline on a generated span stream (default 10^7 spans,
# a year, two sites), with the same computations done by independent tools
# in the same run:
#   - the step function of occupied_ondemand vCPUs per site: awk (events),
#     GNU sort, awk (running sum); compared with cu-timeline byte for byte;
#   - the vCPU-hours of on-demand instances per site: awk and GNU datamash
#     (if installed); compared with cu-timeline --agg integral.
# Usage: bench/cu-timeline.sh [NSPANS]   (cu-timeline from PATH or
# $CU_TIMELINE; work files in $BENCH_DIR, default a temporary directory,
# kept if BENCH_DIR is given so the input can be reused)
set -eu
n=${1:-10000000}
here=$(cd "$(dirname "$0")" && pwd)
tl=${CU_TIMELINE:-$(command -v cu-timeline)} || {
    echo "cu-timeline not found: put the build directory in PATH" >&2
    exit 2
}
if [ -n "${BENCH_DIR:-}" ]; then
    dir=$BENCH_DIR
    mkdir -p "$dir"
else
    dir=$(mktemp -d "${TMPDIR:-/tmp}/cu-timeline-bench.XXXXXX")
    trap 'rm -rf "$dir"' EXIT HUP INT TERM
fi
export LC_ALL=C TZ=UTC
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "GNU time (/usr/bin/time) is needed for peak RSS" >&2; exit 2; }

say() { printf '%s\n' "$*"; }
# timed LABEL CMD...: runs CMD, appends "LABEL wall user sys maxrss_kb"
timed() {
    label=$1
    shift
    "$TIME" -f "$label %e %U %S %M" -a -o "$dir/times" "$@"
}
: >"$dir/times"

say "# cu-timeline benchmark: $n spans"
say "machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
say "cu-timeline: $tl ($("$tl" --version))"

if [ ! -s "$dir/spans.tsv" ] || [ "$(cat "$dir/spans.n" 2>/dev/null)" != "$n" ]; then
    ${CC:-cc} -O2 -o "$dir/gen" "$here/cu-timeline-gen.c" -lm
    "$dir/gen" "$n" >"$dir/spans.tsv"
    echo "$n" >"$dir/spans.n"
fi
say "input: $(wc -c <"$dir/spans.tsv") bytes"
cat "$dir/spans.tsv" >/dev/null # into the page cache, for every run alike

# 1. cu-timeline, daily means of every metric and resource (the sort and
#    sweep of every event; a small output)
timed "cu-timeline --step 1d" "$tl" --stats --step 1d "$dir/spans.tsv" \
    >"$dir/daily.tsv" 2>"$dir/daily.stats"
# 2. the step function of one series, every change (a large output)
timed "cu-timeline steps" "$tl" --stats --resources vcpus \
    --metrics occupied_ondemand "$dir/spans.tsv" >"$dir/steps.tsv" \
    2>"$dir/steps.stats"
# 3. the consistency check
timed "cu-timeline --check" sh -c '"$1" --stats --check "$2" >/dev/null 2>"$3"; [ $? -le 1 ]' \
    sh "$tl" "$dir/spans.tsv" "$dir/check.stats"
# 4. vCPU-hours per site over [2024-01-01, 2025-03-01)
timed "cu-timeline --agg integral" "$tl" --start 2024-01-01 --end 2025-03-01 \
    --step 2y --origin 2024-01-01 --agg integral --resources vcpus \
    --metrics occupied_ondemand "$dir/spans.tsv" >"$dir/integral.tsv"

# The same step function with awk and sort: counted spans are on-demand
# instances holding a host, not shelved, audit ok/clipped/fallback; every
# site gets a row at the first instant of any counted span.
timed "awk+sort steps" sh -c '
awk -F "\t" "NR > 1 && \$18 != \"orphan\" && \$18 != \"null_key\" && \$3 != \"shelved\" &&
             !(\$2 == \"instance\" && \$7 == \"\\\\N\") {
    v = (\$2 == \"instance\" && \$13 == \"ondemand\") ? \$15 : 0
    print \$5 \"\t\" \$1 \"\t\" v
    if (\$6 != \"\\\\N\") print \$6 \"\t\" \$1 \"\t\" (-v)
}" "$1" | sort -t "	" -k1,1 -S 2G -s |
awk -F "\t" -v OFS="\t" "
function flush(   s) {
    for (s = 1; s <= 2; s++)
        if (first || v[names[s]] != last[names[s]]) {
            print names[s], t, \"vcpus\", \"occupied_ondemand\", v[names[s]] + 0
            last[names[s]] = v[names[s]]
        }
    first = 0
}
BEGIN { first = 1; names[1] = \"bm\"; names[2] = \"kvm\"
        print \"site\", \"time\", \"resource\", \"metric\", \"value\" }
t != \"\" && \$1 != t { flush() }
{ t = \$1; v[\$2] += \$3 }
END { flush() }" >"$2"' sh "$dir/spans.tsv" "$dir/steps.awk"

# vCPU-seconds of on-demand instances per site, by awk (times to seconds)
# and datamash (sums per group)
if command -v datamash >/dev/null; then
    timed "awk+datamash integral" sh -c '
awk -F "\t" -v OFS="\t" "
function secs(s,   y, m, d, a, yy, mm) { # days from civil, then seconds
    y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
    a = int((14 - m) / 12); yy = y + 4800 - a; mm = m + 12 * a - 3
    return ((d + int((153 * mm + 2) / 5) + 365 * yy + int(yy / 4) - int(yy / 100) + int(yy / 400) - 32045) - 2440588) * 86400 + substr(s, 12, 2) * 3600 + substr(s, 15, 2) * 60 + substr(s, 18, 2)
}
BEGIN { E = secs(\"2025-03-01T00:00:00Z\") }
NR > 1 && \$2 == \"instance\" && \$13 == \"ondemand\" && \$3 != \"shelved\" && \$7 != \"\\\\N\" &&
\$18 != \"orphan\" && \$18 != \"null_key\" {
    b = \$6 == \"\\\\N\" ? E : secs(\$6); if (b > E) b = E
    print \$1, \$15 * (b - secs(\$5))
}" "$1" | datamash -s -g 1 sum 2 >"$2"' sh "$dir/spans.tsv" "$dir/integral.datamash"
fi

say ""
say "## cu-timeline --stats (CPU time of the process; wall time differs on a busy machine)"
for f in daily steps check; do
    say "$f:"
    grep -v 'check: [0-9]' "$dir/$f.stats" | sed 's/^/    /'
done

say ""
say "## runs (wall, user, sys seconds; peak RSS)"
awk '{ rss = $NF; sys = $(NF-1); user = $(NF-2); wall = $(NF-3)
       $NF = ""; $(NF-1) = ""; $(NF-2) = ""; $(NF-3) = ""
       printf "%-30s wall %7.2f  user %7.2f  sys %6.2f  peak RSS %6.0f MiB\n", $0, wall, user, sys, rss / 1024 }' "$dir/times"

say ""
say "## agreement"
if cmp -s "$dir/steps.tsv" "$dir/steps.awk"; then
    say "steps: cu-timeline = awk+sort ($(($(wc -l <"$dir/steps.tsv") - 1)) rows)"
else
    say "steps: DIFFER"
    diff "$dir/steps.tsv" "$dir/steps.awk" | head -5
    status=1
fi
if [ -s "$dir/integral.datamash" ]; then
    # cu-timeline: vCPU-hours; datamash: vCPU-seconds
    if awk -F '\t' 'NR == FNR { if (FNR > 1) h[$1] += $5; next }
                    { d = h[$1] * 3600 - $2; if (d < 0) d = -d
                      printf "integral %s: cu-timeline %.4f vCPU-h, datamash %d vCPU-s\n", $1, h[$1], $2
                      if (d > 1e-3 + 1e-12 * $2) bad = 1 }
                    END { exit bad }' "$dir/integral.tsv" "$dir/integral.datamash"; then
        say "integral: cu-timeline = awk+datamash"
    else
        say "integral: DIFFER"
        status=1
    fi
fi
exit "${status:-0}"
