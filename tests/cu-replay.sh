#!/bin/sh
# cu-replay in time and against processes: pacing at --speed and --rate
# (generous tolerances: a busy 2-core machine; order and ratios, not exact
# times), --exec with -j and failures, --pipe with --route, --results; and
# --simulate on the generator's cloud with its own hosts: nothing rejected,
# the occupied vCPU-hours those of the real cloud.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=.}"
. "$top_srcdir/tests/lib/tap.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cu-replay-test.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
cd "$tmp" || exit 99

printf 'id\tstart_time\tevent\n' > t.tsv
for r in "a 00 create" "b 01 delete" "c 02 create" "d 02 stop" "e 03 start"; do
    set -- $r
    printf '%s\t2024-01-01T%s:00:00Z\t%s\n' "$1" "$2" "$3" >> t.tsv
done
secs() { # the stamped replay times as seconds after the first, 1 decimal
    awk -F '\t' '!/^#/ && NR > 2 { split(substr($4, 12, 15), h, ":")
        t = h[1] * 3600 + h[2] * 60 + h[3]; if (!n++) t0 = t
        printf "%s%.2f", (n > 1 ? " " : ""), t - t0 }' "$1"
}
near() { # near GOT WANT TOLERANCE: each number within the tolerance
    awk -v g="$1" -v w="$2" -v tol="$3" 'BEGIN { n = split(g, a, " "); m = split(w, b, " ")
        if (n != m) exit 1; for (i = 1; i <= n; i++) if (a[i] - b[i] > tol || b[i] - a[i] > tol) exit 1 }'
}
cu-replay --speed 3600 --stamp t.tsv > s.tsv
got=$(secs s.tsv)
check "--speed 3600: records at 0, 1, 2, 2, 3 s (got $got)" near "$got" "0 1 2 2 3" 0.3
check "--stamp's lag_ms is small (the largest: $(awk -F '\t' 'NR > 2 && !/^#/ && $5 > m { m = $5 } END { print m + 0 }' s.tsv) ms)" \
    awk -F '\t' 'NR > 2 && !/^#/ && $5 > 200 { bad = 1 } END { exit bad }' s.tsv
cu-replay --rate 4 --stamp t.tsv > r.tsv
got=$(secs r.tsv)
check "--rate 4: a record every 0.25 s, whatever the times (got $got)" near "$got" "0 0.25 0.5 0.75 1" 0.2
start=$(date +%s%N)
cu-replay --fast --loop 2000 --no-trailers t.tsv > f.tsv
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "--fast --loop 2000: 10,000 records without waiting (${ms} ms)" \
    sh -c "[ $(grep -c create f.tsv) -eq 4000 ] && [ $ms -lt 5000 ]"

# --exec: 8 records due 10 ms apart, each command 0.3 s, 4 at a time:
# about 0.6 s, and the last 4 wait for a slot
head -1 t.tsv > e.tsv
for i in 1 2 3 4 5 6 7 8; do printf 'e%s\t2024-01-01T00:00:0%sZ\tx\n' "$i" "$i" >> e.tsv; done
start=$(date +%s%N)
cu-replay --rate 100 --exec 'sleep 0.3' -j 4 --results res.tsv e.tsv 2> exec.err
status=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "--exec -j 4: 8 commands of 0.3 s in about 0.6 s (${ms} ms)" \
    sh -c "[ $status -eq 0 ] && [ $ms -ge 550 ] && [ $ms -lt 2000 ]"
is "--results: a row per record, the header first" \
    "$(grep -v '^#' res.tsv | head -1; grep -v '^#' res.tsv | tail -n +2 | cut -f1 | sort -n | tr '\n' ' ')" \
    "$(printf 'seq\tdue_time\tstart_time\tend_time\tlatency_ms\tlate\texit_status')
0 1 2 3 4 5 6 7 "
# (the first four start on time on a quiet machine; on a loaded one they may
# be late too, so only the last four are certain)
late=$(grep -v '^#' res.tsv | awk -F '\t' '$6 == "true"' | wc -l)
check "the records that waited for a slot are late (seq 4-7; $late of 8 in all)" \
    sh -c "[ \"\$(grep -v '^#' res.tsv | awk -F '\t' 'NR > 1 && \$1 >= 4 && \$6 == \"true\"' | wc -l)\" -eq 4 ]"
check "the summary counts them" grep -q "8 records, 8 ok, 0 failed, $late late" exec.err
cu-replay --fast --exec 'echo "$CU_ID:$CU_EVENT"; test "$CU_EVENT" != stop' t.tsv > env.out 2> fail.err
status=$?
check "a failing command: exit 1, counted" \
    sh -c "[ $status -eq 1 ] && grep -q '5 records, 4 ok, 1 failed' fail.err"
is "commands see the fields as CU_<NAME>" "$(sort env.out | tr '\n' ' ')" \
    "a:create b:delete c:create d:stop e:start "
cu-replay --fast --exec 'cat' e.tsv | head -1 > line.out
is "and the record as a TSV line on stdin" "$(cat line.out)" "$(sed -n 2p e.tsv)"

# --pipe --route: a key's records in order on one worker
printf 'key\ttime\tn\n' > p.tsv
i=0
while [ $i -lt 60 ]; do printf 'k%d\t2024-01-01T00:00:00Z\t%d\n' $((i % 7)) $i >> p.tsv; i=$((i + 1)); done
cu-replay --fast --pipe 'while read -r k t n; do echo "$CU_WORKER $k $n"; done' -j 3 \
    --route key p.tsv > pipe.out 2> pipe.err
check "--pipe -j 3: every record reached a worker" \
    sh -c "[ \$(wc -l < pipe.out) -eq 60 ] && grep -q '60 records, 60 ok' pipe.err"
check "--route: each key on one worker only" \
    sh -c "[ \$(awk '{ print \$2, \$1 }' pipe.out | sort -u | wc -l) -eq 7 ]"
check "and in its order" \
    sh -c "awk '{ if (\$3 < last[\$2]) bad = 1; last[\$2] = \$3 } END { exit bad }' pipe.out"
check "more than one worker used" \
    sh -c "[ \$(cut -d' ' -f1 pipe.out | sort -u | wc -l) -ge 2 ]"
cu-replay --fast --pipe 'exit 3' p.tsv > /dev/null 2> dead.err
check "a worker that fails: exit 1" sh -c "[ $? -eq 1 ]"

# --simulate on the generator's cloud, its own hosts as the model
testcloud="$top_builddir/cu-testcloud"
"$testcloud" -o cloud --sites 1 -n 3000 --start 2024-01-01 --end 2025-01-01 \
    > gen.log 2>&1 || bail_out "cu-testcloud failed"
spans=cloud/truth/spans.tsv
awk -F '\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i
        print "host\tvcpus\tmemory_mb\tdisk_gb\tcount"; next }
    $2 == "total" && !seen[$4]++ { print $4 "\t" $(c["vcpus"]) "\t" $(c["memory_mb"]) "\t" $(c["disk_gb"]) "\t1" }' \
    "$spans" > hosts.tsv
cu-replay --simulate hosts.tsv "$spans" > sim.tsv 2> sim.err
check "--simulate with the cloud's own hosts: nothing rejected" \
    grep -q ' 0 rejected' sim.err
occupied() {
    cu-report utilisation --start 2024-01-01 --end 2025-01-01 --resources vcpus \
        --no-trailers "$1" | awk -F '\t' 'NR > 1 { print $8 " " $9 }'
}
real=$(occupied "$spans")
sim=$(occupied sim.tsv)
check "the simulated cloud's occupied vCPU-hours are the real ones' ($real; simulated $sim)" \
    awk -v a="$real" -v b="$sim" 'BEGIN { split(a, x, " "); split(b, y, " ")
        d = x[1] + x[2] - y[1] - y[2]; exit !(d < 1e-6 && d > -1e-6 && y[1] == 0) }'
check "cu-timeline --check finds the simulated stream consistent" \
    sh -c "cu-timeline --check sim.tsv > /dev/null"
head -2 hosts.tsv > small.tsv
cu-replay --simulate small.tsv "$spans" > /dev/null 2> small.err
check "one host for the whole cloud: rejections, said" \
    sh -c "grep -qE ' [1-9][0-9]* rejected' small.err"
tap_done
