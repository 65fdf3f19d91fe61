/* cu-report: usage reports from the span stream. Parse options -> read
 * the spans into per-group, per-period sums -> write the table -> close.
 * This version has the usage and utilisation reports; sessions, invoices
 * and the catalog's names are to come (cu-report(1) says what is there). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report.h"

static void usage(void)
{
    printf("Usage: %s REPORT [OPTION]... [FILE|-]...\n", cu_program_name());
    fputs(
        "Reports from a span stream (cu-spans output), exact. REPORT is\n"
        "  usage        per group and period: instances, hours in the counted\n"
        "               states, vCPU-hours, GB-hours of memory and disk\n"
        "  utilisation  per site, period and resource: resource-hours of\n"
        "               total, reservable, committed, occupied, idle, available\n"
        "               capacity, and the shares\n"
        "  sessions     per group and period: stretches of an instance in state\n"
        "               active started, ended and active, their wall hours\n"
        "With no FILE, or when FILE is -, read standard input.\n"
        "\n"
        "Options:\n"
        "      --start T         count from T (spans are clipped to the window)\n"
        "      --end T           count until T (open spans end there; without\n"
        "                        --end, at the latest time of the input)\n"
        "      --period P        day, week (from Monday), month, quarter, year\n"
        "                        or all (default: all, the window as one period)\n"
        "      --by LIST         group columns, in order: site, project, user,\n"
        "                        flavor, host, instance, booking (default: project)\n"
        "      --states LIST     the instance states that count: active,\n"
        "                        stopped, error, shelved (default: active)\n"
        "      --resources LIST  utilisation: nodes, vcpus, memory_mb, disk_gb,\n"
        "                        instances (default: nodes,vcpus)\n"
        "      --total           add a grand-total row\n"
        "      --check           recompute the totals straight from the spans\n"
        "                        and fail (exit 1) if the rows differ\n"
        "      --text            aligned columns for a terminal\n"
        "      --catalog FILE    a cu-dump stream or archive: project names\n"
        "                        (keystone.project) in a project_name column\n"
        CU_COMMON_OPTIONS_HELP
        "\n"
        "T is RFC 3339 (2024-03-01T00:00:00Z), a MySQL DATETIME or a date.\n"
        "Only spans of kind instance audited ok, clipped, fallback or inferred\n"
        "count. Hours print with up to 6 decimals, rounded half up.\n"
        "\n"
        "Exit status: 0 ok, 1 bad input or a failed check, 2 usage error.\n",
        stdout);
}

enum {
    OPT_START = CU_OPT_TOOL_FIRST,
    OPT_END,
    OPT_PERIOD,
    OPT_BY,
    OPT_STATES,
    OPT_RESOURCES,
    OPT_TOTAL,
    OPT_CHECK,
    OPT_TEXT,
    OPT_CATALOG,
};

/* Each comma-separated item of list, as an index into names[0..n). */
static void parse_names(const char *option, const char *list,
                        const char *const *names, size_t n,
                        void (*take)(struct options *, size_t),
                        struct options *o)
{
    const char *p = list;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        size_t i = 0;
        while (i < n && !(strlen(names[i]) == len && !memcmp(names[i], p, len)))
            i++;
        if (i == n)
            cu_usage_error("--%s: unknown name '%.*s'", option, (int)len, p);
        take(o, i);
        if (!comma)
            return;
        p = comma + 1;
    }
}

static void take_group(struct options *o, size_t i)
{
    for (size_t k = 0; k < o->nby; k++)
        if (o->by[k] == (enum group_col)i)
            cu_usage_error("--by: '%s' twice", group_col_name[i]);
    o->by[o->nby++] = (enum group_col)i;
}

static void take_state(struct options *o, size_t i) { o->states[i] = true; }

static void take_resource(struct options *o, size_t i)
{
    o->resources[i] = true;
}

static void parse_options(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        {"start", required_argument, NULL, OPT_START},
        {"end", required_argument, NULL, OPT_END},
        {"period", required_argument, NULL, OPT_PERIOD},
        {"by", required_argument, NULL, OPT_BY},
        {"states", required_argument, NULL, OPT_STATES},
        {"resources", required_argument, NULL, OPT_RESOURCES},
        {"total", no_argument, NULL, OPT_TOTAL},
        {"check", no_argument, NULL, OPT_CHECK},
        {"text", no_argument, NULL, OPT_TEXT},
        {"catalog", required_argument, NULL, OPT_CATALOG},
        CU_COMMON_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    static const char *const period_name[] = {"day", "week", "month",
                                              "quarter", "year", "all"};
    memset(o, 0, sizeof *o);
    cu_init(argv[0], &o->common);
    o->start = o->end = CU_TIME_NULL;
    o->period = P_ALL;
    bool states_given = false, resources_given = false;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (cu_common_option(c, &o->common, usage))
            continue;
        switch (c) {
        case OPT_START: o->start = cu_time_option("start", optarg); break;
        case OPT_END: o->end = cu_time_option("end", optarg); break;
        case OPT_PERIOD: {
            size_t i = 0;
            while (i < 6 && strcmp(period_name[i], optarg) != 0)
                i++;
            if (i == 6)
                cu_usage_error("--period: '%s' is not day, week, month, "
                               "quarter, year or all", optarg);
            o->period = (enum period)i;
            break;
        }
        case OPT_BY:
            o->nby = 0;
            parse_names("by", optarg, group_col_name, NGROUP, take_group, o);
            break;
        case OPT_STATES:
            memset(o->states, 0, sizeof o->states);
            parse_names("states", optarg, state_name, NSTATE, take_state, o);
            states_given = true;
            break;
        case OPT_RESOURCES:
            memset(o->resources, 0, sizeof o->resources);
            parse_names("resources", optarg, resource_name, NRES,
                        take_resource, o);
            resources_given = true;
            break;
        case OPT_TOTAL: o->total = true; break;
        case OPT_CHECK: o->check = true; break;
        case OPT_TEXT: o->text = true; break;
        case OPT_CATALOG: o->catalog_path = optarg; break;
        default: cu_try_help();
        }
    }
    if (optind >= argc)
        cu_usage_error("which report? (usage, utilisation, sessions)");
    if (strcmp(argv[optind], "usage") == 0)
        o->report = REPORT_USAGE;
    else if (strcmp(argv[optind], "utilisation") == 0 ||
             strcmp(argv[optind], "utilization") == 0)
        o->report = REPORT_UTILISATION;
    else if (strcmp(argv[optind], "sessions") == 0)
        o->report = REPORT_SESSIONS;
    else
        cu_usage_error("unknown report '%s' (this version has: usage, "
                       "utilisation, sessions)", argv[optind]);
    optind++;
    if (o->report == REPORT_UTILISATION && (o->nby || states_given || o->total))
        cu_usage_error("utilisation is per site and resource: it takes no "
                       "--by, --states or --total");
    if (o->report != REPORT_UTILISATION && resources_given)
        cu_usage_error("--resources applies to utilisation");
    if (o->report == REPORT_SESSIONS && (states_given || o->total))
        cu_usage_error("sessions are stretches of state active: no --states "
                       "or --total");
    if (!resources_given)
        o->resources[R_NODES] = o->resources[R_VCPUS] = true;
    if (o->nby == 0)
        o->by[o->nby++] = G_PROJECT;
    if (!states_given)
        o->states[ST_ACTIVE] = true;
    if (o->start != CU_TIME_NULL && o->end != CU_TIME_NULL &&
        o->end <= o->start)
        cu_usage_error("--end must be later than --start");
}

int main(int argc, char **argv)
{
    struct options o;
    parse_options(argc, argv, &o);
    catalog_read(&o);
    char **files = argv + optind;
    size_t nfiles = (size_t)(argc - optind);
    if (o.report == REPORT_SESSIONS) {
        sessions_report(&o, files, nfiles);
    } else if (o.report == REPORT_UTILISATION) {
        struct util u;
        util_read(&u, &o, files, nfiles);
        write_utilisation(&u, &o);
        util_free(&u);
    } else {
        struct usage u;
        usage_read(&u, &o, files, nfiles);
        write_usage(&u, &o);
        usage_free(&u);
    }
    catalog_free(&o);
    return CU_EXIT_OK;
}
