/* Command-line pieces every tool shares. */
#include "config.h"

#include "cli.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "error.h"
#include "writer.h"

/* When the program started, for --stats's seconds: one process, one start,
 * so it is the one piece of state here. */
static struct timespec started;

void cu_init(const char *argv0, struct cu_common *common)
{
    clock_gettime(CLOCK_MONOTONIC, &started);
    cu_set_program_name(argv0);
    signal(SIGPIPE, SIG_DFL);
    memset(common, 0, sizeof *common);
    common->out_format = CU_FMT_TSV;
    common->compress = CU_COMPRESS_NONE;
    atexit(cu_close_stdout);
}

static double cpu_seconds(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

void cu_stats_wrote(const char *to, uint64_t rows, uint64_t bytes,
                    uint64_t stored)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double wall = (double)(now.tv_sec - started.tv_sec) +
                  (double)(now.tv_nsec - started.tv_nsec) / 1e9;
    fprintf(stderr,
            "%s: stats: wrote rows=%" PRIu64 " bytes=%" PRIu64
            " stored=%" PRIu64 " seconds=%.3f cpu=%.3f to=%s\n",
            cu_program_name(), rows, bytes, stored, wall, cpu_seconds(),
            to);
}

bool cu_common_option(int opt, struct cu_common *common, void (*usage)(void))
{
    switch (opt) {
    case CU_OPT_HELP:
        usage();
        exit(CU_EXIT_OK);
    case CU_OPT_VERSION:
        cu_print_version();
    case CU_OPT_TSV:
        common->out_format = CU_FMT_TSV;
        return true;
    case CU_OPT_JSONS:
        common->out_format = CU_FMT_JSONS;
        return true;
    case CU_OPT_CSV:
        common->out_format = CU_FMT_CSV;
        return true;
    case CU_OPT_LINE_BUFFERED:
        common->write_flags |= CU_WRITE_LINE_BUFFERED;
        return true;
    case CU_OPT_NO_TRAILERS:
        common->write_flags |= CU_WRITE_NO_TRAILERS;
        return true;
    case CU_OPT_COMPRESS:
        if (!cu_compress_parse(optarg, &common->compress))
            cu_usage_error("--compress: not zstd, gzip or none: '%s'",
                           optarg);
        common->compress_given = true;
        common->write_flags &= ~(unsigned)(CU_WRITE_GZIP | CU_WRITE_ZSTD);
        common->write_flags |= cu_write_compress_flag(common->compress);
        return true;
    case CU_OPT_STATS:
        common->stats = true;
        return true;
    default:
        return false;
    }
}

cu_time cu_time_option(const char *name, const char *arg)
{
    cu_time t;
    const char *why = NULL;
    switch (cu_time_parse(arg, strlen(arg), &t, &why)) {
    case CU_TIME_OK:
        return t;
    case CU_TIME_ZERO:
        cu_usage_error("--%s: a zero date is no time: '%s'", name, arg);
    default:
        cu_usage_error("--%s: %s: '%s'", name, why ? why : "invalid time",
                       arg);
    }
}

void cu_close_output(cu_writer *w, const struct cu_common *common)
{
    struct cu_write_counts c;
    char *name;
    if (!w)
        return;
    name = cu_xstrdup(cu_writer_name(w));
    cu_writer_close_counted(w, &c);
    if (common->stats)
        cu_stats_wrote(name, c.rows, c.bytes, c.stored);
    free(name);
}

void cu_print_version(void)
{
    printf("%s (%s) %s\n"
           "Copyright (c) 2026 The cu authors.\n"
           "License MIT: the LICENSE file of the sources.\n"
           "This is free software: you are free to change and redistribute it.\n"
           "There is NO WARRANTY, to the extent permitted by law.\n",
           cu_program_name(), PACKAGE_NAME, PACKAGE_VERSION);
    exit(CU_EXIT_OK);
}
