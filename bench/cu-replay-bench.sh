#!/bin/sh
# cu-replay: pacing accuracy (lag_ms p50, p99 at 10^4 records/s for 10 s),
# --fast throughput (records/s to /dev/null and through --pipe cat -j 4),
# and --simulate on 10^6 instance spans over 10^3 hosts (seconds, peak
# RSS). Goals (#17): lag p99 <= 2 ms at 10^4 records/s; --fast >= 2 M
# records/s; simulate 10^6 instances over 10^3 hosts in <= 5 s on a core.
#   bench/cu-replay-bench.sh   (cu-replay on PATH; GNU time, cc)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=${CU_BENCH_DIR:-${TMPDIR:-/tmp}/cu-replay-bench}
mkdir -p "$work"
cd "$work"

# 10^5 records 100 us apart: 10 s at --speed 1
awk 'BEGIN { print "id\ttime"; for (i = 0; i < 100000; i++)
    printf "r%d\t2024-01-01T00:%02d:%02d.%06dZ\n", i, int(i / 600000), int(i / 10000) % 60, (i % 10000) * 100 }' > paced.tsv
cu-replay --stamp --no-trailers paced.tsv > stamped.tsv
awk -F '\t' 'NR > 1 { print $4 }' stamped.tsv | sort -g > lags
n=$(wc -l < lags)
p50=$(sed -n "$((n / 2))p" lags)
p99=$(sed -n "$((n * 99 / 100))p" lags)
echo "pacing: $n records at 10^4/s: lag p50 $p50 ms, p99 $p99 ms (goal p99 <= 2 ms)"

# --fast: 2x10^6 records
awk 'BEGIN { print "id\ttime\tpayload"; for (i = 0; i < 2000000; i++)
    printf "r%d\t2024-01-01T00:00:00Z\tx%d\n", i, i % 977 }' > fast.tsv
for target in null pipe; do
    if [ "$target" = null ]; then
        /usr/bin/time -f "%e %M" -o t.out cu-replay --fast fast.tsv > /dev/null
    else
        /usr/bin/time -f "%e %M" -o t.out cu-replay --fast --pipe 'cat > /dev/null' -j 4 \
            fast.tsv 2> /dev/null
    fi
    read -r s rss < t.out
    echo "--fast to $target: 2,000,000 records in $s s = $(awk -v s="$s" 'BEGIN { printf "%.2f", 2 / s }') M records/s (goal >= 2), peak RSS $((rss / 1024)) MB"
done

# --simulate: 10^6 instance spans, 10^3 hosts
[ -x cu-report-gen ] || cc -O2 -o cu-report-gen "$here/cu-report-gen.c" -lm
[ -s sim-spans.tsv ] || ./cu-report-gen 1000000 > sim-spans.tsv
printf 'host\tvcpus\tmemory_mb\tdisk_gb\tcount\nkvm\t64\t262144\t2000\t1000\n' > hosts.tsv
/usr/bin/time -f "%e %U %M" -o t.out cu-replay --simulate hosts.tsv sim-spans.tsv > /dev/null 2> sim.err
read -r s user rss < t.out
echo "--simulate: $(grep -c instance sim-spans.tsv) instance spans over 1,000 hosts: $s s wall, $user s CPU (goal <= 5 s), peak RSS $((rss / 1024)) MB; $(sed 's/^cu-replay: //' sim.err)"
