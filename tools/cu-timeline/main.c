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

enum {
    OPT_START = CU_OPT_TOOL_FIRST,
    OPT_END,
    OPT_STEP,
    OPT_ORIGIN,
    OPT_AGG,
    OPT_METRICS,
    OPT_RESOURCES,
    OPT_SITE,
    OPT_WIDE,
    OPT_CHECK,
    OPT_INCLUDE_INVALID,
};

static const struct option long_options[] = {
    {"start", required_argument, NULL, OPT_START},
    {"end", required_argument, NULL, OPT_END},
    {"step", required_argument, NULL, OPT_STEP},
    {"origin", required_argument, NULL, OPT_ORIGIN},
    {"agg", required_argument, NULL, OPT_AGG},
    {"metrics", required_argument, NULL, OPT_METRICS},
    {"resources", required_argument, NULL, OPT_RESOURCES},
    {"site", required_argument, NULL, OPT_SITE},
    {"wide", no_argument, NULL, OPT_WIDE},
    {"check", no_argument, NULL, OPT_CHECK},
    {"include-invalid", no_argument, NULL, OPT_INCLUDE_INVALID},
    CU_COMMON_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

/* Split a comma-separated list, calling add(name) for each item. */
static void parse_list(const char *opt, const char *arg,
                       void (*add)(struct options *, const char *opt,
                                   const char *name),
                       struct options *o)
{
    char *copy = cu_xstrdup(arg), *save = NULL;
    bool any = false;
    for (char *tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        add(o, opt, tok);
        any = true;
    }
    free(copy);
    if (!any)
        cu_usage_error("--%s: empty list", opt);
}

static void add_metric(struct options *o, const char *opt, const char *name)
{
    for (int m = 0; m < NMETRIC; m++)
        if (strcmp(name, metric_name[m]) == 0) {
            o->metric_sel[m] = true;
            return;
        }
    cu_usage_error("--%s: unknown metric '%s'", opt, name);
}

static void add_resource(struct options *o, const char *opt,
                         const char *name)
{
    for (int r = 0; r < NRES; r++)
        if (strcmp(name, resource_name[r]) == 0) {
            o->resource_sel[r] = true;
            return;
        }
    cu_usage_error("--%s: unknown resource '%s'", opt, name);
}

static void add_site(struct options *o, const char *opt, const char *name)
{
    (void)opt;
    o->sites = cu_xrealloc(o->sites, (o->nsites + 1) * sizeof *o->sites);
    o->sites[o->nsites++] = cu_xstrdup(name);
}

static void parse_options(int argc, char **argv, struct options *o)
{
    int c;
    memset(o, 0, sizeof *o);
    cu_init(argv[0], &o->common);
    o->start = o->end = o->origin = CU_TIME_NULL;

    while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
        if (cu_common_option(c, &o->common, usage))
            continue;
        switch (c) {
        case OPT_START: o->start = cu_time_option("start", optarg); break;
        case OPT_END: o->end = cu_time_option("end", optarg); break;
        case OPT_ORIGIN:
            o->origin = cu_time_option("origin", optarg);
            break;
        case OPT_STEP: {
            const char *why = "invalid duration";
            if (cu_duration_parse(optarg, &o->step, &why) != 0)
                cu_usage_error("--step: %s: '%s'", why, optarg);
            o->have_step = true;
            break;
        }
        case OPT_AGG: {
            size_t a = 0;
            for (; a < sizeof agg_name / sizeof *agg_name; a++)
                if (strcmp(optarg, agg_name[a]) == 0)
                    break;
            if (a == sizeof agg_name / sizeof *agg_name)
                cu_usage_error("--agg: unknown aggregate '%s' (mean, point, "
                               "max, min, integral)", optarg);
            o->agg = (enum agg)a;
            o->have_agg = true;
            break;
        }
        case OPT_METRICS:
            parse_list("metrics", optarg, add_metric, o);
            o->metrics_given = true;
            break;
        case OPT_RESOURCES:
            parse_list("resources", optarg, add_resource, o);
            o->resources_given = true;
            break;
        case OPT_SITE: parse_list("site", optarg, add_site, o); break;
        case OPT_WIDE: o->wide = true; break;
        case OPT_CHECK: o->check = true; break;
        case OPT_INCLUDE_INVALID: o->include_invalid = true; break;
        default: cu_try_help();
        }
    }
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
