/* The usage table: rows in period and group order, numbers as exact
 * decimals (hours to 6 places, half up, trailing zeros dropped), written
 * as a cu stream (TSV, CSV, JSONS) or as aligned text; and --check, which
 * compares the written rows' sums with the totals read straight from the
 * spans. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decimal.h"
#include "error.h"
#include "report.h"
#include "writer.h"


/* size x microseconds in size-hours, to 10^-6 (divisor: MB per GB, ...) */
static size_t format_hours(i128 size_usec, int64_t divisor, char *buf)
{
    return cu_format_fixed(cu_div_round(size_usec, (i128)divisor * 3600), 6,
                           buf);
}

/* ---- rows -------------------------------------------------------------- */

struct row {
    struct period_key key; /* the period clipped to the window */
    const struct usage_acc *acc; /* NULL: the total row */
    struct usage_acc total;
};

static int compare_rows(const void *pa, const void *pb, void *ctx)
{
    const struct usage *u = ctx;
    const struct row *a = pa, *b = pb;
    return compare_period_keys(u->groups, u->o->nby, &a->key, &b->key);
}

/* With --tree a row holds its sub-projects too: only the top projects'
 * rows add up to the total. */
static bool is_top_row(const struct usage *u, const struct usage_acc *a)
{
    const struct options *o = u->o;
    if (!o->tree)
        return true;
    size_t k = 0;
    while (o->by[k] != G_PROJECT)
        k++;
    struct text project;
    project.s = group_value(u->groups, a->key.group, k, &project.len);
    struct text *line = NULL;
    size_t cap = 0;
    bool top = catalog_lineage(o->catalog, project, &line, &cap) == 1;
    free(line);
    return top;
}

static struct usage_acc sum_rows(const struct usage *u)
{
    struct usage_acc t = {0};
    for (size_t i = 0; i < u->nacc; i++) {
        const struct usage_acc *a = &u->acc[i];
        if (!is_top_row(u, a))
            continue;
        for (int s = 0; s < NSTATE; s++)
            t.usec[s] += a->usec[s];
        t.vcpu_usec += a->vcpu_usec;
        t.mem_usec += a->mem_usec;
        t.disk_usec += a->disk_usec;
        t.su_usec += a->su_usec;
    }
    return t;
}

/* ---- cells ------------------------------------------------------------- */


static void table_columns(struct table *t, const struct options *o)
{
    size_t n = 0;
    t->names[n++] = "period_start";
    t->names[n++] = "period_end";
    n += group_column_names(o, t->names + n);
    size_t first_number = n;
    t->names[n++] = "instances";
    t->names[n++] = "hours";
    static const char *const hours_of[NSTATE] = {
        "active_hours", "stopped_hours", "error_hours", "shelved_hours"};
    for (int s = 0; s < NSTATE; s++)
        if (o->states[s])
            t->names[n++] = hours_of[s];
    t->names[n++] = "vcpu_hours";
    t->names[n++] = "memory_gb_hours";
    t->names[n++] = "disk_gb_hours";
    if (o->rates)
        t->names[n++] = "su_hours";
    for (size_t i = 0; i < n; i++)
        t->numeric[i] = i >= first_number;
    t->ncols = n;
}

/* The text of every cell of a row; NULL for \N. Strings point into buf. */
static void row_cells(const struct usage *u, const struct row *r,
                      const char **cell, size_t *len, char *buf, char **owned)
{
    const struct options *o = u->o;
    const struct usage_acc *a = r->acc ? r->acc : &r->total;
    size_t n = 0;
    char *p = buf;
#define PUT(fmt_call)                                                          \
    do {                                                                       \
        size_t l_ = fmt_call;                                                  \
        cell[n] = p;                                                           \
        len[n++] = l_;                                                         \
        p += l_ + 1;                                                           \
    } while (0)
    if (r->key.pstart == CU_TIME_NULL) { /* a total of nothing, no window */
        cell[n] = cell[n + 1] = NULL;
        len[n] = len[n + 1] = 0;
        n += 2;
    } else {
        PUT(cu_time_format(r->key.pstart, p));
        PUT(cu_time_format(r->key.pend, p));
    }
    n += group_cells(u->groups, o, r->acc ? &a->key.group : NULL, cell + n,
                     len + n, owned);
    int64_t sc = u->scale;
    PUT((size_t)snprintf(p, 24, "%" PRIu64, a->instances));
    i128 all = 0;
    for (int s = 0; s < NSTATE; s++)
        if (o->states[s])
            all += a->usec[s];
    PUT(format_hours(all, sc, p));
    for (int s = 0; s < NSTATE; s++)
        if (o->states[s])
            PUT(format_hours(a->usec[s], sc, p));
    PUT(format_hours(a->vcpu_usec, sc, p));
    PUT(format_hours(a->mem_usec, 1024 * sc, p));
    PUT(format_hours(a->disk_usec, sc, p));
    if (o->rates)
        PUT(format_hours(a->su_usec, sc, p));
#undef PUT
}

/* ---- writing ----------------------------------------------------------- */

/* One row of cells (NULL for \N) to a cu stream. */
static void write_cells(cu_writer *w, const struct table *t,
                        const char *const *cell, const size_t *len)
{
    for (size_t c = 0; c < t->ncols; c++) {
        if (!cell[c])
            cu_writer_null(w);
        else if (t->numeric[c])
            cu_writer_num(w, cell[c], len[c]);
        else
            cu_writer_str(w, cell[c], len[c]);
    }
    cu_writer_end_row(w);
}

/* Aligned text for a terminal: the rows are kept until their widths are
 * known. Text left, numbers right, \N for NULL; a value's tabs and
 * newlines shown as spaces so that a row stays one line. */
static void text_table_add(struct text_table *tt, const struct table *t,
                           const char *const *cell, const size_t *len)
{
    tt->cells = cu_xgrow(tt->cells, &tt->cap, (tt->nrows + 1) * t->ncols,
                         sizeof *tt->cells);
    for (size_t c = 0; c < t->ncols; c++) {
        char *v = cell[c] ? cu_xstrndup(cell[c], len[c]) : NULL;
        for (char *q = v; q && *q; q++)
            if (*q == '\t' || *q == '\n' || *q == '\r')
                *q = ' ';
        tt->cells[tt->nrows * t->ncols + c] = v;
    }
    tt->nrows++;
}

void text_table_free(struct text_table *tt, const struct table *t)
{
    cu_free_strings(tt->cells, tt->nrows * t->ncols);
    memset(tt, 0, sizeof *tt);
}

static void text_table_print(struct text_table *tt, const struct table *t)
{
    size_t width[MAXCOLS];
    for (size_t c = 0; c < t->ncols; c++) {
        width[c] = strlen(t->names[c]);
        for (size_t i = 0; i < tt->nrows; i++) {
            const char *v = tt->cells[i * t->ncols + c];
            size_t l = v ? strlen(v) : 2;
            if (l > width[c])
                width[c] = l;
        }
    }
    for (size_t i = 0; i <= tt->nrows; i++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *v = i ? tt->cells[(i - 1) * t->ncols + c]
                              : t->names[c];
            if (!v)
                v = "\\N";
            int pad = (int)(width[c] - strlen(v));
            if (c)
                fputs("  ", stdout);
            if (t->numeric[c])
                printf("%*s%s", pad, "", v);
            else if (c + 1 < t->ncols)
                printf("%s%*s", v, pad, "");
            else
                fputs(v, stdout);
        }
        putchar('\n');
    }
    text_table_free(tt, t);
}

void table_out_begin(struct table_out *out, const struct table *t,
                     const struct options *o)
{
    memset(out, 0, sizeof *out);
    out->t = t;
    out->o = o;
    out->doc = o->doc;
    if (o->text || o->doc)
        return;
    out->w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)", o->common.out_format,
                              o->common.write_flags);
    cu_writer_section(out->w, NULL, t->names, t->ncols);
}

void table_out_row(struct table_out *out, const char *const *cell,
                   const size_t *len)
{
    if (out->w)
        write_cells(out->w, out->t, cell, len);
    else
        text_table_add(&out->tt, out->t, cell, len);
}

void table_out_end(struct table_out *out)
{
    if (out->w)
        cu_close_output(out->w, &out->o->common);
    else if (out->doc)
        doc_take_table(out->doc, out->t, &out->tt);
    else
        text_table_print(&out->tt, out->t);
}

static void write_rows(const struct usage *u, const struct table *t,
                       const struct row *rows, size_t nrows)
{
    const char *cell[MAXCOLS];
    size_t len[MAXCOLS];
    char buf[MAXCOLS * 48];
    struct table_out out;
    table_out_begin(&out, t, u->o);
    for (size_t i = 0; i < nrows; i++) {
        char *owned;
        row_cells(u, &rows[i], cell, len, buf, &owned);
        table_out_row(&out, cell, len);
        free(owned);
    }
    table_out_end(&out);
}

/* --check: the rows against the totals of the spans. */
struct check_col {
    const char *name;
    i128 rows, spans;
    int64_t divisor;
};

static void check_totals(const struct usage *u, struct usage_acc sum)
{
    static const char *const col_of[NSTATE] = {
        "active_hours", "stopped_hours", "error_hours", "shelved_hours"};
    struct check_col c[NSTATE + 4];
    size_t n = 0;
    int64_t sc = u->scale;
    for (int s = 0; s < NSTATE; s++)
        if (u->o->states[s])
            c[n++] = (struct check_col){col_of[s], sum.usec[s],
                                        u->check_usec[s], sc};
    c[n++] = (struct check_col){"vcpu_hours", sum.vcpu_usec, u->check_vcpu,
                                sc};
    c[n++] = (struct check_col){"memory_gb_hours", sum.mem_usec, u->check_mem,
                                1024 * sc};
    c[n++] = (struct check_col){"disk_gb_hours", sum.disk_usec,
                                u->check_disk, sc};
    if (u->o->rates)
        c[n++] = (struct check_col){"su_hours", sum.su_usec, u->check_su, sc};
    bool bad = false;
    for (size_t i = 0; i < n; i++) {
        if (c[i].rows == c[i].spans)
            continue;
        char a[64], b[64];
        format_hours(c[i].rows, c[i].divisor, a);
        format_hours(c[i].spans, c[i].divisor, b);
        fprintf(stderr, "%s: check: %s: the rows sum to %s, the spans to %s "
                        "(they differ by %lld size-microseconds)\n",
                cu_program_name(), c[i].name, a, b,
                (long long)(c[i].rows - c[i].spans));
        bad = true;
    }
    if (bad)
        cu_die(CU_EXIT_DATA, "check failed: the report does not reconcile "
                             "with its spans");
}

void write_usage(const struct usage *u, const struct options *o)
{
    size_t nrows = u->nacc + (o->total ? 1 : 0);
    struct row *rows = cu_xcalloc(nrows ? nrows : 1, sizeof *rows);
    bool any = u->tmin <= u->tmax;
    cu_time all_start = o->start != CU_TIME_NULL ? o->start
                        : any                    ? u->tmin
                                                 : 0;
    cu_time all_end = o->end != CU_TIME_NULL ? o->end : any ? u->tmax : 0;
    for (size_t i = 0; i < u->nacc; i++) {
        rows[i].acc = &u->acc[i];
        rows[i].key = u->acc[i].key;
        if (o->period == P_ALL) {
            rows[i].key.pstart = all_start;
            rows[i].key.pend = all_end;
        }
        /* the first and last periods end at the window */
        if (o->start != CU_TIME_NULL && rows[i].key.pstart < o->start)
            rows[i].key.pstart = o->start;
        if (o->end != CU_TIME_NULL && rows[i].key.pend > o->end)
            rows[i].key.pend = o->end;
    }
    qsort_r(rows, u->nacc, sizeof *rows, compare_rows, (void *)u);
    struct usage_acc sum = sum_rows(u);
    /* for the test of --check itself: a difference planted in the rows */
    if (o->check && getenv("CU_REPORT_PLANT_DIFFERENCE") && u->nacc)
        sum.vcpu_usec += 1;
    if (o->total) {
        struct row *t = &rows[u->nacc];
        t->acc = NULL;
        t->total = sum;
        t->total.instances = distinct_total(&u->distinct);
        /* the total's period spans the rows' (unknown: no rows, no window) */
        t->key.pstart =
            any || o->start != CU_TIME_NULL ? all_start : CU_TIME_NULL;
        t->key.pend = any || o->end != CU_TIME_NULL ? all_end : CU_TIME_NULL;
        if (t->key.pstart == CU_TIME_NULL || t->key.pend == CU_TIME_NULL)
            t->key.pstart = t->key.pend = CU_TIME_NULL;
        for (size_t i = 0; i < u->nacc; i++) {
            if (rows[i].key.pstart < t->key.pstart)
                t->key.pstart = rows[i].key.pstart;
            if (rows[i].key.pend > t->key.pend)
                t->key.pend = rows[i].key.pend;
        }
    }
    if (o->check)
        check_totals(u, sum);
    struct table t;
    table_columns(&t, o);
    write_rows(u, &t, rows, nrows);
    free(rows);
}

/* ---- utilisation ------------------------------------------------------- */

static const char *const util_cols[] = {
    "period_start", "period_end", "site", "resource", "total", "reservable",
    "committed", "occupied_reservation", "occupied_ondemand", "idle",
    "available_reservable", "ondemand_capacity", "available_ondemand",
    "reservable_pct", "committed_pct", "idle_pct", "occupied_pct"};
enum { NUTILCOLS = sizeof util_cols / sizeof *util_cols, NUTILMETRICS = 9 };

/* value x microseconds of resource r in resource-hours, to 10^-9, as
 * cu-timeline --agg integral rounds them */
static size_t format_resource_hours(i128 integral, int r, char *buf)
{
    int d = resource_digits[r];
    i128 den = (i128)3600 * 1000000;
    i128 v = d > 9 ? cu_div_round(integral, den * cu_pow10(d - 9))
                   : cu_div_round(integral * cu_pow10(9 - d), den);
    return cu_format_fixed(v, 9, buf);
}

/* a / b in percent to 2 decimals, or NULL (-1) when b is 0 */
static size_t format_pct(i128 a, i128 b, char *buf)
{
    if (b == 0)
        return (size_t)-1;
    return cu_format_fixed(cu_div_round(a * 10000, b), 2, buf);
}

static void util_metrics(const i128 c[NUCLASS], i128 m[NUTILMETRICS])
{
    m[0] = c[U_TOTAL];
    m[1] = c[U_RESERVABLE];
    m[2] = c[U_COMMITTED];
    m[3] = c[U_OCC_RES];
    m[4] = c[U_OCC_OD];
    m[5] = c[U_COMMITTED] - c[U_OCC_RES];          /* idle */
    m[6] = c[U_RESERVABLE] - c[U_COMMITTED];       /* available_reservable */
    m[7] = c[U_TOTAL] - c[U_RESERVABLE];           /* ondemand_capacity */
    m[8] = m[7] - c[U_OCC_OD];                     /* available_ondemand */
}

struct util_row {
    cu_time pstart, pend;
    const struct util_acc *acc;
};

static int compare_util_rows(const void *pa, const void *pb, void *ctx)
{
    const struct util *sort_util = ctx;
    const struct util_row *a = pa, *b = pb;
    if (a->pstart != b->pstart)
        return a->pstart < b->pstart ? -1 : 1;
    size_t la, lb;
    const char *sa = util_site(sort_util, a->acc, &la);
    const char *sb = util_site(sort_util, b->acc, &lb);
    if (!sa || !sb)
        return (sa != NULL) - (sb != NULL);
    int c = memcmp(sa, sb, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

static void util_check(const struct util *u)
{
    i128 sum[NRES][NUCLASS] = {{0}};
    for (size_t i = 0; i < u->nacc; i++)
        for (int r = 0; r < NRES; r++)
            for (int c = 0; c < NUCLASS; c++)
                sum[r][c] += u->acc[i].integral[r][c];
    if (getenv("CU_REPORT_PLANT_DIFFERENCE") && u->nacc)
        sum[R_VCPUS][U_TOTAL] += 1; /* for the test of --check itself */
    bool bad = false;
    for (int r = 0; r < NRES; r++) {
        if (!u->o->resources[r])
            continue;
        for (int c = 0; c < NUCLASS; c++) {
            if (sum[r][c] == u->check[r][c])
                continue;
            char a[64], b[64];
            format_resource_hours(sum[r][c], r, a);
            format_resource_hours(u->check[r][c], r, b);
            fprintf(stderr, "%s: check: %s %s: the rows sum to %s, the spans "
                            "to %s\n", cu_program_name(), resource_name[r],
                    util_cols[4 + c], a, b);
            bad = true;
        }
    }
    if (bad)
        cu_die(CU_EXIT_DATA, "check failed: the report does not reconcile "
                             "with its spans");
}

void write_utilisation(const struct util *u, const struct options *o)
{
    if (o->check)
        util_check(u);
    struct util_row *rows = cu_xcalloc(u->nacc ? u->nacc : 1, sizeof *rows);
    bool any = u->tmin <= u->tmax;
    for (size_t i = 0; i < u->nacc; i++) {
        struct util_row *row = &rows[i];
        row->acc = &u->acc[i];
        row->pstart = u->acc[i].pstart;
        row->pend = u->acc[i].pend;
        if (o->period == P_ALL) {
            row->pstart = any ? u->tmin : 0;
            row->pend = any ? u->tmax : 0;
        }
        if (o->start != CU_TIME_NULL &&
            (o->period == P_ALL || row->pstart < o->start))
            row->pstart = o->start;
        if (o->end != CU_TIME_NULL &&
            (o->period == P_ALL || row->pend > o->end))
            row->pend = o->end;
    }
    qsort_r(rows, u->nacc, sizeof *rows, compare_util_rows, (void *)u);

    struct table t = {.ncols = NUTILCOLS};
    for (size_t c = 0; c < NUTILCOLS; c++) {
        t.names[c] = util_cols[c];
        t.numeric[c] = c >= 4;
    }
    const char *cell[MAXCOLS];
    size_t len[MAXCOLS];
    char buf[NUTILCOLS * 64];
    struct table_out out;
    table_out_begin(&out, &t, o);
    for (size_t i = 0; i < u->nacc; i++) {
        for (int r = 0; r < NRES; r++) {
            if (!o->resources[r])
                continue;
            i128 m[NUTILMETRICS];
            util_metrics(rows[i].acc->integral[r], m);
            char *p = buf;
            size_t n = 0;
#define PUT(call)                                                              \
    do {                                                                       \
        size_t l_ = call;                                                      \
        cell[n] = l_ == (size_t)-1 ? NULL : p;                                 \
        len[n++] = l_ == (size_t)-1 ? 0 : l_;                                  \
        p += 64;                                                               \
    } while (0)
            PUT(cu_time_format(rows[i].pstart, p));
            PUT(cu_time_format(rows[i].pend, p));
            cell[n] = util_site(u, rows[i].acc, &len[n]);
            n++;
            cell[n] = resource_name[r];
            len[n] = strlen(resource_name[r]);
            n++;
            /* instances have no capacity: only the occupied counts */
            bool capacity = r != R_INSTANCES;
            for (int k = 0; k < NUTILMETRICS; k++)
                PUT(capacity || k == 3 || k == 4
                        ? format_resource_hours(m[k], r, p)
                        : (size_t)-1);
            PUT(capacity ? format_pct(m[1], m[0], p) : (size_t)-1);
            PUT(capacity ? format_pct(m[2], m[1], p) : (size_t)-1);
            PUT(capacity ? format_pct(m[5], m[2], p) : (size_t)-1);
            PUT(capacity ? format_pct(m[3] + m[4], m[0], p) : (size_t)-1);
#undef PUT
            table_out_row(&out, cell, len);
        }
    }
    table_out_end(&out);
    free(rows);
}
