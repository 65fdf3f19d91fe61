/* cu-report: usage reports from the span stream. Parse options -> read
 * the configuration (catalog, institutions, rates, outages) -> read the
 * spans into per-group, per-period sums -> write the table -> close. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "report.h"

/* --by: group columns in order, each once; a repeated --by adds. */
static void take_groups(void *options, const struct cu_option *row,
                        const char *list)
{
    struct options *o = options;
    const char *p = list;
    for (;;) {
        size_t len = strcspn(p, ",");
        size_t i = cu_option_name(row, p, len);
        for (size_t k = 0; k < o->nby; k++)
            if (o->by[k] == (enum group_col)i)
                cu_usage_error("--%s: '%s' twice", row->name,
                               group_col_name[i]);
        o->by[o->nby++] = (enum group_col)i;
        if (!p[len])
            return;
        p += len + 1;
    }
}

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
        "  invoice      per site, project, month and SU type: SU-hours and\n"
        "               cost, in the CSV columns of NERC/MOC invoices\n"
        "  overview     the site report as a document (--html, --pdf): headline,\n"
        "               utilisation charts, top projects, institutions,\n"
        "               sessions, invoice, and every table\n"
        "With no FILE, or when FILE is -, read standard input.\n"
        "\n"
        "Options:\n"
        "      --start T         count from T (spans are clipped to the window)\n"
        "      --end T           count until T (open spans end there; without\n"
        "                        --end, at the latest time of the input)\n"
        "      --period P        day, week (from Monday), month, quarter, year\n"
        "                        or all (default: all, the window as one period)\n"
        "      --by LIST         group columns, in order: site, project, user,\n"
        "                        institution, flavor, host, instance, booking\n"
        "                        (default: project)\n"
        "      --states LIST     the instance states that count: active,\n"
        "                        stopped, error, shelved (default: active)\n"
        "      --resources LIST  utilisation: nodes, vcpus, memory_mb, disk_gb,\n"
        "                        instances (default: nodes,vcpus)\n"
        "      --total           add a grand-total row\n"
        "      --check           recompute the totals straight from the spans\n"
        "                        and fail (exit 1) if the rows differ\n"
        "      --text            aligned columns for a terminal\n"
        "      --html            a self-contained HTML page (tables, SVG charts)\n"
        "  -o, --output FILE     write the HTML page to FILE\n"
        "      --pdf FILE        an A4 PDF of the same (- : standard output)\n"
        "      --png FILE        the first chart as a PNG image\n"
        "      --catalog FILE    a cu-dump stream or archive: names of projects\n"
        "                        and users, the project tree, GPUs of flavors\n"
        "      --institutions FILE  TSV project, institution, share (percent):\n"
        "                        --by institution splits usage by the shares\n"
        "      --tree            usage: each project's row holds its\n"
        "                        sub-projects' too, with a path column\n"
        "      --rates FILE      TSV su_type, flavors, vcpus, memory_mb, gpus,\n"
        "                        rate, from: usage gets su_hours; invoices\n"
        "      --outages FILE    invoice: TSV start, end: time not billed\n"
        "      --bill-stopped    invoice: bill stopped instances too\n"
        "      --rounding R      invoice: ceil (hours per instance, rounded up;\n"
        "                        the default) or none (exact hours)\n"
        CU_COMMON_OPTIONS_HELP
        "\n"
        CU_TIME_HELP
        "Only spans of kind instance audited ok, clipped, fallback or inferred\n"
        "count. Hours print with up to 6 decimals, rounded half up.\n"
        "\n"
        "Exit status: 0 ok, 1 bad input or a failed check, 2 usage error.\n",
        stdout);
}

static const struct cu_option option_table[] = {
    {CU_OPT("start", CU_ARG_TIME, start)},
    {CU_OPT("end", CU_ARG_TIME, end)},
    {CU_OPT("period", CU_ARG_CHOICE, period),
     .choices =
         CU_CHOICES({"day", P_DAY}, {"week", P_WEEK}, {"month", P_MONTH},
                    {"quarter", P_QUARTER}, {"year", P_YEAR}, {"all", P_ALL}),
     .given = CU_OPT_GIVEN(period_given)},
    {.name = "by", .arg = CU_ARG_CALL, .call = take_groups,
     .names = group_col_name, .max = NGROUP},
    {CU_OPT("states", CU_ARG_NAMES, states), .names = state_name,
     .max = NSTATE, .given = CU_OPT_GIVEN(states_given)},
    {CU_OPT("resources", CU_ARG_NAMES, resources), .names = resource_name,
     .max = NRES, .given = CU_OPT_GIVEN(resources_given)},
    {CU_OPT("total", CU_ARG_FLAG, total)},
    {CU_OPT("check", CU_ARG_FLAG, check)},
    {CU_OPT("text", CU_ARG_FLAG, text)},
    {CU_OPT("catalog", CU_ARG_STRING, catalog_path)},
    {CU_OPT("institutions", CU_ARG_STRING, institutions_path)},
    {CU_OPT("tree", CU_ARG_FLAG, tree)},
    {CU_OPT("rates", CU_ARG_STRING, rates_path)},
    {CU_OPT("outages", CU_ARG_STRING, outages_path)},
    {CU_OPT("bill-stopped", CU_ARG_FLAG, bill_stopped)},
    {CU_OPT("rounding", CU_ARG_CHOICE, rounding),
     .choices = CU_CHOICES({"ceil", ROUND_CEIL}, {"none", ROUND_NONE}),
     .given = CU_OPT_GIVEN(rounding_given)},
    {CU_OPT("html", CU_ARG_FLAG, html)},
    {CU_OPT("output", CU_ARG_STRING, output), .letter = 'o'},
    {CU_OPT("pdf", CU_ARG_STRING, pdf_path)},
    {CU_OPT("png", CU_ARG_STRING, png_path)},
};

static void parse_options(int argc, char **argv, struct options *o)
{
    memset(o, 0, sizeof *o);
    cu_init(argv[0], &o->common);
    o->start = o->end = CU_TIME_NULL;
    o->period = P_ALL;
    cu_parse_options(argc, argv, option_table,
                     sizeof option_table / sizeof *option_table, o,
                     &o->common, usage);
    if (o->output && !o->html)
        cu_usage_error("-o names the --html page's file");
    if (o->html)
        o->html_path = o->output ? o->output : "-";
    bool document = o->html_path || o->pdf_path || o->png_path;
    if (document && (o->common.format_given || o->text))
        cu_usage_error("--html, --pdf and --png are documents: no --tsv, "
                       "--csv, --jsons or --text with them");
    if (optind >= argc)
        cu_usage_error("which report? (usage, utilisation, sessions, "
                       "invoice)");
    static const char *const report_name[] = {"usage", "utilisation",
                                              "sessions", "invoice",
                                              "overview"};
    size_t rep = 0;
    while (rep < 5 && strcmp(argv[optind], report_name[rep]) != 0)
        rep++;
    if (rep == 5 && strcmp(argv[optind], "utilization") == 0)
        rep = REPORT_UTILISATION;
    if (rep == 5)
        cu_usage_error("unknown report '%s' (usage, utilisation, sessions, "
                       "invoice, overview)", argv[optind]);
    o->report = (enum report)rep;
    optind++;
    bool by_institution = false, by_project = false;
    for (size_t k = 0; k < o->nby; k++) {
        by_institution |= o->by[k] == G_INSTITUTION;
        by_project |= o->by[k] == G_PROJECT;
    }
    if (o->report == REPORT_UTILISATION &&
        (o->nby || o->states_given || o->total))
        cu_usage_error("utilisation is per site and resource: it takes no "
                       "--by, --states or --total");
    if (o->report != REPORT_UTILISATION && o->resources_given)
        cu_usage_error("--resources applies to utilisation");
    if (o->report == REPORT_SESSIONS && (o->states_given || o->total))
        cu_usage_error("sessions are stretches of state active: no --states "
                       "or --total");
    if (o->report == REPORT_INVOICE &&
        (o->nby || o->states_given || o->total || o->period_given))
        cu_usage_error("an invoice is per site, project, month and SU type: "
                       "no --by, --states, --period or --total");
    if (o->report == REPORT_OVERVIEW && !document)
        cu_usage_error("the overview is a document: --html, --pdf or --png");
    if (o->report == REPORT_OVERVIEW &&
        (o->nby || o->states_given || o->total || o->period_given || o->tree))
        cu_usage_error("the overview chooses its own groups and periods: no "
                       "--by, --states, --period, --total or --tree");
    if (o->report == REPORT_INVOICE && !o->rates_path)
        cu_usage_error("an invoice needs --rates");
    if (o->report != REPORT_INVOICE && o->report != REPORT_OVERVIEW &&
        (o->outages_path || o->bill_stopped || o->rounding_given))
        cu_usage_error("--outages, --bill-stopped and --rounding apply to "
                       "invoice and overview");
    bool priced = o->report == REPORT_USAGE || o->report == REPORT_INVOICE ||
                  o->report == REPORT_OVERVIEW;
    if (o->rates_path && !priced)
        cu_usage_error("--rates applies to usage, invoice and overview");
    if (o->institutions_path && !priced)
        cu_usage_error("--institutions applies to usage, invoice and "
                       "overview");
    if (by_institution && (o->report != REPORT_USAGE || !o->institutions_path))
        cu_usage_error("--by institution is a usage report's, with "
                       "--institutions");
    if (o->tree && (o->report != REPORT_USAGE || !o->catalog_path))
        cu_usage_error("--tree is a usage report's, with --catalog");
    if (o->tree && o->nby && !by_project)
        cu_usage_error("--tree rolls projects up: --by must name project");
    if (o->report == REPORT_INVOICE) {
        o->period = P_MONTH;
        if (!o->common.format_given && !o->text)
            o->common.out_format = CU_FMT_CSV;
    }
    if (!o->resources_given)
        o->resources[R_NODES] = o->resources[R_VCPUS] = true;
    if (o->report == REPORT_OVERVIEW && o->resources_given)
        cu_usage_error("--resources applies to utilisation");
    if (o->nby == 0)
        o->by[o->nby++] = G_PROJECT;
    if (!o->states_given)
        o->states[ST_ACTIVE] = true;
    if (o->start != CU_TIME_NULL && o->end != CU_TIME_NULL &&
        o->end <= o->start)
        cu_usage_error("--end must be later than --start");
}

/* ---- documents --------------------------------------------------------- */

static const char *document_title(const struct options *o)
{
    static const char *const title[] = {
        "Usage report", "Utilisation report", "Sessions report", "Invoice",
        "Cloud usage overview"};
    return title[o->report];
}

/* The document's title with the window (the options', else the counted
 * time's), into window too. */
static void name_by_window(const struct options *o, cu_time tmin, cu_time tmax,
                           char window[96])
{
    cu_time s = o->start != CU_TIME_NULL ? o->start : tmin;
    cu_time e = o->end != CU_TIME_NULL ? o->end : tmax;
    if (s > e) {
        snprintf(window, 96, "no time counted");
    } else {
        window_text(s, e, window, 96);
    }
    char title[200];
    snprintf(title, sizeof title, "%s, %s", document_title(o), window);
    free(o->doc->title);
    o->doc->title = cu_xstrndup(title, strlen(title));
}

/* Standard input copied to a file, for a report that reads it more than
 * once; removed at the end (and on a fatal error, by its own name). */
struct spool {
    char path[64];
    char *paths[1];
};

static void spool_stdin(struct spool *sp, char ***files, size_t *nfiles)
{
    bool from_stdin = *nfiles == 0;
    for (size_t i = 0; i < *nfiles; i++)
        from_stdin |= strcmp((*files)[i], "-") == 0;
    if (!from_stdin)
        return;
    if (*nfiles > 1)
        cu_usage_error("the overview reads its input several times: give it "
                       "files, or standard input alone");
    const char *dir = getenv("TMPDIR");
    snprintf(sp->path, sizeof sp->path, "%s/cu-report.XXXXXX",
             dir && strlen(dir) < 40 ? dir : "/tmp");
    int fd = mkstemp(sp->path);
    if (fd < 0)
        cu_die_errno(CU_EXIT_DATA, errno, "%s", sp->path);
    char buf[65536];
    ssize_t got;
    while ((got = read(STDIN_FILENO, buf, sizeof buf)) > 0)
        if (write(fd, buf, (size_t)got) != got) {
            unlink(sp->path);
            cu_die_errno(CU_EXIT_DATA, errno, "%s", sp->path);
        }
    if (got < 0 || close(fd) != 0) {
        unlink(sp->path);
        cu_die_errno(CU_EXIT_DATA, errno, "standard input");
    }
    sp->paths[0] = sp->path;
    *files = sp->paths;
    *nfiles = 1;
}

static void spool_remove(struct spool *sp)
{
    if (sp->path[0])
        unlink(sp->path);
}

static void write_html_file(const struct doc *d, const char *path)
{
    if (strcmp(path, "-") == 0) {
        doc_write_html(d, stdout);
        return;
    }
    FILE *f = fopen(path, "w");
    if (!f)
        cu_die_errno(CU_EXIT_DATA, errno, "%s", path);
    doc_write_html(d, f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        unlink(path);
        cu_die(CU_EXIT_DATA, "%s: write error", path);
    }
}

static void write_documents(const struct options *o)
{
    if (o->html_path)
        write_html_file(o->doc, o->html_path);
    if (o->pdf_path)
        doc_write_pdf(o->doc, o->pdf_path);
    if (o->png_path)
        doc_write_png(o->doc, o->png_path);
}

int main(int argc, char **argv)
{
    struct options o;
    parse_options(argc, argv, &o);
    if (o.catalog_path)
        catalog_read(&o.catalog, o.catalog_path);
    if (o.institutions_path)
        institutions_read(&o.institutions, o.institutions_path);
    if (o.rates_path)
        rates_read(&o.rates, o.rates_path);
    if (o.outages_path)
        outages_read(&o.outages, o.outages_path);
    char **files = argv + optind;
    size_t nfiles = (size_t)(argc - optind);
    struct spool spool = {0};
    if (o.html_path || o.pdf_path || o.png_path) {
        o.doc = doc_new(document_title(&o), NULL);
        if (o.report == REPORT_OVERVIEW) /* it reads its input several times */
            spool_stdin(&spool, &files, &nfiles);
    }
    if (o.report == REPORT_OVERVIEW) {
        overview_report(&o, files, nfiles);
    } else if (o.report == REPORT_INVOICE) {
        invoice_report(&o, files, nfiles);
    } else if (o.report == REPORT_SESSIONS) {
        sessions_report(&o, files, nfiles);
    } else if (o.report == REPORT_UTILISATION) {
        struct util u;
        util_read(&u, &o, files, nfiles);
        if (o.doc) {
            char window[96];
            name_by_window(&o, u.tmin, u.tmax, window);
            add_util_charts(o.doc, &u, &o, window);
        }
        write_utilisation(&u, &o);
        util_free(&u);
    } else {
        struct usage u;
        usage_read(&u, &o, files, nfiles);
        if (o.doc) {
            char window[96], title[200];
            name_by_window(&o, u.tmin, u.tmax, window);
            snprintf(title, sizeof title, "Top 15 by vCPU-hours (%s), %s",
                     group_col_name[o.by[0]], window);
            add_usage_bars(doc_section(o.doc, "Top groups"), &u, 15, title);
        }
        write_usage(&u, &o);
        usage_free(&u);
    }
    spool_remove(&spool);
    if (o.doc) {
        write_documents(&o);
        doc_free(o.doc);
    }
    catalog_free(o.catalog);
    institutions_free(o.institutions);
    rates_free(o.rates);
    outages_free(o.outages);
    return CU_EXIT_OK;
}
