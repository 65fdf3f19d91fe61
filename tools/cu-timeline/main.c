/* cu-timeline: options and main (the rest: timeline.h). */
#include "config.h"

#include "timeline.h"

/* ------------------------------------------------------------ main */

/* Phases are timed in CPU time of the process, which other processes on
 * a busy machine do not inflate; the whole run also in wall time. */
struct clocks {
    double cpu, wall;
};

static struct clocks now(void)
{
    struct timespec c, w;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
    clock_gettime(CLOCK_MONOTONIC, &w);
    return (struct clocks){(double)c.tv_sec + (double)c.tv_nsec / 1e9,
                           (double)w.tv_sec + (double)w.tv_nsec / 1e9};
}

static void usage(void)
{
    printf(
        "Usage: %s [OPTION]... [FILE]...\n"
        "Turn a span stream (from cu-spans) into the timeline stream\n"
        "  site time resource metric value\n"
        "capacity, reservation and occupation per site over time. With no\n"
        "FILE, or when FILE is -, read standard input.\n"
        "\n"
        "Without --step a row is written at every change of a value (a step\n"
        "function: the value holds until the next row of its series); the\n"
        "first row of every series gives its value at the window start.\n"
        "\n"
        "Window and buckets:\n"
        "      --start=TIME      begin the window at TIME (default: the "
        "first\n"
        "                          span start; with --step, its bucket)\n"
        "      --end=TIME        end the window before TIME (default: open;\n"
        "                          values of open spans hold)\n"
        "      --step=DURATION   one row per bucket: 15m 1h 1d 1w 1mo 1y, or\n"
        "                          a number of seconds (Ns)\n"
        "      --origin=TIME     align buckets to TIME (default: the epoch,\n"
        "                          i.e. calendar days, months and years;\n"
        "                          weeks start on Monday)\n"
        "      --agg=HOW         per bucket: mean (time-weighted, default),\n"
        "                          point (value at the bucket start), max,\n"
        "                          min, integral (value x hours)\n"
        "\n"
        "Selection:\n"
        "      --metrics=LIST    write only these metrics (comma-separated):\n"
        "                          total reservable committed\n"
        "                          occupied_reservation occupied_ondemand\n"
        "                          active_reservation active_ondemand\n"
        "                          stopped_reservation stopped_ondemand\n"
        "                          error_reservation error_ondemand\n"
        "                          ondemand_capacity available_reservable\n"
        "                          idle available_ondemand\n"
        "      --resources=LIST  only these resources: nodes vcpus memory_mb\n"
        "                          disk_gb instances containers (default: "
        "all;\n"
        "                          containers only when the input has some)\n"
        "      --site=LIST       only these sites\n"
        "      --include-invalid count spans audited orphan or null_key too\n"
        "\n"
        "Output:\n"
        "      --wide            one column per metric (one row per site,\n"
        "                          time and resource)\n"
        "      --check           write no timeline; check at every change\n"
        "                          that occupied_reservation <= committed <=\n"
        "                          reservable <= total, occupied_ondemand <=\n"
        "                          ondemand_capacity and nothing is "
        "negative;\n"
        "                          report each violation on stderr, exit "
        "1\n" CU_COMMON_OPTIONS_HELP "\n"
        "Exit status: 0 ok, 1 bad input or a --check violation, 2 usage.\n"
        "Full documentation: man cu-timeline\n",
        cu_program_name());
}

/* --site takes a comma-separated list and may be repeated. */
static void add_sites(void *options, const struct cu_option *row,
                      const char *arg)
{
    struct options *o = options;
    char *copy = cu_xstrdup(arg), *save = NULL;
    bool any = false;
    for (char *tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        o->sites = cu_xrealloc(o->sites, (o->nsites + 1) * sizeof *o->sites);
        o->sites[o->nsites++] = cu_xstrdup(tok);
        any = true;
    }
    free(copy);
    if (!any)
        cu_usage_error("--%s: empty list", row->name);
}

static const struct cu_option option_table[] = {
    {CU_OPT("start", CU_ARG_TIME, start)},
    {CU_OPT("end", CU_ARG_TIME, end)},
    {CU_OPT("step", CU_ARG_DURATION, step), .given = CU_OPT_GIVEN(have_step)},
    {CU_OPT("origin", CU_ARG_TIME, origin)},
    {CU_OPT("agg", CU_ARG_CHOICE, agg),
     .choices =
         CU_CHOICES({"mean", AGG_MEAN}, {"point", AGG_POINT}, {"max", AGG_MAX},
                    {"min", AGG_MIN}, {"integral", AGG_INTEGRAL}),
     .given = CU_OPT_GIVEN(have_agg),
     .bad = "unknown aggregate '%s' (mean, point, max, min, integral)"},
    {CU_OPT("metrics", CU_ARG_NAMES, metric_sel), .names = metric_name,
     .max = NMETRIC, .given = CU_OPT_GIVEN(metrics_given),
     .bad = "unknown metric '%s'"},
    {CU_OPT("resources", CU_ARG_NAMES, resource_sel), .names = resource_name,
     .max = NRES, .given = CU_OPT_GIVEN(resources_given),
     .bad = "unknown resource '%s'"},
    {.name = "site", .arg = CU_ARG_CALL, .call = add_sites},
    {CU_OPT("wide", CU_ARG_FLAG, wide)},
    {CU_OPT("check", CU_ARG_FLAG, check)},
    {CU_OPT("include-invalid", CU_ARG_FLAG, include_invalid)},
};

static void parse_options(int argc, char **argv, struct options *o)
{
    memset(o, 0, sizeof *o);
    cu_init(argv[0], &o->common);
    o->start = o->end = o->origin = CU_TIME_NULL;
    cu_parse_options(argc, argv, option_table,
                     sizeof option_table / sizeof *option_table, o,
                     &o->common, usage);
    if (!o->metrics_given)
        for (int m = 0; m < NMETRIC; m++)
            o->metric_sel[m] = true;
    if (!o->resources_given)
        for (int r = 0; r < NRES; r++)
            o->resource_sel[r] = true;
    if (o->start != CU_TIME_NULL && o->end != CU_TIME_NULL &&
        o->end <= o->start)
        cu_usage_error("--end must be later than --start");
    if (!o->have_step && o->have_agg)
        cu_usage_error("--agg needs --step");
    if (!o->have_step && o->origin != CU_TIME_NULL)
        cu_usage_error("--origin needs --step");
    if (o->check && (o->have_step || o->wide))
        cu_usage_error("--check writes no timeline: it takes no --step, "
                       "--agg or --wide");
    o->site_seen = cu_xcalloc(o->nsites + 1, sizeof *o->site_seen);
}

static void options_free(struct options *o)
{
    cu_free_strings(o->sites, o->nsites);
    free(o->site_seen);
}

static void print_stats(const struct input *in, const struct sweep *sw,
                        const struct sorted *so, const struct clocks *t)
{
    double t_read = t[1].cpu - t[0].cpu, t_sort = t[2].cpu - t[1].cpu;
    double t_sweep = t[3].cpu - t[2].cpu, t_all = t[4].cpu - t[0].cpu;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr,
            "%s: stats: %" PRIu64 " rows, %" PRIu64 " spans counted (%" PRIu64
            " open), left out: %" PRIu64 " invalid, %" PRIu64
            " other sites, %" PRIu64 " shelved, %" PRIu64
            " instances without a host, %" PRIu64 " empty\n",
            cu_program_name(), in->rows, in->counted, in->open, in->invalid,
            in->other_site, in->shelved, in->no_host, in->empty);
    fprintf(stderr,
            "%s: stats: %zu events (%s), %zu span types, %zu sites, %" PRIu64
            " instants with changes\n",
            cu_program_name(), so->n, so->packed ? "packed" : "wide",
            in->ntypes, sw->nsites, sw->changes);
    fprintf(stderr,
            "%s: stats: CPU seconds: read %.3f, sort %.3f, sweep and "
            "output %.3f, total %.3f (wall %.3f); peak RSS %ld MiB\n",
            cu_program_name(), t_read, t_sort, t_sweep, t_all,
            t[4].wall - t[0].wall, ru.ru_maxrss / 1024);
    fprintf(stderr,
            "%s: stats: sort+sweep %.1f M events/s, whole run %.1f M "
            "events/s (CPU time)\n",
            cu_program_name(),
            t_sort + t_sweep > 0 ? (double)so->n / (t_sort + t_sweep) / 1e6
                                 : 0.0,
            t_all > 0 ? (double)so->n / t_all / 1e6 : 0.0);
}

int main(int argc, char **argv)
{
    struct options o;
    struct input in;
    struct sorted so;
    struct sweep sw;
    struct clocks t[5];
    t[0] = now();

    parse_options(argc, argv, &o);
    memset(&in, 0, sizeof in);
    in.null_site = UINT32_MAX;
    in.sites = cu_intern_new();
    in.type_ids = cu_intern_new();
    memset(&so, 0, sizeof so);
    read_input(argv + optind, (size_t)(argc - optind), &o, &in);
    t[1] = now();

    for (size_t i = 0; i < o.nsites; i++)
        if (!o.site_seen[i])
            cu_warn("site '%s' is not in the input", o.sites[i]);
    for (int i = 0; i < NVALUE_COLS; i++)
        if (in.nulls[i])
            cu_warn("%" PRIu64 " span%s with no %s (\\N) counted as 0",
                    in.nulls[i], in.nulls[i] == 1 ? "" : "s",
                    resource_name[i]);

    /* a cloud without Zun gets no rows of container counts */
    if (!o.resources_given && !in.containers)
        o.resource_sel[R_CONTAINERS] = false;
    sort_events(&in, &so);
    t[2] = now();

    sweep_init(&sw, &o, &in);
    if (!o.check) {
        sw.w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)", o.common.out_format,
                                o.common.write_flags);
        write_header(&sw);
    }
    sweep_run(&sw, &so);
    t[3] = now();
    struct cu_write_counts written = {0, 0, 0};
    if (sw.w)
        cu_writer_close_counted(sw.w, &written);
    t[4] = now();

    if (o.common.stats) {
        print_stats(&in, &sw, &so, t);
        cu_stats_wrote("(stdout)", written.rows, written.bytes,
                       written.stored);
    }
    int status = CU_EXIT_OK;
    if (o.check)
        say_unchecked(&sw, &o);
    if (sw.violations) {
        fprintf(stderr, "%s: check: %" PRIu64 " violation%s\n",
                cu_program_name(), sw.violations,
                sw.violations == 1 ? "" : "s");
        status = CU_EXIT_DATA;
    }
    sweep_free(&sw);
    free(so.mem);
    input_free(&in);
    options_free(&o);
    return status;
}
