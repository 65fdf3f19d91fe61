/* Command-line pieces every tool shares. */
#include "config.h"

#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdnoreturn.h>
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
        common->format_given = true;
        return true;
    case CU_OPT_JSONS:
        common->out_format = CU_FMT_JSONS;
        common->format_given = true;
        return true;
    case CU_OPT_CSV:
        common->out_format = CU_FMT_CSV;
        common->format_given = true;
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

/* getopt_long's view of the table: a long option per row (its letter as
 * its value, or CU_OPT_TOOL_FIRST + row), the common ones, the letters.
 * On the stack: a usage error ends the process in the middle of the parse,
 * and nothing is to be freed then. */
enum { OPTIONS_MAX = 64, COMMON_OPTIONS = 9 };

struct getopt_view {
    struct option longopts[OPTIONS_MAX + COMMON_OPTIONS + 1];
    char letters[3 * OPTIONS_MAX + 1];
};

static int getopt_has_arg(const struct cu_option *o)
{
    if (o->arg == CU_ARG_FLAG || o->arg == CU_ARG_SET ||
        (o->arg == CU_ARG_CALL && o->no_arg))
        return no_argument;
    return o->arg == CU_ARG_CALL && o->optional ? optional_argument
                                               : required_argument;
}

static void getopt_view(struct getopt_view *v, const struct cu_option *table,
                        size_t n)
{
    static const struct option common[] = {CU_COMMON_LONG_OPTIONS};
    _Static_assert(sizeof common / sizeof *common == COMMON_OPTIONS,
                   "COMMON_OPTIONS counts CU_COMMON_LONG_OPTIONS");
    if (n > OPTIONS_MAX)
        cu_die(CU_EXIT_DATA, "internal error: %zu options (at most %d)", n,
               OPTIONS_MAX);
    memset(v, 0, sizeof *v);
    char *l = v->letters;
    for (size_t i = 0; i < n; i++) {
        int has_arg = getopt_has_arg(&table[i]);
        v->longopts[i] = (struct option){
            table[i].name, has_arg, NULL,
            table[i].letter ? table[i].letter
                            : CU_OPT_TOOL_FIRST + (int)i};
        if (!table[i].letter)
            continue;
        *l++ = table[i].letter;
        if (has_arg != no_argument)
            *l++ = ':';
        if (has_arg == optional_argument)
            *l++ = ':';
    }
    memcpy(v->longopts + n, common, sizeof common);
}

static const struct cu_option *row_of(int c, const struct cu_option *table,
                                      size_t n)
{
    if (c >= CU_OPT_TOOL_FIRST && (size_t)(c - CU_OPT_TOOL_FIRST) < n)
        return &table[c - CU_OPT_TOOL_FIRST];
    for (size_t i = 0; i < n; i++)
        if (table[i].letter && table[i].letter == c)
            return &table[i];
    return NULL;
}

/* The usage error for a bad argument: the row's own words, or "'ARG' is
 * not WHAT". (Messages are built on the stack: the process ends here.) */
static noreturn void bad_argument(const struct cu_option *o, const char *arg,
                                  const char *what)
{
    if (o->bad) {
        char fmt[256];
        snprintf(fmt, sizeof fmt, "--%s: %s", o->name, o->bad);
        cu_usage_error(fmt, arg);
    }
    cu_usage_error("--%s: '%s' is not %s", o->name, arg, what);
}

static int64_t count_argument(const struct cu_option *o, const char *arg)
{
    char *end;
    errno = 0;
    long long v = strtoll(arg, &end, 10);
    if (errno || end == arg || *end || v < o->min || v > o->max) {
        char what[96];
        snprintf(what, sizeof what,
                 "a whole number from %" PRId64 " to %" PRId64, o->min,
                 o->max);
        bad_argument(o, arg, what);
    }
    return v;
}

static int choice_argument(const struct cu_option *o, const char *arg)
{
    char names[512] = "";
    size_t len = 0;
    for (size_t i = 0; o->choices[i].name; i++) {
        if (strcmp(o->choices[i].name, arg) == 0)
            return o->choices[i].value;
        const char *sep = i == 0 ? "" : o->choices[i + 1].name ? ", " : " or ";
        int k = snprintf(names + len, sizeof names - len, "%s%s", sep,
                         o->choices[i].name);
        if (k > 0 && (size_t)k < sizeof names - len)
            len += (size_t)k;
    }
    bad_argument(o, arg, names);
}

size_t cu_option_name(const struct cu_option *o, const char *name,
                      size_t len)
{
    for (size_t i = 0; i < (size_t)o->max; i++)
        if (strlen(o->names[i]) == len && !memcmp(o->names[i], name, len))
            return i;
    char shown[256];
    snprintf(shown, sizeof shown, "%.*s", (int)len, name);
    if (o->bad)
        bad_argument(o, shown, NULL);
    cu_usage_error("--%s: unknown name '%s'", o->name, shown);
}

static void mark_names(const struct cu_option *o, bool *set, const char *arg)
{
    const char *p = arg;
    for (;;) {
        size_t len = strcspn(p, ",");
        set[cu_option_name(o, p, len)] = true;
        if (!p[len])
            return;
        p += len + 1;
    }
}

static void append_argument(struct cu_args *a, const char *arg)
{
    a->v = cu_xrealloc(a->v, (a->n + 1) * sizeof *a->v);
    a->v[a->n++] = arg;
}

/* Store the argument of row o in the options struct. */
static void take_option(const struct cu_option *o, char *options,
                        const char *arg)
{
    void *at = options + o->at;
    switch (o->arg) {
    case CU_ARG_FLAG: *(bool *)at = true; break;
    case CU_ARG_SET: {
        int v = (int)o->min;
        memcpy(at, &v, sizeof v);
        break;
    }
    case CU_ARG_STRING: *(const char **)at = arg; break;
    case CU_ARG_LIST: append_argument(at, arg); break;
    case CU_ARG_TIME: *(cu_time *)at = cu_time_option(o->name, arg); break;
    case CU_ARG_DURATION: {
        const char *why = "invalid duration";
        if (cu_duration_parse(arg, at, &why) != 0)
            cu_usage_error("--%s: %s: '%s'", o->name, why, arg);
        break;
    }
    case CU_ARG_COUNT: *(int64_t *)at = count_argument(o, arg); break;
    case CU_ARG_CHOICE: {
        int v = choice_argument(o, arg);
        memcpy(at, &v, sizeof v);
        break;
    }
    case CU_ARG_NAMES: mark_names(o, at, arg); break;
    case CU_ARG_CALL: o->call(options, o, arg); break;
    }
    if (o->given)
        *(bool *)(options + o->given - 1) = true;
}

void cu_parse_options(int argc, char **argv, const struct cu_option *table,
                      size_t n, void *options, struct cu_common *common,
                      void (*usage)(void))
{
    struct getopt_view v;
    getopt_view(&v, table, n);
    int c;
    while ((c = getopt_long(argc, argv, v.letters, v.longopts, NULL)) != -1) {
        if (cu_common_option(c, common, usage))
            continue;
        const struct cu_option *o = row_of(c, table, n);
        if (!o)
            cu_try_help();
        take_option(o, options, optarg);
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
