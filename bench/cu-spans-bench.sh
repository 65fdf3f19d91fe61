#!/bin/sh
# Benchmark cu-spans: a synthetic dump of N instances (default 10^6), each
# with 3 actions (create, stop, start) of 10/3 events on average, 100 VM
# hosts and 50 reservable ones with leases, i.e. about 10^7 event rows.
# Reports input size, wall time, event rows/s and peak RSS.
# Usage: bench/cu-spans-bench.sh [N] [CU_SPANS]   (needs GNU time)
set -eu
n=${1:-1000000}
prog=${2:-cu-spans}
dir=$(mktemp -d "${TMPDIR:-/tmp}/cu-spans-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT HUP INT TERM
in="$dir/dump.tsv"

awk -v n="$n" 'BEGIN {
    OFS = "\t"
    print "#table", "nova.compute_nodes"
    print "hypervisor_hostname", "host", "created_at", "deleted_at", "vcpus", "memory_mb", "local_gb", "hypervisor_type", "running_vms"
    for (h = 0; h < 100; h++)
        print "cmp" h ".example", "cmp" h, "2020-01-01 00:00:00", "\\N", 64, 262144, 2000, "QEMU", 0
    print "#table", "blazar.computehosts"
    print "id", "hypervisor_hostname", "created_at", "deleted_at", "vcpus", "memory_mb", "local_gb"
    for (h = 0; h < 50; h++)
        print "ch" h, "cmp" h ".example", "2020-01-01 00:00:00", "\\N", 64, 262144, 2000
    print "#table", "blazar.leases"
    print "id", "created_at", "deleted_at", "start_date", "end_date", "project_id", "user_id"
    for (l = 0; l < 5000; l++)
        printf "L%d\t2020-01-01 00:00:00\t\\N\t2020-%02d-%02d 00:00:00\t2020-%02d-%02d 12:00:00\tp%d\tu%d\n", l, 1 + l % 12, 1 + l % 28, 1 + l % 12, 1 + l % 28, l % 300, l % 900
    print "#table", "blazar.reservations"
    print "id", "lease_id", "resource_type", "deleted_at"
    for (l = 0; l < 5000; l++) print "R" l, "L" l, "physical:host", "\\N"
    print "#table", "blazar.computehost_allocations"
    print "compute_host_id", "reservation_id", "deleted_at"
    for (l = 0; l < 5000; l++) print "ch" (l % 50), "R" l, "\\N"
    print "#table", "nova.instances"
    print "uuid", "created_at", "updated_at", "deleted_at", "terminated_at", "host", "node", "vcpus", "memory_mb", "root_gb", "ephemeral_gb", "project_id", "user_id", "vm_state", "launched_at", "display_name"
    for (i = 0; i < n; i++) {
        d = 1 + i % 28; m = 1 + int(i / 28) % 12
        c = sprintf("2020-%02d-%02d %02d:%02d:00", m, d, i % 24, i % 60)
        del = (i % 3) ? sprintf("2020-%02d-%02d 23:59:00", m, d) : "\\N"
        printf "%08x-0000-4000-8000-%012x\t%s\t%s\t%s\t\\N\tcmp%d\tcmp%d.example\t%d\t%d\t20\t0\tp%d\tu%d\tactive\t%s\tserver-%d\n", i, i, c, c, del, i % 100, i % 100, 1 + i % 8, 2048 * (1 + i % 8), i % 300, i % 900, c, i
    }
    print "#table", "nova.instance_actions"
    print "id", "instance_uuid", "action", "start_time", "message", "request_id", "user_id", "project_id", "finish_time"
    a = 0
    for (i = 0; i < n; i++) {
        d = 1 + i % 28; m = 1 + int(i / 28) % 12
        u = sprintf("%08x-0000-4000-8000-%012x", i, i)
        printf "%d\t%s\tcreate\t2020-%02d-%02d %02d:%02d:00\t\\N\treq-%d\tu1\tp1\t\\N\n", ++a, u, m, d, i % 24, i % 60, a
        printf "%d\t%s\tstop\t2020-%02d-%02d %02d:%02d:30\t\\N\treq-%d\tu1\tp1\t\\N\n", ++a, u, m, d, i % 24, i % 60, a
        printf "%d\t%s\tstart\t2020-%02d-%02d %02d:%02d:45\t%s\treq-%d\tu1\tp1\t\\N\n", ++a, u, m, d, i % 24, i % 60, (i % 50) ? "\\N" : "Error", a
    }
    print "#table", "nova.instance_actions_events"
    print "action_id", "event", "result", "host", "start_time", "finish_time", "traceback", "details"
    e = 0
    for (x = 1; x <= a; x++) {
        k = (x % 3 == 1) ? 4 : 3
        for (j = 0; j < k; j++)
            printf "%d\tcompute_%s\tSuccess\tcmp%d\t2020-01-01 00:00:00\t2020-01-01 00:00:01\t\\N\t\\N\n", x, j ? "step" j : "build_and_run_instance", (x / 3) % 100
    }
}' > "$in"

bytes=$(wc -c < "$in")
events=$(awk '/^#table/ {t = $2; next} t == "nova.instance_actions_events" {c++} END {print c - 1}' "$in")
/usr/bin/time -f '%e %U %S %M' -o "$dir/time" "$prog" "$in" > "$dir/out"
read -r secs user sys kb < "$dir/time"
spans=$(($(wc -l < "$dir/out") - 1))
awk -v b="$bytes" -v ev="$events" -v s="$secs" -v u="$user" -v y="$sys" -v kb="$kb" -v sp="$spans" -v n="$n" 'BEGIN {
    printf "instances %d, event rows %d, input %.1f MB, spans %d\n", n, ev, b / 1e6, sp
    printf "wall %.2f s, cpu %.2f s (user %.2f + sys %.2f)\n", s, u + y, u, y
    printf "%.2f M event rows per cpu second, %.2f per wall second\n", ev / (u + y) / 1e6, ev / s / 1e6
    printf "peak RSS %.1f MB (%.2f x input)\n", kb / 1024, kb * 1024 / b
}'
