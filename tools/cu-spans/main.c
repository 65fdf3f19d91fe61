/* cu-spans: options and main (the rest: spans.h). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "error.h"
#include "spans.h"

static const struct cu_option option_table[] = {
    {CU_OPT("site", CU_ARG_STRING, site)},
    {CU_OPT("start", CU_ARG_TIME, wstart)},
    {CU_OPT("end", CU_ARG_TIME, wend)},
    {CU_OPT("kinds", CU_ARG_NAMES, kinds), .names = kind_name, .max = K_N,
     .given = CU_OPT_GIVEN(kinds_given),
     .bad = "unknown kind '%s' (kinds: total, reservable, committed, "
            "instance)"},
    {CU_OPT("skip-bad", CU_ARG_FLAG, skip_bad)},
    {CU_OPT("allow-missing", CU_ARG_LIST, allow_missing)},
    {CU_OPT("history", CU_ARG_FLAG, history)},
};

static void usage(void)
{
    printf("Usage: %s [OPTION]... [FILE|DIR|-]...\n", cu_program_name());
    fputs(
        "Turn a cu-dump table stream or archive (nova, nova_api, blazar "
        "tables)\n"
        "into the span stream: one row per interval during which a "
        "hypervisor\n"
        "existed (total), a host was in Blazar (reservable), a host or "
        "flavor\n"
        "slice was allocated to a lease (committed), or an instance held one\n"
        "state on one host (instance). Output is sorted by site, kind, id, "
        "start.\n"
        "With no FILE, or when FILE is -, read standard input.\n"
        "\n"
        "Options:\n"
        "      --site KEY        write KEY in the site column (default: "
        "NULL)\n"
        "      --start T         keep spans ending after T, clipped to start "
        "at T\n"
        "      --end T           keep spans starting before T, clipped (open "
        "spans\n"
        "                        closed) at T\n"
        "      --kinds LIST      write only these kinds (comma-separated:\n"
        "                        "
        "total,reservable,committed,instance,container)\n"
        "      --skip-bad        skip rows that cannot be interpreted (bad "
        "time,\n"
        "                        missing key) instead of failing; count them\n"
        "      --history         the operands are archives of one cloud "
        "(cu-dump\n"
        "                        -o, e.g. nightly runs), oldest first: rows a "
        "later\n"
        "                        one lacks still count, ending at the last\n"
        "                        snapshot that had them (audit inferred)\n"
        "      --allow-missing=TABLE  go on when the input says TABLE (e.g.\n"
        "                        nova.instances, or instances) was denied,\n"
        "                        missing or failed (repeatable); without it\n"
        "                        that is an error, as the spans would be "
        "short\n" CU_COMMON_OPTIONS_HELP "\n"
        CU_TIME_HELP
        "The rules (states, hosts, clamping, audit values) are in "
        "cu-spans(1).\n"
        "\n"
        "Exit status: 0 ok, 1 bad input or I/O error, 2 usage error.\n",
        stdout);
}


/* The operands, or with --history the archives merged into one stream. */
static void read_input(struct run *R, char **operands, size_t n)
{
    if (!R->opt->history) {
        read_all(R, operands, n);
        return;
    }
    if (n == 0)
        cu_usage_error("--history needs the archives, oldest first");
    char *merged = cu_history_merge((const char *const *)operands, n,
                                    &R->st.hist);
    read_all(R, &merged, 1);
    cu_temp_remove();
    free(merged);
}

/* --stats, or a warning: skipped rows are never silent. */
static void report(struct run *R)
{
    const struct cu_write_counts *w = &R->st.written;
    if (R->opt->common.stats) {
        write_stats(R);
        cu_stats_wrote("(stdout)", w->rows, w->bytes, w->stored);
    } else if (R->st.nskipped) {
        cu_warn("skipped %lu row%s that could not be interpreted "
                "(--stats lists them)", R->st.nskipped,
                R->st.nskipped == 1 ? "" : "s");
    }
}

int main(int argc, char **argv)
{
    struct options opt = {0};
    cu_init(argv[0], &opt.common);
    opt.wstart = T_MIN;
    opt.wend = T_OPEN;
    cu_parse_options(argc, argv, option_table,
                     sizeof option_table / sizeof *option_table, &opt,
                     &opt.common, usage);
    if (!opt.kinds_given)
        for (int k = 0; k < K_N; k++)
            opt.kinds[k] = true;
    if (opt.wstart != T_MIN && opt.wend != T_OPEN && opt.wstart >= opt.wend)
        cu_usage_error("--start must be before --end");

    struct run R = {.opt = &opt};
    strings_init(&R.str);
    read_input(&R, argv + optind, (size_t)(argc - optind));
    build_total(&R);
    build_reservable(&R);
    index_blazar(&R);
    build_committed(&R);
    build_instances(&R);
    build_containers(&R);
    free_build_state(&R);
    write_spans(&R);
    report(&R);
    run_free(&R);
    free(opt.allow_missing.v);
    return CU_EXIT_OK;
}
