/* The overview: the monthly site report as a document, in this order: a
 * headline (window, sites, capacity, committed, occupied and idle shares);
 * the utilisation stack of nodes and of vCPUs per site; the top 15
 * projects by vCPU-hours; usage by institution (with --institutions);
 * sessions started and ended; the invoice per SU type (with --rates); then
 * every section's full table. Each part is the same computation as the
 * report of its name (usage, utilisation, sessions, invoice), run on the
 * same input, with --check when asked; the charts only draw its numbers.
 * The charts' values are doubles: they are for the eye, the tables hold
 * the exact figures. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decimal.h"
#include "error.h"
#include "report.h"

static const int64_t usec_day = 86400 * INT64_C(1000000);

/* ---- utilisation charts ------------------------------------------------ */

/* a class's mean level over [s, e) from its integral */
static double level(i128 integral, int r, cu_time s, cu_time e)
{
    if (e <= s)
        return 0;
    return (double)integral / (double)cu_pow10(resource_digits[r]) /
           (double)(e - s);
}

static int by_period(const void *pa, const void *pb)
{
    const struct util_acc *a = *(const struct util_acc *const *)pa;
    const struct util_acc *b = *(const struct util_acc *const *)pb;
    return a->pstart < b->pstart ? -1 : a->pstart > b->pstart;
}

static const char *const unit_of[NRES] = {"nodes", "vCPUs", "MB", "GB",
                                          "instances"};

/* The stack of one site and resource: its periods in order, each cut to
 * the window [ws, we). */
static void stack_chart(struct section *sec, struct util_acc **acc, size_t n,
                        int r, const char *site, const char *window,
                        enum period period, cu_time ws, cu_time we)
{
    struct chart_data *c = section_chart(sec);
    enum { NL = 11 };
    c->t = cu_xcalloc(n ? n : 1, sizeof *c->t);
    for (int l = 0; l < NL; l++)
        c->v[l] = cu_xcalloc(n ? n : 1, sizeof(double));
    for (size_t i = 0; i < n; i++) {
        const i128 *k = acc[i]->integral[r];
        cu_time s = acc[i]->pstart > ws ? acc[i]->pstart : ws;
        cu_time e = acc[i]->pend < we ? acc[i]->pend : we;
        c->t[i] = s;
        double total = level(k[U_TOTAL], r, s, e);
        double resv = level(k[U_RESERVABLE], r, s, e);
        double comm = level(k[U_COMMITTED], r, s, e);
        double ores = level(k[U_OCC_RES], r, s, e);
        double ood = level(k[U_OCC_OD], r, s, e);
        for (int b = 0; b < 2; b++)
            for (int st = 0; st < 3; st++)
                c->v[3 * b + st][i] = level(acc[i]->occupied[r][b][st], r, s, e);
        double rest[5] = {comm > ores ? comm - ores : 0,
                          resv > comm ? resv - comm : 0,
                          total - resv > ood ? total - resv - ood : 0, total,
                          resv};
        for (int l = 0; l < 5; l++)
            c->v[6 + l][i] = rest[l];
    }
    static const struct {
        const char *name;
        enum cu_colour colour;
        int line;
    } layer[NL] = {{"reservation, active", CU_C_OCC_RES, 0},
                   {"reservation, stopped", CU_C_RES_STOPPED, 0},
                   {"reservation, error", CU_C_RES_ERROR, 0},
                   {"on demand, active", CU_C_OCC_OD, 0},
                   {"on demand, stopped", CU_C_OD_STOPPED, 0},
                   {"on demand, error", CU_C_OD_ERROR, 0},
                   {"reserved, idle", CU_C_IDLE, 0},
                   {"reservable, free", CU_C_AVAIL_RES, 0},
                   {"on demand, free", CU_C_AVAIL_OD, 0},
                   {"total", CU_C_TOTAL, 1},
                   {"reservable", CU_C_RESERVABLE, 1}};
    for (int l = 0; l < NL; l++)
        c->layers[l] = (struct cu_area_layer){layer[l].name, layer[l].colour,
                                              c->v[l], layer[l].line};
    static const char *const means[] = {"daily", "weekly", "monthly",
                                        "quarterly", "yearly", "mean"};
    char title[256];
    snprintf(title, sizeof title, "%s: %s in use, %s (%s%s)", site,
             unit_of[r], window, means[period],
             period == P_ALL ? "" : " means");
    cu_time end = n ? (acc[n - 1]->pend < we ? acc[n - 1]->pend : we) : 0;
    c->area = (struct cu_area_chart){cu_xstrndup(title, strlen(title)),
                                     unit_of[r], n, c->t, end, c->layers, NL};
}

/* Each site's accumulators, in period order, cut to the window. */
static size_t site_accs(const struct util *u, const char *site, size_t slen,
                        struct util_acc **out)
{
    size_t n = 0;
    for (size_t i = 0; i < u->nacc; i++) {
        size_t len;
        const char *s = util_site(u, &u->acc[i], &len);
        if ((s ? len : (size_t)-1) == (site ? slen : (size_t)-1) &&
            (!s || memcmp(s, site, len) == 0))
            out[n++] = &u->acc[i];
    }
    qsort(out, n, sizeof *out, by_period);
    return n;
}

void add_util_charts(struct doc *d, const struct util *u,
                     const struct options *o, const char *window)
{
    struct util_acc **acc = cu_xcalloc(u->nacc ? u->nacc : 1, sizeof *acc);
    cu_intern *sites = cu_intern_new();
    cu_time ws = o->start != CU_TIME_NULL ? o->start : u->tmin;
    cu_time we = o->end != CU_TIME_NULL ? o->end : u->tmax;
    for (size_t i = 0; i < u->nacc; i++) {
        size_t len;
        const char *s = util_site(u, &u->acc[i], &len);
        size_t before = cu_intern_count(sites);
        cu_intern_add(sites, s ? s : "", s ? len : 0);
        if (cu_intern_count(sites) == before)
            continue;
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(s ? len : 7), s ? s : "no site");
        size_t n = site_accs(u, s, len, acc);
        for (int r = 0; r < NRES; r++) {
            if (!o->resources[r] || r == R_INSTANCES)
                continue;
            char heading[160];
            snprintf(heading, sizeof heading, "Utilisation of %s, %s", name,
                     unit_of[r]);
            struct section *sec = doc_section(d, heading);
            if (r == R_NODES)
                section_note(sec, "Stacked from the bottom: what instances "
                             "occupied under a reservation and on demand "
                             "(active, stopped, in error), what was reserved "
                             "but idle, and what was free; the lines are the "
                             "total and the reservable capacity.");
            stack_chart(sec, acc, n, r, name, window, o->period, ws, we);
        }
    }
    cu_intern_free(sites);
    free(acc);
}

/* ---- bars -------------------------------------------------------------- */

struct ranked {
    double v;
    uint32_t i;
};

static int by_value_desc(const void *pa, const void *pb)
{
    const struct ranked *a = pa, *b = pb;
    return a->v > b->v ? -1 : a->v < b->v ? 1 : (a->i > b->i) - (a->i < b->i);
}

/* A group's label: its first --by value, named by the catalog where it
 * can be. */
static char *group_label(const struct usage *u, uint32_t group)
{
    const struct options *o = u->o;
    struct text v;
    v.s = group_value(u->groups, group, 0, &v.len);
    const char *name = NULL;
    if (v.s && o->catalog && o->by[0] == G_PROJECT)
        name = catalog_project_name(o->catalog, v.s, v.len);
    if (v.s && o->catalog && o->by[0] == G_USER)
        name = catalog_user_name(o->catalog, v.s, v.len);
    if (name)
        return cu_xstrndup(name, strlen(name));
    return v.s ? cu_xstrndup(v.s, v.len) : cu_xstrndup("(none)", 6);
}

void add_usage_bars(struct section *sec, const struct usage *u, size_t top,
                    const char *title)
{
    size_t ngroups = cu_intern_count(u->groups);
    struct ranked *r = cu_xcalloc(ngroups ? ngroups : 1, sizeof *r);
    for (size_t g = 0; g < ngroups; g++)
        r[g].i = (uint32_t)g;
    for (size_t i = 0; i < u->nacc; i++)
        r[u->acc[i].key.group].v += (double)u->acc[i].vcpu_usec /
                                (double)u->scale / 3.6e9;
    qsort(r, ngroups, sizeof *r, by_value_desc);
    size_t n = ngroups < top ? ngroups : top;
    struct chart_data *c = section_chart(sec);
    c->is_bars = true;
    c->labels = cu_xcalloc(n ? n : 1, sizeof *c->labels);
    c->bv = cu_xcalloc(n ? n : 1, sizeof *c->bv);
    for (size_t i = 0; i < n; i++) {
        c->labels[i] = group_label(u, r[i].i);
        c->bv[i] = r[i].v;
    }
    c->bars = (struct cu_bar_chart){cu_xstrndup(title, strlen(title)),
                                    "vCPU-h", n,
                                    (const char *const *)c->labels, c->bv};
    free(r);
}

/* ---- the overview ------------------------------------------------------ */

void window_text(cu_time s, cu_time e, char *buf, size_t cap)
{
    char a[40], b[40];
    cu_time_format(s, a);
    cu_time_format(e, b);
    /* whole days as dates */
    if (s % usec_day == 0)
        a[10] = '\0';
    if (e % usec_day == 0)
        b[10] = '\0';
    snprintf(buf, cap, "%s to %s (UTC)", a, b);
}

static void pct(char *buf, i128 a, i128 b)
{
    if (b == 0) {
        strcpy(buf, "n/a");
        return;
    }
    size_t len = cu_format_fixed(cu_div_round(a * 1000, b), 1, buf);
    memcpy(buf + len, " %", 3);
}

static void headline(struct doc *d, const struct util *u, cu_time s, cu_time e)
{
    i128 k[NRES][NUCLASS] = {{0}};
    for (size_t i = 0; i < u->nacc; i++)
        for (int r = 0; r < NRES; r++)
            for (int c = 0; c < NUCLASS; c++)
                k[r][c] += u->acc[i].integral[r][c];
    struct section *sec = doc_section(d, "Headline");
    char v[64];
    cu_human_number(level(k[R_NODES][U_TOTAL], R_NODES, s, e), v);
    section_kpi(sec, "Capacity", v, "nodes on average");
    cu_human_number(level(k[R_VCPUS][U_TOTAL], R_VCPUS, s, e), v);
    section_kpi(sec, "Capacity", v, "vCPUs on average");
    pct(v, k[R_NODES][U_COMMITTED], k[R_NODES][U_RESERVABLE]);
    section_kpi(sec, "Reserved", v, "of the reservable nodes");
    pct(v, k[R_NODES][U_OCC_RES] + k[R_NODES][U_OCC_OD], k[R_NODES][U_TOTAL]);
    section_kpi(sec, "Occupied", v, "of all nodes, by instances");
    pct(v, k[R_NODES][U_COMMITTED] - k[R_NODES][U_OCC_RES],
        k[R_NODES][U_COMMITTED]);
    section_kpi(sec, "Reserved but idle", v, "of the reserved nodes");
}

/* The title names the sites and the window. */
static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void name_document(struct doc *d, const struct util *u,
                          const char *window)
{
    cu_intern *sites = cu_intern_new();
    for (size_t i = 0; i < u->nacc; i++) {
        size_t len;
        const char *s = util_site(u, &u->acc[i], &len);
        if (s)
            cu_intern_add(sites, s, len);
    }
    size_t nsites = cu_intern_count(sites);
    const char **name = cu_xcalloc(nsites ? nsites : 1, sizeof *name);
    for (size_t i = 0; i < nsites; i++)
        name[i] = cu_intern_str(sites, (uint32_t)i);
    qsort(name, nsites, sizeof *name, by_name);
    char names[200] = "";
    for (size_t i = 0; i < nsites; i++) {
        size_t used = strlen(names);
        if (used + strlen(name[i]) + 3 < sizeof names)
            snprintf(names + used, sizeof names - used, "%s%s",
                     used ? ", " : "", name[i]);
    }
    char title[320], sub[400];
    if (nsites > 3) /* the names go below */
        snprintf(title, sizeof title, "Cloud usage of %zu sites, %s", nsites,
                 window);
    else
        snprintf(title, sizeof title, "Cloud usage of %s%s, %s",
                 nsites == 1 ? "site " : nsites ? "sites " : "",
                 nsites ? names : "no site", window);
    snprintf(sub, sizeof sub, "%s%s%sCapacity, reservations and occupation "
             "from the span stream; the tables at the end hold the exact "
             "figures.", nsites > 3 ? "Sites: " : "", nsites > 3 ? names : "",
             nsites > 3 ? ". " : "");
    free(name);
    cu_intern_free(sites);
    free(d->title);
    d->title = cu_xstrndup(title, strlen(title));
    free(d->subtitle);
    d->subtitle = cu_xstrndup(sub, strlen(sub));
}

/* The sections a report captured into a scratch document, moved to d. */
static void move_sections(struct doc *d, struct doc *from)
{
    for (size_t i = 0; i < from->n; i++) {
        struct section *s = doc_section(d, from->sections[i].heading);
        free(s->heading);
        *s = from->sections[i];
        memset(&from->sections[i], 0, sizeof from->sections[i]);
    }
    from->n = 0;
}

/* Sessions started and ended per period, all sites, from the captured
 * table. */
static void sessions_chart(struct doc *d, const struct section *t,
                           const char *window)
{
    struct section *sec = doc_section(d, "Sessions");
    section_note(sec, "A session is a stretch of an instance in state "
                 "active; started and ended per period, all sites.");
    struct chart_data *c = section_chart(sec);
    size_t rows = t->tt.nrows, n = 0;
    c->t = cu_xcalloc(rows ? rows : 1, sizeof *c->t);
    c->v[0] = cu_xcalloc(rows ? rows : 1, sizeof(double));
    c->v[1] = cu_xcalloc(rows ? rows : 1, sizeof(double));
    cu_time end = 0;
    for (size_t i = 0; i < rows; i++) { /* rows are by period, then site */
        cu_time ps, pe;
        const char *a = tt_cell(&t->tt, &t->t, i, 0);
        const char *b = tt_cell(&t->tt, &t->t, i, 1);
        if (!a || !b || cu_time_parse(a, strlen(a), &ps, NULL) != CU_TIME_OK ||
            cu_time_parse(b, strlen(b), &pe, NULL) != CU_TIME_OK)
            continue;
        if (!n || c->t[n - 1] != ps)
            c->t[n++] = ps;
        c->v[0][n - 1] += strtod(tt_cell(&t->tt, &t->t, i, 3), NULL);
        c->v[1][n - 1] += strtod(tt_cell(&t->tt, &t->t, i, 4), NULL);
        end = pe;
    }
    c->layers[0] = (struct cu_area_layer){"sessions started", CU_C_BAR, c->v[0], 1};
    c->layers[1] = (struct cu_area_layer){"sessions ended", CU_C_BAR2, c->v[1], 1};
    char title[200];
    snprintf(title, sizeof title, "Sessions started and ended, %s", window);
    c->area = (struct cu_area_chart){cu_xstrndup(title, strlen(title)),
                                     "sessions", n, c->t, end, c->layers, 2};
}

/* The invoice per SU type, summed exactly from the captured rows. */
static void invoice_summary(struct doc *d, const struct section *t)
{
    struct section *sec = doc_section(d, "Invoice");
    section_note(sec, "The invoice per SU type (rounded up per instance and "
                 "month, outages removed), over every month of the window.");
    cu_intern *types = cu_intern_new();
    int64_t su[32] = {0}, cents[32] = {0};
    for (size_t i = 0; i < t->tt.nrows; i++) {
        const char *type = tt_cell(&t->tt, &t->t, i, 12);
        const char *h = tt_cell(&t->tt, &t->t, i, 11);
        const char *cost = tt_cell(&t->tt, &t->t, i, 14);
        uint32_t k = cu_intern_add(types, type, strlen(type));
        int64_t hv = 0, cv = 0;
        if (k >= 32 || cu_parse_fixed(h, strlen(h), 6, &hv) ||
            cu_parse_fixed(cost, strlen(cost), 2, &cv))
            continue;
        su[k] += hv;
        cents[k] += cv;
    }
    for (uint32_t k = 0; k < cu_intern_count(types) && k < 32; k++) {
        char value[64], hours[40], note[96];
        cu_format_fixed(cents[k], 2, value);
        if (!strchr(value, '.'))
            strcat(value, ".00");
        else if (strchr(value, '.')[2] == '\0')
            strcat(value, "0");
        cu_human_number((double)su[k] / 1e6, hours);
        snprintf(note, sizeof note, "%s SU-hours", hours);
        section_kpi(sec, cu_intern_str(types, k), value, note);
    }
    cu_intern_free(types);
}

void overview_report(const struct options *o, char **paths, size_t n)
{
    struct doc *d = o->doc;
    struct options sub = *o;
    sub.doc = NULL;
    sub.nby = 1;
    sub.total = true;
    /* utilisation per day for a month or so, per week beyond */
    struct util u;
    sub.report = REPORT_UTILISATION;
    cu_time s = o->start, e = o->end;
    if (s == CU_TIME_NULL || e == CU_TIME_NULL) { /* the input's extent */
        sub.period = P_ALL;
        util_read(&u, &sub, paths, n);
        if (s == CU_TIME_NULL)
            s = u.tmin;
        if (e == CU_TIME_NULL)
            e = u.tmax;
        if (u.tmin > u.tmax)
            s = e = 0;
        util_free(&u);
    }
    sub.period = e - s <= 62 * usec_day ? P_DAY : P_WEEK;
    sub.start = s;
    sub.end = e > s ? e : s + usec_day;
    util_read(&u, &sub, paths, n);
    char window[96];
    window_text(sub.start, sub.end, window, sizeof window);
    name_document(d, &u, window);
    headline(d, &u, sub.start, sub.end);
    add_util_charts(d, &u, &sub, window);

    struct usage projects;
    sub.report = REPORT_USAGE;
    sub.period = P_ALL;
    sub.by[0] = G_PROJECT;
    usage_read(&projects, &sub, paths, n);
    struct section *sec = doc_section(d, "Top projects");
    char title[200];
    snprintf(title, sizeof title, "Top 15 projects by vCPU-hours (active), %s",
             window);
    add_usage_bars(sec, &projects, 15, title);

    struct usage inst;
    bool by_institution = o->institutions != NULL;
    if (by_institution) {
        sub.by[0] = G_INSTITUTION;
        usage_read(&inst, &sub, paths, n);
        sec = doc_section(d, "Institutions");
        section_note(sec, "A project's usage is split among its "
                     "institutions by their shares.");
        snprintf(title, sizeof title, "vCPU-hours by institution, %s", window);
        add_usage_bars(sec, &inst, 30, title);
    }

    struct doc *scratch = doc_new("scratch", NULL);
    sub.report = REPORT_SESSIONS;
    sub.period = e - s <= 62 * usec_day ? P_DAY : P_WEEK;
    sub.by[0] = G_SITE;
    sub.total = false;
    sub.doc = scratch;
    scratch->next_heading = "Table: sessions per site and period";
    sessions_report(&sub, paths, n);
    sessions_chart(d, &scratch->sections[0], window);
    struct doc *inv_doc = NULL;
    if (o->rates) {
        inv_doc = doc_new("scratch", NULL);
        struct options io = *o;
        io.report = REPORT_INVOICE;
        io.period = P_MONTH;
        io.doc = inv_doc;
        inv_doc->next_heading = "Invoice";
        invoice_report(&io, paths, n);
        invoice_summary(d, &inv_doc->sections[0]);
    }

    /* the full tables */
    sub.total = true;
    sub.doc = d;
    sub.period = P_ALL;
    sub.by[0] = G_PROJECT;
    d->next_heading = "Table: usage per project";
    write_usage(&projects, &sub);
    if (by_institution) {
        sub.by[0] = G_INSTITUTION;
        d->next_heading = "Table: usage per institution";
        write_usage(&inst, &sub);
        usage_free(&inst);
    }
    sub.period = e - s <= 62 * usec_day ? P_DAY : P_WEEK;
    d->next_heading = "Table: utilisation per site and period";
    write_utilisation(&u, &sub);
    move_sections(d, scratch);
    if (inv_doc) {
        free(inv_doc->sections[0].heading);
        inv_doc->sections[0].heading = cu_xstrndup("Table: invoice", 14);
        move_sections(d, inv_doc);
    }
    doc_free(scratch);
    doc_free(inv_doc);
    usage_free(&projects);
    util_free(&u);
}
