/* The invoice report: openstack-billing-from-db's rules and columns, from
 * the spans. Per instance and month, the seconds it ran (active; stopped
 * too with --bill-stopped) outside the outages, rounded up to whole hours
 * (--rounding none: exact), times its SUs; summed per site, project, month
 * and SU type; the cost is the month's rate times the SU-hours, exact, to
 * the cent half up. An instance that changed flavor is billed for each
 * size it had (billing-from-db bills the last one for the whole month).
 *
 * Every figure is an integer of SU x microseconds until it is printed, so
 * a sum is exact; ceil'd hours are kept in the same unit (hours x 3.6e9). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decimal.h"
#include "error.h"
#include "report.h"
#include "writer.h"

static const i128 usec_per_hour = (i128)3600 * 1000000;

/* An instance's billed time at one size in one month. */
struct billed {
    uint32_t row; /* the invoice row it adds to */
    int64_t sus;
    i128 usec;
};

/* A row: a site's project, a month, an SU type. */
struct inv_row {
    uint32_t group; /* site, project */
    cu_time month;
    int type;
    i128 su_usec; /* SU x microseconds, rounded up per instance (or not) */
};

struct invoice {
    const struct options *o;
    struct options by_row, by_instance; /* group_id over other columns */
    cu_intern *groups;  /* (site, project) and (site, project, instance) */
    cu_intern *rows_ix; /* (group, month, type) -> rows[] */
    struct inv_row *rows;
    size_t nrows, rows_cap;
    cu_intern *billed_ix; /* (instance group, month, type, sus) -> billed[] */
    struct billed *billed;
    size_t nbilled, billed_cap;
    i128 check_su_usec; /* --check: straight from each span */
};

static uint32_t index_of(cu_intern *ix, const void *key, size_t len,
                         size_t *n)
{
    uint32_t id = cu_intern_add(ix, key, len);
    if (id == *n)
        (*n)++;
    return id;
}

static uint32_t row_for(struct invoice *v, const struct span *sp,
                        cu_time month, int type)
{
    char key[16];
    uint32_t group = group_id(v->groups, &v->by_row, sp->text, NULL, NULL);
    memcpy(key, &group, 4);
    memcpy(key + 4, &month, 8);
    memcpy(key + 12, &type, 4);
    size_t before = v->nrows;
    uint32_t id = index_of(v->rows_ix, key, sizeof key, &v->nrows);
    if (v->nrows != before) {
        v->rows = cu_xgrow(v->rows, &v->rows_cap, v->nrows, sizeof *v->rows);
        v->rows[id] = (struct inv_row){group, month, type, 0};
    }
    return id;
}

static struct billed *billed_for(struct invoice *v, const struct span *sp,
                                 cu_time month, int type, int64_t sus)
{
    char key[24];
    uint32_t inst = group_id(v->groups, &v->by_instance, sp->text, NULL, NULL);
    memcpy(key, &inst, 4);
    memcpy(key + 4, &month, 8);
    memcpy(key + 12, &type, 4);
    memcpy(key + 16, &sus, 8);
    size_t before = v->nbilled;
    uint32_t id = index_of(v->billed_ix, key, sizeof key, &v->nbilled);
    if (v->nbilled != before) {
        v->billed = cu_xgrow(v->billed, &v->billed_cap, v->nbilled,
                             sizeof *v->billed);
        v->billed[id] = (struct billed){row_for(v, sp, month, type), sus, 0};
    }
    return &v->billed[id];
}

static void bill_span(void *ctx, const struct span *sp)
{
    struct invoice *v = ctx;
    const struct options *o = v->o;
    int type;
    int64_t sus = span_sus(o, sp, &type);
    if (sus == 0)
        return;
    for (cu_time ms = period_start(P_MONTH, sp->start); ms < sp->end;) {
        cu_time me = period_next(P_MONTH, ms);
        cu_time a = sp->start > ms ? sp->start : ms;
        cu_time b = sp->end < me ? sp->end : me;
        cu_time usec = b - a - outages_overlap(o->outages, a, b);
        if (usec > 0) {
            billed_for(v, sp, ms, type, sus)->usec += usec;
            v->check_su_usec += (i128)sus * usec;
        }
        ms = me;
    }
}

/* --rounding none: hours as they are, not rounded up per instance. */
static bool exact_hours(const struct options *o)
{
    return o->rounding == ROUND_NONE;
}

/* Each instance's time to whole hours (up), times its SUs, to its row. */
static void sum_rows(struct invoice *v)
{
    for (size_t i = 0; i < v->nbilled; i++) {
        const struct billed *b = &v->billed[i];
        i128 usec = exact_hours(v->o) ? b->usec
                                      : (b->usec + usec_per_hour - 1) /
                                            usec_per_hour * usec_per_hour;
        v->rows[b->row].su_usec += b->sus * usec;
    }
}

/* --check: the rows against the spans, by another path. Exact hours: the
 * same SU-microseconds. Whole hours: each instance adds less than an hour
 * of its SUs, so the rows exceed the spans by less than those. */
static void check_invoice(const struct invoice *v)
{
    i128 rows = 0, slack = 0;
    for (size_t i = 0; i < v->nrows; i++)
        rows += v->rows[i].su_usec;
    for (size_t i = 0; i < v->nbilled; i++)
        slack += (i128)v->billed[i].sus * usec_per_hour;
    if (getenv("CU_REPORT_PLANT_DIFFERENCE") && v->nrows)
        rows -= 1; /* for the test of --check itself */
    i128 spans = v->check_su_usec;
    bool ok = exact_hours(v->o) ? rows == spans
                                : rows >= spans && rows - spans < slack + 1;
    if (ok)
        return;
    char a[64], b[64];
    cu_format_fixed(cu_div_round(rows, 3600), 6, a);
    cu_format_fixed(cu_div_round(spans, 3600), 6, b);
    cu_die(CU_EXIT_DATA,
           "check: SU Hours: the rows sum to %s, the spans give "
           "%s billed SU-hours (%s; they differ by %lld SU-microseconds): the "
           "report does not reconcile with its spans",
           a, b, exact_hours(v->o) ? "exact" : "before rounding up",
           (long long)(rows - spans));
}

/* ---- output ------------------------------------------------------------ */

static const char *const invoice_cols[] = {
    "Invoice Month", "Report Start Time", "Report End Time",
    "Project - Allocation", "Project - Allocation ID", "Manager (PI)",
    "Cluster Name", "Invoice Email", "Invoice Address", "Institution",
    "Institution - Specific Code", "SU Hours (GBhr or SUhr)", "SU Type",
    "Rate", "Cost", "Generated At"};
enum { NINVCOLS = sizeof invoice_cols / sizeof *invoice_cols };

static int compare_rows(const void *pa, const void *pb, void *ctx)
{
    const struct invoice *sort_invoice = ctx;
    const struct inv_row *a = pa, *b = pb;
    if (a->month != b->month)
        return a->month < b->month ? -1 : 1;
    int c = compare_groups(sort_invoice->groups, 2, a->group, b->group);
    return c ? c : a->type - b->type;
}

/* SOURCE_DATE_EPOCH (reproducible builds) when set, else now. */
static cu_time generated_at(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (!e)
        return (cu_time)time(NULL) * 1000000;
    char *end;
    long long s = strtoll(e, &end, 10);
    if (!*e || *end || s < 0)
        cu_usage_error("SOURCE_DATE_EPOCH is not a count of seconds: '%s'", e);
    return (cu_time)s * 1000000;
}

/* cents as 12.30 */
static size_t format_money(i128 cents, char *buf)
{
    char whole[64];
    cu_format_fixed(cents / 100, 0, whole);
    return (size_t)snprintf(buf, 80, "%s.%02d", whole, (int)(cents % 100));
}

static void set(const char **cell, size_t *len, int c, const char *s,
                size_t l)
{
    cell[c] = s;
    len[c] = s ? l : 0;
}

static void row_cells(const struct invoice *v, const struct inv_row *r,
                      const char *generated, char buf[][80],
                      const char **cell, size_t *len)
{
    const struct options *o = v->o;
    for (int c = 0; c < NINVCOLS; c++)
        set(cell, len, c, NULL, 0);
    cu_time end = period_next(P_MONTH, r->month), start = r->month;
    if (o->start != CU_TIME_NULL && start < o->start)
        start = o->start;
    if (o->end != CU_TIME_NULL && end > o->end)
        end = o->end;
    cu_time_format(r->month, buf[0]);
    set(cell, len, 0, buf[0], 7); /* YYYY-MM */
    set(cell, len, 1, buf[1], cu_time_format(start, buf[1]));
    set(cell, len, 2, buf[2], cu_time_format(end, buf[2]));
    struct text site, project;
    site.s = group_value(v->groups, r->group, 0, &site.len);
    project.s = group_value(v->groups, r->group, 1, &project.len);
    const char *name = project.s && o->catalog
                           ? catalog_project_name(o->catalog, project.s,
                                                  project.len)
                           : NULL;
    if (name)
        set(cell, len, 3, name, strlen(name));
    else
        set(cell, len, 3, project.s, project.len);
    set(cell, len, 4, project.s, project.len);
    set(cell, len, 6, site.s, site.len);
    const char *inst = o->institutions
                           ? institution_main(o->institutions, project)
                           : NULL;
    set(cell, len, 9, inst, inst ? strlen(inst) : 0);
    i128 hours = exact_hours(o) ? cu_div_round(r->su_usec, 3600)
                                : r->su_usec / usec_per_hour;
    set(cell, len, 11, buf[11],
        cu_format_fixed(hours, exact_hours(o) ? 6 : 0, buf[11]));
    const char *type = rates_su_name(o->rates, r->type);
    set(cell, len, 12, type, strlen(type));
    const char *rate_text;
    int64_t rate = rates_rate(o->rates, r->type, r->month, &rate_text);
    set(cell, len, 13, rate_text, strlen(rate_text));
    /* rate x SU-hours, to the cent, half up */
    i128 cents = cu_div_round((i128)rate * r->su_usec,
                              usec_per_hour * cu_pow10(RATE_DIGITS - 2));
    set(cell, len, 14, buf[14], format_money(cents, buf[14]));
    set(cell, len, 15, generated, strlen(generated));
}

static void write_invoice(struct invoice *v)
{
    if (v->nrows) /* rows is NULL when nothing was billed */
        qsort_r(v->rows, v->nrows, sizeof *v->rows, compare_rows, v);
    for (size_t i = 0; i < v->nrows; i++) { /* every rate known, or nothing */
        const char *text;
        rates_rate(v->o->rates, v->rows[i].type, v->rows[i].month, &text);
    }
    struct table t = {.ncols = NINVCOLS};
    for (int c = 0; c < NINVCOLS; c++)
        t.names[c] = invoice_cols[c];
    t.numeric[11] = t.numeric[13] = t.numeric[14] = true;
    char generated[40];
    cu_time_format(generated_at(), generated);
    struct table_out out;
    table_out_begin(&out, &t, v->o);
    for (size_t i = 0; i < v->nrows; i++) {
        if (v->rows[i].su_usec == 0)
            continue;
        char buf[NINVCOLS][80];
        const char *cell[NINVCOLS];
        size_t len[NINVCOLS];
        row_cells(v, &v->rows[i], generated, buf, cell, len);
        table_out_row(&out, cell, len);
    }
    table_out_end(&out);
}

void invoice_report(const struct options *o, char **paths, size_t n)
{
    struct invoice v = {.o = o,
                        .by_row = *o,
                        .by_instance = *o,
                        .groups = cu_intern_new(),
                        .rows_ix = cu_intern_new(),
                        .billed_ix = cu_intern_new()};
    v.by_row.nby = 2;
    v.by_row.by[0] = v.by_instance.by[0] = G_SITE;
    v.by_row.by[1] = v.by_instance.by[1] = G_PROJECT;
    v.by_instance.by[2] = G_INSTANCE;
    v.by_instance.nby = 3;
    bool states[NSTATE] = {[ST_ACTIVE] = true,
                           [ST_STOPPED] = o->bill_stopped};
    const struct span_reader to = {bill_span, NULL, &v, false};
    spans_each(o, paths, n, states, &to);
    sum_rows(&v);
    if (o->check)
        check_invoice(&v);
    write_invoice(&v);
    free(v.rows);
    free(v.billed);
    cu_intern_free(v.groups);
    cu_intern_free(v.rows_ix);
    cu_intern_free(v.billed_ix);
}
