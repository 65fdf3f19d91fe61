#!/bin/sh
# Benchmark cu-mask (not a test): masked fields per second and pass-through
# bytes per second, against a Python implementation of the salted-hash
# masker (bench/cu-mask-salted.py) run in the same session.
#
#   bench/cu-mask-bench.sh [ROWS]      (default 2000000; cu-mask from PATH)
#
# Data (generated with awk, deterministic):
#   trace.tsv  the cu-dump --trace shape: 15 columns, 5 masked by the preset
#              (instance_uuid, instance_name, user_id, project_id, host);
#              instances have ~10 events each, 64 interleaved at a time;
#              2000 users, 500 projects, 400 hosts.
#   ids.tsv    only the 4 id columns of the trace, all masked.
#   wide.tsv   a compute_nodes-like table with nothing to mask (~250 B/row).
#   distinct.tsv  one column of uuids, all different: no cache hits.
# Each command runs 3 times, alternating; the best run is reported, with
# CPU seconds (user+sys) as the main figure since the machine may be shared.
set -eu
rows=${1:-2000000}
here=$(cd "$(dirname "$0")" && pwd)
command -v cu-mask > /dev/null || { echo "cu-mask not in PATH" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cu-mask-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"

echo "generating $rows rows ..." >&2
awk -v n="$rows" 'BEGIN {
    srand(1); OFS = "\t"
    for (i = 0; i < 2000; i++) user[i] = sprintf("%08x%08x%08x%08x", rand() * 2^32, rand() * 2^32, rand() * 2^32, rand() * 2^32)
    for (i = 0; i < 500; i++) proj[i] = sprintf("%08x%08x%08x%08x", rand() * 2^32, rand() * 2^32, rand() * 2^32, rand() * 2^32)
    for (i = 0; i < 400; i++) host[i] = sprintf("c%03d-%02d.site.example.org", i, i % 37)
    print "instance_uuid", "event", "start_time", "start_sec", "finish_time", "finish_sec", "duration", "result", "instance_name", "user_id", "project_id", "host", "memory_mb", "root_gb", "vcpus" > "trace.tsv"
    print "instance_uuid", "user_id", "project_id", "host" > "ids.tsv"
    for (r = 0; r < n; r++) {
        inst = int(r / 640) * 64 + r % 64
        if (!(inst in uuid)) {
            uuid[inst] = sprintf("%08x-%04x-4%03x-8%03x-%06x%06x", rand() * 2^32, rand() * 2^16, rand() * 2^12, rand() * 2^12, rand() * 2^24, rand() * 2^24)
            u = int(rand() * rand() * 2000); iu[inst] = user[u]; ip[inst] = proj[u % 500]
            ih[inst] = host[int(rand() * 400)]; iname[inst] = "vm-" inst
            delete uuid[inst - 256]
        }
        t = 1700000000 + r * 3
        print uuid[inst], "compute_start_instance", "2024-02-01T10:00:05Z", r * 3, "2024-02-01T10:02:00Z", r * 3 + 115, 115, "Success", iname[inst], iu[inst], ip[inst], ih[inst], 8192, 40, 4 > "trace.tsv"
        print uuid[inst], iu[inst], ip[inst], ih[inst] > "ids.tsv"
    }
    print "created_at", "updated_at", "deleted_at", "id", "vcpus", "memory_mb", "local_gb", "hypervisor_type", "cpu_info", "running_vms", "ram_allocation_ratio", "stats" > "wide.tsv"
    for (r = 0; r < n; r++)
        print "2024-01-01T00:00:00Z", "2024-06-01T12:34:56Z", "\\N", r, 48, 196608, 400, "QEMU", "{\"arch\": \"x86_64\", \"model\": \"EPYC-Rome\", \"vendor\": \"AMD\", \"topology\": {\"cells\": 2, \"sockets\": 2, \"cores\": 24, \"threads\": 2}, \"features\": [\"sse4.2\", \"avx2\", \"aes\"]}", r % 50, 1.5, "{\"failed_builds\": \"0\", \"io_workload\": \"" r % 7 "\"}" > "wide.tsv"
}'
# worst case for the cache: every value distinct
awk -v n="$rows" 'BEGIN { srand(2); print "instance_uuid"
    for (i = 0; i < n; i++) printf "%08x-%04x-4%03x-8%03x-%06x%06x\n", rand() * 2^32, rand() * 2^16, rand() * 2^12, rand() * 2^12, rand() * 2^24, rand() * 2^24 }' > distinct.tsv
bytes_trace=$(wc -c < trace.tsv)
bytes_ids=$(wc -c < ids.tsv)
bytes_wide=$(wc -c < wide.tsv)
(umask 077 && cu-mask --new-key key < /dev/null > /dev/null)

# best "wall cpu" of 3 runs of: sh -c CMD
best() {
    b=""
    for i in 1 2 3; do
        /usr/bin/time -f "%e %U %S" -o t.out sh -c "$1" > /dev/null
        set -- "$1" $(awk '{ printf "%.3f %.3f", $1, $2 + $3 }' t.out)
        if [ -z "$b" ] || awk -v a="$3" -v b="${b#* }" 'BEGIN { exit !(a < b) }'; then b="$2 $3"; fi
        set -- "$1"
    done
    echo "$b"
}
rate() { # rate COUNT SECONDS -> COUNT/SECONDS in millions
    awk -v c="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.2f", c / s / 1e6; else printf "-" }'
}
report() { # report NAME "wall cpu" COUNT UNIT
    set -- "$1" ${2} "$3" "$4"
    printf '%-44s wall %7.2f s  cpu %7.2f s  %8s M%s/s (cpu)  %8s M%s/s (wall)\n' \
        "$1" "$2" "$3" "$(rate "$4" "$3")" "$5" "$(rate "$4" "$2")" "$5"
}

masked_trace=$((rows * 5))
masked_ids=$((rows * 4))
echo "rows $rows; trace.tsv $bytes_trace B, ids.tsv $bytes_ids B, wide.tsv $bytes_wide B"
echo "masked fields: trace $masked_trace, ids $masked_ids"
echo
r1=$(best "cu-mask --key-file key trace.tsv")
r2=$(best "cu-mask --method sha256-salted --salt s3cr3t trace.tsv")
r3=$(best "python3 '$here/cu-mask-salted.py' s3cr3t instance_uuid,instance_name,user_id,project_id,host < trace.tsv")
r4=$(best "cu-mask --key-file key ids.tsv")
r5=$(best "cu-mask --method sha256-salted --salt s3cr3t ids.tsv")
r6=$(best "python3 '$here/cu-mask-salted.py' s3cr3t instance_uuid,user_id,project_id,host < ids.tsv")
r10=$(best "cu-mask --key-file key distinct.tsv")
r11=$(best "python3 '$here/cu-mask-salted.py' s3cr3t instance_uuid < distinct.tsv")
r7=$(best "cu-mask --key-file key wide.tsv")
r9=$(best "python3 '$here/cu-mask-salted.py' s3cr3t id < wide.tsv")
report "trace, cu-mask hmac (5 of 15 columns)" "$r1" "$masked_trace" "fields"
report "trace, cu-mask sha256-salted" "$r2" "$masked_trace" "fields"
report "trace, python salted" "$r3" "$masked_trace" "fields"
report "ids only, cu-mask hmac (4 of 4 columns)" "$r4" "$masked_ids" "fields"
report "ids only, cu-mask sha256-salted" "$r5" "$masked_ids" "fields"
report "ids only, python salted" "$r6" "$masked_ids" "fields"
report "all distinct, cu-mask hmac (no cache hits)" "$r10" "$rows" "fields"
report "all distinct, python salted" "$r11" "$rows" "fields"
report "pass-through, cu-mask (nothing to mask)" "$r7" "$bytes_wide" "B"
report "pass-through, python (1 numeric column)" "$r9" "$bytes_wide" "B"
echo
# Same output, so the comparison is fair.
cu-mask --method sha256-salted --salt s3cr3t -f instance_uuid,user_id,project_id,host ids.tsv | md5sum > a
python3 "$here/cu-mask-salted.py" s3cr3t instance_uuid,user_id,project_id,host < ids.tsv | md5sum > b
if cmp -s a b; then echo "cu-mask sha256-salted and the python masker agree on ids.tsv"
else echo "WARNING: cu-mask and the python masker differ on ids.tsv"; fi
cu-mask --key-file key --stats ids.tsv 2>&1 > /dev/null | sed 's/^/cache: /'
