/* Micro-benchmark of the shared lib's TSV paths (not a test, not part of
 * the build): the writer's escaping and the reader's line and field
 * splitting, without a database or a tool around them. CPU time of the
 * process (getrusage), so a busy machine disturbs it less than wall time.
 *
 *   lib-tsv-bench write ROWS   cu_writer TSV to /dev/null: rows shaped like
 *                              cu-dump's nova.instance_actions_events (ids,
 *                              names, times, NULLs), every 16th with an
 *                              escape, plus one 120-byte text column
 *   lib-tsv-bench read FILE    cu_reader over FILE, every field touched
 *
 * Build against a build directory B:
 *   cc -O2 -I SRC/lib -I B -o lib-tsv-bench SRC/bench/lib-tsv-bench.c \
 *       B/libcu.a -lz -lcsv -lcrypto -lm
 * (bench/lib-tsv-bench.sh does this and runs both modes.) */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "stream.h"
#include "writer.h"

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static int bench_write(unsigned long rows)
{
    static const char *const cols[] = {
        "id", "action_id", "event", "start_time", "finish_time", "result",
        "host", "created_at", "updated_at", "deleted_at", "deleted", "details"};
    static const char *const events[] = {
        "compute_build_and_run_instance", "compute_stop_instance",
        "compute_start_instance", "compute_reboot_instance"};
    static const char text[] =
        "Instance 3f2a9c1e-0000-4000-8000-00000000a1b2 scheduled on host "
        "cmp17.example after 2 retries; image cached, network ready ok";
    /* the values are made before the clock starts: snprintf would cost
     * more than the writer */
    enum { NV = 4096 };
    static char num[NV][16], host[NV][16], t1[NV][24], t2[NV][24];
    char esc[160];
    int fd = open("/dev/null", O_WRONLY);
    cu_writer *w = cu_writer_fdopen(fd, "/dev/null", CU_FMT_TSV, 0);
    double t0, secs;
    uint64_t written;
    for (unsigned long i = 0; i < NV; i++) {
        snprintf(num[i], sizeof num[i], "%lu", 1000000 + i * 7919);
        snprintf(host[i], sizeof host[i], "cmp%lu", i % 400);
        snprintf(t1[i], sizeof t1[i], "2024-%02lu-%02luT%02lu:%02lu:%02luZ",
                 1 + i % 12, 1 + i % 28, i % 24, i % 60, (i * 7) % 60);
        snprintf(t2[i], sizeof t2[i], "2024-%02lu-%02luT%02lu:%02lu:%02luZ",
                 1 + i % 12, 1 + i % 28, i % 24, i % 60, (i * 11) % 60);
    }
    snprintf(esc, sizeof esc, "%.60s\tline two\\%s", text, text + 60);
    t0 = cpu_seconds();
    cu_writer_section(w, "nova.instance_actions_events", cols, 12);
    for (unsigned long i = 0; i < rows; i++) {
        unsigned long v = i % NV;
        cu_writer_cstr(w, num[v]);
        cu_writer_cstr(w, num[(v + 1) % NV]);
        cu_writer_cstr(w, events[i % 4]);
        cu_writer_str(w, t1[v], 20);
        cu_writer_str(w, t2[v], 20);
        cu_writer_cstr(w, "Success");
        cu_writer_cstr(w, host[v]);
        cu_writer_str(w, t1[v], 20);
        cu_writer_cstr(w, i % 3 ? t2[v] : NULL);
        cu_writer_null(w);
        cu_writer_str(w, "0", 1);
        cu_writer_cstr(w, i % 16 ? text : esc);
        cu_writer_end_row(w);
    }
    written = cu_writer_bytes(w);
    cu_writer_close(w);
    close(fd);
    secs = cpu_seconds() - t0;
    printf("write: %lu rows, %.1f MB in %.3f CPU s: %.2f M rows/s, "
           "%.0f MB/s\n", rows, written / 1e6, secs, rows / secs / 1e6,
           written / 1e6 / secs);
    return 0;
}

/* Read every field of the row (a checksum of lengths and types; bytes:
 * what the fields took in the input). */
static size_t touch_fields(cu_reader *r, size_t *bytes)
{
    size_t sum = 0;
    for (size_t i = 0; i < cu_reader_ncols(r); i++) {
        const cu_field *f = cu_reader_field(r, i);
        sum += f->len + (size_t)f->type;
        *bytes += f->raw_len + 1;
    }
    return sum;
}

static int bench_read(const char *path)
{
    const char *paths[1] = {path};
    cu_reader *r = cu_reader_open(paths, 1, CU_FMT_AUTO);
    unsigned long rows = 0;
    size_t bytes = 0, sum = 0;
    double t0 = cpu_seconds(), secs;
    enum cu_next k;
    while ((k = cu_reader_next(r)) != CU_EOF)
        if (k == CU_ROW) {
            sum += touch_fields(r, &bytes);
            rows++;
        }
    cu_reader_close(r);
    secs = cpu_seconds() - t0;
    printf("read: %lu rows, %.1f MB in %.3f CPU s: %.2f M rows/s, "
           "%.0f MB/s (check %zu)\n", rows, bytes / 1e6, secs,
           rows / secs / 1e6, bytes / 1e6 / secs, sum);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "write") == 0)
        return bench_write(strtoul(argv[2], NULL, 10));
    if (argc == 3 && strcmp(argv[1], "read") == 0)
        return bench_read(argv[2]);
    fprintf(stderr, "usage: lib-tsv-bench write ROWS | read FILE\n");
    return 2;
}
